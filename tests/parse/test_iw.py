"""iw parsers against real captures (tests/fixtures/captures/README.md) and bad input."""

from __future__ import annotations

import pytest

from support import fixture_text
from wifimgr.errors import ParseError
from wifimgr.parse import iw
from wifimgr.parse.common import band_of, channel_of, freq_of


@pytest.mark.parametrize(
    ("freq", "band", "channel"),
    [(2412, "2g", 1), (2484, "2g", 14), (5180, "5g", 36), (5825, "5g", 165),
     (5935, "6g", 2), (5955, "6g", 1), (6135, "6g", 37), (7115, "6g", 233)],
)
def test_frequency_channel_band(freq, band, channel):
    assert band_of(freq) == band
    assert channel_of(freq) == channel
    assert freq_of(channel, band) == freq


def test_station_dump_real_qca_capture_space_indented():
    [sta] = iw.parse_station_dump(
        fixture_text("captures/openwrt-packages-16471/station-dump-qca9563.out"))
    assert sta.mac == "8c:be:be:f5:8f:59" and sta.ifname == "wlan0"
    assert (sta.inactive_ms, sta.rx_bytes, sta.rx_packets) == (120, 14835, 296)
    assert (sta.tx_packets, sta.tx_retries, sta.tx_failed) == (90, 1, 0)
    assert sta.signal == iw.Signal(-57, (-62, -59))
    assert sta.signal_avg == iw.Signal(-66, (-71, -69))
    assert sta.links == []


def test_station_dump_four_chains():
    [sta] = iw.parse_station_dump(
        fixture_text("captures/openwrt-packages-16471/station-dump-ipq4019.out"))
    assert sta.signal.chains == (-67, -77, -95, -95)
    assert sta.fields["rx drop misc"] == "5"


def test_station_dump_real_bpi_r4_mld_links():
    [sta] = iw.parse_station_dump(
        fixture_text("captures/wozi-notes-bpi-r4/station-dump-ap-mld-1-excerpt.out"))
    assert sta.ifname == "ap-mld-1"
    assert sta.signal.dbm == -69
    assert [ln.link_id for ln in sta.links] == [0, 1, 2]
    l0, l1, l2 = sta.links
    assert l0.signal == iw.Signal(-69, (-72, -72))
    assert l0.tx_bitrate.mode == "EHT" and l0.tx_bitrate.mcs == 2 and l0.tx_bitrate.nss == 2
    assert l0.rx_bitrate.mode == "legacy" and l0.rx_bitrate.mbps == 34.4
    assert l1.tx_bitrate.width_mhz == 160 and l1.tx_bitrate.mbps == 1441.3
    assert l2.signal.chains == (-81, -79, -77)
    assert l2.tx_bitrate.nss == 1 and l2.tx_bitrate.generation == 7
    # the station-level bitrate is not overwritten by link values
    assert sta.tx_bitrate.mcs == 2 and sta.tx_bitrate.nss is None


def test_station_dump_idle_links_of_a_single_radio_client(system):
    # the twin's iPhone 16 uses one link; its idle links read -105 dBm or 0 (§g.5)
    out = system.run.run(["iw", "dev", "ap-mld-1", "station", "dump"]).stdout
    sta = {s.mac: s for s in iw.parse_station_dump(out)}["d2:43:8f:7b:e6:eb"]
    l0, l1, l2 = sta.links
    assert l0.address == "d2:43:8f:7b:e6:ec" and len(l0.signal.chains) == 2
    assert l0.signal.dbm < 0 and all(c <= l0.signal.dbm for c in l0.signal.chains)
    assert {l1.signal.dbm, l2.signal.dbm} <= {0, -105}          # sentinels, not readings
    assert l1.inactive_ms > 30000 and l2.inactive_ms > 30000
    # station-level counters are not overwritten by the link blocks after them
    assert (sta.tx_packets, sta.tx_retries) == (3280, 246) and l1.tx_packets == 0


def test_station_dump_garbage_and_truncation():
    with pytest.raises(ParseError) as exc:
        iw.parse_station_dump("hello world\n")
    assert exc.value.line == 1
    with pytest.raises(ParseError):
        iw.parse_station_dump("Station zz (on x)\n")
    part = iw.parse_station_dump("Station 02:00:00:00:00:01 (on x)\n\tinactive ti")
    assert len(part) == 1 and part[0].inactive_ms is None
    assert iw.parse_station_dump("") == []


