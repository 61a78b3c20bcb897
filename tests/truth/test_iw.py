"""iw parsers against real captures (tests/fixtures/captures/README.md) and bad input."""

from __future__ import annotations

import pytest

from support import fixture_text
from wifimgr.core.errors import ParseError
from wifimgr.parse import iw_common, iw_dev, iw_link, iw_phy, iw_scan, iw_station, iw_survey
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
    [sta] = iw_station.parse_station_dump(
        fixture_text("captures/openwrt-packages-16471/station-dump-qca9563.out"))
    assert sta.mac == "8c:be:be:f5:8f:59" and sta.ifname == "wlan0"
    assert (sta.inactive_ms, sta.rx_bytes, sta.rx_packets) == (120, 14835, 296)
    assert (sta.tx_packets, sta.tx_retries, sta.tx_failed) == (90, 1, 0)
    assert sta.signal == iw_common.Signal(-57, (-62, -59))
    assert sta.signal_avg == iw_common.Signal(-66, (-71, -69))
    assert sta.links == []


def test_station_dump_four_chains():
    [sta] = iw_station.parse_station_dump(
        fixture_text("captures/openwrt-packages-16471/station-dump-ipq4019.out"))
    assert sta.signal.chains == (-67, -77, -95, -95)
    assert sta.fields["rx drop misc"] == "5"


def test_station_dump_real_bpi_r4_mld_links():
    [sta] = iw_station.parse_station_dump(
        fixture_text("captures/wozi-notes-bpi-r4/station-dump-ap-mld-1-excerpt.out"))
    assert sta.ifname == "ap-mld-1"
    assert sta.signal.dbm == -69
    assert [ln.link_id for ln in sta.links] == [0, 1, 2]
    l0, l1, l2 = sta.links
    assert l0.signal == iw_common.Signal(-69, (-72, -72))
    assert l0.tx_bitrate.mode == "EHT" and l0.tx_bitrate.mcs == 2 and l0.tx_bitrate.nss == 2
    assert l0.rx_bitrate.mode == "legacy" and l0.rx_bitrate.mbps == 34.4
    assert l1.tx_bitrate.width_mhz == 160 and l1.tx_bitrate.mbps == 1441.3
    assert l2.signal.chains == (-81, -79, -77)
    assert l2.tx_bitrate.nss == 1 and l2.tx_bitrate.generation == 7
    # the station-level bitrate is not overwritten by link values
    assert sta.tx_bitrate.mcs == 2 and sta.tx_bitrate.nss is None


def test_station_dump_garbage_and_truncation():
    with pytest.raises(ParseError) as exc:
        iw_station.parse_station_dump("hello world\n")
    assert exc.value.line == 1
    with pytest.raises(ParseError):
        iw_station.parse_station_dump("Station zz (on x)\n")
    part = iw_station.parse_station_dump("Station 02:00:00:00:00:01 (on x)\n\tinactive ti")
    assert len(part) == 1 and part[0].inactive_ms is None
    assert iw_station.parse_station_dump("") == []


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
    br = iw_common.parse_bitrate(text)
    assert (br.mode, br.mcs, br.nss, br.width_mhz) == (mode, mcs, nss, width)


def test_bitrate_rejects_non_rates():
    assert iw_common.parse_bitrate("garbage") is None
    assert iw_common.parse_bitrate("") is None


def test_survey_real_bpi_r4_truncated_capture():
    entries = iw_survey.parse_survey(fixture_text("captures/openwrt-17489-bpi-r4/survey-dump-truncated.out"))
    assert len(entries) == 7  # the 7th is cut mid-line in the post
    used = iw_survey.in_use_by_freq(entries)
    assert list(used) == [2437]
    e = used[2437]
    assert (e.noise_dbm, e.active_ms, e.busy_ms, e.rx_ms, e.tx_ms) == (-84, 497753, 104676,
                                                                       87380, 16494)
    assert e.channel == 6 and e.band == "2g" and e.ifname == "wl5g"
    assert entries[-1].freq_mhz == 2442 and entries[-1].tx_ms is None


