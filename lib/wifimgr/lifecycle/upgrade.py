"""Installing over the original luci-app-wifimgr 3.0.0 (the same package name, ``apk add`` over
it; spec/original.md §7, spec/platform.md §f).

The original's shell daemon ``mlo-steerd`` is shipped by the firmware, not by the package, so
it survives the upgrade: its procd service (``/etc/init.d/mlo-steerd``, started when
``mlo-steerd.global.autostart`` is 1) or a copy the old UI started by hand
(``sh /root/mlo-steerd.sh &``). Two daemons setting A-TTLM on one MLD would fight, so it is
stopped and disabled, and its ``mode`` (and whether its owner had it autostart) is carried over
to ``wifimgr.steering``. The original's first-run sentinel is ``wifimgr.defaults.applied`` —
the one :mod:`wifimgr.lifecycle.defaults` reads — so no key is regenerated; nothing to do for
it beyond leaving it alone.

Idempotent: a second run finds nothing to stop and the steering options already set.
"""

from __future__ import annotations

from ..platform.ucitext import Package
from ..settings import steering as steer_config

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..platform import System

OLD_INIT = "/etc/init.d/mlo-steerd"
OLD_SCRIPT = "/root/mlo-steerd.sh"
OLD_PACKAGE = "mlo-steerd"
OLD_MODES = ("auto", "all_on", "5g_only")


def migrate_original(system: System) -> dict[str, Any]:
    """Stop and disable the original daemon, carry its mode over. Returns a report."""
    report: dict[str, Any] = {"stopped": [], "disabled": False, "killed": [], "steering": {}}
    if system.fs.exists(OLD_INIT):
        for action in ("stop", "disable"):
            res = system.run.run([OLD_INIT, action], timeout=15)
            if res.rc == 0:
                report["stopped" if action == "stop" else "disabled"] = (
                    [OLD_INIT] if action == "stop" else True)
    # a copy started by the old UI outside procd: `sh /root/mlo-steerd.sh`
    res = system.run.run(["pgrep", "-f", OLD_SCRIPT], timeout=5)
    pids = [p for p in res.stdout.split() if p.isdigit()] if res.rc == 0 else []
    if pids:
        system.run.run(["kill", *pids], timeout=5)
        report["killed"] = pids
    uci = system.uci
    if not uci.exists(OLD_PACKAGE):
        return report
    with uci.lock():
        old = uci.load(OLD_PACKAGE)
        glob = old.get("global")
        mode = (glob.get_str("mode") if glob else None) or "auto"
        autostart = bool(glob and glob.get_bool("autostart"))
        mine = uci.load(steer_config.PACKAGE) if uci.exists(steer_config.PACKAGE) else None
        have = mine.get(steer_config.SECTION) if mine is not None else None
        changes: dict[str, Any] = {}
        if mode in OLD_MODES and (have is None or have.get_str("mode") is None):
            changes["mode"] = mode
        if autostart and (have is None or have.get_str("enabled") is None):
            changes["enabled"] = True
        if changes:
            new = steer_config.apply_changes(mine, changes)
            uci.commit(new, base=mine if mine is not None else Package(steer_config.PACKAGE))
        report["steering"] = changes
        report["old_mode"] = mode
        # last, so a kill before it only repeats the carry-over on the next run (uci-defaults
        # keeps a script that did not finish), which then finds its choice already made
        if autostart:
            new_old = old.copy()
            new_old.get("global").set("autostart", "0")   # stays off if re-enabled
            uci.commit(new_old, base=old)
    if changes.get("enabled"):
        # the old daemon ran for its owner: ours takes over now, not only at the next boot
        res = system.run.run(["/etc/init.d/wifimgr", "start"], timeout=15)
        report["started"] = res.rc == 0
    return report
