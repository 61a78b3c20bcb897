"""The twin's own output read back through the parsers: a round trip that shows the twin
renders what the parsers read, and that the twin's state (CAC, country, A-TTLM, stations) reaches
its text. This is NOT the parsers' ground truth — that is the real captures
(tests/truth/test_captures.py); the twin's formats are held to those captures in
tests/conformance/test_conformance.py."""

from __future__ import annotations

import pytest

from wifimgr.core.errors import ParseError
from wifimgr.parse import hostapd, iw_common, iw_dev, iw_phy, iw_reg, iw_scan, iw_station, mt76, wpa


def test_station_dump_idle_links_of_a_single_radio_client(system):
    # the twin's iPhone 16 uses one link; its idle links read -105 dBm or 0 (§g.5)
    out = system.run.run(["iw", "dev", "ap-mld-1", "station", "dump"]).stdout
    sta = {s.mac: s for s in iw_station.parse_station_dump(out)}["d2:43:8f:7b:e6:eb"]
    l0, l1, l2 = sta.links
    assert l0.address == "d2:43:8f:7b:e6:ec" and len(l0.signal.chains) == 2
    assert l0.signal.dbm < 0 and all(c <= l0.signal.dbm for c in l0.signal.chains)
    assert {l1.signal.dbm, l2.signal.dbm} <= {0, -105}          # sentinels, not readings
    assert l1.inactive_ms > 30000 and l2.inactive_ms > 30000
    # station-level counters are not overwritten by the link blocks after them
    assert (sta.tx_packets, sta.tx_retries) == (3280, 246) and l1.tx_packets == 0


def run(system, *argv: str) -> str:
    """What the twin prints for ``argv`` (rendered in iw's own format)."""
    return system.run.run(list(argv)).stdout


def test_dev_listing_with_phy_headers_and_link_txpower(system):
    ifaces = {i.name: i for i in iw_dev.parse_dev(run(system, "iw", "dev"))}
    mld, leg = ifaces["ap-mld-1"], ifaces["phy0.0-ap0"]
    assert mld.phy == 0 and mld.type == "AP" and mld.ssid == "MT76_AP_MLD" and mld.is_mld
    assert [ln.link_id for ln in mld.links] == [0, 1, 2]
    assert mld.links[1].channel == iw_common.Channel(36, 5180, 160, 5250, None)
    assert mld.links[2].channel.width_mhz == 320 and mld.links[1].txpower_dbm > 3
    assert not leg.is_mld and leg.channel.channel == 6 and leg.txpower_dbm is not None


def test_dev_ssid_is_unescaped_like_iw_prints_it(system, twin):
    from wifimgr.lifecycle.defaults import run_first_boot
    from wifimgr.surface.api import dispatch

    run_first_boot(system)
    twin.advance(90)
    assert dispatch("network_set", {"section": "default_radio0",
                                    "values": {"ssid": " Café\\ 2 "}})["ok"]
    twin.advance(30)
    raw = run(system, "iw", "dev")
    assert "ssid \\x20Caf\\xc3\\xa9\\x5c 2\\x20\n" in raw      # what iw prints
    ifaces = {i.name: i for i in iw_dev.parse_dev(raw)}
    assert ifaces["phy0.0-ap0"].ssid == " Café\\ 2 "


def test_phy_info_flags(system):
    [phy] = iw_phy.parse_phy(run(system, "iw", "phy", "phy0", "info"))
    by_ch = {(c.band, c.channel): c for c in phy.channels}
    assert not by_ch[("5g", 36)].radar and by_ch[("5g", 52)].radar
    assert by_ch[("2g", 14)].disabled and by_ch[("2g", 14)].max_power_dbm is None
    assert by_ch[("6g", 37)].no_ir              # 6 GHz without a country: passive only
    assert {c.band for c in phy.channels} == {"2g", "5g", "6g"}