def test_survey_garbage():
    with pytest.raises(ParseError):
        iw_survey.parse_survey("\tnoise:\t-90 dBm\n")
    with pytest.raises(ParseError):
        iw_survey.parse_survey("Survey data from x\n\tfrequency:\tlots\n")


def test_dev_info_real_mld_capture_with_a_link_without_channel():
    [intf] = iw_dev.parse_dev(fixture_text("captures/linux-wireless-mt7925-mlo/iw-dev-info-mld-body.out"))
    assert intf.type == "managed" and intf.wiphy == 0 and intf.is_mld
    assert [ln.link_id for ln in intf.links] == [0, 1, 2]
    assert intf.links[0].channel == iw_common.Channel(6, 2437, 40, 2447, None)
    assert intf.links[1].channel is None and intf.links[1].addr == "c2:e3:9b:67:2b:67"
    assert intf.links[2].channel.band == "6g" and intf.links[2].channel.width_mhz == 160


def test_dev_info_txpower_excerpt():
    [intf] = iw_dev.parse_dev("Interface wlan0\n"
                          + fixture_text("captures/mt7927-dkms-46/iw-dev-info-excerpt.out"))
    assert intf.channel == iw_common.Channel(53, 6215, 320, 6265, None)
    assert intf.txpower_dbm == 3.0


def test_dev_garbage():
    with pytest.raises(ParseError):
        iw_dev.parse_dev("this is not iw\n")


def test_phy_frequencies_real_bpi_r4_capture():
    [phy] = iw_phy.parse_phy(
        fixture_text("captures/openwrt-18079-bpi-r4/iw-phy-6g-frequencies-excerpt.out"))
    chans = phy.channels
    assert [c.channel for c in chans] == [1, 5, 9, 13, 17, 21, 25, 29]
    assert all(c.band == "6g" and c.no_ir and not c.radar for c in chans)
    assert chans[0].freq_mhz == 5955 and chans[0].max_power_dbm == 12.0


def test_link_real_mlo_capture_bss_list_order():
    info = iw_link.parse_link(fixture_text("captures/mt7927-dkms-8/iw-link-mlo.out"))
    assert info.connected and info.is_mlo and info.ssid == "asus_MLO"
    assert [(b.link_id, b.freq_mhz) for b in info.links] == [(2, 2412), (0, 6615)]
    assert info.mld_addr == "60:cf:84:fd:2d:aa" and info.signal_dbm == -16
    assert info.tx_bitrate.mcs == 13


def test_link_not_connected_and_garbage():
    assert not iw_link.parse_link("Not connected.\n").connected
    with pytest.raises(ParseError):
        iw_link.parse_link("bogus\n")


def test_scan_real_rpi_capture_security_and_width():
    text = fixture_text("captures/centaurus-rpi-scan/scan.out")
    [bss] = iw_scan.parse_scan(text)
    assert bss.bssid == "70:f0:96:d2:e0:62" and bss.ssid == "WIFI_IUTB_IOT"
    assert bss.freq_mhz == 2412 and bss.channel == 1 and bss.signal_dbm == -64.0
    assert bss.security == "wpa2-psk" and bss.privacy and bss.country == "FR"
    assert bss.width_mhz == 20 and bss.utilisation == 168 and bss.last_seen_ms == 0


def test_scan_garbage():
    with pytest.raises(ParseError):
        iw_scan.parse_scan("\tfreq: 2412\n")


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
    a = iw_common.parse_bitrate("2882.3 MBit/s 160MHz EHT-MCS 13 EHT-NSS 2 EHT-GI 0")
    assert a is iw_common.parse_bitrate("2882.3 MBit/s 160MHz EHT-MCS 13 EHT-NSS 2 EHT-GI 0")
    assert iw_common.parse_signal("-57 [-62, -59] dBm") is iw_common.parse_signal("-57 [-62, -59] dBm")
    with pytest.raises(AttributeError):
        a.mcs = 0
