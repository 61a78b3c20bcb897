"""The cases of issue 15, each on its real capture — or, where no public capture exists, on the
exact lines that spec/platform.md quotes from live devices or the tool's own printf (said so at
each test; tests/fixtures/captures/README.md lists what is missing)."""

from __future__ import annotations

import pytest

from support import SPEC_ATTLM_LIVE, fixture_text
from wifimgr.parse import dmesg, hostapd, iw_link, iw_phy, iw_scan, iw_station, mt76
from wifimgr.parse.common import is_placeholder_dbm, to_millicelsius

# ------------------------------------------------------------------------------ A-TTLM
# spec/platform.md §c.3: "Mapping Switch Time: <n> (ms)" / "Expected Duration: <n> (ms)" seen
# live on an MTK SDK MT7996 (2026), "Remaining …" in FEED patch 0184. No public capture of an
# active block exists; these are the lines as the spec quotes them.
LIVE_ATTLM = SPEC_ATTLM_LIVE
PATCH_ATTLM = ("Adv-TTLM Status:\nDirection: bi-direction\nRemaining Mapping Switch Time: 0 (ms)\n"
               "Remaining Expected Duration: 294812 (ms)\nLink Mapping: 0x0003\n")


def test_attlm_live_spelling_keeps_switch_time_and_duration():
    st = hostapd.parse_attlm(LIVE_ATTLM)
    assert st.active and st.direction == "bi-direction" and st.enabled_links == 0b011
    assert (st.switch_ms, st.duration_ms, st.remaining) == (200, 300000, False)
    assert st.disabled_mask(0b111) == 0b100


def test_attlm_remaining_spelling():
    st = hostapd.parse_attlm(PATCH_ATTLM)
    assert (st.switch_ms, st.duration_ms, st.remaining) == (0, 294812, True)


def test_attlm_real_inactive_reply():
    st = hostapd.parse_attlm(fixture_text("captures/wozi-notes-bpi-r4/get-attlm-inactive.out"))
    assert not st.active and st.switch_ms is None and st.remaining is None


# ------------------------------------------------------------------------- locked chip
def test_locked_real_captures_old_and_get_semaphore_wordings():
    bpi = dmesg.parse(fixture_text("captures/wozi-forum-bpi-r4/dmesg-semaphore-locked.out"))
    assert bpi.locked and bpi.probe_error == -11
    # the re-probe form: only "Failed to get patch semaphore" (real, mt7915e)
    lines = fixture_text("captures/openwrt-mt76-688-mt7915/dmesg-patch-semaphore.out")
    without_probe = "".join(ln for ln in lines.splitlines(keepends=True) if "probe of" not in ln)
    h = dmesg.parse(without_probe)
    assert h.locked and not h.probe_failed
    assert any("Failed to get patch semaphore" in e for e in h.evidence)


@pytest.mark.parametrize("line", [
    # spec/platform.md Addenda (today's driver-core wording and the re-probe line); no public
    # capture of these two lines exists
    "[   21.408861] mt7996e 0000:01:00.0: probe with driver mt7996e failed with error -11",
    "[  312.100200] mt7996e 0000:01:00.0: failed to load patch: -11",
])
def test_locked_todays_wordings(line):
    h = dmesg.parse(line + "\n")
    assert h.locked, line


def test_other_probe_failures_are_not_the_lock():
    h = dmesg.parse(fixture_text("captures/openwrt-mt76-702-mt7986/dmesg-wa-timeout.out"))
    assert not h.locked and h.probe_failed and h.probe_error == -110


def test_recovered_after_a_later_good_probe():
    text = (fixture_text("captures/wozi-forum-bpi-r4/dmesg-semaphore-locked.out")
            + fixture_text("captures/openwrt-mt76-688-mt7915/dmesg-firmware-then-22.out")
            .split("mt7915e: probe of")[0].rsplit("\n", 1)[0] + "\n")
    h = dmesg.parse(text)
    assert not h.locked and h.probed and len(h.firmware) == 3


