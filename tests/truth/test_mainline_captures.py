"""Mainline OpenWrt 25.12 / upstream shapes the parsers and the model read (issue 23).

The per-line parses are in the golden files; this holds what a golden file cannot say: the
25.12 ``network.wireless status`` shape (a cut capture, so no golden) and netifd's reading of a
space-separated ``option device`` (openwrt/netifd examples/wireless.uc ``parse_array``).
"""

from __future__ import annotations

import json

from support import FIXTURES
from wifimgr.model.wireless import WirelessConfig
from wifimgr.parse import iw_dev
from wifimgr.platform.ucitext import parse

CAP = FIXTURES / "captures"


def _radio0_of_cut_status() -> dict:
    text = (CAP / "openwrt-21083-bpi-r4-pro-8x/wifi-status-cut.json").read_text(encoding="utf-8")
    start = text.index("{", text.index('"radio0"'))
    obj, _ = json.JSONDecoder().raw_decode(text, start)
    return obj


def test_2512_wireless_status_shape():
    r0 = _radio0_of_cut_status()
    assert r0["config"]["radio"] == 0           # the radio index of the wiphy
    first, second = r0["interfaces"]
    assert first["section"] == "default_radio0_mld" and first["ifname"] == "phy0.0-ap0"
    # 25.12: `device` is an array and `radios` sits inside the interface config
    assert first["config"]["device"] == ["radio0"] and first["config"]["radios"] == [0]
    assert "mlo" not in first["config"]        # named *_mld, but not MLO: a plain AP
    assert second["ifname"] == "phy0.0-ap1" and second["config"]["mbo"] is False
    assert first["vlans"] == [] and first["stations"] == []


def test_radios_line_on_single_band_vifs_is_not_the_band_map():
    # BPI-R4 mainline (openwrt#18487): a 5 GHz and a 6 GHz AP both print `Radios: 0 1 2`
    got = {}
    for name in ("phy0.0-ap0", "phy0.1-ap0", "phy0.2-ap0"):
        [intf] = iw_dev.parse_dev((CAP / f"openwrt-18487-bpi-r4/iw-dev-info-{name}.out").read_text())
        got[name] = (intf.channel.band, intf.radios)
    assert got == {"phy0.0-ap0": ("2g", (0,)), "phy0.1-ap0": ("5g", (0, 1, 2)),
                   "phy0.2-ap0": ("6g", (0, 1, 2))}


MAINLINE_MLO = """
config wifi-device 'radio1'
	option type 'mac80211'
	option band '5g'
	option htmode 'EHT160'

config wifi-device 'radio2'
	option type 'mac80211'
	option band '6g'
	option htmode 'EHT320'

config wifi-iface 'mlo0'
	option mode 'ap'
	option mlo '1'
	option device 'radio1 radio2'
	option ssid 'x'
	option encryption 'sae'
"""


def test_space_separated_device_option_is_one_two_link_mld():
    w = WirelessConfig(parse(MAINLINE_MLO, "wireless"))
    [mld] = w.mlo_aps()
    assert mld.name == "mlo0" and mld.devices == ["radio1", "radio2"]
    assert w.mld_radios(mld) == ["radio1", "radio2"]


def test_the_mld_is_named_as_netifd_names_it():
    """openwrt/netifd examples/wireless.uc ``mlo_vif_create``: ``config.ifname`` or
    ``<mode>-mld<idx>``, idx counting per mode the MLO sections netifd creates before it, in
    file order; a section with ``ifname`` takes no number, a disabled one is dropped before."""
    w = WirelessConfig(parse(MAINLINE_MLO, "wireless"))
    [mld] = w.mlo_aps()
    assert w.mld_ifname(mld) == "ap-mld0"
    more = MAINLINE_MLO + """
config wifi-iface 'off'
	option device 'radio1 radio2'
	option mode 'ap'
	option mlo '1'
	option disabled '1'

config wifi-iface 'named'
	option device 'radio1 radio2'
	option mode 'ap'
	option mlo '1'
	option ifname 'ap-mld-1'

config wifi-iface 'uplink'
	option device 'radio1 radio2'
	option mode 'sta'
	option mlo '1'

config wifi-iface 'second'
	list device 'radio1'
	list device 'radio2'
	option mode 'ap'
	option mlo '1'
"""
    w = WirelessConfig(parse(more, "wireless"))
    names = {i.name: w.mld_ifname(i) for i in w.ifaces}
    assert names["mlo0"] == "ap-mld0" and names["named"] == "ap-mld-1"
    assert names["off"] is None and names["uplink"] == "sta-mld0"
    assert names["second"] == "ap-mld1"