@pytest.mark.parametrize(
    ("text", "mode", "mcs", "nss", "width"),
    [
        ("344.1 MBit/s EHT-MCS 13 EHT-NSS 2 EHT-GI 0", "EHT", 13, 2, 20),
        ("4803.8 MBit/s 320MHz EHT-MCS 11 EHT-NSS 2 EHT-GI 0", "EHT", 11, 2, 320),
        ("866.7 MBit/s VHT-MCS 9 80MHz short GI VHT-NSS 2", "VHT", 9, 2, 80),
        ("300.0 MBit/s MCS 15 40MHz short GI", "HT", 15, 2, 40),
        ("1200.9 MBit/s 80MHz HE-MCS 11 HE-NSS 2 HE-GI 0 HE-DCM 0", "HE", 11, 2, 80),
        ("54.0 MBit/s", "legacy", None, None, None),
    ],
)
def test_bitrates(text, mode, mcs, nss, width):
    br = iw.parse_bitrate(text)
    assert (br.mode, br.mcs, br.nss, br.width_mhz) == (mode, mcs, nss, width)


def test_bitrate_rejects_non_rates():
    assert iw.parse_bitrate("garbage") is None
    assert iw.parse_bitrate("") is None


def test_survey_real_bpi_r4_truncated_capture():
    entries = iw.parse_survey(fixture_text("captures/openwrt-17489-bpi-r4/survey-dump-truncated.out"))
    assert len(entries) == 7  # the 7th is cut mid-line in the post
    used = iw.in_use_by_freq(entries)
    assert list(used) == [2437]
    e = used[2437]
    assert (e.noise_dbm, e.active_ms, e.busy_ms, e.rx_ms, e.tx_ms) == (-84, 497753, 104676,
                                                                       87380, 16494)
    assert e.channel == 6 and e.band == "2g" and e.ifname == "wl5g"
    assert entries[-1].freq_mhz == 2442 and entries[-1].tx_ms is None


def test_survey_garbage():
    with pytest.raises(ParseError):
        iw.parse_survey("\tnoise:\t-90 dBm\n")
    with pytest.raises(ParseError):
        iw.parse_survey("Survey data from x\n\tfrequency:\tlots\n")


def test_dev_info_real_mld_capture_with_a_link_without_channel():
    [intf] = iw.parse_dev(fixture_text("captures/linux-wireless-mt7925-mlo/iw-dev-info-mld-body.out"))
    assert intf.type == "managed" and intf.wiphy == 0 and intf.is_mld
    assert [ln.link_id for ln in intf.links] == [0, 1, 2]
    assert intf.links[0].channel == iw.Channel(6, 2437, 40, 2447, None)
    assert intf.links[1].channel is None and intf.links[1].addr == "c2:e3:9b:67:2b:67"
    assert intf.links[2].channel.band == "6g" and intf.links[2].channel.width_mhz == 160


def test_dev_info_txpower_excerpt():
    [intf] = iw.parse_dev("Interface wlan0\n"
                          + fixture_text("captures/mt7927-dkms-46/iw-dev-info-excerpt.out"))
    assert intf.channel == iw.Channel(53, 6215, 320, 6265, None)
    assert intf.txpower_dbm == 3.0


def run(system, *argv: str) -> str:
    """What the twin prints for ``argv`` (rendered in iw's own format)."""
    return system.run.run(list(argv)).stdout


def test_dev_listing_with_phy_headers_and_link_txpower(system):
    ifaces = {i.name: i for i in iw.parse_dev(run(system, "iw", "dev"))}
    mld, leg = ifaces["ap-mld-1"], ifaces["phy0.0-ap0"]
    assert mld.phy == 0 and mld.type == "AP" and mld.ssid == "MT76_AP_MLD" and mld.is_mld
    assert [ln.link_id for ln in mld.links] == [0, 1, 2]
    assert mld.links[1].channel == iw.Channel(36, 5180, 160, 5250, None)
    assert mld.links[2].channel.width_mhz == 320 and mld.links[1].txpower_dbm > 3
    assert not leg.is_mld and leg.channel.channel == 6 and leg.txpower_dbm is not None


