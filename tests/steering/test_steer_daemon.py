"""The steering daemon (wifimgr steerd) on the twin: its cycle, what it leaves for linkpolicy,
its log, that it survives hostapd going away and timeouts, and start/stop through procd."""

from __future__ import annotations

import json
import os
import time

import pytest

from wifimgr.host.context import Context
from wifimgr.platform.run import CmdResult
from wifimgr.sim.ports.view import procd_instance
from wifimgr.steering import daemon as steerd
from wifimgr.steering import methods
from wifimgr.surface.api import dispatch

IPHONE = "d2:43:8f:7b:e6:eb"


@pytest.fixture
def ctx(twin):
    return Context.default("test")


def enable(ctx, **more):
    res = methods.steering_set(ctx, values={"enabled": True, **more})
    assert res["ok"], res


def run_cycles(d, twin, n):
    out = []
    for _ in range(n):
        out.append(d.cycle())
        twin.advance(d.cfg.interval)
    return out


def last(ctx):
    with open(steerd.state_path(ctx.system), encoding="utf-8") as fh:
        return json.load(fh)


def test_disabled_daemon_idles_and_says_so_once(ctx, twin):
    d = steerd.Daemon(ctx.system)
    assert run_cycles(d, twin, 3) == [None, None, None]
    assert last(ctx)["status"] == "disabled"
    log = steerd.tail(steerd.log_path(ctx.system), 50)
    assert sum("disabled" in ln for ln in log) == 1


def test_cycles_leave_the_decision_links_and_log(ctx, twin):
    enable(ctx)
    d = steerd.Daemon(ctx.system)
    decisions = run_cycles(d, twin, 4)
    assert all(x is not None for x in decisions)
    st = last(ctx)
    assert st["status"] == "running" and st["ifname"] == "ap-mld-1"
    assert st["pid"] == os.getpid() and st["cycles"] == 4
    bands = {v["band"] for v in st["links"].values()}
    assert bands == {"2g", "5g", "6g"}
    assert all(v["noise_dbm"] is not None for v in st["links"].values())
    # busy % is a counter delta after the first cycle (twin 6 GHz: 6 % busy)
    six = next(v for v in st["links"].values() if v["band"] == "6g")
    assert six["busy_source"] == "delta" and six["busy_pct"] == 6
    kinds = {s["mac"]: s["kind"] for s in st["decision"]["stations"]}
    assert kinds[IPHONE] == "mlsr"
    assert st["attlm"] == {"active": False, "disabled_mask": 0, "remaining_ms": None}
    log = steerd.tail(steerd.log_path(ctx.system), 100)
    assert log and all("] " in ln for ln in log)


def test_fail_replies_are_recorded_from_the_text_not_the_exit_code(ctx, twin, monkeypatch):
    enable(ctx)
    with twin.edit() as st:           # the iPhone on 6 GHz, then 6 GHz turns noisy
        for sta in st["stations"]:
            if sta["mac"] == IPHONE:
                sta["signal"]["6g"] = -55
    d = steerd.Daemon(ctx.system)
    d.cycle()
    twin.set_rf("6g", noise=-57)
    real = ctx.system.run.run
    sent = []

    def run(argv, **kw):
        if "set_attlm" in argv:
            sent.append(list(argv))
            return CmdResult(tuple(argv), 0, "FAIL\n")   # hostapd_cli exits 0 on FAIL
        return real(argv, **kw)

    monkeypatch.setattr(ctx.system.run, "run", run)
    run_cycles(d, twin, 8)
    assert sent, "the policy never asked for an A-TTLM"
    assert last(ctx)["results"].get("attlm") == "fail" or any(
        "FAIL" in ln for ln in steerd.tail(steerd.log_path(ctx.system), 200))
    assert any("set_attlm" in ln and "FAIL" in ln
               for ln in steerd.tail(steerd.log_path(ctx.system), 200))
    # hostapd never switched anything off, and the daemon did not pretend it did
    assert last(ctx)["attlm"]["active"] is False


