"""The monitor: samples through the live reader into bounded history, events from hostapd's
notifications (joins, leaves) and from comparing samples (links, channels, DFS, A-TTLM, chip),
one shared sample for everybody."""

from __future__ import annotations

import os

import pytest

from wifimgr.monitor import daemon, history
from wifimgr.observe import events
from wifimgr.settings import monitor as config
from wifimgr.surface.api import dispatch

PHONE = "02:00:00:00:00:07"


def kinds(system, kind=None):
    evs, _n = events.read(system, kinds=[kind] if kind else None, limit=1000)
    return [e for e in evs if kind or e["kind"] not in events.GROUPS["config"]]


def step(mon, twin, seconds=10):
    twin.advance(seconds)
    return mon.sample_once()


def test_history_of_radios_mlds_and_clients(router, twin):
    mon = daemon.Monitor(router)
    for _ in range(12):
        step(mon, twin)
    h = dispatch("history", {})
    got = {(s["kind"], s["id"]) for s in h["series"]}
    assert {("radio", "radio0"), ("radio", "radio1"), ("radio", "radio2"),
            ("mld", "ap_mld_1")} <= got
    assert any(k == "client" for k, _i in got)
    r1 = dispatch("history", {"kind": "radio", "id": "radio1"})["series"][0]
    assert r1["step"] == 10 and len(r1["t"]) == 12 and r1["labels"]["band"] == "5g"
    assert set(r1["values"]) == set(history.RADIO_COLS)
    assert r1["values"]["noise_dbm"][-1] == -94 and r1["values"]["busy_pct"][-1] == 18
    mld = dispatch("history", {"kind": "mld", "id": "ap_mld_1"})["series"][0]
    assert mld["values"]["links_up"][-1] == 3 == mld["values"]["links_expected"][-1]
    # a client without id: client-level columns; with id: every link too
    c_all = dispatch("history", {"kind": "client"})["series"]
    assert all(set(s["values"]) == set(history.CLIENT_COLS) for s in c_all)
    mac = c_all[0]["id"]
    one = dispatch("history", {"kind": "client", "id": mac})["series"][0]
    assert {"l0_signal_dbm", "l1_retries_pct", "l2_inactive_s"} <= set(one["values"])
    assert any(v is not None for v in one["values"]["signal_dbm"])
    # several ids at once (issue 25: one call for every open link-history box of a page)
    macs = [x["id"] for x in c_all[:2]]
    both = dispatch("history", {"kind": "client", "id": ",".join(macs)})["series"]
    assert [x["id"] for x in both] == macs
    for x in both:     # each as its own call gives it: every column, links too
        alone = dispatch("history", {"kind": "client", "id": x["id"]})["series"][0]
        assert x["values"] == alone["values"] and x["t"] == alone["t"]
    assert dispatch("history", {"kind": "client", "id": macs[0] + ",bad"})["error"]["field"] == "id"
    # since / step: 60-second points of the last two minutes
    coarse = dispatch("history", {"kind": "radio", "id": "radio1", "since": -120,
                                  "step": 60})["series"][0]
    assert coarse["step"] == 60 and 2 <= len(coarse["t"]) <= 3
    assert all(t % 60 == 0 for t in coarse["t"])
    assert dispatch("history", {"kind": "client", "id": "nope"})["error"]["field"] == "id"
    assert dispatch("history", {"kind": "radio", "id": "../x"})["error"]["field"] == "id"
    assert dispatch("history", {"since": int(router.clock()) + 99})["error"]["field"] == "since"


def test_history_older_than_an_hour_comes_from_the_long_tier(router, twin):
    mon = daemon.Monitor(router)
    for _ in range(8 * 6):             # 8 minutes at 10 s
        step(mon, twin)
    twin.advance(3600)                 # an hour later the fine tier has no point of them
    mon.sample_once()
    s = dispatch("history", {"kind": "radio", "id": "radio0", "since": -7200})["series"][0]
    old = [t for t in s["t"] if t < router.clock() - 3600]
    assert old and all(t % 300 == 0 for t in old)            # 5-minute means
    assert s["values"]["noise_dbm"][0] == -92


