"""Every twin profile after install: the reads answer, the MLO AP wizard's dry run works or
refuses with a reason, and each feature the stack lacks is refused ``unsupported`` with the
capability and the platform — while the stack that has it is served.

Expectations per profile are written here, before the run, from the profile's stack (the
facts of docs/capabilities.md): the MTK SDK has A-TTLM/Neg-TTLM, sku_idx and the cold-boot
bug; upstream mt76 + hostapd have none of them; the MT7992 has no 6 GHz and no 320 MHz.
"""

from __future__ import annotations

import hashlib
import pathlib

import pytest

from wifimgr.sim import profiles
from wifimgr.surface.api import dispatch

#: what each profile's stack offers (written from the stack's sources, not read off the twin)
EXPECT = {
    "bpi-r4-mtk": {"link_policy": True, "txpower_efuse": True, "coldboot_fix": True,
                   "band_6g": True, "bands": ["2g", "5g", "6g"], "mld": "ap-mld-1"},
    "bpi-r4-mainline": {"link_policy": False, "txpower_efuse": False, "coldboot_fix": False,
                        "band_6g": True, "bands": ["2g", "5g", "6g"], "mld": None},
}
TWO_BAND = [n for n in profiles.PROFILES if n not in EXPECT]


def expect(name: str) -> dict:
    if name in EXPECT:
        return EXPECT[name]
    # the two-band MT7992 mainline router(s)
    return {"link_policy": False, "txpower_efuse": False, "coldboot_fix": False,
            "band_6g": False, "bands": ["2g", "5g"], "mld": None}


@pytest.fixture(params=sorted(profiles.PROFILES))
def profile(request, tmp_path, monkeypatch) -> str:
    from wifimgr.host import system as system_root
    from wifimgr.sim.twin import Twin

    d = tmp_path / "twin"
    monkeypatch.setenv("WIFIMGR_SIM", str(d))
    twin = Twin(str(d))
    twin.create(profile=request.param)
    twin.freeze()
    twin.advance(90)
    # post-install: the package's first-run defaults ran (uci-defaults / the hotplug hook)
    from wifimgr.lifecycle.defaults import run_first_boot

    report = run_first_boot(twin.system())
    assert report["wireless_done"] and report["reply"]["ok"], report
    twin.advance(240)                  # its reboot (detach_apply is off on the twin) is over
    system_root.set_system(None)
    return request.param


def ok(reply: dict) -> dict:
    assert not reply.get("error"), reply
    return reply


def files(d: pathlib.Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((d / "etc" / "config").iterdir())}


def test_there_are_three_profiles_one_of_them_two_band():
    assert {"bpi-r4-mtk", "bpi-r4-mainline"} <= set(profiles.PROFILES)
    assert TWO_BAND, "no two-band profile"


def test_reads_answer_and_show_the_platform(profile):
    st = ok(dispatch("status"))
    e = expect(profile)
    feats = st["platform"]["features"]
    assert feats["link_policy"]["available"] is e["link_policy"], feats["link_policy"]
    assert feats["txpower_efuse"]["available"] is e["txpower_efuse"]
    assert feats["coldboot_fix"]["available"] is e["coldboot_fix"]
    assert feats["band_6g"]["available"] is e["band_6g"]
    assert st["platform"]["bands"] == e["bands"]
    assert st["platform"]["mld_factory_ifname"] == e["mld"]
    for f in feats.values():
        assert f["available"] or f["reason"], f      # every refusal says why
    radios = ok(dispatch("radios"))
    assert sorted(r["band"] for r in radios["radios"]) == sorted(e["bands"])
    # after first run every radio follows the country's power table, on either stack
    assert {r["config"]["txpower_mode"] for r in radios["radios"]} == {"regdb"}
    assert set(radios["txpower_modes"]) == ({"regdb", "manual", "efuse_max"}
                                            if e["txpower_efuse"] else {"regdb", "manual"})
    ok(dispatch("networks"))
    ok(dispatch("clients"))
    diag = ok(dispatch("diagnostics"))
    assert diag["platform"]["label"] == st["platform"]["label"]


def test_mlo_ap_dry_run(profile, tmp_path):
    radios = [r["name"] for r in ok(dispatch("radios"))["radios"]]
    pick = radios[:2] if len(radios) == 2 else radios[1:]
    args = {"radios": pick, "ssid": "Home-MLO", "key": "correct horse battery",
            "dry_run": True}
    before = files(tmp_path / "twin")
    reply = dispatch("mlo_ap", args)
    assert files(tmp_path / "twin") == before         # a dry run writes nothing
    assert not reply.get("error"), reply
    if expect(profile)["mld"] is not None:
        # the factory MLD holds the chip's one MLD (MTK SDK): refused by the rules, with why
        assert reply["ok"] is False and reply["blocked"], reply
        assert all(b["message"] for b in reply["blocked"])
        return
    # mainline installs with every radio off: the rules say so; the owner turns them on
    assert reply["ok"] is False and [b["rule"] for b in reply["blocked"]] == ["mld-min-links"], reply["blocked"]
    for r in pick:
        assert ok(dispatch("radio_set", {"radio": r, "disabled": False}))["ok"]
    before = files(tmp_path / "twin")
    reply = dispatch("mlo_ap", args)
    assert files(tmp_path / "twin") == before
    assert reply["ok"] is True and reply["dry_run"] is True, reply
    assert reply["ifname"] == "ap-mld0"                 # as 25.12's netifd names it


def test_missing_features_are_refused_with_capability_and_platform(profile, tmp_path):
    e = expect(profile)
    label = ok(dispatch("status"))["platform"]["label"]
    before = files(tmp_path / "twin")
    cases = [("link_policy", "steering_daemon", {"action": "start"}, ("attlm", "neg_ttlm")),
             ("link_policy", "steering_set", {"values": {"enabled": True}},
              ("attlm", "neg_ttlm")),
             ("txpower_efuse", "txpower_set", {"mode": "efuse_max"}, ("sku_idx",))]
    for feature, method, args, caps in cases:
        reply = dispatch(method, {**args, "dry_run": True})
        if e[feature]:
            assert (reply.get("error") or {}).get("code") != "unsupported", (method, reply)
        else:
            err = reply["error"]
            assert err["code"] == "unsupported" and err["capability"] in caps, reply
            assert err["platform"] == label
    if not e["band_6g"]:
        reply = dispatch("radio_set", {"radio": "radio1", "htmode": "EHT320", "dry_run": True})
        assert reply["error"]["code"] == "unsupported", reply
        assert reply["error"]["capability"] == "eht_320" and reply["error"]["platform"] == label
    assert files(tmp_path / "twin") == before


def test_the_cold_boot_fix_runs_only_where_the_bug_is(profile):
    from wifimgr.host.system import get_system
    from wifimgr.radios.txpower import cold_boot_fix

    out = cold_boot_fix(get_system(), wait_s=0, sleep=lambda s: None)
    if expect(profile)["coldboot_fix"]:
        assert out["applied"] is True or "sku_disable" in out.get("reason", ""), out
    else:
        assert out["applied"] is False and "TMAC" in out["reason"], out