def test_hostapd_gone_and_timeouts_do_not_stop_the_loop(ctx, twin, monkeypatch):
    enable(ctx)
    d = steerd.Daemon(ctx.system)
    assert d.cycle() is not None
    twin.reboot()                     # interfaces down while it boots
    assert d.cycle() is None and last(ctx)["status"] == "no_mld"
    twin.advance(90)
    real = ctx.system.run.run

    def slow(argv, **kw):
        if "get_attlm" in argv or "get_btwt" in argv:
            raise TimeoutError("hostapd_cli timed out")
        return real(argv, **kw)

    monkeypatch.setattr(ctx.system.run, "run", slow)
    assert d.cycle() is not None      # decided without the read-back
    monkeypatch.setattr(ctx.system.run, "run", real)
    twin.advance(10)
    assert d.cycle() is not None
    assert last(ctx)["attlm"] is not None
    log = "\n".join(steerd.tail(steerd.log_path(ctx.system), 100))
    assert "no AP MLD is up" in log and "timed out" in log


def test_a_broken_config_keeps_the_previous_one(ctx, twin):
    enable(ctx, interval=20)
    d = steerd.Daemon(ctx.system)
    d.cycle()
    pkg = ctx.system.uci.load("wifimgr")
    pkg["steering"].options["interval"] = "1"
    ctx.system.uci.commit(pkg)
    twin.advance(20)
    assert d.cycle() is not None and d.cfg.interval == 20
    assert "interval" in last(ctx)["config_error"]


def test_the_log_stays_bounded(ctx, twin):
    d = steerd.Daemon(ctx.system)
    for i in range(2000):
        d.log("status", f"line {i} " + "x" * 40)
    size = os.path.getsize(steerd.log_path(ctx.system))
    assert size <= steerd.LOG_MAX_BYTES
    assert steerd.tail(steerd.log_path(ctx.system), 1)[0].split("] ", 1)[1].startswith(
        "line 1999")


def test_events_go_to_syslog_status_lines_do_not(ctx, twin):
    d = steerd.Daemon(ctx.system)
    d.log("event", "6 GHz off for everyone")
    d.log("status", "cycle 7 nothing to do")
    logread = dispatch("log", {"lines": 50, "filter": "all"})
    text = json.dumps(logread)
    assert "6 GHz off for everyone" in text and "cycle 7 nothing to do" not in text


def wait_for(pred, timeout=15.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.2)
    return False


def test_steering_daemon_starts_and_stops_a_real_process_through_procd(ctx, twin):
    assert dispatch("steering_daemon", {"action": "restart"})["error"]["field"] == "action"
    dry = dispatch("steering_daemon", {"action": "start", "dry_run": True})
    assert dry["ok"] and dry["changes"] and not dispatch("linkpolicy", {})["daemon"]["running"]
    res = dispatch("steering_daemon", {"action": "start"})
    try:
        assert res["ok"], res
        assert res["daemon"]["running"] and res["daemon"]["pid"]
        pid = res["daemon"]["pid"]
        assert ctx.system.uci.load("wifimgr")["steering"].get_str("enabled") == "1"
        # the daemon really runs: it writes its heartbeat with its own pid
        assert wait_for(lambda: os.path.exists(steerd.state_path(ctx.system))
                        and last(ctx).get("pid") == pid)
        lp = dispatch("linkpolicy", {})
        assert lp["daemon"]["pid"] == pid and lp["live"]["status"] in ("running", "no_sample")
        assert lp["mlo_ap"] == "ap-mld-1" and len(lp["links"]) == 3
        assert {c["mac"] for c in lp["clients"]} >= {IPHONE}
        assert any("started" in ln for ln in lp["log"])
    finally:
        stop = dispatch("steering_daemon", {"action": "stop"})
    assert stop["ok"] and not stop["daemon"]["running"]
    assert wait_for(lambda: procd_instance(twin) is None)
    assert ctx.system.uci.load("wifimgr")["steering"].get_str("enabled") == "0"
    assert dispatch("linkpolicy", {})["live"] is None


