"""``wifimgr steer …``: the steering policy from the command line."""

from __future__ import annotations

import sys

import click

from ..core.errors import InvalidArgument


@click.group("steer")
def steer() -> None:
    """MLO link steering: replay traces through the policy (docs/steering.md)."""


def _overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in pairs:
        key, sep, value = p.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{p!r} is not OPTION=VALUE", param_hint="--set")
        out[key.strip()] = value.strip()
    return out


@steer.command("replay")
@click.argument("trace", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="one JSON decision per cycle")
@click.option("--verbose", "-v", is_flag=True, help="also the status and per-client lines")
@click.option("--set", "sets", multiple=True, metavar="OPTION=VALUE",
              help="override a steering option for the whole replay (repeat for several)")
def replay_cmd(trace: str, as_json: bool, verbose: bool, sets: tuple[str, ...]) -> None:
    """Run the policy over TRACE (JSON lines of samples) and print the decisions timeline."""
    from . import replay

    try:
        tr = replay.load_trace(trace)
        # the plain timeline prints events and commands: no per-client detail to build
        steps = replay.replay(tr, _overrides(sets), detail=verbose or as_json)
    except InvalidArgument as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(replay.as_json_lines(steps) if as_json else replay.timeline(tr, steps,
                                                                            verbose=verbose),
               nl=False)