def test_dev_ssid_is_unescaped_like_iw_prints_it(system, twin):
    from wifimgr.api import dispatch
    from wifimgr.defaults import run_first_boot

    run_first_boot(system)
    twin.advance(90)
    assert dispatch("network_set", {"section": "default_radio0",
                                    "values": {"ssid": " Café\\ 2 "}})["ok"]
    twin.advance(30)
    raw = run(system, "iw", "dev")
    assert "ssid \\x20Caf\\xc3\\xa9\\x5c 2\\x20\n" in raw      # what iw prints
    ifaces = {i.name: i for i in iw.parse_dev(raw)}
    assert ifaces["phy0.0-ap0"].ssid == " Café\\ 2 "


def test_dev_garbage():
    with pytest.raises(ParseError):
        iw.parse_dev("this is not iw\n")


def test_phy_frequencies_real_bpi_r4_capture():
    [phy] = iw.parse_phy(
        fixture_text("captures/openwrt-18079-bpi-r4/iw-phy-6g-frequencies-excerpt.out"))
    chans = phy.channels
    assert [c.channel for c in chans] == [1, 5, 9, 13, 17, 21, 25, 29]
    assert all(c.band == "6g" and c.no_ir and not c.radar for c in chans)
    assert chans[0].freq_mhz == 5955 and chans[0].max_power_dbm == 12.0


def test_phy_info_flags(system):
    [phy] = iw.parse_phy(run(system, "iw", "phy", "phy0", "info"))
    by_ch = {(c.band, c.channel): c for c in phy.channels}
    assert not by_ch[("5g", 36)].radar and by_ch[("5g", 52)].radar
    assert by_ch[("2g", 14)].disabled and by_ch[("2g", 14)].max_power_dbm is None
    assert by_ch[("6g", 37)].no_ir              # 6 GHz without a country: passive only
    assert {c.band for c in phy.channels} == {"2g", "5g", "6g"}


def test_channels_dfs_state_and_cac(system, twin):
    twin.reboot()
    twin.advance(20)          # 12 s into the 5 GHz CAC
    chans = {(c.band, c.channel): c for c in iw.parse_channels(
        run(system, "iw", "phy", "phy0", "channels"))}
    c36, c52, c120 = chans[("5g", 36)], chans[("5g", 52)], chans[("5g", 120)]
    assert not c36.radar and c36.dfs_state is None
    assert c52.radar and c52.dfs_state == "usable" and c52.cac_ms == 60000
    assert "VHT160" in c52.widths and c120.cac_ms == 600000
    assert chans[("2g", 14)].disabled


def test_link_real_mlo_capture_bss_list_order():
    info = iw.parse_link(fixture_text("captures/mt7927-dkms-8/iw-link-mlo.out"))
    assert info.connected and info.is_mlo and info.ssid == "asus_MLO"
    assert [(b.link_id, b.freq_mhz) for b in info.links] == [(2, 2412), (0, 6615)]
    assert info.mld_addr == "60:cf:84:fd:2d:aa" and info.signal_dbm == -16
    assert info.tx_bitrate.mcs == 13


def test_link_not_connected_and_garbage():
    assert not iw.parse_link("Not connected.\n").connected
    with pytest.raises(ParseError):
        iw.parse_link("bogus\n")


def test_reg_get(system, twin):
    glob = iw.parse_reg(run(system, "iw", "reg", "get"))[0]
    assert glob.scope == "global" and glob.country == "US" and glob.dfs_region == "DFS-FCC"
    from wifimgr.defaults import run_first_boot

    run_first_boot(system)    # country CZ on every radio
    twin.advance(90)
    regs = iw.parse_reg(run(system, "iw", "reg", "get"))
    glob = regs[0]
    assert glob.country == "CZ" and glob.dfs_region == "DFS-ETSI"
    dfs_rules = [r for r in glob.rules if "DFS" in r.flags]
    assert dfs_rules and all(r.max_eirp_dbm for r in glob.rules)


