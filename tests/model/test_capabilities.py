"""The capability map (wifimgr.model.capabilities) against real captures of both stacks.

MTK SDK BPI-R4: the hostapd replies of the author's notes (get_attlm, get_neg_ttlm). Mainline /
upstream: BPI-R4 boards, the MT7996 EHT-320 block, the MT7992E two-band ``iw phy``, the
multi-radio ``wiphy radio N:`` excerpt (tests/fixtures/captures/README.md has their sources).

No real debugfs *listing* is public for either stack, and no real ``UNKNOWN COMMAND`` reply from
hostapd: those inputs are the names and the string the sources create, each cited where it is
defined below (a gap written down in /work/notes/issue23.md).
"""

from __future__ import annotations

import json

import pytest

from support import FIXTURES
from wifimgr.model import capabilities as capmod
from wifimgr.model.capabilities import Radio, detect, hostapd_knows

CAP = FIXTURES / "captures"


def cap(rel: str) -> str:
    return (CAP / rel).read_text(encoding="utf-8")


#: hostapd's answer to a control command it does not know: the fixed 16-byte reply of upstream
#: hostapd/ctrl_iface.c (``os_memcpy(reply, "UNKNOWN COMMAND\n", 16)``; hostap master e4e91f53)
UNKNOWN = "UNKNOWN COMMAND\n"
#: the files MTK's mt76 debug patch creates that the detector reads (mtk-openwrt-feeds 64e34317,
#: 25.12/…/mt76/patches/0054-mtk-mt76-add-debug-tools.patch: ``sku_disable`` in the phy dir,
#: ``txpower_info``/``txpower_sku`` in each band dir) plus upstream's own names (below)
MTK_DEBUGFS = ["mt76/sku_disable", "mt76/eeprom_mode", "mt76/band0/txpower_info",
               "mt76/band0/txpower_sku", "mt76/band1/txpower_info", "mt76/band2/txpower_info",
               "mt76/sys_recovery", "mt76/fw_util_wa"]
#: what upstream mt76 creates under phy0/mt76 (openwrt/mt76 59676919: debugfs.c
#: mt76_register_debugfs_fops + mt7996/debugfs.c mt7996_init_debugfs)
UPSTREAM_DEBUGFS = ["mt76/led_pin", "mt76/led_active_low", "mt76/regidx", "mt76/regval",
                    "mt76/napi_threaded", "mt76/eeprom", "mt76/rx-queues", "mt76/hw-queues",
                    "mt76/xmit-queues", "mt76/tx_stats", "mt76/sys_recovery", "mt76/fw_debug_wm",
                    "mt76/fw_debug_wa", "mt76/fw_debug_bin", "mt76/fw_util_wa",
                    "mt76/implicit_txbf", "mt76/twt_stats", "mt76/rf_regval", "mt76/vow_atf",
                    "mt76/dfs_hw_pattern", "mt76/radar_trigger", "mt76/rdd_monitor"]


def mtk_replies() -> dict[str, str]:
    return {"attlm": cap("wozi-notes-bpi-r4/get-attlm-inactive.out"),
            "neg_ttlm": cap("wozi-notes-bpi-r4/get-neg-ttlm-inactive.out")}


def board_22447() -> dict:
    # posted without its opening brace and the two closing ones (captures/README.md)
    return json.loads("{" + cap("openwrt-22447-bpi-r4/system-board-excerpt.txt") + "}}")


# ------------------------------------------------------------------------- hostapd probes
def test_hostapd_knows_reads_hostapds_own_answers():
    assert hostapd_knows(cap("wozi-notes-bpi-r4/get-attlm-inactive.out")) is True
    assert hostapd_knows(cap("wozi-forum-bpi-r4/get-neg-ttlm.out")) is True
    assert hostapd_knows(UNKNOWN) is False
    # FAIL: the command exists and refused its argument (e.g. an unknown station)
    assert hostapd_knows("FAIL\n") is True
    # hostapd_cli could not reach the daemon, or nothing was asked: unknown, not absent
    assert hostapd_knows("Failed to connect to hostapd - wpa_ctrl_open: No such file\n") is None
    assert hostapd_knows(None) is None


def test_probes_are_read_only_commands_of_the_mtk_patches():
    # the control strings of the MTK patches (0184, 0167, 0207); none writes state
    assert capmod.HOSTAPD_PROBES == {"attlm": "GET_ATTLM",
                                     "neg_ttlm": "GET_NEG_TTLM 00:00:00:00:00:00",
                                     "twt": "GET_BROADCAST_TWT"}


