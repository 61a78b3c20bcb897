"""``wifimgr hotplug …``: what the hotplug hooks and the uci-defaults script call.

A hook is sourced shell that must return fast and must not leave anything holding its file
descriptors (procd's hotplug queue waits for them), so by default these commands only check
the event and start a fully detached worker (new session, fds 0/1/2 on /dev/null, others closed)
that re-runs them with ``--now``.
"""

from __future__ import annotations

import json
import os
import sys

import click

from ..platform import state


def _detach(args: list[str]) -> None:
    from ..host.system import get_system

    get_system().run.spawn_detached([sys.executable, "-m", "wifimgr", "hotplug", *args,
                                     "--now"])


@click.group("hotplug")
def hotplug() -> None:
    """Entry points for hotplug hooks and uci-defaults (not for interactive use)."""


@hotplug.command("defaults")
@click.option("--now", is_flag=True, help="run in this process instead of detaching")
def defaults_cmd(now: bool) -> None:
    """First-run defaults (once; the sentinel lives in /etc/config/wifimgr)."""
    if not now:
        return _detach(["defaults"])
    from ..host.system import get_system
    from ..lifecycle.defaults import run_first_boot

    report = run_first_boot(get_system())
    report.pop("key", None)
    click.echo(json.dumps(report))


@hotplug.command("migrate")
def migrate_cmd() -> None:
    """Installed over the original 3.0.0: stop and disable its mlo-steerd, carry its mode over
    (uci-defaults; quick, so it runs in this process)."""
    from ..host.system import get_system
    from ..lifecycle.upgrade import migrate_original, rotate_factory_keys

    system = get_system()
    report = migrate_original(system)
    report["keys"] = rotate_factory_keys(system)
    click.echo(json.dumps(report))


@hotplug.command("txpower")
@click.option("--now", is_flag=True, help="run in this process instead of detaching")
@click.option("--wait", "wait_s", type=float, default=120, show_default=True,
              help="seconds to wait for the SKU table")
def txpower_cmd(now: bool, wait_s: float) -> None:
    """The MT7996 cold-boot TX power fix, once per boot, for a wireless netdev add event."""
    if os.environ.get("ACTION", "add") != "add":
        return
    if os.environ.get("DEVTYPE", "wlan") != "wlan" and "INTERFACE" in os.environ:
        return
    from ..host.system import get_system

    system = get_system()
    marker = os.path.join(system.state_dir, "txpower-fix.done")
    if not now:
        if state.exists(marker):
            return  # already done (or running) during this boot: /tmp is a tmpfs
        state.ensure_dir(system.state_dir)
        state.write_text(marker, "started\n")
        return _detach(["txpower", "--wait", str(wait_s)])
    from ..radios.txpower import cold_boot_fix

    click.echo(json.dumps(cold_boot_fix(system, wait_s=wait_s)))


@hotplug.command("recover")
def recover_cmd() -> None:
    """At boot (/etc/init.d/wifimgr-recover), before netifd reads the config: roll back a
    configuration write a power cut or a kill left half done, remove stale temp files. Runs in
    this process: the boot must wait for it."""
    from ..host.system import get_system
    from ..transaction.journal import recover

    click.echo(json.dumps(recover(get_system())))