def test_scan_real_rpi_capture_security_and_width():
    # real `iw wlan0 scan` (Centaurus-dj/import-cours-but-rt1, scan.sh; first BSS)
    text = ("BSS 70:f0:96:d2:e0:62(on wlan0)\n"
            "\tlast seen: 710.456s [boottime]\n"
            "\tTSF: 0 usec (0d, 00:00:00)\n"
            "\tfreq: 2412\n"
            "\tbeacon interval: 100 TUs\n"
            "\tcapability: ESS Privacy ShortPreamble ShortSlotTime RadioMeasure (0x1431)\n"
            "\tsignal: -64.00 dBm\n"
            "\tlast seen: 0 ms ago\n"
            "\tSSID: WIFI_IUTB_IOT\n"
            "\tDS Parameter set: channel 1\n"
            "\tCountry: FR\tEnvironment: Indoor/Outdoor\n"
            "\t\tChannels [1 - 13] @ 14 dBm\n"
            "\tRSN:\t * Version: 1\n"
            "\t\t * Group cipher: CCMP\n"
            "\t\t * Pairwise ciphers: CCMP\n"
            "\t\t * Authentication suites: PSK\n"
            "\t\t * Capabilities: 4-PTKSA-RC 4-GTKSA-RC (0x0028)\n"
            "\tBSS Load:\n"
            "\t\t * station count: 0\n"
            "\t\t * channel utilisation: 168/255\n"
            "\tHT operation:\n"
            "\t\t * primary channel: 1\n"
            "\t\t * secondary channel offset: no secondary\n"
            "\t\t * STA channel width: 20 MHz\n")
    [bss] = iw.parse_scan(text)
    assert bss.bssid == "70:f0:96:d2:e0:62" and bss.ssid == "WIFI_IUTB_IOT"
    assert bss.freq_mhz == 2412 and bss.channel == 1 and bss.signal_dbm == -64.0
    assert bss.security == "wpa2-psk" and bss.privacy and bss.country == "FR"
    assert bss.width_mhz == 20 and bss.utilisation == 168 and bss.last_seen_ms == 0


def test_scan_sae_mixed_vht80_hidden_and_escaped_ssid(system, twin):
    with twin.edit() as st:
        st["neighbours"] = [
            {"bssid": "02:11:22:33:44:55", "ssid": "café", "band": "5g", "channel": 36,
             "width": 80, "signal": -51, "security": "sae-mixed", "key": "k"},
            {"bssid": "02:11:22:33:44:66", "ssid": "", "band": "5g", "channel": 100,
             "width": 20, "signal": -70, "security": "owe"}]
    raw = run(system, "iw", "dev", "phy0.1-ap0", "scan")
    assert "SSID: caf\\xc3\\xa9\n" in raw
    a, b = iw.parse_scan(raw)
    assert a.ssid == "café" and a.security == "sae-mixed" and a.freq_mhz == 5180
    assert a.width_mhz == 80 and a.vht_center1 == 42 and a.signal_dbm == -51.0
    assert b.hidden and b.security == "owe" and b.freq_mhz == 5500


def test_scan_garbage():
    with pytest.raises(ParseError):
        iw.parse_scan("\tfreq: 2412\n")


@pytest.mark.parametrize(("text", "value"), [
    ("12", 12), (" -7\t", -7), ("0x1F", 31), ("0X1f", 31), ("1e3", 1000), ("3.7", 3),
    ("1_000", 1000), ("abc", None), ("", None), (None, None), ("inf", None), ("nan", None),
    ("-0x10", None), ("0x", None),
])
def test_to_int_never_raises(text, value):
    from wifimgr.parse.common import to_int

    assert to_int(text) == value


def test_bitrate_and_signal_values_are_shared_and_immutable():
    # parse_bitrate/parse_signal are cached: equal texts give the same frozen value
    a = iw.parse_bitrate("2882.3 MBit/s 160MHz EHT-MCS 13 EHT-NSS 2 EHT-GI 0")
    assert a is iw.parse_bitrate("2882.3 MBit/s 160MHz EHT-MCS 13 EHT-NSS 2 EHT-GI 0")
    assert iw.parse_signal("-57 [-62, -59] dBm") is iw.parse_signal("-57 [-62, -59] dBm")
    with pytest.raises(AttributeError):
        a.mcs = 0
