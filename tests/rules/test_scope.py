"""Safety rules scoped by the capability map (issue 23, point 3).

Every rule has a source and a scope (wifimgr.rules.scope); a rule runs where its scope holds on
the router's map; ``caps=None`` (stack unknown) runs every rule. The maps below are detected from
real captures where one exists (the MT7992E two-band ``iw phy`` of openwrt/mt76#1078, the
kmod-mt76 version of openwrt/mt76#1109; tests/fixtures/captures/README.md has the sources);
the MT7996 maps name the fields the rules read.
"""

from __future__ import annotations

import pathlib
import re

import pytest

from rules.helpers import ap, config, mld, sta
from support import FIXTURES
from wifimgr.model.capabilities import Capabilities, detect
from wifimgr.rules import constraints, findings, safety, scope

CAP = FIXTURES / "captures"
DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "safety.md"

#: a two-band MT7992 router (Routerich BE7200-like): radio0 2.4 GHz, radio1 5 GHz, no radio2
TWO_BAND_RADIOS = """
config wifi-device 'radio0'
	option type 'mac80211'
	option radio '0'
	option band '2g'
	option channel '6'
	option htmode 'EHT40'
	option country 'DE'

config wifi-device 'radio1'
	option type 'mac80211'
	option radio '1'
	option band '5g'
	option channel '36'
	option htmode 'EHT160'
	option country 'DE'
"""
TWO = ("radio0", "radio1")


def two_band_map() -> Capabilities:
    # head and 5 GHz part of the same `iw phy0 info` post (openwrt/mt76#1078), in order
    text = ((CAP / "openwrt-mt76-1078-mt7992e/iw-phy0-info-head.out").read_text()
            + (CAP / "openwrt-mt76-1078-mt7992e/iw-phy0-info-5g-excerpt.out").read_text())
    caps = detect(iw_phy=text)
    assert caps.bands == ("2g", "5g") and caps.band_6g is False
    return caps


#: MT7996 maps: what the rules read is band_6g; the rest says which stack it is
MTK_SDK = Capabilities(stack_hint="mtk-sdk", attlm=True, neg_ttlm=True, sku_idx=True,
                       band_6g=True, bands=("2g", "5g", "6g"))
UPSTREAM = Capabilities(stack_hint="upstream", attlm=False, neg_ttlm=False, sku_idx=False,
                        band_6g=True, bands=("2g", "5g", "6g"))
UNKNOWN_6G = Capabilities()           # nothing detected: band_6g None


def rules(cfg, caps=None):
    return [(v.rule, v.subject) for v in safety.check_config(cfg, caps)]


def two_band(*ifaces):
    return config(*ifaces, radios=TWO_BAND_RADIOS)


# ------------------------------------------------------------------------- the table itself
def test_every_rule_has_a_source_and_a_scope():
    ids = [safety.rule_id(r) for r in safety.RULES + safety.ADVISORIES]
    assert sorted(ids) == sorted(scope.SCOPES)
    for rule in ids:
        s = scope.SCOPES[rule]
        assert s.source and s.applies_on, rule
        assert callable(s.applies)
        # kept where it was never seen: the scope says why (unless seen on every stack)
        if "MTK SDK" in s.source and "upstream" not in s.source and "#" not in s.source:
            assert s.why, rule


def test_docs_table_has_source_and_applies_on_for_every_rule():
    text = DOCS.read_text(encoding="utf-8")
    header = next(ln for ln in text.splitlines() if ln.startswith("| rule id"))
    assert "source" in header and "applies on" in header
    for rule, s in scope.SCOPES.items():
        rows = [ln for ln in text.splitlines() if ln.startswith(f"| `{rule}`")]
        assert len(rows) == 1, rule
        assert s.applies_on in rows[0], (rule, s.applies_on)


def test_no_rule_asks_which_stack_it_is():
    lib = pathlib.Path(safety.__file__).parent
    for name in ("safety.py", "scope.py", "findings.py"):
        code = re.sub(r'""".*?"""', "", (lib / name).read_text(), flags=re.S)
        assert "stack_hint" not in code and "mtk-sdk" not in code, name


