"""hostapd_cli / wpa_cli / dmesg / mt76 debugfs parsers."""

from __future__ import annotations

import pytest

from support import fixture_text
from wifimgr.errors import ParseError
from wifimgr.parse import dmesg, hostapd, mt76, wpa


@pytest.mark.parametrize(
    ("text", "kind"),
    [("OK\n", "ok"), ("FAIL\n", "fail"), ("FAIL-BUSY\n", "busy"),
     ("Failed to connect to hostapd - wpa_ctrl_open: No such file or directory\n", "error"),
     ("UNKNOWN COMMAND\n", "error"), ("Default mapping\n", "payload")],
)
def test_classify_reply(text, kind):
    assert hostapd.classify_reply(text) == kind


def test_neg_ttlm_real_bpi_r4_capture():
    st = hostapd.parse_neg_ttlm(fixture_text("captures/wozi-forum-bpi-r4/get-neg-ttlm.out"))
    assert st.active
    assert st.tids == {0: (7, 7), 1: (3, 3), 2: (3, 3), 3: (7, 7), 4: (6, 6), 5: (6, 6),
                       6: (2, 2), 7: (2, 2)}


def test_neg_ttlm_and_attlm_inactive_real_replies():
    assert not hostapd.parse_neg_ttlm(
        fixture_text("captures/wozi-notes-bpi-r4/get-neg-ttlm-inactive.out")).active
    assert not hostapd.parse_attlm(
        fixture_text("captures/wozi-notes-bpi-r4/get-attlm-inactive.out")).active
    with pytest.raises(ParseError):
        hostapd.parse_neg_ttlm("FAIL\n")


def test_attlm_active_block():
    # field labels of the MTK hostapd patch 0184 (spec/platform.md §c.3)
    text = ("Adv-TTLM Status:\nDirection: bi-direction\n"
            "Remaining Mapping Switch Time: 0 (ms)\n"
            "Remaining Expected Duration: 295123 (ms)\nLink Mapping: 0x0003\n")
    st = hostapd.parse_attlm(text)
    assert st.active and st.enabled_links == 3 and st.duration_ms == 295123
    assert st.disabled_mask(0b111) == 0b100


def test_status_mld_and_widths():
    text = ("state=ENABLED\nphy=phy0\nfreq=5180\nchannel=36\nsecondary_channel=1\n"
            "ieee80211be=1\neht_oper_chwidth=2\nmax_txpower=23\nchan_util_avg=126\n"
            "num_links=3\nmld_addr[0]=00:0c:43:26:60:00\nbssid[0]=00:0c:43:26:60:01\n"
            "ssid[0]=Home\nnum_sta[0]=2\n")
    st = hostapd.parse_status(text)
    assert st.state == "ENABLED" and st.freq_mhz == 5180 and st.width_mhz == 160
    assert st.chan_util_avg == 126 and st.num_links == 3
    assert st.indexed("bssid") == {0: "00:0c:43:26:60:01"}
    assert hostapd.parse_status("state=ENABLED\nchannel=6\nsecondary_channel=0\n"
                                "eht_oper_chwidth=0\n").width_mhz == 20
    assert hostapd.parse_status("state=ENABLED\neht_oper_chwidth=9\n").width_mhz == 320
    with pytest.raises(ParseError):
        hostapd.parse_status("FAIL\n")
    with pytest.raises(ParseError):
        hostapd.parse_status("garbage\n")


def test_all_sta_mld_and_legacy():
    text = ("3e:35:54:dc:99:02\nflags=[AUTH][ASSOC][AUTHORIZED][WMM][HT][VHT][HE][EHT]\n"
            "aid=1\nmax_simul_links=2\nemlsr_support=0\nemlmr_support=0\n"
            "peer_addr[0]=3e:35:54:dc:99:10\npeer_addr[1]=3e:35:54:dc:99:11\n"
            "f2:00:00:00:00:07\nflags=[AUTH][ASSOC][AUTHORIZED][WMM][HT]\n")
    mld, leg = hostapd.parse_sta_list(text)
    assert mld.is_mld and mld.max_simul_links == 2 and mld.emlsr is False and mld.eht
    assert mld.peer_links == {0: "3e:35:54:dc:99:10", 1: "3e:35:54:dc:99:11"}
    assert not leg.is_mld and leg.max_simul_links is None and not leg.eht
    with pytest.raises(ParseError):
        hostapd.parse_sta_list("aid=1\n")


def test_btwt():
    text = ("broadcast_twt: 2 set(s) of broadcast twt\n"
            "id=1 min_wake_dur=255 wake_intv_mantissa=4096 wake_intv_exp=7 trigger=0 "
            "flow_type=0 recommendation=4 in bssid=00:0c:43:26:60:00\n"
            "id=2 min_wake_dur=128 wake_intv_mantissa=2048 wake_intv_exp=7 "
            "recommendation=4 in bssid=00:0c:43:26:60:00\n")
    assert [b.id for b in hostapd.parse_btwt(text)] == [1, 2]
    assert hostapd.parse_btwt("broadcast_twt: 0 set(s) of broadcast twt\n") == []


def test_wpa_status_and_mlo_status():
    st = wpa.parse_status("bssid=aa:bb:cc:dd:ee:ff\nfreq=5180\nssid=Up\nwpa_state=COMPLETED\n"
                          "ap_mld_addr=aa:bb:cc:dd:ee:00\nwifi_generation=7\n")
    assert st["wpa_state"] == "COMPLETED" and st["wifi_generation"] == "7"
    with pytest.raises(ParseError):
        wpa.parse_status("FAIL\n")
    # the MLO_STATUS shape recorded live in the author's notes (spec/platform.md [NOTE1])
    links = wpa.parse_mlo_status("link_id=0\nfreq=2412\nap_link_addr=AA:BB:CC:DD:EE:FF\n"
                                 "sta_link_addr=11:22:33:44:55:66\nlink_id=1\nfreq=5180\n")
    assert [(ln.link_id, ln.freq_mhz) for ln in links] == [(0, 2412), (1, 5180)]
    assert links[0].ap_link_addr == "aa:bb:cc:dd:ee:ff"


def test_dmesg_real_locked_capture():
    h = dmesg.parse(fixture_text("captures/wozi-forum-bpi-r4/dmesg-semaphore-locked.out"))
    assert h.locked and h.mcu_timeouts == 2
    assert any("Failed to release patch semaphore" in e for e in h.evidence)


def test_dmesg_recovered_after_later_good_probe():
    text = (fixture_text("captures/wozi-forum-bpi-r4/dmesg-semaphore-locked.out")
            + "[ 9.1] mt7996e 0000:01:00.0: HW/SW Version: 0x8a108a10, Build Time: 20240823161246a\n"
            + "[ 9.2] mt7996e 0000:01:00.0: WM Firmware Version: ____000000, Build Time: 20240823161319\n")
    h = dmesg.parse(text)
    assert not h.locked and h.probed
    assert [f.component for f in h.firmware] == ["HW/SW", "WM Firmware"]
    assert dmesg.parse("nothing here\n").locked is False


def test_mt76_debugfs():
    from wifimgr.sim import render

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
