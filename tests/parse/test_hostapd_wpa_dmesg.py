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


def run(system, *argv: str) -> str:
    """What the twin prints for ``argv`` (rendered in the real tool's format)."""
    return system.run.run(list(argv)).stdout


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
    assert st.num_links == 3 and st.indexed("bssid") == {0: "00:0c:43:26:60:20"}
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
    from wifimgr.api import dispatch
    from wifimgr.defaults import run_first_boot

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
