"""Each rule alone, the apply method, hand-edited configs, constraints, and a property test."""

from __future__ import annotations

from rules.helpers import ap, config, mld, sta
from wifimgr.model.configset import ConfigSet
from wifimgr.platform.ucitext import parse
from wifimgr.rules import constraints, safety
from wifimgr.sim.factory import WIRELESS


def rules(cs):
    return [(v.rule, v.subject) for v in safety.check_config(cs)]


def test_each_rule_alone():
    assert rules(config(mld(), ap("a", "radio0"), ap("b", "radio0"))) == [
        ("mlo-radio-extra-ap", "radio0")]
    assert rules(config(*[ap(f"a{n}", "radio1") for n in range(5)])) == [
        ("legacy-ap-limit", "radio1")]
    assert rules(config(mld(radios=("radio0",)))) == [("mld-min-links", "mld")]
    assert rules(config(ap("six", "radio2", enc="psk2"))) == [("wpa3-on-6g", "six")]
    assert rules(config(mld(enc="sae-mixed"))) == [("wpa3-on-6g", "mld")]
    assert rules(config(ap("a", "radio1", ssid="Same"), ap("b", "radio1", ssid="Same"))) == [
        ("unique-ssid", "b")]
    # the same SSID on two radios is fine
    assert rules(config(ap("a", "radio0", ssid="Same"), ap("b", "radio1", ssid="Same"))) == []


def test_disabled_ifaces_and_radios_do_not_count():
    extra = "\toption disabled '1'\n"
    assert rules(config(mld(), ap("a", "radio0"), ap("b", "radio0", extra=extra))) == []
    assert rules(config(sta("s", "radio2", extra=extra))) == []


def test_non_eht_radio_in_mld_is_flagged():
    cs = config(mld(radios=("radio0", "radio1")),
                radios=WIRELESS.split("config wifi-iface")[0].replace("EHT40", "HE40"))
    assert ("mld-min-links", "mld") in rules(cs)


def test_factory_config_breaks_only_wpa3_on_6g():
    cs = ConfigSet.of(parse(WIRELESS, "wireless"))
    assert rules(cs) == [("wpa3-on-6g", "ap_mld_1")]


def test_apply_none_reload_reboot():
    base = config(ap("a1", "radio1"))
    assert safety.judge(base, base).apply == "none"
    assert safety.judge(base, config(ap("a1", "radio1", ssid="new"))).apply == "reload"
    v = safety.judge(base, config(ap("a1", "radio1"), mld()))
    assert v.apply == "reboot" and any("creates the MLO network" in r for r in v.reasons)
    country = config(ap("a1", "radio1"), radios=WIRELESS.split("config wifi-iface")[0]
                     .replace("'US'", "'DE'"))
    assert safety.judge(config(ap("a1", "radio1"),
                               radios=WIRELESS.split("config wifi-iface")[0]), country).apply \
        == "reboot"


def test_pending_reboot_is_judged_against_the_live_config():
    # an extra AP on an MLO radio was committed but the reboot has not happened yet: a later
    # unrelated change must not `wifi reload` that pending AP into the MLD
    live = config(mld())
    disk = config(mld(), ap("a1", "radio1"))
    proposed = config(mld(), ap("a1", "radio1"), sta("s0", "radio0"))
    assert safety.judge(disk, proposed).apply == "reload"  # what a naive diff would say
    v = safety.judge(live, proposed)
    assert v.apply == "reboot" and any("a1" in r for r in v.reasons)


def test_hand_edited_unsafe_live_config_never_reloads():
    live = config(mld(), ap("a", "radio0"), ap("b", "radio0"))  # X2 on disk and live
    fixed = config(mld(), ap("a", "radio0"))
    v = safety.judge(live, fixed)
    assert v.ok and v.apply == "reboot"
    still_bad = config(mld(), ap("a", "radio0"), ap("b", "radio0"), sta("s", "radio1"))
    assert not safety.judge(live, still_bad).ok


def test_constraints_mirror_the_rules():
    c = constraints.constraints(config(mld(), ap("a1", "radio1")))
    r1, r0 = c["radios"]["radio1"], c["radios"]["radio0"]
    assert r1["in_mlo_ap"] and r1["legacy_ap_count"] == 1
    assert r1["ap_slot_free"] == {"ok": False, "rule": "mlo-radio-extra-ap",
                                  "reason": r1["ap_slot_free"]["reason"]}
    assert r0["ap_slot_free"]["ok"] and r0["sta_allowed"]["ok"]
    assert not r0["wds_allowed"]["ok"] and r0["wds_allowed"]["rule"] == "uplink-not-on-mlo-radio"
    assert not r0["relay_allowed"]["ok"]
    assert not c["radios"]["radio2"]["sta_allowed"]["ok"]
    assert not c["mlo_ap_possible"]["ok"] and c["mlo_ap_possible"]["rule"] == "single-mlo-ap"
    # the hypothetical network is "the new network", never its probe section or placeholder
    why = c["mlo_ap_possible"]["reason"]
    assert why.startswith("the new network would be") and "probe" not in why, why
    assert not c["mlo_sta_possible"]["ok"]
    free = constraints.constraints(config(ap("a1", "radio1")))
    assert free["mlo_ap_possible"]["ok"] and free["mlo_sta_possible"]["ok"]
    assert free["radios"]["radio0"]["wds_allowed"]["ok"]

# the property that the rules cover the twin's crash and bring-up model lives in
# test_law_covers_physics.py (an independent reading, not the rules' own model)
