"""The twin's failure modes, driven only through the platform ports and the real parsers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from wifimgr.parse import dmesg, hostapd, iw_dev, iw_scan, iw_station, wpa


def _ifaces(system):
    return {i.name: i for i in iw_dev.parse_dev(system.run.run(["iw", "dev"]).stdout)}


def _write_wireless(system, mutate):
    with system.uci.lock():
        pkg = system.uci.load("wireless")
        mutate(pkg)
        system.uci.commit(pkg)


def _second_ap_on_radio1(pkg):
    sec = pkg.add("wifi-iface", "wifinet0")
    sec.set("device", "radio1")
    sec.set("mode", "ap")
    sec.set("ssid", "extra")
    sec.set("encryption", "psk2")
    sec.set("key", "12345678")


def test_factory_boot_matches_mtk_sdk(system):
    ifaces = _ifaces(system)
    assert set(ifaces) == {"ap-mld-1", "phy0.0-ap0", "phy0.1-ap0", "phy0.2-ap0"}
    mld = ifaces["ap-mld-1"]
    assert mld.type == "AP" and mld.ssid == "MT76_AP_MLD"
    assert [(ln.link_id, ln.channel.band) for ln in mld.links] == [(0, "2g"), (1, "5g"),
                                                                  (2, "6g")]
    assert mld.links[2].channel.width_mhz == 320
    health = dmesg.parse(system.run.run(["dmesg"]).stdout)
    assert not health.locked and [f.component for f in health.firmware][:2] == ["HW/SW",
                                                                                 "WM Firmware"]


def test_edcca_crash_on_reload_and_lock_survives_reboot_and_short_power_cut(twin, system):
    _write_wireless(system, _second_ap_on_radio1)
    res = system.run.run(["wifi", "reload"])
    assert res.rc == 0
    twin.advance(10)
    assert _ifaces(system) == {}
    assert system.bus.objects("hostapd.*") == []
    status = system.bus.call("network.wireless", "status")
    assert not status["radio1"]["up"]
    for step in (lambda: system.run.run(["reboot"]), lambda: twin.power_off(10)):
        step()
        twin.advance(30)
        health = dmesg.parse(system.run.run(["dmesg"]).stdout)
        assert health.locked
        assert any("Failed to release patch semaphore" in e for e in health.evidence)
        assert _ifaces(system) == {}
    # fix the config, unplug for 16 minutes: the chip comes back
    def _remove(pkg):
        pkg.remove("wifinet0")
    _write_wireless(system, _remove)
    twin.power_off(16)
    twin.advance(30)
    assert not dmesg.parse(system.run.run(["dmesg"]).stdout).locked
    assert "ap-mld-1" in _ifaces(system)


def test_one_extra_ap_per_mlo_radio_is_fine(twin, system):
    # the factory config already has one legacy AP per MLO radio (C2): reloading it is safe
    system.run.run(["wifi", "reload"])
    twin.advance(10)
    assert not twin.load()["chip"]["locked"]
    assert len(_ifaces(system)) == 4


def test_mlo_change_waits_for_reboot(twin, system):
    def _rename(pkg):
        pkg["ap_mld_1"].set("ssid", "Renamed-MLD")
        pkg["default_radio0"].set("ssid", "Renamed-2g")
    _write_wireless(system, _rename)
    assert twin.pending() == {"reload": True, "reboot": True}
    system.run.run(["wifi", "reload"])
    twin.advance(10)
    ifaces = _ifaces(system)
    assert ifaces["phy0.0-ap0"].ssid == "Renamed-2g"  # legacy change applied by reload
    assert ifaces["ap-mld-1"].ssid == "MT76_AP_MLD"  # MLD unchanged until reboot
    assert twin.pending()["reboot"]
    system.run.run(["reboot"])
    twin.advance(30)
    assert _ifaces(system)["ap-mld-1"].ssid == "Renamed-MLD"
    assert twin.pending() == {"reload": False, "reboot": False}


def test_6ghz_sta_finds_nothing_but_5ghz_sta_connects(twin, system):
    def _stas(pkg):
        for name, dev, ssid, key in (("sta6", "radio2", "Upstream-MLO", "upstream-mlo-key"),
                                     ("sta5", "radio1", "Upstream-WiFi", "upstream-pass")):
            sec = pkg.add("wifi-iface", name)
            sec.set("device", dev)
            sec.set("mode", "sta")
            sec.set("ssid", ssid)
            sec.set("encryption", "psk2")
            sec.set("key", key)
            sec.set("network", "wwan")
    _write_wireless(system, _stas)
    system.run.run(["wifi", "reload"])
    twin.advance(10)
    assert system.run.run(["iw", "dev", "phy0.2-sta0", "scan"]).stdout == ""
    assert wpa.parse_status(system.run.run(["wpa_cli", "-i", "phy0.2-sta0", "status"]).stdout)[
        "wpa_state"] == "SCANNING"
    st5 = wpa.parse_status(system.run.run(["wpa_cli", "-i", "phy0.1-sta0", "status"]).stdout)
    assert st5["wpa_state"] == "COMPLETED" and st5["ssid"] == "Upstream-WiFi"
    scan = iw_scan.parse_scan(system.run.run(["iw", "dev", "phy0.1-sta0", "scan"]).stdout)
    assert {b.band for b in scan} == {"5g"} and any(b.associated for b in scan)


def test_6ghz_util_above_100_and_idle_link_sentinels(system):
    st = hostapd.parse_status(system.run.run(["hostapd_cli", "-i", "ap-mld-1", "-l", "2",
                                              "status"]).stdout)
    assert st.chan_util_avg == 126 and st.freq_mhz == 6135
    stations = {s.mac: s for s in iw_station.parse_station_dump(
        system.run.run(["iw", "dev", "ap-mld-1", "station", "dump"]).stdout)}
    phone = stations["d2:43:8f:7b:e6:eb"]  # iPhone-like: one active link, the others idle
    idle = [ln for ln in phone.links if ln.inactive_ms > 30000]
    assert len(idle) == 2
    assert all(ln.signal.dbm in (0, -105) for ln in idle)
    router = stations["3e:35:54:dc:99:02"]  # MLMR: every link carries traffic
    assert all(ln.inactive_ms < 1000 and ln.signal.dbm < 0 for ln in router.links)
    sta = {s.mac: s for s in hostapd.parse_sta_list(
        system.run.run(["hostapd_cli", "-i", "ap-mld-1", "all_sta"]).stdout)}
    assert sta["3e:35:54:dc:99:02"].max_simul_links == 2
    assert sta["d2:43:8f:7b:e6:eb"].max_simul_links == 1


def test_cold_boot_tmac_bug_and_the_nudge(twin, system):
    mld = _ifaces(system)["ap-mld-1"]
    power = {ln.link_id: ln.txpower_dbm for ln in mld.links}
    assert power[0] == 3.0 and power[2] == 3.0 and power[1] > 3.0
    for radio in ("0", "2"):
        assert system.run.run(["iw", "phy", "phy0", "set", "txpower", "fixed", "1900",
                               "radio", radio]).rc == 0
        system.run.run(["iw", "phy", "phy0", "set", "txpower", "auto", "radio", radio])
    power = {ln.link_id: ln.txpower_dbm for ln in _ifaces(system)["ap-mld-1"].links}
    assert power[0] > 3.0 and power[2] > 3.0
    # a warm reboot does not bring the bug back
    system.run.run(["reboot"])
    twin.advance(30)
    assert all(ln.txpower_dbm > 3.0 for ln in _ifaces(system)["ap-mld-1"].links)


def test_attlm_neg_ttlm_and_btwt_replies(twin, system):
    def cli(*a):
        return system.run.run(["hostapd_cli", "-i", "ap-mld-1", *a]).stdout
    assert cli("set_attlm", "disabled_links=0", "switch_time=200", "duration=1000",
               "link_mapping_size=0") == "FAIL\n"
    assert cli("negotiated_ttlm", "request", "3e:35:54:dc:99:02", "dir=2", "def_link_map=0",
               "link_map_size=0", "num_tids=8", *["0", "7", "1", "3", "2", "3", "3", "7", "4", "6", "5", "6", "6", "2", "7", "2"]
               ) == "OK\n"
    assert hostapd.parse_neg_ttlm(cli("get_neg_ttlm", "3e:35:54:dc:99:02")).tids[6] == (2, 2)
    # the phone never answers a Neg-TTLM request
    cli("negotiated_ttlm", "request", "d2:43:8f:7b:e6:eb", "dir=2", "def_link_map=0",
        "link_map_size=0", "num_tids=8", *["0", "7", "1", "3", "2", "3", "3", "7", "4", "6", "5", "6", "6", "2", "7", "2"])
    assert not hostapd.parse_neg_ttlm(cli("get_neg_ttlm", "d2:43:8f:7b:e6:eb")).active
    assert cli("set_attlm", "disabled_links=4", "switch_time=200", "duration=300000",
               "link_mapping_size=0") == "OK\n"
    # A-TTLM tears the Neg-TTLM down, a second one is refused while it runs
    assert not hostapd.parse_neg_ttlm(cli("get_neg_ttlm", "3e:35:54:dc:99:02")).active
    assert cli("set_attlm", "disabled_links=2", "switch_time=200", "duration=1000",
               "link_mapping_size=0") == "FAIL\n"
    assert "Busy: A-TTLM is on-going" in system.run.run(["logread"]).stdout
    twin.advance(1)
    state = hostapd.parse_attlm(cli("get_attlm"))
    assert state.active and state.enabled_links == 0b011
    links = {s.mac: s for s in iw_station.parse_station_dump(
        system.run.run(["iw", "dev", "ap-mld-1", "station", "dump"]).stdout)}
    assert links["3e:35:54:dc:99:02"].links[2].inactive_ms > 30000  # 6 GHz off air
    twin.advance(301)
    assert not hostapd.parse_attlm(cli("get_attlm")).active
    assert cli("add_btwt", "1", "255", "4096", "7", "recommendation=4") == "OK\n"
    assert cli("add_btwt", "1", "255", "4096", "7") == "FAIL\n"
    assert [b.id for b in hostapd.parse_btwt(cli("get_btwt"))] == [1]


def test_unknown_interface_and_tool(system):
    res = system.run.run(["hostapd_cli", "-i", "nope", "status"])
    assert res.rc == 255 and "Failed to connect" in res.stderr
    assert system.run.run(["frobnicate"]).rc == 127
    assert system.run.run(["iw", "dev", "nope", "info"]).rc != 0


def test_state_is_shared_between_processes(twin, system):
    code = ("import os; from wifimgr.sim import open_twin; "
            "open_twin(os.environ['WIFIMGR_SIM']).add_station(mac='02:00:00:00:00:77', "
            "kind='mlmr')")
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(__file__), "..", "..", "lib"))
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=30)
    macs = {s.mac for s in hostapd.parse_sta_list(
        system.run.run(["hostapd_cli", "-i", "ap-mld-1", "all_sta"]).stdout)}
    assert "02:00:00:00:00:77" in macs


def test_ubus_cli_and_wifi_status_are_json(system):
    res = system.run.run(["ubus", "call", "network.wireless", "status"])
    assert json.loads(res.stdout)["radio0"]["up"] is True
    assert system.run.run(["ubus", "call", "hostapd.nope", "get_status"]).rc == 4
