"""The twin's system tools: ``wifi``, ``rmmod``/``modprobe``, ``reboot``, ``dmesg``, ``logread``,
``logger``, ``/etc/init.d/*`` (with procd's instances), ``ubus`` (a part of
:class:`.runner.TwinRunner`)."""

from __future__ import annotations

import contextlib
import json
import os
import time

from ...platform.ubus import UbusError
from .bus import TwinBus
from .view import procd_instance

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from .view import TwinAccess


class ServiceTools:
    """The tools that act on the whole router and its services."""

    twin: TwinAccess
    spawn_detached: Callable[..., int]   # the runner's (platform.run.Runner)

    def _cmd_wifi(self, a: list[str], _: str) -> tuple[int, str, str]:
        action = a[0] if a else ""
        if action == "status":
            return 0, json.dumps(TwinBus(self.twin).call("network.wireless", "status"),
                                 indent=1) + "\n", ""
        if action == "isup":
            return (0 if self.twin.phase() == "up" else 1), "", ""
        rc, err = self.twin.wifi(action)
        return rc, "", err

    def _cmd_rmmod(self, a: list[str], _: str) -> tuple[int, str, str]:
        return (0, "", "") if a == ["mt7996e"] else (1, "", f"rmmod: {' '.join(a)}: not found\n")

    def _cmd_modprobe(self, a: list[str], _: str) -> tuple[int, str, str]:
        """A re-probe of the driver. With the semaphore held the driver logs only the
        re-probe lines (spec/platform.md Addenda) and the chip stays locked; a free chip
        loads as at boot (the twin keeps its running state)."""
        if a != ["mt7996e"]:
            return 1, "", f"modprobe: {' '.join(a)}: not found\n"
        with self.twin.edit() as st:
            if not st["chip"]["locked"]:
                return 0, "", ""
            self.twin._kmsg(st, "mt7996e 0000:01:00.0: enabling device (0000 -> 0002)")
            self.twin._kmsg(st, "mt7996e 0000:01:00.0: Failed to get patch semaphore")
            self.twin._kmsg(st, "mt7996e 0000:01:00.0: failed to load patch: -11")
            # the driver core then reports the failed probe, as after every failed probe (real
            # re-probe: captures/openwrt-mt76-688-mt7915; today's wording, spec Addenda)
            self.twin._kmsg(st, "mt7996e 0000:01:00.0: probe with driver mt7996e failed with "
                                "error -11")
            self.twin._log(st, "kern.err kernel: mt7996e 0000:01:00.0: failed to load patch: -11")
        return 1, "", ""   # the module loader's own wording is not modelled

    def _cmd_reboot(self, a: list[str], _: str) -> tuple[int, str, str]:
        self.twin.reboot()
        return 0, "", ""

    def _cmd_dmesg(self, a: list[str], _: str) -> tuple[int, str, str]:
        st = self.twin.load()
        lines = [f"[{t:12.6f}] {line}" for t, line in st["kmsg"]]
        return 0, "\n".join(lines) + ("\n" if lines else ""), ""

    def _cmd_logread(self, a: list[str], _: str) -> tuple[int, str, str]:
        st = self.twin.load()
        lines = [time.strftime("%a %b %e %H:%M:%S %Y ", time.gmtime(t)) + line
                 for t, line in st["log"]]
        if "-e" in a and a.index("-e") + 1 < len(a):
            pat = a[a.index("-e") + 1]
            lines = [ln for ln in lines if pat in ln]
        if "-l" in a and a.index("-l") + 1 < len(a) and a[a.index("-l") + 1].isdigit():
            lines = lines[-int(a[a.index("-l") + 1]):]
        return 0, "\n".join(lines) + ("\n" if lines else ""), ""

    def _cmd_init_d(self, a: list[str], path: str) -> tuple[int, str, str]:
        svc = path.rsplit("/", 1)[-1]
        known = {"network", "firewall", "dnsmasq", "rpcd", "wifimgr", "wifimgr-monitor",
                 "relayd", "odhcpd", "uhttpd", "system"}
        if svc not in known:
            return 127, "", f"/bin/sh: {path}: not found\n"
        action = a[0] if a else ""
        with self.twin.edit() as st:
            st["services"].append([self.twin.now(st), svc, action])
            del st["services"][:-200]
            self.twin._log(st, f"user.notice init: {svc} {action}")
        if svc == "wifimgr" and action in ("start", "stop", "restart", "reload"):
            self._procd_wifimgr(action)
        if svc == "wifimgr-monitor" and action in ("start", "stop", "restart", "reload"):
            self._procd_monitor(action)
        return 0, "", ""

    def _steering_enabled(self) -> bool:
        if not self.twin.uci.exists("wifimgr"):
            return False
        sec = self.twin.uci.load("wifimgr").get("steering")
        return bool(sec and sec.get_str("enabled") in ("1", "on", "true", "yes"))

    def _procd_wifimgr(self, action: str) -> None:
        """What procd does with init.d/wifimgr: the ``steerd`` instance runs only while
        ``wifimgr.steering.enabled=1`` (start_service returns early otherwise). The twin runs
        the real daemon as a real process against itself."""
        self._procd("wifimgr", "steerd", action, self._steering_enabled())

    def _procd_monitor(self, action: str) -> None:
        """init.d/wifimgr-monitor under procd: the ``monitor`` instance runs unless
        ``wifimgr.monitor.enabled=0``; the twin runs the real monitor against itself."""
        sec = (self.twin.uci.load("wifimgr").get("monitor")
               if self.twin.uci.exists("wifimgr") else None)
        enabled = sec is None or sec.get_str("enabled", "1") not in ("0", "off", "false", "no")
        self._procd("wifimgr-monitor", "monitor", action, enabled)

    def _procd(self, service: str, instance: str, action: str, enabled: bool) -> None:
        """procd's start/stop/restart/reload of one instance ``wifimgr <instance>``."""
        import signal
        import sys

        running = procd_instance(self.twin, service, instance)
        if action in ("stop", "restart", "reload") and running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(running["pid"], signal.SIGTERM)
            with self.twin.edit() as st:
                st.get("procd", {}).pop(service, None)
            running = None
        if action == "stop" or running or not enabled:
            return
        lib = os.path.abspath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 3))
        env = {"WIFIMGR_SIM": self.twin.dir,
               "PYTHONPATH": os.pathsep.join(p for p in (lib, os.environ.get("PYTHONPATH"))
                                             if p)}
        pid = self.spawn_detached([sys.executable, "-m", "wifimgr", instance], env=env)
        with self.twin.edit() as st:
            st.setdefault("procd", {})[service] = {
                instance: {"pid": pid, "command": ["/usr/bin/wifimgr", instance],
                           "started": self.twin.now(st)}}

    def _cmd_logger(self, a: list[str], _: str) -> tuple[int, str, str]:
        tag = a[a.index("-t") + 1] if "-t" in a and a.index("-t") + 1 < len(a) else "root"
        msg = " ".join(x for i, x in enumerate(a) if not (x.startswith("-") or (
            i > 0 and a[i - 1] in ("-t", "-p"))))
        prio = a[a.index("-p") + 1] if "-p" in a and a.index("-p") + 1 < len(a) else "user.notice"
        with self.twin.edit() as st:      # logread prints facility.level as logger -p set it
            self.twin._log(st, f"{prio} {tag}: {msg}")
        return 0, "", ""

    def _cmd_ubus(self, a: list[str], _: str) -> tuple[int, str, str]:
        args = [x for x in a if x != "-S"]
        while args and args[0] == "-t":
            args = args[2:]
        bus = TwinBus(self.twin)
        if args[:1] == ["list"]:
            return 0, "\n".join(bus.objects(args[1] if len(args) > 1 else None)) + "\n", ""
        if args[:1] == ["call"] and len(args) >= 3:
            try:
                params = json.loads(args[3]) if len(args) > 3 else {}
                reply = bus.call(args[1], args[2], params)
            except UbusError as exc:
                text = exc.status_name.replace("_", " ").title()
                return exc.status, "", f"Command failed: {text}\n"
            except ValueError:
                return 2, "", "Command failed: Invalid argument\n"
            return 0, json.dumps(reply, indent="\t") + "\n" if reply else "", ""
        return 1, "", "Usage: ubus [<options>] <command> [arguments...]\n"