def test_history_is_bounded_by_the_configuration(router, twin):
    """Files are sized at creation: a day of sampling does not make them grow."""
    config.ensure_section(router)
    pkg = router.uci.load("wifimgr")
    pkg["monitor"].set("clients", "2")
    router.uci.commit(pkg)
    mon = daemon.Monitor(router)
    mon.sample_once()
    size = history.size_bytes(router)
    for _ in range(30):
        step(mon, twin, 3000)           # ~a day in big steps
    assert history.size_bytes(router) == size
    assert len(history.entities(router, "client")) == 2      # the cap
    cfg = config.read(router)
    rec = 4 + 2 * len(history.RADIO_COLS)
    assert os.path.getsize(os.path.join(history.root(router), "radio", "radio0.long")) \
        < cfg.long_slots * rec + 512


def test_client_cap_evicts_the_one_seen_longest_ago(router, twin):
    config.ensure_section(router)
    pkg = router.uci.load("wifimgr")
    pkg["monitor"].set("clients", "3")
    router.uci.commit(pkg)
    mon = daemon.Monitor(router)
    mon.sample_once()
    first = set(history.entities(router, "client"))
    assert len(first) == 3
    gone = sorted(first)[0]
    twin.remove_station(history.client_mac(gone))
    step(mon, twin)
    twin.add_station(mac=PHONE, kind="mlmr")
    step(mon, twin)
    now = set(history.entities(router, "client"))
    assert history.client_id(PHONE) in now and gone not in now and len(now) == 3


def test_joins_and_leaves_come_from_hostapd_notifications(router, twin):
    mon = daemon.Monitor(router)
    mon.resubscribe()
    assert "hostapd.ap-mld-1" in mon.subscribed
    mon.sample_once()
    assert kinds(router) == []                      # clients already there: no "joined"
    twin.add_station(mac=PHONE, kind="mlmr")
    assert mon.pump(2) >= 1
    (ev,) = kinds(router, "client_joined")
    assert ev["mac"] == PHONE and ev["source"] == "hostapd" and ev["links"] == [0, 1, 2]
    step(mon, twin)                                 # the next sample does not repeat it
    twin.remove_station(PHONE)
    mon.pump(2)
    step(mon, twin)
    step(mon, twin)
    assert [(e["kind"], e["source"]) for e in kinds(router)] == [
        ("client_joined", "hostapd"), ("client_left", "hostapd")]
    mon.close_listener()


def test_without_notifications_polling_finds_joins_and_leaves(router, twin):
    mon = daemon.Monitor(router)                    # never subscribed
    mon.sample_once()
    twin.add_station(mac=PHONE, kind="emlsr")
    step(mon, twin)
    twin.remove_station(PHONE)
    step(mon, twin)
    assert [e["kind"] for e in kinds(router)] == ["client_joined"]   # one miss is no leave
    step(mon, twin)
    assert [(e["kind"], e["source"]) for e in kinds(router)] == [
        ("client_joined", "poll"), ("client_left", "poll")]


def test_mld_link_down_and_up(router, twin):
    mon = daemon.Monitor(router)
    mon.sample_once()
    twin.fail_next_apply("ap_mld_1", "radio2")
    twin.reboot()                                   # an MLD comes up at a boot
    step(mon, twin, 90)
    (down,) = kinds(router, "link_down")
    assert down["mld"] == "ap_mld_1" and down["radio"] == "radio2"
    assert "2 of 3 links up" in down["message"]
    twin.reboot()                                   # the fault was for one bring-up
    step(mon, twin, 90)
    (up,) = kinds(router, "link_up")
    assert up["radio"] == "radio2"

    # a monitor (re)started at a boot reports an MLD that is already short of a link
    twin.fail_next_apply("ap_mld_1", "radio0")
    twin.reboot()
    twin.advance(90)
    fresh = daemon.Monitor(router)
    fresh.sample_once()
    (down,) = kinds(router, "link_down")
    assert down["radio"] == "radio0" and "2 of 3" in down["message"]


