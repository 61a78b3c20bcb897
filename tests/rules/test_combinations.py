"""One case per row of spec/combinations.md: C1–C11 allowed (with the apply method when the
networks are added to a config without them), X1–X8 blocked (with the rule id)."""

from __future__ import annotations

import pytest

from rules.helpers import RELAY_NET, ap, config, mld, sta
from wifimgr.rules import safety

EMPTY = config()
REPEATER = "\toption repeater '1'\n"
WDS = "\toption wds '1'\n"

ALLOWED = {
    "C1 MLO AP 2G+5G": (config(mld(radios=("radio0", "radio1"))), "reboot"),
    "C1 MLO AP 5G+6G": (config(mld(radios=("radio1", "radio2"))), "reboot"),
    "C1 MLO AP all bands": (config(mld()), "reboot"),
    "C2 MLO AP + one legacy AP per MLO radio": (
        config(mld(), ap("a0", "radio0"), ap("a1", "radio1"), ap("a2", "radio2")), "reboot"),
    "C6 legacy APs only, four per radio": (
        config(*[ap(f"a{r}{n}", f"radio{r}") for r in range(3) for n in range(4)]), "reload"),
    "C7 legacy AP + STA uplink on one radio": (
        config(ap("a1", "radio1"), sta("s1", "radio1")), "reload"),
    "C8 legacy AP + WDS bridge": (
        config(ap("a0", "radio0"), sta("w0", "radio0", network="lan", extra=WDS)), "reload"),
    "C9 MLO STA over all bands": (config(mld(mode="sta", ssid="Up")), "reboot"),
    "C10 MLO STA + legacy APs": (
        config(mld(mode="sta", ssid="Up"),
               *[ap(f"a{r}{n}", f"radio{r}") for r in range(3) for n in range(4)]), "reboot"),
    "C11 repeater: STA radio0 + AP radio1": (
        config(sta("rs", "radio0", extra=REPEATER), ap("ra", "radio1", extra=REPEATER)),
        "reload"),
}

# rows whose networks are added next to an MLO network that is already live
LIVE_MLD = config(mld(radios=("radio1", "radio2")))
LIVE_MLD_ALL = config(mld())
LIVE_MLO_STA = config(mld(mode="sta", ssid="Up"))
ADDED_TO_LIVE = {
    "C3 MLO AP + STA uplink on radio0": (LIVE_MLD_ALL, config(mld(), sta("s0", "radio0")),
                                         "reload"),
    "C3 MLO AP + STA uplink on radio1": (LIVE_MLD_ALL, config(mld(), sta("s1", "radio1")),
                                         "reload"),
    "C4 MLO AP + WDS on radio0 outside the group": (
        LIVE_MLD, config(mld(radios=("radio1", "radio2")),
                         sta("w0", "radio0", network="lan", extra=WDS)), "reload"),
    "C5 MLO AP + relayd on radio0 outside the group": (
        LIVE_MLD, config(mld(radios=("radio1", "radio2")),
                         sta("r0", "radio0", network="relayd_up"), network_extra=RELAY_NET),
        "reload"),
    "C10 legacy AP added next to a live MLO STA": (
        LIVE_MLO_STA, config(mld(mode="sta", ssid="Up"), ap("a1", "radio1")), "reload"),
    "C11 repeater AP on an MLO radio": (
        LIVE_MLD, config(mld(radios=("radio1", "radio2")), sta("rs", "radio0", extra=REPEATER),
                         ap("ra", "radio1", extra=REPEATER)), "reboot"),
    "C2 extra legacy AP added to an MLO radio": (
        LIVE_MLD_ALL, config(mld(), ap("a1", "radio1")), "reboot"),
}

BLOCKED = {
    "X1 MLO AP + MLO STA": (config(mld(), mld("up", mode="sta", ssid="Up")),
                            "mlo-ap-sta-exclusive"),
    "X2 MLO AP + two extra APs on one MLO radio": (
        config(mld(), ap("a", "radio1"), ap("b", "radio1")), "mlo-radio-extra-ap"),
    "X3 6 GHz station": (config(sta("s2", "radio2")), "no-6g-sta"),
    "X3 6 GHz WDS": (config(sta("w2", "radio2", extra=WDS)), "no-6g-sta"),
    "X3 6 GHz relayd": (config(sta("r2", "radio2", network="relayd_up"),
                               network_extra=RELAY_NET), "no-6g-sta"),
    "X3 6 GHz repeater uplink": (config(sta("rs", "radio2", extra=REPEATER),
                                        ap("ra", "radio0", extra=REPEATER)), "no-6g-sta"),
    "X4 two MLO AP groups": (config(mld(radios=("radio0", "radio1")),
                                    mld("m2", radios=("radio1", "radio2"), ssid="Other")),
                             "single-mlo-ap"),
    "X5 repeater on one radio": (config(sta("rs", "radio1", extra=REPEATER),
                                        ap("ra", "radio1", extra=REPEATER)),
                                 "repeater-distinct-radios"),
    "X6 WDS on an MLO AP radio": (config(mld(), sta("w1", "radio1", network="lan", extra=WDS)),
                                  "uplink-not-on-mlo-radio"),
    "X6 relayd on an MLO STA radio": (
        config(mld(mode="sta", ssid="Up", radios=("radio1", "radio2")),
               sta("r1", "radio1", network="relayd_up"), network_extra=RELAY_NET),
        "uplink-not-on-mlo-radio"),
    "X7 two MLO STAs": (config(mld("u1", mode="sta", ssid="Up"),
                               mld("u2", mode="sta", ssid="Up2")), "single-mlo-sta"),
    "X8 MLO STA + a STA uplink": (config(mld(mode="sta", ssid="Up"), sta("s0", "radio0")),
                                  "mlo-sta-single-uplink"),
}


@pytest.mark.parametrize("case", sorted(ALLOWED))
def test_allowed_combination_from_empty(case):
    proposed, apply = ALLOWED[case]
    verdict = safety.judge(EMPTY, proposed)
    assert verdict.ok, [v.message for v in verdict.violations]
    assert verdict.apply == apply, verdict.reasons


@pytest.mark.parametrize("case", sorted(ADDED_TO_LIVE))
def test_allowed_combination_added_to_live_mlo(case):
    applied, proposed, apply = ADDED_TO_LIVE[case]
    verdict = safety.judge(applied, proposed)
    assert verdict.ok, [v.message for v in verdict.violations]
    assert verdict.apply == apply, verdict.reasons


@pytest.mark.parametrize("case", sorted(BLOCKED))
def test_blocked_combination(case):
    proposed, rule = BLOCKED[case]
    verdict = safety.judge(EMPTY, proposed)
    assert not verdict.ok
    assert rule in {v.rule for v in verdict.violations}
    assert verdict.as_dict()["apply"] == "none"