# ------------------------------------------------------------------------- MTK SDK BPI-R4
def test_mtk_sdk_bpi_r4_map():
    c = detect(hostapd=mtk_replies(), debugfs=MTK_DEBUGFS)
    assert (c.attlm, c.neg_ttlm, c.twt) == (True, True, None)   # twt: not probed
    assert c.per_link_txpower is True and c.sku_idx is True
    assert c.txpower_modes == ("regdb", "manual", "efuse_max")
    assert c.tmac0_coldboot_bug is True
    assert c.stack_hint == "mtk-sdk" and c.mld_factory_ifname == "ap-mld-1"
    assert c.mld_auto_pattern == "{mode}-mld{n}"
    assert "Default mapping" in c.evidence["attlm"]


def test_without_sku_disable_the_efuse_mode_and_the_coldboot_fix_go():
    # control: the same MTK map minus the one file that decides sku_idx
    listing = [p for p in MTK_DEBUGFS if not p.endswith("sku_disable")]
    c = detect(hostapd=mtk_replies(), debugfs=listing)
    assert c.sku_idx is None and "efuse_max" not in c.txpower_modes
    assert c.tmac0_coldboot_bug is None
    assert c.per_link_txpower is True          # band txpower files still there


# ------------------------------------------------------------------------- mainline / upstream
def test_mainline_bpi_r4_map():
    c = detect(board=board_22447(),
               hostapd={"attlm": UNKNOWN, "neg_ttlm": UNKNOWN, "twt": UNKNOWN},
               debugfs=UPSTREAM_DEBUGFS)
    assert (c.board_name, c.model) == ("bananapi,bpi-r4", "Banana Pi BPI-R4 (2x SFP+)")
    assert (c.distribution, c.release, c.revision) == ("OpenWrt", "SNAPSHOT", "r33841-04f10eb796")
    assert (c.target, c.kernel) == ("mediatek/filogic", "6.12.80")
    assert (c.attlm, c.neg_ttlm, c.twt) == (False, False, False)
    # upstream mt7996_get_txpower reads the default link for every link
    assert c.per_link_txpower is False
    assert c.sku_idx is False and c.txpower_modes == ("regdb", "manual")
    assert c.tmac0_coldboot_bug is None
    assert c.stack_hint == "upstream" and c.mld_factory_ifname is None
    assert c.mld_auto_pattern == "{mode}-mld{n}"


def test_board_json_text_of_a_bpi_r4():
    c = detect(board=cap("openwrt-luci-7584-bpi-r4/system-board.json"))
    assert (c.board_name, c.release, c.revision) == ("bananapi,bpi-r4", "24.10-SNAPSHOT",
                                                     "r0-1e9966a")
    # nothing but the board: every capability stays unknown
    assert c.attlm is None and c.per_link_txpower is None and c.band_6g is None
    assert c.stack_hint == "unknown"
    assert detect(board="not json").board_name is None


def test_mt7996_eht_block_says_320():
    c = detect(iw_phy=cap("openwrt-mt76-961-mt7996/iw-phy-eht-6g-excerpt.out"))
    assert c.eht_320 is True


def test_6g_frequencies_without_the_eht_block_leave_320_unknown():
    c = detect(iw_phy=cap("openwrt-18079-bpi-r4/iw-phy-6g-frequencies-excerpt.out"))
    assert c.band_6g is True and c.bands == ("6g",)
    assert c.eht_320 is None


def test_mt7992e_two_band_router():
    # head and 5 GHz part of the same `iw phy0 info` post (openwrt/mt76#1078), in order
    text = (cap("openwrt-mt76-1078-mt7992e/iw-phy0-info-head.out")
            + cap("openwrt-mt76-1078-mt7992e/iw-phy0-info-5g-excerpt.out"))
    c = detect(iw_phy=text)
    assert c.bands == ("2g", "5g")
    assert c.band_6g is False and c.eht_320 is False


def test_multi_radio_wiphy_radios():
    c = detect(iw_phy=cap("openwrt-luci-7483-multi-radio/iw-phy-radios-excerpt.out"))
    assert c.radios == (Radio(index=0, bands=("2g",)), Radio(index=1, bands=("5g",)))
    assert c.bands == ("2g", "5g")
    assert c.evidence["phy"] == "iw phy: wiphy radio blocks"


def test_mt76_snapshot_of_openwrt_mt76_1109():
    # the package version as openwrt/mt76#1109 reports it
    assert detect(mt76_version="6.18.38.2026.07.01~59676919-r1").mt76_mlo_client_crash is True
    assert detect(mt76_version="6.12.80.2026.09.01~be5ce791-r1").mt76_mlo_client_crash is None
    assert detect().mt76_mlo_client_crash is None


@pytest.mark.parametrize("reply", [None, "Failed to connect to hostapd - wpa_ctrl_open: x\n"])
def test_unreachable_hostapd_never_reads_as_missing_feature(reply):
    c = detect(hostapd={"attlm": reply, "neg_ttlm": reply, "twt": reply})
    assert (c.attlm, c.neg_ttlm, c.twt) == (None, None, None)
    assert c.stack_hint == "unknown"