def test_attlm_block_events(router, twin):
    mon = daemon.Monitor(router)
    mon.sample_once()
    res = router.run.run(["hostapd_cli", "-i", "ap-mld-1", "set_attlm", "disabled_links=4",
                          "switch_time=200", "duration=30000", "link_mapping_size=0"])
    assert res.stdout.strip() == "OK"
    step(mon, twin, 5)
    step(mon, twin, 40)
    evs = kinds(router, "attlm")
    assert [e["phase"] for e in evs] == ["started", "ended"]
    assert evs[0]["disabled_mask"] == 4 and "links 2" in evs[0]["message"]


def _radio1(system, twin, channel):
    pkg = system.uci.load("wireless")
    pkg["radio1"].set("channel", channel)
    system.uci.commit(pkg)
    twin.wifi("reload")


def test_channel_change(reload_router, twin):
    mon = daemon.Monitor(reload_router)
    mon.sample_once()
    _radio1(reload_router, twin, "149")
    step(mon, twin)
    (ch,) = kinds(reload_router, "channel")
    assert ch["radio"] == "radio1" and (ch["previous"], ch["channel"]) == (36, 149)


def test_dfs_cac_events(reload_router, twin):
    mon = daemon.Monitor(reload_router)
    _radio1(reload_router, twin, "149")
    step(mon, twin)
    _radio1(reload_router, twin, "52")              # a DFS channel: 60 s of CAC
    step(mon, twin)
    assert [e["phase"] for e in kinds(reload_router, "dfs_cac")] == ["started"]
    step(mon, twin, 30)
    step(mon, twin, 40)
    evs = kinds(reload_router, "dfs_cac")
    assert [e["phase"] for e in evs] == ["started", "done"]
    assert evs[0]["network"] == "default_radio1"


def test_chip_lock_is_an_event_once(router, twin):
    mon = daemon.Monitor(router)
    mon.sample_once()
    with twin.edit() as st:
        twin._crash(st, [1], "test")
    for _ in range(daemon.CHIP_EVERY * 2 + 1):
        step(mon, twin)
    (ev,) = kinds(router, "chip_locked")
    assert "15 minutes" in ev["message"]


def test_once_reuses_the_previous_sample(router, twin):
    daemon.once(router)
    twin.add_station(mac=PHONE, kind="mlmr")
    twin.advance(10)
    daemon.once(router)
    assert [e["mac"] for e in kinds(router, "client_joined")] == [PHONE]
    state = dispatch("events", {})["monitor"]
    assert state["samples"] == 1 and state["running"]


@pytest.mark.parametrize("mlo", [True])
def test_steering_outputs_only_while_steering_is_enabled(router, twin, mlo):
    from wifimgr.monitor import shared

    daemon.once(router)
    path = os.path.join(router.state_dir, shared.OUTPUTS)
    assert not os.path.exists(path)
    pkg = router.uci.load("wifimgr")
    (pkg.get("steering") or pkg.add("steering", "steering")).set("enabled", "1")
    router.uci.commit(pkg)
    twin.advance(10)
    daemon.once(router)
    lv = shared.live(router, max_age=10)
    assert lv.sampled_at is not None
    keys = {" ".join(k[1:]) for k in lv._cache}
    assert "iw dev" in keys and "iw dev ap-mld-1 station dump" in keys
    assert "hostapd_cli -i ap-mld-1 all_sta" in keys
    assert not any("get_attlm" in k for k in keys)      # the daemon reads its own TTLM state
    twin.advance(11)
    assert shared.live(router, max_age=10).sampled_at is None   # too old: gather yourself


