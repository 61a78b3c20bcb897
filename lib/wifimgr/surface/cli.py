"""``wifimgr`` command line (click). Every command goes through
:func:`wifimgr.surface.api.dispatch`, so the CLI, the rpcd plugin and the dev server share one
registry and one set of checks."""

from __future__ import annotations

import json
import sys

import click

from .. import __version__
from ..platform import state
from .api import METHODS, dispatch, exit_code, is_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def emit(reply: dict[str, Any], *, as_json: bool = True) -> None:
    click.echo(json.dumps(reply, indent=2, ensure_ascii=False, sort_keys=False))
    code = exit_code(reply)
    if code:
        sys.exit(code)


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


def _write_command(method_name: str):
    """A CLI command per write method, generated from the registry: options from the
    arguments, the verdict printed first (dry run), then confirmation (--yes skips)."""
    m = METHODS[method_name]
    params = []
    for a in m.args:
        if a.name == "dry_run":
            continue
        opt = "--" + a.name.replace("_", "-")
        if a.type == "bool":
            params.append(click.Option([f"{opt}/--no-{a.name.replace('_', '-')}"], default=None,
                                       help=a.doc or None))
        elif a.type == "array":
            params.append(click.Option([opt], multiple=True, required=a.required,
                                       help=(a.doc or "") + " (repeat for several)"))
        elif a.type == "object":
            params.append(click.Option([opt], required=a.required,
                                       help=(a.doc or "") + " (a JSON object)"))
        elif a.type == "int":
            params.append(click.Option([opt], type=int, required=a.required, help=a.doc or None))
        else:
            params.append(click.Option([opt], required=a.required, help=a.doc or None,
                                       type=click.Choice(a.choices) if a.choices else None))
    params.append(click.Option(["--yes", "-y"], is_flag=True, help="apply without asking"))
    params.append(click.Option(["--dry-run"], is_flag=True, help="only show the verdict"))

    def callback(yes: bool, dry_run: bool, **kwargs):
        args = {}
        for a in m.args:
            if a.name == "dry_run":
                continue
            v = kwargs.get(a.name)
            if v is None or (a.type == "array" and not v):
                continue
            if a.type == "array":
                v = list(v)
            elif a.type == "object":
                try:
                    v = json.loads(v)
                except ValueError as exc:
                    raise click.BadParameter(f"not JSON: {exc}", param_hint=a.name) from None
            args[a.name] = v
        preview = dispatch(method_name, {**args, "dry_run": True})
        _print_verdict(preview)
        if is_error(preview) or not preview.get("ok") or dry_run:
            sys.exit(exit_code(preview))
        if not preview.get("changes"):
            return
        if not yes and not click.confirm(f"Apply ({preview['apply']})?", default=False):
            click.echo("nothing changed")
            return
        reply = dispatch(method_name, args)
        _print_verdict(reply, applied=True)
        if not reply.get("ok"):
            sys.exit(exit_code(reply))

    cmd = click.Command(method_name.replace("_", "-"), params=params, callback=callback,
                        help=f"{m.doc} (API method `{method_name}`).")
    main.add_command(cmd)


def _print_verdict(reply: dict, applied: bool = False) -> None:
    if reply.get("error"):
        e = reply["error"]
        click.echo(f"error [{e['code']}] {e.get('field') or ''}: {e['message']}", err=True)
        return
    for b in reply.get("blocked", []):
        pre = " (already in the current config)" if b.get("preexisting") else ""
        click.echo(f"BLOCKED [{b['rule']}]{pre}: {b['message']}")
        if b.get("fix"):
            f = b["fix"]
            click.echo(f"  fix: {f['label']} — wifimgr call {f['method']} "
                       f"'{json.dumps(f['args'])}'")
    if reply.get("requested_ok"):
        click.echo(reply["message"])
    if reply.get("ok"):
        verb = "applied by" if applied else "would apply by"
        click.echo(f"OK — {verb} {reply.get('apply')}"
                   + (f" (job {reply['job']})" if reply.get("job") else ""))
        for r in reply.get("reasons", []):
            click.echo(f"  reboot because it {r}")
        for w in reply.get("warnings", []):
            click.echo(f"  warning: {w}")
        if not applied:
            for c in reply.get("changes", []):
                where = ".".join(x for x in (c.get("config"), c.get("section"),
                                             c.get("option")) if x)
                val = f" = {c['value']!r}" if "value" in c else ""
                click.echo(f"  {c['op']:<7} {where}{val}")


for _m in [m.name for m in METHODS.values() if m.write_result]:
    _write_command(_m)


@main.command("check")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
def check_cmd(file: str | None) -> None:
    """Lint a wireless config FILE (default: the live one); exit 1 on violations."""
    args = {}
    if file:
        args["config"] = state.read_text(file, errors="surrogateescape") or ""
    reply = dispatch("check", args)
    if is_error(reply):
        emit(reply)
    for b in reply["blocked"]:
        click.echo(f"[{b['rule']}] {b['message']}")
    for f in reply.get("security", []):
        click.echo(f"[{f['rule']}] {f['message']}")
    for n in reply.get("notes", []):
        click.echo(f"note: {n}")
    if reply["ok"]:
        click.echo(f"OK ({reply['dialect']}); making it live needs: {reply['apply']}")
    # 1: the rules block it; 4: it would run, but with a security finding (a published key)
    sys.exit(1 if not reply["ok"] else 4 if reply.get("security") else 0)


