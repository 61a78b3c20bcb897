"""The wireless model: MTK 25.12 dialect, round trips, 24.10 detection, uplink kinds."""

from __future__ import annotations

from wifimgr.model.configset import ConfigSet
from wifimgr.model.wireless import WirelessConfig
from wifimgr.platform.ucitext import parse
from wifimgr.sim.factory import NETWORK, WIRELESS

MTK_2410 = """
config wifi-device 'radio0'
	option type 'mac80211'
	option band '2g'
	option htmode 'EHT40'

config wifi-mld 'ap_mld_1'
	option ifname 'ap-mld-1'
	option mld_id '1'
	option ssid 'MT76_AP_MLD'
	option encryption_rsno_2 'sae-ext'

config wifi-iface 'default_radio0_mld'
	option device 'radio0'
	option mld_id '1'
	option mode 'ap'
	option encryption 'psk2'
"""


def test_factory_config_model():
    w = WirelessConfig(parse(WIRELESS, "wireless"), parse(NETWORK, "network"))
    assert w.dialect == "mtk-25.12"
    assert [r.band for r in w.radios.values()] == ["2g", "5g", "6g"]
    mld = w.iface("ap_mld_1")
    assert mld.mlo and mld.devices == ["radio0", "radio1", "radio2"]
    assert w.kind(mld) == "mlo-ap" and w.mld_radios(mld) == ["radio0", "radio1", "radio2"]
    assert w.mlo_ap_radios() == {"radio0", "radio1", "radio2"}
    assert [i.name for i in w.legacy_aps_on("radio1")] == ["default_radio1"]


def test_round_trip_keeps_unknown_options_and_text():
    pkg = parse(WIRELESS, "wireless")
    assert parse(pkg.to_text(), "wireless").to_text() == pkg.to_text()
    assert pkg.to_text() == "\n" + WIRELESS.strip("\n") + "\n\n"
    w = WirelessConfig(pkg)
    w.iface("default_radio1").section.set("ssid", "Changed")
    lines_before = WIRELESS.strip().splitlines()
    lines_after = pkg.to_text().strip().splitlines()
    diff = [(a, b) for a, b in zip(lines_before, lines_after, strict=True) if a != b]
    assert diff == [("\toption ssid 'OpenWrt-5g'", "\toption ssid 'Changed'")]
    # the MTK vendor option the model knows nothing about is still there
    assert pkg["default_radio2"].get_str("assocresp_elements") == "dd07000ce700000000"


def test_24_10_dialect_is_recognised_not_misread():
    w = WirelessConfig(parse(MTK_2410, "wireless"))
    assert w.dialect == "mtk-24.10"
    assert w.mlo_aps() == []  # the wifi-mld section is not an MLO AP on 25.12
    assert "24.10" in w.dialect_notes()[0] and "ap_mld_1" in w.dialect_notes()[0]


def test_uplink_kinds_and_mtk_filter():
    text = WIRELESS.replace("option htmode 'EHT40'", "option htmode 'HE40'") + """
config wifi-iface 'w'
	option device 'radio1'
	option mode 'sta'
	option wds '1'

config wifi-iface 'r'
	option device 'radio0'
	option mode 'sta'
	option network 'relayd_up'

config wifi-iface 'p'
	option device 'radio0'
	option mode 'sta'
	option repeater '1'
"""
    net = parse(NETWORK + "\nconfig interface 'relay_bridge'\n\toption proto 'relay'\n"
                "\tlist network 'relayd_up'\n\tlist network 'lan'\n", "network")
    w = WirelessConfig.from_set(ConfigSet.of(parse(text, "wireless"), net))
    assert [w.kind(w.iface(n)) for n in ("w", "r", "p")] == ["wds-sta", "relay-sta",
                                                          "repeater-sta"]
    # radio0 is HE40 now: the MTK netifd drops it from the AP MLD
    assert w.mld_radios(w.iface("ap_mld_1")) == ["radio1", "radio2"]