def test_channels_dfs_state_and_cac(system, twin):
    twin.reboot()
    twin.advance(20)          # 12 s into the 5 GHz CAC
    chans = {(c.band, c.channel): c for c in iw_phy.parse_channels(
        run(system, "iw", "phy", "phy0", "channels"))}
    c36, c52, c120 = chans[("5g", 36)], chans[("5g", 52)], chans[("5g", 120)]
    assert not c36.radar and c36.dfs_state is None
    assert c52.radar and c52.dfs_state == "usable" and c52.cac_ms == 60000
    assert "VHT160" in c52.widths and c120.cac_ms == 600000
    assert chans[("2g", 14)].disabled


def test_reg_get(system, twin):
    glob = iw_reg.parse_reg(run(system, "iw", "reg", "get"))[0]
    assert glob.scope == "global" and glob.country == "US" and glob.dfs_region == "DFS-FCC"
    from wifimgr.lifecycle.defaults import run_first_boot
    from wifimgr.platform.ucitext import parse

    # a country configured for first run (first run itself keeps the firmware's since issue 21)
    system.uci.commit(parse("config defaults 'defaults'\n\toption country 'CZ'\n", "wifimgr"),
                      base=system.uci.load("wifimgr") if system.uci.exists("wifimgr") else None)
    run_first_boot(system)    # country CZ on every radio
    twin.advance(90)
    regs = iw_reg.parse_reg(run(system, "iw", "reg", "get"))
    glob = regs[0]
    assert glob.country == "CZ" and glob.dfs_region == "DFS-ETSI"
    dfs_rules = [r for r in glob.rules if "DFS" in r.flags]
    assert dfs_rules and all(r.max_eirp_dbm for r in glob.rules)


def test_scan_sae_mixed_vht80_hidden_and_escaped_ssid(system, twin):
    with twin.edit() as st:
        st["neighbours"] = [
            {"bssid": "02:11:22:33:44:55", "ssid": "café", "band": "5g", "channel": 36,
             "width": 80, "signal": -51, "security": "sae-mixed", "key": "k"},
            {"bssid": "02:11:22:33:44:66", "ssid": "", "band": "5g", "channel": 100,
             "width": 20, "signal": -70, "security": "owe"}]
    raw = run(system, "iw", "dev", "phy0.1-ap0", "scan")
    assert "SSID: caf\\xc3\\xa9\n" in raw
    a, b = iw_scan.parse_scan(raw)
    assert a.ssid == "café" and a.security == "sae-mixed" and a.freq_mhz == 5180
    assert a.width_mhz == 80 and a.vht_center1 == 42 and a.signal_dbm == -51.0
    assert b.hidden and b.security == "owe" and b.freq_mhz == 5500


def test_attlm_active_block(system):
    # field labels of the MTK hostapd patch 0184 (spec/platform.md §c.3), rendered by the twin
    assert run(system, "hostapd_cli", "-i", "ap-mld-1", "set_attlm", "disabled_links=4",
               "switch_time=200", "duration=300000", "link_mapping_size=0") == "OK\n"
    st = hostapd.parse_attlm(run(system, "hostapd_cli", "-i", "ap-mld-1", "get_attlm"))
    assert st.active and st.enabled_links == 3 and st.duration_ms == 300000
    assert st.switch_ms == 200 and st.direction == "bi-direction"
    assert st.disabled_mask(0b111) == 0b100


def test_status_mld_and_widths(system):
    st = hostapd.parse_status(run(system, "hostapd_cli", "-i", "ap-mld-1", "-l", "1", "status"))
    assert st.state == "ENABLED" and st.freq_mhz == 5180 and st.width_mhz == 160
    assert st.num_links == 3 and st.link_id == 1 and set(st.partner_links) == {0, 2}
    # the radio's two BSSes, as the MT7996 lists them: the MLD link and the legacy AP
    assert set(st.indexed("bss").values()) == {"ap-mld-1", "phy0.1-ap0"}
    assert "00:0c:43:26:60:20" in st.indexed("bssid").values()
    assert st.mld_addr is not None
    six = hostapd.parse_status(run(system, "hostapd_cli", "-i", "ap-mld-1", "-l", "2",
                                   "status"))
    assert six.width_mhz == 320 and six.chan_util_avg == 126     # the 6 GHz >100 % quirk
    two = hostapd.parse_status(run(system, "hostapd_cli", "-i", "phy0.0-ap0", "status"))
    assert two.channel == 6 and two.width_mhz == 40
    with pytest.raises(ParseError):
        hostapd.parse_status("FAIL\n")
    with pytest.raises(ParseError):
        hostapd.parse_status("garbage\n")


