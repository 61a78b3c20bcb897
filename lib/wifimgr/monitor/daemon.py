"""``wifimgr monitor``: the resident monitor (procd instance ``monitor`` of /etc/init.d/wifimgr).

Every ``interval`` seconds one sample through the live reader (:mod:`.sample`); between samples
it waits on the bus for hostapd's notifications — client joins and leaves come from there
(``sta-authorized``, ``disassoc``; ``sta-links-changed``, ``radar-detected``,
``channel-switch`` where hostapd sends them), counters come from polling. It never attaches to
a hostapd control socket: every ``hostapd_cli`` it runs is one request and exits.

Per sample: history ring files (:mod:`.history`), event detection by comparing with the previous
sample (joins/leaves hostapd did not announce, link changes, MLD links up/down, channel changes,
DFS CAC, A-TTLM blocks, a locked chip), the Prometheus text (``/var/prometheus/wifimgr.prom``
when that folder exists), the last sample and — while the
steering daemon is enabled — the command outputs it reuses (:mod:`.shared`), and the apply
health check (:mod:`wifimgr.transaction.health`), which also finishes a check across a reboot.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time

from ..core.errors import WifimgrError
from ..observe import events
from ..platform import state
from ..platform.fs import atomic_write
from ..settings import monitor as config
from . import history, metrics, replies, sample, shared

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..platform import System
    from ..platform.ubus import BusEvent

#: check the kernel log for a locked chip every this many samples (and at start)
CHIP_EVERY = 6
#: a client absent from this many consecutive samples, unannounced, has left
LEAVE_AFTER = 2
LISTEN_EVENTS = ("ubus.object.add", "ubus.object.remove")
JOIN = ("sta-authorized",)
LEAVE = ("disassoc", "deauth", "inactive-deauth")
STATE = os.path.join("monitor", "state.json")
TEXTFILE = "wifimgr.prom"


def textfile_dir(system: System) -> str:
    """prometheus-node-exporter-lua's textfile collector reads ``/var/prometheus/*.prom``; on
    the twin the folder is inside the twin's directory."""
    if system.sim is not None:
        return os.path.join(system.sim.dir, "var", "prometheus")
    return "/var/prometheus"


