"""Installing over the original luci-app-wifimgr 3.0.0 (the same package name, ``apk add`` over
it; spec/original.md §7, spec/platform.md §f).

The original's shell daemon ``mlo-steerd`` is shipped by the firmware, not by the package, so
it survives the upgrade: its procd service (``/etc/init.d/mlo-steerd``, started when
``mlo-steerd.global.autostart`` is 1) or a copy the old UI started by hand
(``sh /root/mlo-steerd.sh &``). Two daemons setting A-TTLM on one MLD would fight, so it is
stopped and disabled, and its ``mode`` (and whether its owner had it autostart) is carried over
to ``wifimgr.steering``. The original's first-run sentinel is ``wifimgr.defaults.applied`` —
the one :mod:`wifimgr.lifecycle.defaults` reads — so first run does not run again; but the
original's first run (≤ 2.x) put the published key ``12345678`` on the factory networks. So
:func:`rotate_factory_keys` gives every network that still has a factory SSID *and* a publicly
known key one new random key (the owner never changed them), and says so in its report and the
syslog (never the key: LuCI shows it, ``wifimgr secret <section>``). A network with its own
SSID keeps its key and is flagged everywhere (status, LuCI, events, ``wifimgr check``).

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


def rotate_factory_keys(system: System) -> dict[str, Any]:
    """Networks still as the original's first run left them (factory SSID, published key): a
    new random key through the one write path. The report never holds the key."""
    if not system.uci.exists("wireless"):
        return {"rotated": []}
    from .defaults import rotate_published_keys, settings

    wm = system.uci.load("wifimgr") if system.uci.exists("wifimgr") else None
    if wm is None or not settings(wm)["applied"]:
        # first run has not run yet: it gives the factory networks their own key itself
        return {"rotated": [], "skipped": "first-run defaults still to run"}

    try:
        # installed by apk on a running router: never a reboot in the middle of it — an MLD
        # change waits for the next one (status says so); at a boot netifd reads it anyway
        reply = rotate_published_keys(system, factory_only=True, method="hotplug migrate",
                                      defer_reboot=True)
    except Exception as exc:          # uci-defaults must go on: the finding stays flagged
        return {"rotated": [], "error": str(exc)}
    done = reply.get("rotated") or []
    out: dict[str, Any] = {"rotated": done, "ok": bool(reply.get("ok"))}
    if not reply.get("ok"):
        out["blocked"] = [b["message"] for b in reply.get("blocked", [])]
    if done:
        system.run.run(["logger", "-t", "wifimgr", "-p", "daemon.notice",
                        "upgrade: the factory networks " + ", ".join(done) + " still had a "
                        "publicly known key (the one the original's first run set); they "
                        "share a new random key now — read it in LuCI (Network → WiFi "
                        "Manager), with `wifimgr secret <section>` or `uci show wireless | "
                        "grep key`"],
                       timeout=5)
    return out