def test_all_sta_mld_and_legacy(system):
    mld_list = hostapd.parse_sta_list(run(system, "hostapd_cli", "-i", "ap-mld-1", "all_sta"))
    by_mac = {s.mac: s for s in mld_list}
    bpi = by_mac["3e:35:54:dc:99:02"]
    assert bpi.is_mld and bpi.max_simul_links == 2 and bpi.emlsr is False and bpi.eht
    assert bpi.peer_links == {0: "3e:35:54:dc:99:03", 1: "3e:35:54:dc:99:04",
                              2: "3e:35:54:dc:99:05"}
    assert by_mac["d2:43:8f:7b:e6:eb"].max_simul_links == 1
    [laptop] = hostapd.parse_sta_list(run(system, "hostapd_cli", "-i", "phy0.1-ap0", "all_sta"))
    assert not laptop.is_mld and laptop.max_simul_links is None and not laptop.eht
    with pytest.raises(ParseError):
        hostapd.parse_sta_list("aid=1\n")


def test_btwt(system):
    assert hostapd.parse_btwt(run(system, "hostapd_cli", "-i", "ap-mld-1", "get_btwt")) == []
    for gid in ("1", "2"):
        assert run(system, "hostapd_cli", "-i", "ap-mld-1", "add_btwt", gid, "255", "4096",
                   "7", "0", "0", "4") == "OK\n"
    assert [b.id for b in hostapd.parse_btwt(run(system, "hostapd_cli", "-i", "ap-mld-1",
                                                 "get_btwt"))] == [1, 2]


def test_wpa_status_and_mlo_status(system):
    from wifimgr.lifecycle.defaults import run_first_boot
    from wifimgr.surface.api import dispatch

    run_first_boot(system)      # the factory MLD's sae-mixed on 6 GHz blocks every write
    system.sim.advance(90)
    assert dispatch("station", {"radio": "radio1", "ssid": "Upstream-WiFi",
                                "encryption": "psk2", "key": "upstream-pass"})["ok"]
    system.sim.advance(30)
    st = wpa.parse_status(run(system, "wpa_cli", "-i", "phy0.1-sta0", "status"))
    assert st["wpa_state"] == "COMPLETED" and st["ssid"] == "Upstream-WiFi"
    assert st["bssid"] == "e8:9c:25:60:70:06"
    with pytest.raises(ParseError):
        wpa.parse_status("FAIL\n")
    # the MLO_STATUS shape recorded live in the author's notes (spec/platform.md [NOTE1])
    links = wpa.parse_mlo_status("link_id=0\nfreq=2412\nap_link_addr=AA:BB:CC:DD:EE:FF\n"
                                 "sta_link_addr=11:22:33:44:55:66\nlink_id=1\nfreq=5180\n")
    assert [(ln.link_id, ln.freq_mhz) for ln in links] == [(0, 2412), (1, 5180)]
    assert links[0].ap_link_addr == "aa:bb:cc:dd:ee:ff"


def test_mt76_debugfs():
    from wifimgr.sim import render_driver as render

    # rendered by the twin in the mt7996 driver's format (mt7996_get_txpower_info)
    text = render.txpower_info(2, "6g", sku=True, auto_half_db=46, sku_idx=0)
    info = mt76.parse_txpower_info(text)
    assert info.sku_enabled and info.mu_mode == "auto" and info.effective_dbm == 23.0
    assert info.fields["Band Index"].startswith("2") and info.fields["sku_index"] == "0"
    off = mt76.parse_txpower_info(render.txpower_info(0, "2g", sku=False, auto_half_db=41,
                                                      sku_idx=0))
    assert off.sku_enabled is False and off.effective_dbm == 20.5
    assert mt76.parse_dfs_status("Channel = 52, DFS_state = Available\n"
                                 "Channel = 100, DFS_state = Unavailable\n") == {
        52: "Available", 100: "Unavailable"}
    assert mt76.parse_flag("1\n") is True and mt76.parse_flag(None) is None