class Monitor:
    def __init__(self, system: System, *, sleep: Callable[[float], None] = time.sleep):
        self.sys = system
        self.sleep = sleep
        self.cfg = config.read(system)
        self.config_error: str | None = None
        self.steering = False
        self.prev: dict[str, Any] | None = None
        self.writer: history.Writer | None = None
        self.listener: Any = None
        self.subscribed: set[str] = set()
        #: mac → {"state": joined|left, "t": when, "absent": samples}
        self.clients: dict[str, dict[str, Any]] = {}
        self.notified_freq: dict[str, int] = {}
        self.samples = 0
        self.started = system.clock()
        self.stop = False
        self.last_cpu = 0.0
        self.last_wall = 0.0
        self.locked_seen = False

    # ------------------------------------------------------------------ config
    def load_config(self) -> None:
        try:
            pkg = self.sys.uci.load(config.PACKAGE) if self.sys.uci.exists(config.PACKAGE) \
                else None
            cfg = config.load(pkg)
            sec = pkg.get("steering") if pkg is not None else None
            self.steering = bool(sec and sec.get_bool("enabled"))
            self.config_error = None
        except WifimgrError as exc:
            if self.config_error != exc.message:
                self.event("monitor", f"monitor config rejected, keeping the previous one: "
                                      f"{exc.message}")
            self.config_error = exc.message
            return
        if cfg != self.cfg and self.writer is not None:
            self.writer.close()
            self.writer = None
        self.cfg = cfg

    def event(self, kind: str, message: str, **data: Any) -> None:
        events.record(self.sys, kind, message, **data)

    # ------------------------------------------------------------------ bus
    def resubscribe(self) -> None:
        try:
            objs = {o for o in self.sys.bus.objects("hostapd.*") if o != "hostapd"}
        except Exception:
            objs = set()
        dead = set(self.listener.dead()) if self.listener is not None else set()
        if self.listener is not None and objs == self.subscribed and not dead:
            return
        self.close_listener()
        try:
            self.listener = self.sys.bus.listen(LISTEN_EVENTS, sorted(objs))
            self.subscribed = objs
        except Exception as exc:   # no ubus CLI, no ubusd: polling still finds everything
            self.listener = None
            self.subscribed = set()
            self.event("monitor", f"cannot listen on ubus ({exc}); joins and leaves come "
                                  "from polling only")

    def close_listener(self) -> None:
        if self.listener is not None:
            with contextlib.suppress(Exception):
                self.listener.close()
        self.listener = None

    def pump(self, timeout: float) -> int:
        """Wait up to ``timeout`` s for bus events and handle all that arrived."""
        if self.listener is None:
            if timeout > 0:
                self.sleep(timeout)
            return 0
        try:
            got = self.listener.poll(timeout)
        except Exception:
            self.close_listener()
            return 0
        for ev in got:
            self.handle(ev)
        return len(got)

    def handle(self, ev: BusEvent) -> None:
        d = ev.data
        if ev.source == "" and ev.name in LISTEN_EVENTS:
            if str(d.get("path", "")).startswith("hostapd."):
                self.resubscribe()
            return
        ifname = d.get("ifname") or ev.source.removeprefix("hostapd.")
        mac = str(d.get("address", "")).lower()
        if ev.name in JOIN and mac:
            links = [x.get("link_id") for x in d.get("links", []) if isinstance(x, dict)]
            self.joined(mac, ifname, "hostapd", links=links or None)
        elif ev.name in LEAVE and mac:
            self.left(mac, ifname, "hostapd", reason=ev.name)
        elif ev.name == "sta-links-changed" and mac:
            links = sorted(x.get("link_id") for x in d.get("links", []) if isinstance(x, dict))
            self.event("client_links", f"{mac} now on links {_links(links)} of {ifname}",
                       subject=mac, mac=mac, ifname=ifname, links=links, source="hostapd")
        elif ev.name == "radar-detected":
            freq = d.get("frequency")
            self.event("radar", f"radar detected on {freq} MHz ({ifname}): the radio leaves "
                                "the channel", subject=ifname, ifname=ifname, freq_mhz=freq,
                       width=d.get("width"), source="hostapd")
        elif ev.name == "channel-switch":
            freq = d.get("freq")
            if isinstance(freq, int):
                self.notified_freq[ifname] = freq
            self.event("channel", f"{ifname} switched to {freq} MHz", subject=ifname,
                       ifname=ifname, freq_mhz=freq, source="hostapd")

    def joined(self, mac: str, ifname: str, source: str, **extra: Any) -> None:
        st = self.clients.get(mac)
        if st is not None and st["state"] == "joined":
            return
        self.clients[mac] = {"state": "joined", "t": self.sys.clock(), "absent": 0}
        name = (self.prev or {}).get("clients", {}).get(mac, {}).get("hostname")
        self.event("client_joined", f"{name or mac} joined {ifname}", subject=mac, mac=mac,
                   ifname=ifname, source=source, **extra)

    def left(self, mac: str, ifname: str, source: str, **extra: Any) -> None:
        st = self.clients.get(mac)
        if st is None or st["state"] != "joined":
            return
        self.clients[mac] = {"state": "left", "t": self.sys.clock(), "absent": 0}
        name = (self.prev or {}).get("clients", {}).get(mac, {}).get("hostname")
        self.event("client_left", f"{name or mac} left {ifname}", subject=mac, mac=mac,
                   ifname=ifname, source=source, **extra)

    # ------------------------------------------------------------------ sample diff → events
    def detect(self, prev: dict[str, Any] | None, cur: dict[str, Any]) -> None:
        first = prev is None
        prev = prev or {"clients": {}, "mlds": {}, "radios": {}, "networks": {}, "attlm": {}}
        for mac, c in cur["clients"].items():
            st = self.clients.get(mac)
            if st is not None:
                st["absent"] = 0
            if first:
                # already there when the monitor started: known, not "joined"
                self.clients.setdefault(mac, {"state": "joined", "t": cur["t"], "absent": 0})
            elif st is None or st["state"] != "joined":
                self.joined(mac, c["ifname"], "poll")
            old = prev["clients"].get(mac)
            if old is not None and sorted(old["links"]) != sorted(c["links"]):
                self.event("client_links", f"{c.get('hostname') or mac} now on links "
                           f"{_links(c['links'])} of {c['ifname']} (was "
                           f"{_links(old['links'])})", subject=mac, mac=mac,
                           ifname=c["ifname"], links=sorted(int(x) for x in c["links"]),
                           source="poll")
        for mac, st in list(self.clients.items()):
            if mac in cur["clients"] or st["state"] != "joined":
                continue
            st["absent"] += 1
            if st["absent"] >= LEAVE_AFTER:
                ifname = (prev["clients"].get(mac) or {}).get("ifname") or "?"
                self.left(mac, ifname, "poll")
        for mac in [m for m, st in self.clients.items() if st["state"] == "left"
                    and cur["t"] - st["t"] > 3600]:
            del self.clients[mac]
        if first:
            # (re)started — typically at a boot: an MLD already short of a link is news too
            for name, m in cur["mlds"].items():
                have = {ln["radio"] for ln in m["links"].values()}
                for radio in m["expected"]:
                    if m["wanted"] and m["links"] and radio not in have:
                        self.event("link_down", f"{name}: no link on {radio} "
                                   f"({m['links_up']} of {m['links_expected']} links up)",
                                   subject=name, mld=name, radio=radio)
            return
        for name, m in cur["mlds"].items():
            old = (prev["mlds"].get(name) or {}).get("links", {})
            for lid in sorted(set(m["links"]) - set(old), key=int):
                ln = m["links"][lid]
                self.event("link_up", f"{name}: link {lid} up on {ln['radio']} "
                           f"({ln['freq_mhz']} MHz)", subject=name, mld=name, link=int(lid),
                           radio=ln["radio"], freq_mhz=ln["freq_mhz"])
            for lid in sorted(set(old) - set(m["links"]), key=int):
                ln = old[lid]
                self.event("link_down", f"{name}: link {lid} on {ln['radio']} is down "
                           f"({m['links_up']} of {m['links_expected']} links up)",
                           subject=name, mld=name, link=int(lid), radio=ln["radio"])
        for name, r in cur["radios"].items():
            old = prev["radios"].get(name) or {}
            if (r["freq_mhz"] and old.get("freq_mhz") and r["freq_mhz"] != old["freq_mhz"]
                    and self.notified_freq.get(r["ifname"] or "") != r["freq_mhz"]):
                self.event("channel", f"{name} moved from channel {old['channel']} to "
                           f"{r['channel']} ({r['freq_mhz']} MHz)", subject=name, radio=name,
                           channel=r["channel"], freq_mhz=r["freq_mhz"],
                           previous=old.get("channel"), source="poll")
        self.notified_freq.clear()
        for name, n in cur["networks"].items():
            was = (prev["networks"].get(name) or {}).get("state")
            if n["state"] == "DFS" and was != "DFS":
                self.event("dfs_cac", f"{name}: DFS channel availability check started "
                           "(no beacons until it ends)", subject=name, network=name,
                           phase="started")
            elif was == "DFS" and n["state"] != "DFS":
                ok = n["state"] == "ENABLED"
                self.event("dfs_cac", f"{name}: DFS channel availability check "
                           + ("done, beaconing" if ok else f"ended ({n['state'] or 'down'})"),
                           subject=name, network=name, phase="done" if ok else "ended")
        for ifname, a in cur["attlm"].items():
            old = prev["attlm"].get(ifname) or {"active": False, "disabled_mask": 0}
            if a["active"] and (not old["active"] or a["disabled_mask"] != old["disabled_mask"]):
                self.event("attlm", f"{ifname}: A-TTLM switches off links "
                           f"{_mask(a['disabled_mask'])} for every client"
                           + (f" for {a['remaining_ms'] // 1000} s" if a["remaining_ms"] else ""),
                           subject=ifname, ifname=ifname, disabled_mask=a["disabled_mask"],
                           phase="started")
            elif old["active"] and not a["active"]:
                self.event("attlm", f"{ifname}: A-TTLM block over, every link is back",
                           subject=ifname, ifname=ifname, disabled_mask=0, phase="ended")

    def chip(self, cur: dict[str, Any]) -> None:
        chip = cur.get("chip")
        if chip is None:
            return
        if chip["locked"] and not self.locked_seen:
            self.event("chip_locked", "the WiFi chip is locked (MCU patch semaphore): unplug "
                       "the router for at least 15 minutes", evidence=chip["evidence"])
        self.locked_seen = chip["locked"]

    # ------------------------------------------------------------------ one sample
    def sample_once(self) -> dict[str, Any]:
        t0, c0 = time.monotonic(), time.process_time()
        self.load_config()
        check_chip = self.samples % CHIP_EVERY == 0
        # a page is open: the replies of the reads it polls are made from this sample too,
        # every command run once for both (monitor/replies.py)
        wanted = replies.wanted(self.sys)
        system = replies.memo(self.sys) if wanted else self.sys
        marks = replies.stamps(self.sys) if wanted else []
        cur, lv = sample.take(system, self.prev, chip=check_chip)
        cur["read_seconds"] = round(time.monotonic() - t0, 4)
        if not check_chip and self.prev and self.prev.get("chip") is not None:
            cur["chip"] = self.prev["chip"]      # carried forward between kernel-log checks
        self.detect(self.prev, cur)
        if check_chip:
            self.chip(cur)
        if self.writer is None:
            self.writer = history.Writer(self.sys, self.cfg)
        self.writer.write(cur, self.prev)
        with contextlib.suppress(OSError):
            shared.write_last(self.sys, cur)
            if self.steering:
                shared.write_outputs(self.sys, cur["t"], lv.outputs())
        with contextlib.suppress(Exception):
            from . import watch

            watch.check(self.sys)       # a write of /etc/config/wireless from outside?
        with contextlib.suppress(Exception):
            from ..transaction import health, health_check

            chip = cur.get("chip")
            health.publish(self.sys, health_check.evaluate(
                self.sys, self.cfg, lv, None if chip is None else bool(chip["locked"])))
        if wanted:
            with contextlib.suppress(Exception):
                replies.make(system, cur["t"], self.cfg.interval, wanted, marks)
        self.prev = cur
        self.samples += 1
        self.last_wall = time.monotonic() - t0
        self.last_cpu = time.process_time() - c0
        self.write_metrics(cur)
        self.write_state()
        return cur

    def write_metrics(self, cur: dict[str, Any]) -> None:
        """The textfile collector's file, when its folder exists (the ``metrics`` method
        renders the last sample itself: no text is made for nobody)."""
        d = textfile_dir(self.sys)
        if self.cfg.textfile and state.is_dir(d):
            with contextlib.suppress(OSError):
                atomic_write(os.path.join(d, TEXTFILE), metrics.render(cur).encode("utf-8"))

    def write_state(self, status: str = "running") -> None:
        doc = {"pid": os.getpid(), "started": self.started, "heartbeat": self.sys.clock(),
               "status": status, "samples": self.samples, "interval": self.cfg.interval,
               "config_error": self.config_error, "last_cpu_s": round(self.last_cpu, 4),
               "last_wall_s": round(self.last_wall, 4), "subscribed": sorted(self.subscribed),
               "history_bytes": self.history_bytes()}
        with contextlib.suppress(OSError):
            atomic_write(os.path.join(self.sys.state_dir, STATE), json.dumps(doc).encode())

    _hist_bytes: tuple[int, int] = (-1, 0)

    def history_bytes(self) -> int:
        """The history's size, measured every 30 samples (it lists every ring file)."""
        if self._hist_bytes[0] < 0 or self.samples - self._hist_bytes[0] >= 30:
            self._hist_bytes = (self.samples, history.size_bytes(self.sys))
        return self._hist_bytes[1]

    # ------------------------------------------------------------------ the loop
    def _alive(self) -> bool:
        return not self.sys.gone()

    def run_forever(self, max_samples: int | None = None) -> int:
        def on_term(_signo: int, _frame: Any) -> None:
            self.stop = True

        signal.signal(signal.SIGTERM, on_term)
        signal.signal(signal.SIGINT, on_term)
        self.event("monitor", f"monitor started (pid {os.getpid()}, every "
                              f"{self.cfg.interval} s)")
        self.resubscribe()
        next_at = time.monotonic()
        n = 0
        try:
            while not self.stop and self._alive():
                if time.monotonic() >= next_at:
                    try:
                        self.sample_once()
                        self.resubscribe()
                    except Exception as exc:  # the monitor outlives any single bad sample
                        self.event("monitor", f"sample failed: {type(exc).__name__}: {exc}")
                    n += 1
                    if max_samples is not None and n >= max_samples:
                        break
                    next_at = max(next_at + self.cfg.interval, time.monotonic() + 0.5)
                self.pump(max(0.0, min(next_at - time.monotonic(), 1.0)))
        finally:
            self.close_listener()
            if self.writer is not None:
                self.writer.close()
            self.write_state("stopped")
        return 0


def _links(links: Any) -> str:
    ids = sorted(int(x) for x in links)
    return "+".join(str(i) for i in ids) if ids else "none"


def _mask(mask: int) -> str:
    return _links([i for i in range(16) if mask >> i & 1])


def once(system: System) -> dict[str, Any]:
    """``wifimgr monitor --once``: one sample (history, metrics, health) and exit. The previous
    sample of a running monitor (or an earlier ``--once``) is the base for deltas and events."""
    m = Monitor(system)
    m.prev = shared.read_last(system)
    if m.prev is not None:
        for mac in m.prev.get("clients", {}):
            m.clients[mac] = {"state": "joined", "t": m.prev["t"], "absent": 0}
        m.locked_seen = bool((m.prev.get("chip") or {}).get("locked"))
    try:
        return m.sample_once()
    finally:
        if m.writer is not None:
            m.writer.close()


def main(max_samples: int | None = None) -> int:
    from ..host.system import get_system

    return Monitor(get_system()).run_forever(max_samples)
