"""``wifimgr`` command line (click). Every command goes through :func:`wifimgr.api.dispatch`,
so the CLI, the rpcd plugin and the dev server share one registry and one set of checks."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from . import __version__
from .api import METHODS, dispatch, is_error


def emit(reply: dict[str, Any], *, as_json: bool = True) -> None:
    click.echo(json.dumps(reply, indent=2, ensure_ascii=False, sort_keys=False))
    if is_error(reply):
        sys.exit(2 if reply["error"].get("code") == "unknown_method" else 1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wifimgr")
def main() -> None:
    """WiFi 7 / MLO manager for the BPI-R4 (MT7996). Set WIFIMGR_SIM=<dir> to work on the twin."""


@main.command("call")
@click.argument("method")
@click.argument("args", required=False, default="{}")
def call_cmd(method: str, args: str) -> None:
    """Call any API METHOD with a JSON object of ARGS (as `ubus call wifimgr METHOD ARGS`)."""
    try:
        parsed = json.loads(args)
    except ValueError as exc:
        raise click.BadParameter(f"not valid JSON: {exc}", param_hint="ARGS") from None
    if not isinstance(parsed, dict):
        raise click.BadParameter("must be a JSON object", param_hint="ARGS")
    emit(dispatch(method, parsed))


def _read_command(name: str, method: str, render: str, radio_opt: bool = False):
    @click.option("--json", "as_json", is_flag=True, help="print the raw API reply")
    def cmd(as_json: bool, radio: str | None = None) -> None:
        from . import tables

        reply = dispatch(method, {"radio": radio} if radio else {})
        if as_json or is_error(reply):
            emit(reply)
            return
        click.echo(getattr(tables, render)(reply))

    if radio_opt:
        cmd = click.option("--radio", default=None, help="one radio (default: all)")(cmd)
    cmd.__doc__ = f"Show `{method}` as a table (--json for the API reply)."
    main.command(name)(cmd)


for _name, _render, _radio in (("status", "render_status", False),
                               ("radios", "render_radios", False),
                               ("networks", "render_networks", False),
                               ("clients", "render_clients", False),
                               ("diagnostics", "render_diagnostics", False),
                               ("scan", "render_scan", True)):
    _read_command(_name, _name, _render, _radio)


@main.command("api-doc")
def api_doc_cmd() -> None:
    """Print docs/api.md (generated from the method registry)."""
    from .api import markdown

    click.echo(markdown(), nl=False)


@main.command("methods")
def methods_cmd() -> None:
    """List the API methods with their access level and arguments."""
    for m in METHODS.values():
        args = ", ".join(f"{a.name}{'' if a.required else '?'}:{a.type}" for a in m.args)
        click.echo(f"{m.name:<18} {m.access:<5} {args}")


from .sim.cli import sim as _sim_group  # noqa: E402

main.add_command(_sim_group)

if __name__ == "__main__":
    main()