def test_the_label_of_the_stack_changes_no_verdict():
    # the same facts with another stack label: identical results, rule by rule
    cfg = config(sta("s6", "radio2"), ap("six", "radio2", enc="psk2"), mld(),
                 ap("a", "radio0"), ap("b", "radio0"))
    relabelled = Capabilities(stack_hint="upstream", attlm=True, neg_ttlm=True,
                              sku_idx=True, band_6g=True, bands=("2g", "5g", "6g"))
    assert rules(cfg, MTK_SDK) == rules(cfg, relabelled) == rules(cfg, UPSTREAM)


# ------------------------------------------------------------------------- caps=None is strict
def test_unknown_stack_runs_every_rule():
    assert all(scope.applies(r, None) for r in scope.SCOPES)
    cfg = config(sta("s6", "radio2"), ap("six", "radio2", enc="psk2"))
    strict = rules(cfg)
    assert strict == rules(cfg, None)
    assert {r for r, _ in strict} == {"no-6g-sta", "wpa3-on-6g"}
    # a map that cannot tell whether 6 GHz exists keeps the 6 GHz rules too
    assert rules(cfg, UNKNOWN_6G) == strict


# ------------------------------------------------------------------------- 6 GHz rules
@pytest.mark.parametrize("caps", [MTK_SDK, UPSTREAM, UNKNOWN_6G, None],
                         ids=["mtk-sdk", "upstream", "unknown", "none"])
def test_6g_rules_apply_where_6g_may_exist(caps):
    assert rules(config(sta("s6", "radio2")), caps) == [("no-6g-sta", "s6")]
    assert rules(config(ap("six", "radio2", enc="psk2")), caps) == [("wpa3-on-6g", "six")]
    assert rules(config(mld(enc="sae-mixed")), caps) == [("wpa3-on-6g", "mld")]


def test_6g_rules_do_not_apply_where_the_map_shows_no_6g():
    # a radio that says band 6g on a chip the map shows without 6 GHz cannot come up at all;
    # the 6 GHz rules have nothing to protect there (the scope, not the config, decides)
    caps = two_band_map()
    assert not scope.applies("no-6g-sta", caps) and not scope.applies("wpa3-on-6g", caps)
    assert rules(config(sta("s6", "radio2")), caps) == []
    assert rules(config(ap("six", "radio2", enc="psk2")), caps) == []
    # every other rule still runs there
    assert rules(config(mld(radios=TWO), ap("a", "radio0"), ap("b", "radio0")), caps) == [
        ("mlo-radio-extra-ap", "radio0")]


# ------------------------------------------------------------------------- rules on every stack
EVERY_STACK_CASES = {
    "mlo-radio-extra-ap": (config(mld(), ap("a", "radio0"), ap("b", "radio0")), "radio0"),
    "single-mlo-ap": (config(mld(), mld("mld2", radios=("radio0", "radio1"), ssid="B")),
                      "mld2"),
    "legacy-ap-limit": (config(*[ap(f"a{n}", "radio1") for n in range(5)]), "radio1"),
    "mld-min-links": (config(mld(radios=("radio0",))), "mld"),
    "mld-random-mac": (config(mld(extra="\toption macaddr 'random'\n")), "mld"),
    "unique-ssid": (config(ap("a", "radio1", ssid="S"), ap("b", "radio1", ssid="S")), "b"),
}


@pytest.mark.parametrize("rule", sorted(EVERY_STACK_CASES))
@pytest.mark.parametrize("caps", [MTK_SDK, UPSTREAM, UNKNOWN_6G, None],
                         ids=["mtk-sdk", "upstream", "unknown", "none"])
def test_rules_kept_on_every_stack(rule, caps):
    cfg, subject = EVERY_STACK_CASES[rule]
    assert (rule, subject) in rules(cfg, caps)
    assert scope.applies(rule, two_band_map())


def test_mld_acs_warns_on_every_stack_and_never_blocks():
    auto = TWO_BAND_RADIOS.replace("option channel '6'", "option channel 'auto'") \
        .replace("option channel '36'", "option channel 'auto'")
    cfg = config(mld(radios=TWO), radios=auto)
    for caps in (MTK_SDK, UPSTREAM, two_band_map(), None):
        v = safety.judge(cfg, cfg, caps)
        assert v.ok and [a.rule for a in v.advisories] == ["mld-acs"]
        assert v.caps is caps


