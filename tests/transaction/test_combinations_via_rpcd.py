"""Issue 3.6: one case per row C1–C11 (allowed, right apply method) and X1–X8 (blocked,
right rule id), built with the real wizards through the rpcd plugin on the twin."""

from __future__ import annotations

import pytest

PSK = {"encryption": "psk2", "key": "lan-password"}
SAE = {"encryption": "sae", "key": "lan-password"}


def mld(radios, ssid="Home"):
    return ("mlo_ap", {"radios": radios, "ssid": ssid, "key": "mld-password"})


def ap(radio, ssid):
    return ("ap", {"radio": radio, "ssid": ssid, **(SAE if radio == "radio2" else PSK)})


def sta(radio=None, ssid="Upstream-WiFi", **kw):
    args = {"ssid": ssid, "encryption": "psk2", "key": "upstream-pass", **kw}
    if radio:
        args["radio"] = radio
    return ("station", args)


def mlo_sta():
    return ("station", {"ssid": "Upstream-MLO", "encryption": "sae",
                        "key": "upstream-mlo-key", "mlo": True})


def bridge(radio, mode):
    return ("wds", {"radio": radio, "ssid": "Upstream-MLO", "encryption": "sae",
                    "key": "upstream-mlo-key", "mode": mode})


def rep(uplink, ap_radio):
    return ("repeater", {"uplink_radio": uplink, "uplink_ssid": "Upstream-WiFi",
                         "uplink_encryption": "psk2", "uplink_key": "upstream-pass",
                         "ap_radio": ap_radio, "ap_ssid": "Repeated",
                         "ap_encryption": "sae" if ap_radio == "radio2" else "psk2",
                         "ap_key": "repeat-password"})


# case: (setup steps, final step, expected apply of the final step)
ALLOWED = {
    "C1 MLO AP 2G+5G": ([], mld(["radio0", "radio1"]), "reboot"),
    "C1 MLO AP 5G+6G": ([], mld(["radio1", "radio2"]), "reboot"),
    "C1 MLO AP all bands": ([], mld(["radio0", "radio1", "radio2"]), "reboot"),
    "C2 MLO AP + legacy AP on an MLO radio": (
        [mld(["radio0", "radio1", "radio2"]), ap("radio0", "a0"), ap("radio1", "a1")],
        ap("radio2", "a2"), "reboot"),
    "C3 MLO AP + STA uplink on radio1": ([mld(["radio0", "radio1", "radio2"])],
                                         sta("radio1"), "reload"),
    "C4 MLO AP + WDS on radio0": ([mld(["radio1", "radio2"])], bridge("radio0", "wds"),
                                  "reload"),
    "C5 MLO AP + relayd on radio0": ([mld(["radio1", "radio2"])], bridge("radio0", "relayd"),
                                     "reload"),
    "C6 four legacy APs on one radio": ([ap("radio1", f"a{n}") for n in range(3)],
                                        ap("radio1", "a3"), "reload"),
    "C7 legacy AP + STA on one radio": ([ap("radio1", "a1")], sta("radio1"), "reload"),
    "C8 legacy AP + WDS bridge": ([ap("radio0", "a0")], bridge("radio0", "wds"), "reload"),
    "C9 MLO STA": ([], mlo_sta(), "reboot"),
    "C10 MLO STA + legacy APs": ([mlo_sta(), ap("radio0", "a0"), ap("radio0", "b0")],
                                 ap("radio1", "a1"), "reload"),
    "C11 repeater on distinct radios": ([], rep("radio0", "radio1"), "reload"),
    "C11 repeater AP on an MLO radio": ([mld(["radio1", "radio2"])], rep("radio0", "radio1"),
                                        "reboot"),
}

BLOCKED = {
    "X1 MLO AP + MLO STA": ([mld(["radio0", "radio1", "radio2"])], mlo_sta(),
                            "mlo-ap-sta-exclusive"),
    "X2 second extra AP on an MLO radio": (
        [mld(["radio0", "radio1", "radio2"]), ap("radio1", "a1")], ap("radio1", "b1"),
        "mlo-radio-extra-ap"),
    "X3 6 GHz STA": ([], sta("radio2", ssid="Upstream-MLO"), "no-6g-sta"),
    "X4 two MLO APs": ([mld(["radio0", "radio1"])], mld(["radio1", "radio2"], "Other"),
                       "single-mlo-ap"),
    "X5 repeater on one radio": ([], rep("radio1", "radio1"), "repeater-distinct-radios"),
    "X6 WDS on an MLO radio": ([mld(["radio0", "radio1", "radio2"])], bridge("radio1", "wds"),
                               "uplink-not-on-mlo-radio"),
    "X7 two MLO STAs": ([mlo_sta()], mlo_sta(), "single-mlo-sta"),
    "X8 MLO STA + STA uplink": ([mlo_sta()], sta("radio0"), "mlo-sta-single-uplink"),
}


def _run_setup(plugin, twin, steps):
    for method, args in steps:
        r = plugin(method, **args)
        assert r["ok"], (method, r)
        twin.advance(90)


@pytest.mark.parametrize("case", sorted(ALLOWED))
def test_allowed(case, plugin, clean_twin):
    from conftest_writes_helpers import assert_healthy

    steps, (method, args), apply = ALLOWED[case]
    _run_setup(plugin, clean_twin, steps)
    boots = clean_twin.load()["boot"]["count"]
    dry = plugin(method, **args, dry_run=True)
    assert dry["ok"] and dry["apply"] == apply, dry
    r = plugin(method, **args)
    assert r["ok"] and r["apply"] == apply, r
    rebooted = clean_twin.load()["boot"]["count"] > boots
    assert rebooted == (apply == "reboot")
    clean_twin.advance(90)
    status = plugin("apply_status", job=r["job"])
    assert status["phase"] == "done", status
    assert_healthy(plugin)


@pytest.mark.parametrize("case", sorted(BLOCKED))
def test_blocked(case, plugin, clean_twin):
    from transaction.conftest import config_bytes

    steps, (method, args), rule = BLOCKED[case]
    _run_setup(plugin, clean_twin, steps)
    before = config_bytes(clean_twin)
    r = plugin(method, **args)
    assert r["ok"] is False and r["apply"] == "none" and r["job"] is None
    assert rule in [b["rule"] for b in r["blocked"]], r["blocked"]
    assert config_bytes(clean_twin) == before