def test_a_failing_service_script_changes_nothing(ctx, twin, monkeypatch):
    enable(ctx)
    methods.steering_set(ctx, values={"enabled": False})
    before = ctx.system.uci.text("wifimgr")
    real = ctx.system.run.run

    def broken(argv, **kw):
        if argv[0] == "/etc/init.d/wifimgr":
            return CmdResult(tuple(argv), 1, "", "/etc/rc.common: line 1: syntax error\n")
        return real(argv, **kw)

    monkeypatch.setattr(ctx.system.run, "run", broken)
    res = dispatch("steering_daemon", {"action": "start"})
    assert not res["ok"] and res["error"]["code"] == "service"
    assert "syntax error" in res["error"]["message"]
    assert ctx.system.uci.text("wifimgr") == before


def test_a_syslog_line_stays_short_with_130_confirmed_clients(ctx, twin, monkeypatch):
    from steer_samples import IPHONE as CAPS
    from steer_samples import Runner, station

    from wifimgr.steering import state

    def far(n):
        return [station(f"02:00:00:00:{i // 256:02x}:{i % 256:02x}", CAPS, {2: 1})
                for i in range(n)]

    r = Runner()
    decision = r.run(3, far(130))[-1]
    (line,) = [e.text for e in decision.events if "DISABLE" in e.text]
    assert "130/130 client(s) confirmed bad" in line and "and 127 more" in line
    assert len(line) < 400
    # the control: without the bound the line is the review's 5.5 KB
    monkeypatch.setattr(state, "NAMES_MAX", 1000)
    long_line = next(e.text for e in Runner().run(3, far(130))[-1].events if "DISABLE" in e.text)
    assert len(long_line) > 5000
    # and the daemon never hands syslog more than SYSLOG_MAX_CHARS
    sent = []
    real = ctx.system.run.run

    def run(argv, **kw):
        if argv[0] == "logger":
            sent.append(argv[-1])
        return real(argv, **kw)

    monkeypatch.setattr(ctx.system.run, "run", run)
    steerd.Daemon(ctx.system).log("event", long_line)
    assert len(sent) == 1 and len(sent[0]) == steerd.SYSLOG_MAX_CHARS
    assert long_line in steerd.tail(steerd.log_path(ctx.system), 1)[0]   # the file keeps it all


def test_the_sample_says_whom_hostapd_lists_and_when_it_could_not_read_it(ctx, twin,
                                                                           monkeypatch):
    from wifimgr.observe.live import Live

    d = steerd.Daemon(ctx.system)
    lv = Live(ctx.system)
    sample = d.gather(lv, lv.ap_mld())
    assert IPHONE in sample.associated
    assert {s.mac for s in sample.stations} <= sample.associated
    real = ctx.system.run.run

    def run(argv, **kw):
        if "all_sta" in argv:
            return CmdResult(tuple(argv), 0, "FAIL\n")
        return real(argv, **kw)

    monkeypatch.setattr(ctx.system.run, "run", run)
    lv = Live(ctx.system)
    assert d.gather(lv, lv.ap_mld()).associated is None   # unread is not "nobody"


def test_departures_hostapd_announced_reach_the_sample_once(ctx, twin):
    from wifimgr.observe import events
    from wifimgr.observe.live import Live

    d = steerd.Daemon(ctx.system)
    twin.advance(1)
    events.record(ctx.system, "client_left", "phone left ap-mld-1", subject=IPHONE,
                  mac=IPHONE, ifname="ap-mld-1", source="hostapd", reason="disassoc")
    events.record(ctx.system, "client_left", "x left", subject="02:00:00:00:00:09",
                  mac="02:00:00:00:00:09", ifname="ap-mld-1", source="poll")  # inferred only
    lv = Live(ctx.system)
    assert d.gather(lv, lv.ap_mld()).departed == frozenset({IPHONE})
    twin.advance(10)
    lv = Live(ctx.system)
    assert d.gather(lv, lv.ap_mld()).departed == frozenset()    # not again next cycle