@main.command("apply-job", hidden=True)
@click.argument("job")
def apply_job_cmd(job: str) -> None:
    """Detached reboot worker (started by an apply job)."""
    from ..host.system import get_system
    from ..transaction.apply import worker

    worker(get_system(), job)


@main.command("steerd")
@click.option("--cycles", type=int, default=None, hidden=True, help="stop after N cycles")
def steerd_cmd(cycles: int | None) -> None:
    """The MLO link steering daemon (run by procd: /etc/init.d/wifimgr)."""
    from ..steering.daemon import main as steerd_main

    sys.exit(steerd_main(cycles))


@main.command("monitor")
@click.option("--once", is_flag=True, help="take one sample (history, events, metrics, health "
              "check) and exit")
@click.option("--ensure-config", is_flag=True,
              help="create wifimgr.monitor with its defaults when missing (uci-defaults)")
@click.option("--samples", type=int, default=None, hidden=True, help="stop after N samples")
@click.option("--check-config", is_flag=True,
              help="judge /etc/config/wireless now if it changed (procd's config trigger)")
def monitor_cmd(once: bool, ensure_config: bool, samples: int | None,
                check_config: bool) -> None:
    """The resident monitor (run by procd: /etc/init.d/wifimgr, instance monitor)."""
    from ..host.system import get_system

    if check_config:
        from ..monitor.watch import check as watch_check

        click.echo(json.dumps(watch_check(get_system(), source="procd config trigger")))
        return

    if ensure_config:
        from ..settings.monitor import ensure_section

        created = ensure_section(get_system())
        click.echo("wifimgr.monitor created" if created else "wifimgr.monitor exists")
        return
    if once:
        from ..monitor.daemon import once as monitor_once

        s = monitor_once(get_system())
        click.echo(f"sample at {s['t']:.0f}: {len(s['radios'])} radios, "
                   f"{len(s['clients'])} clients, {len(s['mlds'])} MLDs")
        return
    from ..monitor.daemon import main as monitor_main

    sys.exit(monitor_main(samples))


@main.command("metrics")
def metrics_cmd() -> None:
    """Print the Prometheus metrics (the text the monitor writes to /var/prometheus)."""
    reply = dispatch("metrics", {})
    if is_error(reply):
        emit(reply)
    click.echo(reply["text"], nl=False)


@main.command("advise")
@click.argument("radio")
@click.option("--width", type=int, default=None, help="MHz (default: the radio's width)")
@click.option("--json", "as_json", is_flag=True, help="print the raw API reply")
def advise_cmd(radio: str, width: int | None, as_json: bool) -> None:
    """Channel advisor: the three best channels for RADIO, with the reasons."""
    from . import tables

    args: dict[str, Any] = {"radio": radio}
    if width is not None:
        args["width"] = width
    reply = dispatch("advise", args)
    if as_json or is_error(reply):
        emit(reply)
        return
    click.echo(tables.render_advise(reply))


@main.command("capture")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="write the bundle to FILE (default: stdout)")
@click.option("--split", "split_dir", type=click.Path(file_okay=False), default=None,
              help="instead: cut the bundle read from --input into one file per section")
@click.option("-i", "--input", "input_file", type=click.Path(exists=True, dir_okay=False),
              default=None, help="a bundle to --split")
def capture_cmd(output: str | None, split_dir: str | None, input_file: str | None) -> None:
    """Bundle the output of every command wifimgr reads (iw, hostapd_cli, wpa_cli, dmesg,
    debugfs, hwmon, ubus) into one file for a bug report, MAC addresses and keys masked.
    See docs/captures.md."""
    import os
    import re

    from ..host.system import get_system
    from ..overview import capture

    if split_dir:
        if not input_file:
            raise click.BadParameter("--split needs --input BUNDLE", param_hint="--split")
        sections = capture.split(state.read_text(input_file) or "")
        state.ensure_dir(split_dir)
        for n, (kind, name, body) in enumerate(sections):
            slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")[:80]
            state.write_text(os.path.join(split_dir, f"{n:02d}-{kind}-{slug}.out"), body)
        click.echo(f"{len(sections)} sections written to {split_dir}")
        return
    text = capture.bundle(get_system())
    if output:
        state.write_text(output, text)
        click.echo(f"capture written to {output} ({len(text)} bytes)", err=True)
    else:
        click.echo(text, nl=False)


@main.command("api-doc")
def api_doc_cmd() -> None:
    """Print docs/api.md (generated from the method registry)."""
    from .api import markdown

    click.echo(markdown(), nl=False)


@main.command("platforms-doc")
def platforms_doc_cmd() -> None:
    """Print docs/platforms.md (the capability map of every twin profile × the features)."""
    from .platforms import profile_maps, render

    click.echo(render(profile_maps()), nl=False)


@main.command("methods")
def methods_cmd() -> None:
    """List the API methods with their access level and arguments."""
    for m in METHODS.values():
        args = ", ".join(f"{a.name}{'' if a.required else '?'}:{a.type}" for a in m.args)
        click.echo(f"{m.name:<18} {m.access:<5} {args}")


from ..sim.cli import sim as _sim_group  # noqa: E402
from ..steering.cli import steer as _steer_group  # noqa: E402

main.add_command(_sim_group)

from .hooks_cli import hotplug as _hotplug_group  # noqa: E402

main.add_command(_hotplug_group)
main.add_command(_steer_group)

if __name__ == "__main__":
    main()