# ----------------------------------------------------------------- EML and NSTR of all_sta
# No public all_sta capture exists. The two spellings are the printf of the trees that print
# them: MTK SDK hostapd patch 0162 (emlsr_support=%d, and nstr_bitmap after each peer_addr,
# spec/platform.md Addenda) and a QCA-derived hostapd tree ("max_simul_links=%d\n
# EMLSR_support=%s\nEMLMR_support=%s\n" with "yes"/"no", ctrl_iface_ap.c).
OTHER_TREE = ("3e:35:54:dc:99:02\nflags=[AUTH][ASSOC][AUTHORIZED]\n"
              "peer_addr[0]=3e:35:54:dc:99:03\npeer_addr[1]=3e:35:54:dc:99:04\n"
              "max_simul_links=1\nEMLSR_support=yes\nEMLMR_support=no\nmax_rx_nss=2\n")
MTK_TREE = ("3e:35:54:dc:99:02\nflags=[AUTH][ASSOC][AUTHORIZED]\n"
            "peer_addr[0]=3e:35:54:dc:99:03\nnstr_bitmap=0x0\n"
            "peer_addr[1]=3e:35:54:dc:99:04\nnstr_bitmap=0x4\n"
            "peer_addr[2]=3e:35:54:dc:99:05\nnstr_bitmap=0x2\n"
            "max_simul_links=2\nemlsr_support=0\nemlmr_support=1\n")


def test_eml_yes_no_spelling():
    [sta] = hostapd.parse_sta_list(OTHER_TREE)
    assert sta.emlsr is True and sta.emlmr is False and sta.max_simul_links == 1
    assert sta.peer_links == {0: "3e:35:54:dc:99:03", 1: "3e:35:54:dc:99:04"}


def test_eml_numeric_spelling_and_per_link_nstr_bitmaps():
    [sta] = hostapd.parse_sta_list(MTK_TREE)
    assert sta.emlsr is False and sta.emlmr is True
    assert sta.nstr_bitmaps == {0: 0x0, 1: 0x4, 2: 0x2}


# ------------------------------------------------------------------------- placeholders
def test_iw_link_mld_level_zero_is_no_reading():
    # the real MT7927 capture, with the MLD-level value the BPI-R4 MLO STA prints (spec
    # Addenda: "iw dev X link on an MLO STA prints an MLD-level signal: 0 dBm")
    real = fixture_text("captures/mt7927-dkms-8/iw-link-mlo.out")
    assert iw_link.parse_link(real).signal_dbm == -16
    info = iw_link.parse_link(real.replace("signal: -16 dBm", "signal: 0 dBm"))
    assert info.signal_dbm is None and info.signal_placeholder and info.is_mlo


def test_station_level_placeholders():
    [zero] = iw_station.parse_station_dump(
        fixture_text("captures/kaloz-mwlwifi-187/station-dump-zero-signal.out"))
    assert zero.signal is None and zero.fields["signal"] == "0 dBm"
    # the −95 floor on the station level of a non-MLD client (real: the iw commit sample)
    [sta] = iw_station.parse_station_dump(
        fixture_text("captures/linux-wireless-iw-link-stats/station-dump-non-ml.out"))
    assert sta.signal is None and sta.fields["signal"] == "-95 dBm" and sta.tx_packets == 18
    assert is_placeholder_dbm(-105) and is_placeholder_dbm(0) and not is_placeholder_dbm(-94)


def test_idle_link_values_stay_as_printed_for_the_link_checks():
    # per-link values are kept (mld.link_reading_valid and steering check inactive time and
    # the floor); the Signal says it is a placeholder
    [sta] = iw_station.parse_station_dump(
        "Station 02:00:00:00:00:01 (on ap-mld-1)\n\tLink 1:\n\t\tsignal:  \t0 [0, 0] dBm\n")
    assert sta.links[0].signal.dbm == 0 and sta.links[0].signal.placeholder


@pytest.mark.parametrize(("text", "value"), [
    ("47312\n", 47.3), ("0\n", None), ("garbage", None), ("", None), (None, None),
    ("-12000", -12.0), ("999999999", None)])