# ------------------------------------------------------------------------- a two-band router
def test_two_band_mlo_ap_passes_every_rule():
    caps = two_band_map()
    cfg = two_band(mld(radios=TWO, enc="sae-mixed"), ap("guest", "radio0"),
                   sta("up", "radio1"))
    assert rules(cfg, caps) == [] and rules(cfg) == []
    v = safety.judge(two_band(), cfg, caps)
    assert v.ok and v.apply == "reboot"


def test_two_band_mld_listing_a_missing_6g_radio_is_flagged():
    caps = two_band_map()
    cfg = two_band(mld(radios=("radio0", "radio1", "radio2")))
    flagged = [v for v in safety.check_config(cfg, caps) if v.rule == "mld-min-links"]
    assert flagged and "radio2" in flagged[0].message


def test_two_band_constraints():
    caps = two_band_map()
    c = constraints.constraints(two_band(mld(radios=TWO), ap("a1", "radio1")), caps)
    assert sorted(c["radios"]) == ["radio0", "radio1"]
    r0, r1 = c["radios"]["radio0"], c["radios"]["radio1"]
    assert r0["band"] == "2g" and r1["band"] == "5g"
    assert r0["ap_slot_free"]["ok"] and not r1["ap_slot_free"]["ok"]
    assert r1["ap_slot_free"]["rule"] == "mlo-radio-extra-ap"
    assert r0["sta_allowed"]["ok"]
    assert not c["mlo_ap_possible"]["ok"] and c["mlo_ap_possible"]["rule"] == "single-mlo-ap"
    assert c["violations"] == []
    free = constraints.constraints(two_band(), caps)
    assert free["mlo_ap_possible"]["ok"] and free["mlo_sta_possible"]["ok"]
    assert free["radios"]["radio0"]["wds_allowed"]["ok"]


def test_two_band_fix_for():
    caps = two_band_map()
    cfg = two_band(mld(radios=TWO), ap("a", "radio0"), ap("b", "radio0"))
    (v,) = safety.check_config(cfg, caps)
    fix = safety.fix_for(cfg, v, caps)
    assert fix == {"method": "network_set", "args": {"section": "b",
                                                     "values": {"disabled": "1"}},
                   "label": fix["label"]}
    rnd = two_band(mld(radios=TWO, extra="\toption macaddr 'random'\n"))
    (v,) = safety.check_config(rnd, caps)
    assert safety.fix_for(rnd, v, caps)["args"]["values"] == {"macaddr": None}


# ------------------------------------------------------------------------- mt76 finding
CRASHING = detect(mt76_version="6.18.38.2026.07.01~59676919-r1")   # openwrt/mt76#1109


def test_mt76_mlo_client_crash_is_a_finding_where_the_map_shows_that_driver():
    assert CRASHING.mt76_mlo_client_crash is True
    out = findings.platform_findings(config(mld()), CRASHING)
    assert [(f["id"], f["subject"]) for f in out] == [("mt76-mlo-client-crash", "mld")]
    assert "#1109" in out[0]["source"] and "59676919" in out[0]["message"]
    # no MLO AP: nothing to say; another driver, or no map: nothing either
    assert findings.platform_findings(config(ap("a", "radio1")), CRASHING) == []
    fixed = detect(mt76_version="6.12.80.2026.09.01~be5ce791-r1")
    assert findings.platform_findings(config(mld()), fixed) == []
    assert findings.platform_findings(config(mld()), None) == []


def test_mt76_finding_is_not_a_safety_rule():
    # the config is fine; the driver is not: no write is refused, no rule id exists for it
    assert safety.check_config(config(mld()), CRASHING) == []
    assert "mt76-mlo-client-crash" not in scope.SCOPES


def test_mld_acs_stays_a_warning_the_factory_config_is_not_refused():
    # the MTK SDK factory config: an MLD over radios on `channel auto` (spec/platform.md §a.5);
    # were mld-acs a refusal, every write on a factory router would be refused
    from wifimgr.model.configset import ConfigSet
    from wifimgr.platform.ucitext import parse
    from wifimgr.sim.factory import WIRELESS

    cs = ConfigSet.of(parse(WIRELESS.replace("sae-mixed", "sae"), "wireless"))
    v = safety.judge(cs, cs, MTK_SDK)
    assert v.ok and "mld-acs" in [a.rule for a in v.advisories]
    assert "mld-acs" not in [safety.rule_id(r) for r in safety.RULES]
