"""``wifimgr steerd``: the link steering daemon (run by procd, docs/steering.md).

A thin loop around the pure policy: every ``interval`` seconds it re-reads the ``steering``
section, gathers one sample through the parsers (``iw`` info / station dump / survey dump,
``hostapd_cli`` all_sta / get_attlm / get_neg_ttlm / get_btwt), lets :func:`policy.step`
decide, sends the actions with ``hostapd_cli`` and records each reply's *text* as the outcome
(hostapd_cli exits 0 on ``FAIL``). Nothing in a cycle may kill the loop: a missing AP MLD, a
restarting hostapd, a command timeout or a parse error is logged and the next cycle tries again.

Outputs: a bounded log (``/tmp/wifimgr-steer.log`` on the router — ``events`` also go to
syslog), and ``<state_dir>/steering/last.json`` with the last decision, the links' noise and
busy % and the daemon's PID and heartbeat, which ``linkpolicy`` serves.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time

from ..core.errors import WifimgrError
from ..core.record import replace
from ..monitor import shared as monitor_shared
from ..observe import attlm_block
from ..parse import hostapd as hp
from ..platform import state
from ..platform.fs import atomic_write
from ..settings import steering as config
from . import gather, metrics, policy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..observe.live import Live
    from ..parse import iw_dev
    from ..platform import System
    from .model import Decision, Sample

CMD_TIMEOUT = 3.0
#: longest text one syslog line carries (events are short by construction; this is the guard)
SYSLOG_MAX_CHARS = 480
LOG_MAX_BYTES = 64 * 1024
LOG_KEEP_LINES = 400
STATE_NAME = os.path.join("steering", "last.json")


def log_path(system: System) -> str:
    """``/tmp/wifimgr-steer.log`` on the router (state_dir is /tmp/wifimgr); beside the twin's
    state directory on the twin."""
    return os.path.join(os.path.dirname(system.state_dir.rstrip("/")), "wifimgr-steer.log")


def state_path(system: System) -> str:
    return os.path.join(system.state_dir, STATE_NAME)


def tail(path: str, lines: int) -> list[str]:
    try:
        return (state.read_text(path, errors="replace") or "").splitlines()[-lines:]
    except OSError:
        return []


class Daemon:
    def __init__(self, system: System, *, sleep: Callable[[float], None] = time.sleep):
        self.sys = system
        self.sleep = sleep
        self.state: Any = None
        self.results: dict[str, str] = {}
        self.cfg = config.DEFAULTS
        self.config_error: str | None = None
        self.ifname: str | None = None
        self.busy_prev: dict[int, tuple[int, int, int]] = {}
        self.stop = False
        self.started = system.clock()
        #: hostapd's announced departures are read from the monitor's timeline from here on
        self.events_since = self.started
        self.reported: set[tuple[float, str]] = set()
        self.cycles = 0
        self._last_status: str | None = None
        #: the policy's durations run on the monotonic clock (a wall-clock step after boot must
        #: not expire our own block on air); the last value handed to the policy
        self.last_mono: float | None = None

    def monotonic(self) -> float:
        """The monotonic clock (``System.monotonic``: CLOCK_MONOTONIC on the router; on the twin
        its simulated clock, monotonic there by construction)."""
        return self.sys.monotonic()

    # ------------------------------------------------------------------ I/O helpers
    def run(self, *argv: str) -> str | None:
        """Run a command; None when it failed to run or timed out (never raises)."""
        try:
            res = self.sys.run.run(list(argv), timeout=CMD_TIMEOUT)
        except Exception as exc:  # timeout or missing tool: the cycle goes on
            self.log("status", f"{argv[0]} {' '.join(argv[1:3])}: {exc}")
            return None
        if res.timed_out or (res.rc != 0 and not res.stdout):
            return None
        return res.stdout

    def hostapd(self, *argv: str) -> str | None:
        assert self.ifname is not None
        return self.run("hostapd_cli", "-i", self.ifname, *argv)

    def log(self, kind: str, text: str) -> None:
        """``event`` → log file + syslog; ``status`` → log file only (as mlo-steerd did)."""
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.sys.clock()))
        path = log_path(self.sys)
        line = f"{stamp} [{kind}] {text}\n"
        with contextlib.suppress(OSError):
            state.append(path, line.encode("utf-8", "surrogateescape"), keep_lines=lambda size:
                         LOG_KEEP_LINES if size > LOG_MAX_BYTES else None)
        if kind == "event":
            if len(text) > SYSLOG_MAX_CHARS:
                text = text[:SYSLOG_MAX_CHARS - 1] + "…"
            with contextlib.suppress(Exception):  # syslog is best effort
                self.sys.run.run(["logger", "-t", "wifimgr-steer", text], timeout=CMD_TIMEOUT)

    def status_once(self, text: str) -> None:
        """A status line only when it changed (no log flood while idle)."""
        if text != self._last_status:
            self._last_status = text
            self.log("status", text)

    # ------------------------------------------------------------------ cycle parts
    def load_config(self) -> None:
        try:
            pkg = self.sys.uci.load(config.PACKAGE) if self.sys.uci.exists(config.PACKAGE) \
                else None
            self.cfg = config.load(pkg)
            if self.config_error:
                self.log("event", "steering config is valid again")
            self.config_error = None
        except WifimgrError as exc:
            if self.config_error != exc.message:
                self.log("event", f"steering config rejected, keeping the previous one: "
                                  f"{exc.message}")
            self.config_error = exc.message

    def gather(self, lv: Live, iface: iw_dev.Interface) -> Sample | None:
        """One sample through :class:`Live` (the parsers; a command that fails, times out or
        prints something unreadable is a missing reading, noted in ``lv.notes``)."""
        survey = lv.survey
        if not survey:
            return None
        name = iface.name
        sta_info = list(lv.sta_info(name).values())

        def read(parse: Callable[[str], Any], *argv: str) -> Any:
            return lv.read(parse, "hostapd_cli", "-i", name, *argv)

        neg = {s.mac: read(hp.parse_neg_ttlm, "get_neg_ttlm", s.mac)
               for s in sta_info if s.is_mld}
        # all_sta answered (the reply is cached by Live): who hostapd lists at all
        listed = lv.run("hostapd_cli", "-i", name, "all_sta")
        read_ok = listed is not None and hp.classify_reply(listed) not in ("fail", "error") \
            and (bool(sta_info) or not listed.strip())    # a reply that did not parse: unread
        # a sample shared by the monitor carries the time it was read (the deltas need it)
        now = self.sys.clock()
        t = getattr(lv, "sampled_at", None) or now
        mono = self.monotonic() - min(max(0.0, now - t), self.cfg.interval + 2)
        if self.last_mono is not None and mono <= self.last_mono:
            mono = self.last_mono + 0.001
        self.last_mono = mono
        attlm = read(hp.parse_attlm, "get_attlm")
        sample = gather.sample(t, iface, lv.stations(name), survey, sta_info,
                             attlm=attlm,
                             attlm_remaining_ms=attlm_block.remaining_ms(self.sys, name, attlm),
                             neg_ttlm={mac: m for mac, m in neg.items() if m is not None},
                             btwt=read(hp.parse_btwt, "get_btwt") if self.cfg.rtwt else None,
                             results=self.results,
                             associated=[s.mac for s in sta_info] if read_ok else None,
                             departed=self.departures())
        return replace(sample, mono=mono)

    def departures(self) -> list[str]:
        """Clients hostapd announced gone (disassociation, deauthentication) since the last
        cycle, from the resident monitor's timeline (it listens to hostapd's notifications;
        none without it). They lose their A-TTLM vote at once."""
        since, self.events_since = self.events_since, self.sys.clock()
        try:
            from ..observe import events

            found, _n = events.read(self.sys, since=since, kinds=["client_left"], limit=500)
        except Exception:  # the timeline is best effort: without it the vote grace decides
            return []
        keys = {(float(ev.get("t", 0)), str(ev.get("mac", "")).lower()) for ev in found
                if ev.get("source") == "hostapd" and ev.get("mac")}
        new, self.reported = keys - self.reported, keys   # the boundary is read twice
        return sorted({mac for _t, mac in new})

    def act(self, d: Decision) -> None:
        self.results = {}
        for a in d.actions:
            outcomes = []
            for argv in a.commands():
                reply = self.hostapd(*argv)
                out = gather.outcome(reply)
                outcomes.append(out)
                if out != "ok":
                    self.log("event", f"hostapd_cli {' '.join(argv)} → "
                                      f"{(reply or 'no reply').strip()[:60]}")
            self.results[a.key] = next((o for o in outcomes if o != "ok"), "ok")
            if a.kind == "set_attlm" and self.results[a.key] == "ok" and self.ifname:
                attlm_block.note_set(self.sys, self.ifname, a.switch_time_ms, a.duration_ms)
            if a.kind in ("neg_ttlm_request", "neg_ttlm_teardown"):
                _timeline(self.sys, a, self.results[a.key])

    def links_view(self, sample: Sample) -> dict[str, Any]:
        out = {}
        for lid, ln in sorted(sample.links.items()):
            busy, src = metrics.busy_pct(self.busy_prev.get(lid), ln)
            if ln.active_ms is not None and ln.busy_ms is not None:
                self.busy_prev[lid] = (ln.freq_mhz, ln.active_ms, ln.busy_ms)
            out[str(lid)] = {"band": ln.band, "freq_mhz": ln.freq_mhz,
                             "noise_dbm": ln.noise_dbm, "busy_pct": busy, "busy_source": src}
        return out

    def write_state(self, **data: Any) -> None:
        doc = {"pid": os.getpid(), "started": self.started, "heartbeat": self.sys.clock(),
               "interval": self.cfg.interval, "cycles": self.cycles,
               "config_error": self.config_error, "ifname": self.ifname, **data}
        with contextlib.suppress(OSError):
            atomic_write(state_path(self.sys), json.dumps(doc).encode())

    # ------------------------------------------------------------------ the loop
    def cycle(self) -> Decision | None:
        self.cycles += 1
        self.load_config()
        if not self.cfg.enabled:
            self.status_once("steering is disabled (wifimgr.steering.enabled=0): idle")
            self.write_state(status="disabled")
            return None
        # the monitor's last sample when it is fresh: the router is read once, not twice
        lv = monitor_shared.live(self.sys, max_age=self.cfg.interval + 2)
        iface = lv.ap_mld()
        if iface is None:
            self.ifname = None
            self.status_once("no AP MLD is up: nothing to steer (waiting)")
            self.write_state(status="no_mld")
            return None
        from ..host import probe
        from ..model import capabilities as capmod

        # asked once an MLD is up (hostapd answers then): a stack without A-TTLM/Neg-TTLM
        # (upstream hostapd) gets nothing sent, ever
        why = capmod.reason(probe.capabilities(self.sys), "link_policy")
        if why is not None:
            self.status_once(f"link steering is not available here: {why} (idle)")
            self.write_state(status="unsupported", reason=why)
            return None
        if iface.name != self.ifname:
            if self.ifname is not None:
                self.log("event", f"AP MLD changed from {self.ifname} to {iface.name}: "
                                  "starting over")
            self.ifname, self.state, self.results, self.busy_prev = iface.name, None, {}, {}
            self.last_mono = None
        sample = self.gather(lv, iface)
        for note in lv.notes:
            self.log("status", note)
        if sample is None or not sample.links:
            self.status_once(f"{iface.name}: no readable links this cycle (hostapd "
                             "restarting?)")
            self.write_state(status="no_sample")
            return None
        try:
            d = policy.step(self.cfg, self.state, sample, in_place=True)
        except WifimgrError as exc:   # e.g. the clock went backwards: start over
            self.log("event", f"policy reset: {exc.message}")
            self.state = None
            return None
        except Exception:   # the state was updated in place up to the failure: start over
            self.state = None
            raise
        self.state = d.state
        self.act(d)
        for e in d.events:
            self.log(e.kind, e.text)
        self._last_status = None
        self.write_state(status="running", links=self.links_view(sample),
                         attlm=None if sample.attlm is None else {
                             "active": sample.attlm.active,
                             "disabled_mask": sample.attlm.disabled_mask,
                             "remaining_ms": sample.attlm.remaining_ms},
                         decision=d.as_dict(), results=self.results)
        return d

    def _alive(self) -> bool:
        """On the twin: stop when its directory is gone (a finished test or preview)."""
        return not self.sys.gone()

    def run_forever(self, max_cycles: int | None = None) -> int:
        def on_term(_signo: int, _frame: Any) -> None:
            self.stop = True

        signal.signal(signal.SIGTERM, on_term)
        signal.signal(signal.SIGINT, on_term)
        self.log("event", f"started (pid {os.getpid()})")
        n = 0
        while not self.stop and self._alive():
            t0 = time.monotonic()
            try:
                self.cycle()
            except Exception as exc:  # the daemon outlives any single bad cycle
                self.log("event", f"cycle failed: {type(exc).__name__}: {exc}")
            n += 1
            if max_cycles is not None and n >= max_cycles:
                break
            left = self.cfg.interval - (time.monotonic() - t0)
            while left > 0 and not self.stop:
                step = min(left, 0.5)
                self.sleep(step)
                left -= step
        self.log("event", "stopped")
        self.write_state(status="stopped")
        return 0


def _timeline(system: System, action: Any, outcome: str) -> None:
    """A Neg-TTLM map set or torn down is an event of the monitor's timeline."""
    from ..observe.events import record

    mac = action.mac
    if action.kind == "neg_ttlm_request":
        text = (f"Neg-TTLM map for {mac}: TIDs → links "
                + " ".join(f"{tid}:{m:#x}" for tid, m in enumerate(action.tid_maps)))
    else:
        text = f"Neg-TTLM map of {mac} torn down"
    record(system, "neg_ttlm", text + ("" if outcome == "ok" else f" — hostapd: {outcome}"),
           subject=mac, mac=mac, outcome=outcome,
           tid_maps=list(getattr(action, "tid_maps", ())) or None)


def main(max_cycles: int | None = None) -> int:
    from ..host.system import get_system

    return Daemon(get_system()).run_forever(max_cycles)