def test_a_sample_never_attaches_to_hostapd(router, twin, monkeypatch):
    """Every hostapd_cli the monitor runs is one request that exits: no `-a` action script, no
    `attach`/interactive mode (an undrained attached socket freezes hostapd, platform.md)."""
    from wifimgr.model.capabilities import HOSTAPD_PROBES

    ran: list[list[str]] = []
    real = router.run.run

    def run(argv, **kw):
        ran.append(list(argv))
        return real(argv, **kw)

    monkeypatch.setattr(router.run, "run", run)
    mon = daemon.Monitor(router)
    for _ in range(daemon.CHIP_EVERY + 1):
        step(mon, twin)
    hostapd = [a for a in ran if a[0] == "hostapd_cli"]
    assert hostapd and all(a[1] == "-i" for a in hostapd)
    # the read-only requests, and once per boot the capability probes (host/probe.py)
    probes = {tuple(c.split()) for c in HOSTAPD_PROBES.values()}
    assert all(a[-1] in ("all_sta", "status", "get_attlm")
               or (a[3] == "raw" and tuple(a[4:]) in probes) for a in hostapd), hostapd
    assert not any(x in ("-a", "-B", "attach") for a in hostapd for x in a)
    assert {a[0] for a in ran} <= {"iw", "hostapd_cli", "dmesg"}


def test_cli_once_and_its_summary(router, twin, repo_root):
    import subprocess
    import sys

    env = dict(os.environ, WIFIMGR_SIM=twin.dir, PYTHONPATH=str(repo_root / "lib"))
    out = subprocess.run([sys.executable, "-m", "wifimgr", "monitor", "--once"], env=env,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert "3 radios" in out and "1 MLDs" in out
    assert history.entities(router, "radio") == ["radio0", "radio1", "radio2"]


def test_hostapd_notifications_become_events(router):
    """The payloads as hostapd's ubus.c sends them (radar-detected, channel-switch,
    sta-links-changed, disassoc without ifname from older trees)."""
    from wifimgr.platform.ubus import BusEvent

    mon = daemon.Monitor(router)
    src = "hostapd.phy0.1-ap0"
    mon.handle(BusEvent(src, "radar-detected", {"frequency": 5260, "width": 3,
                                                "center1": 5290, "center2": 0}))
    mon.handle(BusEvent(src, "channel-switch", {"ifname": "phy0.1-ap0", "freq": 5500,
                                                "bssid": "00:0c:43:26:61:02"}))
    mon.handle(BusEvent("hostapd.ap-mld-1", "sta-authorized", {
        "address": PHONE.upper(), "ifname": "ap-mld-1", "auth-alg": "sae",
        "ap_mld_address": "00:0c:43:26:60:00", "assoc_link_id": 1,
        "links": [{"link_id": 1, "address": "02:00:00:00:00:17", "bssid": "x"}]}))
    mon.handle(BusEvent("hostapd.ap-mld-1", "sta-links-changed", {
        "address": PHONE, "ifname": "ap-mld-1",
        "links": [{"link_id": 2}, {"link_id": 1}]}))
    mon.handle(BusEvent("hostapd.ap-mld-1", "disassoc", {"address": PHONE}))
    mon.handle(BusEvent("hostapd.ap-mld-1", "inactive-deauth", {"address": PHONE}))
    evs = kinds(router)
    assert [e["kind"] for e in evs] == ["radar", "channel", "client_joined", "client_links",
                                        "client_left"]           # one leave, not two
    assert evs[0]["freq_mhz"] == 5260 and evs[1]["freq_mhz"] == 5500
    assert evs[2]["mac"] == PHONE and evs[2]["links"] == [1]    # lower-cased
    assert evs[3]["links"] == [1, 2] and evs[4]["ifname"] == "ap-mld-1"