def test_hwmon_zero_is_no_reading(text, value):
    assert to_millicelsius(text) == value


def test_truncated_phy_line_is_not_a_usable_channel():
    [phy] = iw_phy.parse_phy(fixture_text("captures/morrownr-usb-wifi-103-mt7921/iw-phy-6g-cut.out"))
    *whole, cut = phy.channels
    assert all(not c.truncated and c.no_ir for c in whole)
    assert cut.channel == 29 and cut.truncated and cut.disabled and cut.no_ir
    # a line cut exactly after its power (no newline at the end of the text) is cut too
    [p2] = iw_phy.parse_phy("\t\tFrequencies:\n\t\t\t* 5955.0 MHz [1] (12.0 dBm)")
    assert p2.channels[0].truncated and p2.channels[0].disabled


# ------------------------------------------------------------------------------ crashes
SCAN = fixture_text("captures/xiaomi-ax6000-owrt2512/scan-filtered.out")


@pytest.mark.parametrize(("line", "value"), [
    # iw's "%d.%.2d" of mBm (scan.c): −55 mBm prints as 0.-55, −5550 as -55.-50
    ("\tsignal: 0.-55 dBm", -0.55), ("\tsignal: -55.-50 dBm", -55.5), ("\tsignal: ", None),
    ("\tsignal:", None), ("\tsignal: -64.00 dBm", -64.0)])
def test_scan_signal_forms(line, value):
    text = SCAN.replace("\tsignal: 24.00 dBm", line, 1)
    first = iw_scan.parse_scan(text)[0]
    assert first.signal_dbm == pytest.approx(value) if value is not None else \
        first.signal_dbm is None
    assert len(iw_scan.parse_scan(text)) == 16


def test_scan_empty_freq():
    first = iw_scan.parse_scan(SCAN.replace("\tfreq: 2437.0", "\tfreq:", 1))[0]
    assert first.freq_mhz is None and first.band is None and first.ssid == "NETGEAR51-Open"


def test_link_truncated_freq():
    real = fixture_text("captures/mt7927-dkms-8/iw-link-mlo.out")
    cut = real.split("freq: 6615.0")[0] + "freq:"
    info = iw_link.parse_link(cut)
    assert [(b.link_id, b.freq_mhz) for b in info.links] == [(2, 2412), (0, None)]


# --------------------------------------------------------------------------- txpower_sku
# No public capture of txpower_sku exists: the summary lines as mtk_debugfs.c prints them
# ("RegDB maximum power:\t%d [dBm]", "eeprom maximum power:\t%d [dBm]", …).
SKU_TAIL = ("\nPhy 1 TX Power Table (Channel 36)\n"
            "\nBBP TX Power (target power from TMAC)  :     46 [0.5 dBm]\n"
            "RegDB maximum power:\t23 [dBm]\neeprom maximum power:\t27 [dBm]\n"
            "path_delta:\t8 [0.5 dBm]\n")


def test_txpower_sku_summary():
    sku = mt76.parse_txpower_sku(SKU_TAIL)
    assert (sku.band_idx, sku.channel, sku.eeprom_max_dbm, sku.regdb_max_dbm) == (1, 36, 27, 23)
    assert sku.tmac_target_dbm == 23.0 and sku.path_delta_db == 4.0
    assert mt76.parse_txpower_sku("").eeprom_max_dbm is None


def test_mtk_sdk_nstr_bitmaps_follow_the_non_association_links():
    # MTK hostapd patch 0162's own example (captures/mtk-feeds-hostapd-0162): nstr_bitmap
    # lines only after peer_addr[1] and [2], formatted 0x%02x, each for the link above it
    text = fixture_text("captures/mtk-feeds-hostapd-0162/hostapd-sta-mld-excerpt.out")
    [sta] = hostapd.parse_sta_list("06:0c:43:2a:ee:f3\n" + text)
    assert sta.is_mld and sta.max_simul_links == 2 and sta.emlsr is False
    assert sta.nstr_bitmaps == {1: 0x05, 2: 0x03}
