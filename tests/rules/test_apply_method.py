"""The apply method decided from the change (config before *and* after), one row per kind of
change: spec/combinations.md, "Apply method (mlo-apply-reboot)"."""

from __future__ import annotations

import pytest

from rules.helpers import RADIOS, ap, config, mld, sta
from wifimgr.rules import safety

DIS = "\toption disabled '1'\n"
MLD_01 = mld(radios=("radio0", "radio1"))     # radio2 is outside the MLO group
MLO_STA = mld("up", mode="sta", ssid="Up")


def radios(**changes: str) -> str:
    """The radios block with options of one radio replaced/added: radio1_channel='100'."""
    text = RADIOS
    for key, value in changes.items():
        radio, opt = key.split("_", 1)
        head = f"config wifi-device '{radio}'\n"
        i = text.index(head) + len(head)
        block_end = text.find("\nconfig ", i)
        block = text[i:block_end if block_end != -1 else len(text)]
        lines = [ln for ln in block.splitlines() if not ln.startswith(f"\toption {opt} ")]
        lines.insert(0, f"\toption {opt} '{value}'")
        text = text[:i] + "\n".join(lines) + "\n" + (text[block_end:] if block_end != -1 else "")
    return text


# name: (before, after, expected apply)
CASES = {
    # an AP on a radio of the MLO AP
    "add an AP on an MLO radio": (config(MLD_01), config(MLD_01, ap("a", "radio1")), "reboot"),
    "remove an AP on an MLO radio": (config(MLD_01, ap("a", "radio1")), config(MLD_01),
                                     "reboot"),
    "disable an AP on an MLO radio": (config(MLD_01, ap("a", "radio1")),
                                      config(MLD_01, ap("a", "radio1", extra=DIS)), "reboot"),
    "enable an AP on an MLO radio": (config(MLD_01, ap("a", "radio1", extra=DIS)),
                                     config(MLD_01, ap("a", "radio1")), "reboot"),
    "edit an AP on an MLO radio": (config(MLD_01, ap("a", "radio1")),
                                   config(MLD_01, ap("a", "radio1", ssid="other")), "reboot"),
    "turn an AP on an MLO radio into a STA": (
        config(MLD_01, ap("a", "radio1")), config(MLD_01, sta("a", "radio1")), "reboot"),
    "turn a STA on an MLO radio into an AP": (
        config(MLD_01, sta("a", "radio1")), config(MLD_01, ap("a", "radio1")), "reboot"),
    "move an AP onto an MLO radio": (config(MLD_01, ap("a", "radio2")),
                                     config(MLD_01, ap("a", "radio1")), "reboot"),
    "move an AP off an MLO radio": (config(MLD_01, ap("a", "radio1")),
                                    config(MLD_01, ap("a", "radio2")), "reboot"),
    "an AP outside the MLO group": (config(MLD_01), config(MLD_01, ap("a", "radio2")),
                                    "reload"),
    "edit a disabled AP on an MLO radio, still disabled": (
        config(MLD_01, ap("a", "radio1", extra=DIS)),
        config(MLD_01, ap("a", "radio1", ssid="x", extra=DIS)), "reboot"),
    "add a disabled AP on an MLO radio": (
        config(MLD_01), config(MLD_01, ap("a", "radio1", extra=DIS)), "reboot"),
    # radio changes
    "channel of an MLO radio": (config(MLD_01), config(MLD_01, radios=radios(radio1_channel="100")),
                                "reboot"),
    "width of an MLO radio": (config(MLD_01), config(MLD_01, radios=radios(radio1_htmode="EHT80")),
                              "reboot"),
    "disable an MLO radio": (config(mld()), config(mld(), radios=radios(radio0_disabled="1")),
                             "reboot"),
    "TX power of an MLO radio": (config(MLD_01), config(MLD_01, radios=radios(radio0_txpower="15")),
                                 "reboot"),
    "puncturing of an MLO radio": (config(MLD_01),
                                   config(MLD_01, radios=radios(radio1_pp_bitmap="2")), "reboot"),
    "channel of a radio outside the MLO group": (
        config(MLD_01), config(MLD_01, radios=radios(radio2_channel="69")), "reload"),
    "country": (config(ap("a", "radio2")),
                config(ap("a", "radio2"), radios=radios(radio0_country="DE", radio1_country="DE",
                                                        radio2_country="DE")), "reboot"),
    "eFuse maximum TX power": (config(ap("a", "radio2")),
                               config(ap("a", "radio2"), radios=radios(
                                   radio2_txpower_mode="efuse_max")), "reboot"),
    # MLO ifaces
    "create the MLO AP": (config(), config(MLD_01), "reboot"),
    "remove the MLO AP": (config(MLD_01), config(), "reboot"),
    "edit the MLO AP": (config(MLD_01), config(mld(radios=("radio0", "radio1"), ssid="New")),
                        "reboot"),
    "turn the MLO AP into a legacy AP": (
        config(MLD_01), config(MLD_01.replace("\toption mlo '1'\n", "")), "reboot"),
    # STA uplinks beside an MLO AP (C3) and APs beside an unchanged MLO STA (C10)
    "C3 add a STA uplink on radio0 beside the MLO AP": (
        config(mld()), config(mld(), sta("s", "radio0")), "reload"),
    "C3 change a STA uplink on radio1 beside the MLO AP": (
        config(mld(), sta("s", "radio1")), config(mld(), sta("s", "radio1", ssid="Other")),
        "reload"),
    "C3 remove a STA uplink beside the MLO AP": (config(mld(), sta("s", "radio0")),
                                                  config(mld()), "reload"),
    "C10 add an AP beside an unchanged MLO STA": (config(MLO_STA),
                                                  config(MLO_STA, ap("a", "radio1")), "reload"),
    "C10 remove an AP beside an unchanged MLO STA": (config(MLO_STA, ap("a", "radio1")),
                                                     config(MLO_STA), "reload"),
    "C10 change the MLO STA": (config(MLO_STA),
                               config(mld("up", mode="sta", ssid="Other")), "reboot"),
    "nothing": (config(MLD_01, ap("a", "radio1")), config(MLD_01, ap("a", "radio1")), "none"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_apply_method_from_the_change(case):
    before, after, expected = CASES[case]
    assert safety.check_config(after) == [] or expected == "none", safety.check_config(after)
    method, reasons = safety.apply_method(safety.WirelessConfig.from_set(before),
                                          safety.WirelessConfig.from_set(after))
    assert method == expected, reasons
    assert (method == "reboot") == bool(reasons)
    verdict = safety.judge(before, after)
    assert verdict.apply == expected
