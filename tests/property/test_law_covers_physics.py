"""Law covers physics: the safety rules (``wifimgr.rules.safety``) and the twin's bring-up and crash
model (``wifimgr.sim.runtime``) are two independent readings of spec/combinations.md. On whole
random wireless configurations — radios enabled and disabled, device lists, MLO and legacy
ifaces of every mode, disabled ifaces, hand-edited oddities — whatever the twin would crash on
or refuse to bring up, ``check`` blocks with the rule of that table row; whatever ``check``
accepts, the twin brings up without a crash. And on random changes of an accepted
configuration: whatever the verdict applies by ``wifi reload``, the twin reloads without a
crash, without breaking a link of the running MLD and without leaving an MLO change pending.

The two readings share no decision code: the twin never imports the model or the rules (a
test below greps for it). ``TWIN_TO_RULES`` is the only bridge: it names, for each way the
twin can fail, the rule ids that stand for the same row of the table.

Both properties run on every twin profile (:mod:`wifimgr.sim.profiles`): the generators use
the profile's radios (two on the MT7992 router) and the twin reads the configuration as that
stack does. A failure the rules only warn about (an advisory, ``ADVISORY_COVERED``) must draw
that advisory instead of a block, and does not count against "accepted → runs".
"""

from __future__ import annotations

import pathlib
import re

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from wifimgr.model.wireless import WirelessConfig
from wifimgr.platform.ucitext import Package
from wifimgr.rules import safety
from wifimgr.sim import profiles, runtime

#: how the twin fails → the rules that must block it (spec/combinations.md rows)
TWIN_TO_RULES: dict[str, set[str]] = {
    "edcca-crash": {"mlo-radio-extra-ap"},                                       # X2
    "one-mld-per-chip": {"single-mlo-ap", "mlo-ap-sta-exclusive", "single-mlo-sta"},  # X1 X4 X7
    "mld-random-mac": {"mld-random-mac"},
    "mld-link-not-eht": {"mld-min-links"},
    "sta-6g-scan-empty": {"no-6g-sta"},                                          # X3
    "standalone-sta-on-mld-radio": {"uplink-not-on-mlo-radio"},                  # X6
    "repeater-ap-on-uplink-radio": {"repeater-distinct-radios"},                 # X5
    "second-uplink": {"mlo-sta-single-uplink"},                                  # X8
    "bss-limit": {"legacy-ap-limit"},                                            # C6
    # upstream profiles: ACS on two or more AP MLD links (openwrt/openwrt#25181)
    "mld-acs-link-dropped": {"mld-acs"},
}

#: twin failures the rules cover with an advisory (a warning), not a block: the MLD still
#: comes up, one link short; check must warn, the verdict may accept
ADVISORY_COVERED = {"mld-acs-link-dropped"}

PROFILES = list(profiles.PROFILES)
RADIO_NAMES = ("radio0", "radio1", "radio2")
BANDS = {"radio0": "2g", "radio1": "5g", "radio2": "6g"}


def names_of(profile: str) -> tuple[str, ...]:
    return tuple(f"radio{i}" for i in profiles.get(profile).radio_indices)
HTMODES = {"2g": ["EHT40", "EHT20", "HE40"], "5g": ["EHT160", "EHT80", "HE80"],
           "6g": ["EHT320", "EHT160", "HE160"]}
CHANNELS = {"2g": ["auto", "6", "1"], "5g": ["auto", "36", "100"], "6g": ["37", "auto", "69"]}
TRUE = ["1", "true", "on", "yes"]
FALSE = ["0", "false", "off", "no"]


@st.composite
def radio_opts(draw, name: str) -> dict | None:
    band = BANDS[name]
    if name == "radio2" and draw(st.integers(0, 9)) == 0:
        return None                                   # a board without the 6 GHz radio
    opts = {"type": "mac80211", "radio": name[-1], "band": band,
            "channel": draw(st.sampled_from(CHANNELS[band])),
            "htmode": draw(st.sampled_from(HTMODES[band])), "country": "DE"}
    if draw(st.integers(0, 3)) == 0:
        opts["disabled"] = draw(st.sampled_from(TRUE))
    elif draw(st.booleans()):
        opts["disabled"] = draw(st.sampled_from(FALSE))
    return opts


@st.composite
def devices(draw, *, mlo: bool, names: tuple[str, ...] = RADIO_NAMES) -> str | list[str]:
    device = st.sampled_from([*names, "radio9"])
    if mlo:
        return draw(st.lists(device, min_size=1, max_size=3, unique=True))
    shape = draw(st.integers(0, 9))
    if shape <= 6:
        return draw(device)                           # the usual single radio
    if shape <= 8:                                    # a netifd 25.12 multi-radio iface
        return draw(st.lists(device, min_size=2, max_size=3))   # duplicates allowed
    return " ".join(draw(st.lists(device, min_size=2, max_size=2)))  # scalar, split by netifd


@st.composite
def iface_opts(draw, names: tuple[str, ...] = RADIO_NAMES) -> dict:
    mlo = draw(st.integers(0, 4)) == 0
    mode = draw(st.sampled_from(["ap", "ap", "ap", "sta", "sta", None, "mesh", "monitor"]))
    opts: dict = {"device": draw(devices(mlo=mlo, names=names))}
    if mode is not None:
        opts["mode"] = mode
    if mlo:
        opts["mlo"] = draw(st.sampled_from(TRUE))
    elif draw(st.integers(0, 5)) == 0:
        opts["mlo"] = draw(st.sampled_from(FALSE))
    opts["ssid"] = draw(st.sampled_from(["Home", "Guest", "Iot", "Up"]))
    opts["encryption"] = draw(st.sampled_from(["sae", "psk2", "sae-mixed", "owe", "none"]))
    if opts["encryption"] not in ("owe", "none"):
        opts["key"] = "secret-pass"
    if mode == "sta" and not mlo:
        flavour = draw(st.sampled_from(["plain", "wds", "repeater", "relay"]))
        opts["network"] = "relayd_up" if flavour == "relay" else "wwan"
        if flavour == "wds":
            opts["wds"] = "1"
        if flavour == "repeater":
            opts["repeater"] = "1"
    else:
        opts["network"] = "lan"
        if draw(st.integers(0, 5)) == 0:
            opts["repeater"] = "1"
    if draw(st.integers(0, 4)) == 0:
        opts["disabled"] = draw(st.sampled_from(TRUE + FALSE))
    if draw(st.integers(0, 7)) == 0:
        opts[draw(st.sampled_from(["macaddr", "mld_addr"]))] = draw(
            st.sampled_from(["random", "Random", "02:11:22:33:44:55"]))
    return opts


@st.composite
def wireless(draw, names: tuple[str, ...] = RADIO_NAMES) -> Package:
    pkg = Package("wireless")
    for name in names:
        opts = draw(radio_opts(name))
        if opts is None:
            continue
        sec = pkg.add("wifi-device", name)
        for k, v in opts.items():
            sec.set(k, v)
    for n in range(draw(st.integers(0, 7))):
        sec = pkg.add("wifi-iface", f"if{n}")
        for k, v in draw(iface_opts(names)).items():
            sec.set(k, v)
    if draw(st.integers(0, 5)) == 0:                  # a crowded radio (C6: four APs at most)
        radio = draw(st.sampled_from(names))
        for n in range(draw(st.integers(4, 6))):
            sec = pkg.add("wifi-iface", f"crowd{n}")
            for k, v in {"device": radio, "mode": "ap", "ssid": f"c{n}", "encryption": "sae",
                         "key": "secret-pass", "network": "lan"}.items():
                sec.set(k, v)
    if draw(st.integers(0, 5)) == 0:                  # a repeater pair (C11 / X5)
        up, ap = draw(st.sampled_from(names)), draw(st.sampled_from(names))
        for name, radio, mode in (("rep_sta", up, "sta"), ("rep_ap", ap, "ap")):
            sec = pkg.add("wifi-iface", name)
            for k, v in {"device": radio, "mode": mode, "ssid": "Rep", "encryption": "psk2",
                         "key": "secret-pass", "repeater": "1",
                         "network": "wwan" if mode == "sta" else "lan"}.items():
                sec.set(k, v)
    return pkg


def network(with_relay: bool) -> Package:
    pkg = Package("network")
    pkg.add("interface", "lan").set("proto", "static")
    if with_relay:
        pkg.add("interface", "relayd_up").set("proto", "dhcp")
        bridge = pkg.add("interface", "relay_bridge")
        bridge.set("proto", "relay")
        bridge.set("network", ["relayd_up", "lan"])
    return pkg


def twin_failures(pkg: Package, net: Package, booted: Package | None = None,
                  profile: str = profiles.DEFAULT) -> list[tuple[str, str]]:
    """(twin failure code, section or radio) for bringing ``pkg`` up at boot on ``profile``."""
    booted = booted if booted is not None else pkg
    out = [("edcca-crash", f"radio{r}") for r in runtime.edcca_crash_radios(pkg, booted)]
    rt = runtime.build(pkg, booted, net, profile=profiles.get(profile))
    out += [(p.code, p.section) for p in rt.problems if p.kind != "ignored"]
    return out


def blocking(failures: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The failures a verdict must not accept (advisory-covered ones excluded)."""
    return [f for f in failures if f[0] not in ADVISORY_COVERED]


def uncovered(pkg: Package, net: Package, profile: str = profiles.DEFAULT) -> list[str]:
    """Twin failures the rules do not block — or, for an advisory-covered one, do not warn
    about (empty when the law covers the physics)."""
    w = WirelessConfig(pkg, net)
    violations = safety.check_config(w)
    rules = {v.rule for v in violations}
    warned = {v.rule for v in safety.advisories(w)}
    crash_subjects = {v.subject for v in violations if v.rule == "mlo-radio-extra-ap"}
    out = []
    for code, subject in twin_failures(pkg, net, profile=profile):
        if code in ADVISORY_COVERED and rules:
            continue            # blocked by another rule: the configuration never runs
        covered = rules | warned if code in ADVISORY_COVERED else rules
        if not covered & TWIN_TO_RULES[code]:
            out.append(f"{code} ({subject}) not blocked; rules: {sorted(rules)}")
        elif code == "edcca-crash" and subject not in crash_subjects:
            out.append(f"edcca-crash on {subject} blocked on {sorted(crash_subjects)} only")
    return out


@pytest.mark.parametrize("profile", PROFILES)
def test_whatever_the_twin_cannot_run_check_blocks(profile):
    names = names_of(profile)

    @settings(max_examples=400 if profile == profiles.DEFAULT else 200, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(wireless(names), st.booleans())
    def prop(pkg, relay):
        net = network(relay)
        assert uncovered(pkg, net, profile) == [], pkg.to_text()
        verdict = safety.judge(WirelessConfig(Package("wireless")), WirelessConfig(pkg, net))
        if verdict.ok:                                # accepted → the twin runs it all
            assert blocking(twin_failures(pkg, net, profile=profile)) == [], pkg.to_text()

    prop()


# ------------------------------------------------------------------ changes and the apply method
@st.composite
def edit(draw, pkg: Package, names: tuple[str, ...] = RADIO_NAMES) -> Package:
    """One random change, as the write methods and hand edits make them."""
    new = pkg.copy()
    ifaces = new.of_type("wifi-iface")
    radios = new.of_type("wifi-device")
    what = draw(st.sampled_from(["add", "remove", "disable", "enable", "mode", "move", "ssid",
                                 "radio", "mlo-off", "sta-flag"]))
    if what == "add" or not ifaces:
        sec = new.add("wifi-iface", new.unique_name("new"))
        for k, v in draw(iface_opts(names)).items():
            sec.set(k, v)
        return new
    sec = draw(st.sampled_from(ifaces))
    if what == "remove":
        new.remove(sec.name)
    elif what == "disable":
        sec.set("disabled", "1")
    elif what == "enable":
        sec.set("disabled", None)
    elif what == "mode":
        sec.set("mode", "sta" if (sec.get_str("mode") or "ap") == "ap" else "ap")
    elif what == "move":
        sec.set("device", draw(devices(mlo=sec.get_bool("mlo"), names=names)))
    elif what == "ssid":
        sec.set("ssid", draw(st.sampled_from(["Home", "Other", "Third"])))
    elif what == "mlo-off":
        sec.set("mlo", None)
    elif what == "sta-flag":
        sec.set(draw(st.sampled_from(["wds", "repeater"])), draw(st.sampled_from(["1", None])))
    elif what == "radio" and radios:
        r = draw(st.sampled_from(radios))
        band = r.get_str("band") or "2g"
        opt = draw(st.sampled_from(["channel", "htmode", "disabled", "txpower"]))
        value = {"channel": st.sampled_from(CHANNELS[band]),
                 "htmode": st.sampled_from(HTMODES[band]),
                 "disabled": st.sampled_from(["1", "0", None]),
                 "txpower": st.sampled_from(["10", "20", None])}[opt]
        r.set(opt, draw(value))
    return new


@st.composite
def running_mlo(draw, names: tuple[str, ...] = RADIO_NAMES) -> Package:
    """A configuration as the wizards leave it: EHT radios, an MLO AP (or MLO STA) over two or
    three of them, up to one legacy AP per radio and maybe a STA uplink."""
    pkg = Package("wireless")
    for name in names:
        sec = pkg.add("wifi-device", name)
        band = BANDS[name]
        for k, v in {"type": "mac80211", "radio": name[-1], "band": band,
                     "channel": draw(st.sampled_from([c for c in CHANNELS[band] if c != "auto"])),
                     "htmode": HTMODES[band][0], "country": "DE"}.items():
            sec.set(k, v)
    mode = draw(st.sampled_from(["ap", "ap", "sta"]))
    mld = pkg.add("wifi-iface", "mld")
    pairs = [list(names), *([a, b] for n, a in enumerate(names) for b in names[n + 1:])]
    for k, v in {"device": draw(st.sampled_from(pairs)),
                 "mode": mode, "mlo": "1", "ssid": "Home", "encryption": "sae",
                 "key": "secret-pass", "network": "lan" if mode == "ap" else "wwan"}.items():
        mld.set(k, v)
    for name in names:
        if draw(st.booleans()):
            sec = pkg.add("wifi-iface", f"ap_{name}")
            for k, v in {"device": name, "mode": "ap", "ssid": f"Guest-{name}",
                         "encryption": "sae", "key": "secret-pass", "network": "lan"}.items():
                sec.set(k, v)
    if mode == "ap" and draw(st.booleans()):
        sec = pkg.add("wifi-iface", "uplink")
        for k, v in {"device": draw(st.sampled_from(["radio0", "radio1"])), "mode": "sta",
                     "ssid": "Up", "encryption": "psk2", "key": "secret-pass",
                     "network": "wwan"}.items():
            sec.set(k, v)
    return pkg


@st.composite
def live_and_change(draw, names: tuple[str, ...] = RADIO_NAMES):
    """An accepted configuration that runs (the twin booted it) and a change to it."""
    relay = draw(st.booleans())
    net = network(relay)
    live = draw(running_mlo(names)) if draw(st.integers(0, 2)) else draw(wireless(names))
    if safety.check_config(WirelessConfig(live, net)):
        live = Package("wireless")
    proposed = live
    for _ in range(draw(st.integers(1, 3))):
        proposed = draw(edit(proposed, names))
    return live, proposed, net


def reload_outcome(live: Package, proposed: Package, net: Package,
                   profile: str = profiles.DEFAULT) -> list[str]:
    """What goes wrong in the twin when ``proposed`` is made live by ``wifi reload`` while the
    chip booted ``live``."""
    out = []
    crash = runtime.edcca_crash_radios(proposed, live)
    if crash:
        out.append(f"EDCCA crash on radio(s) {crash}")
    if runtime.mlo_part(proposed) != runtime.mlo_part(live):
        out.append("an MLO change stays pending (MLO changes need a reboot)")
    prof = profiles.get(profile)
    mld = next((b for b in runtime.build(live, live, net, profile=prof).bsses
                if b.mld and b.mode == "ap"), None)
    if mld is not None:
        hit = runtime.restarted_radios(live, proposed) & set(mld.radios)
        if hit and set(mld.radios) - hit:
            out.append(f"restarting radio(s) {sorted(hit)} breaks the MLD's sibling links")
    out += [f"{code} ({subject})" for code, subject in
            blocking(twin_failures(proposed, net, live, profile))]
    return out


@pytest.mark.parametrize("profile", PROFILES)
def test_whatever_the_verdict_reloads_the_twin_reloads_cleanly(profile):
    @settings(max_examples=300 if profile == profiles.DEFAULT else 150, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(live_and_change(names_of(profile)))
    def prop(case):
        live, proposed, net = case
        verdict = safety.judge(WirelessConfig(live, net), WirelessConfig(proposed, net))
        if verdict.ok and verdict.apply == "reload":
            assert reload_outcome(live, proposed, net, profile) == [], \
                (live.to_text(), proposed.to_text())

    prop()


# ------------------------------------------------------------------ the law can fail
BROKEN_AT_A_GLANCE = {
    # each rule of the table, removed, lets a config through that the twin cannot run
    "mlo-radio-extra-ap": """
config wifi-device 'radio0'
	option band '2g'
	option radio '0'
	option htmode 'EHT40'
config wifi-device 'radio1'
	option band '5g'
	option radio '1'
	option htmode 'EHT160'
config wifi-iface 'mld'
	list device 'radio0'
	list device 'radio1'
	option mode 'ap'
	option mlo '1'
	option ssid 'M'
	option encryption 'sae'
	option key 'secret-pass'
config wifi-iface 'a'
	option device 'radio1'
	option mode 'ap'
	option ssid 'a'
config wifi-iface 'b'
	list device 'radio0'
	list device 'radio1'
	option mode 'ap'
	option ssid 'b'
""",
    "no-6g-sta": """
config wifi-device 'radio1'
	option band '5g'
	option radio '1'
config wifi-device 'radio2'
	option band '6g'
	option radio '2'
config wifi-iface 's'
	list device 'radio1'
	list device 'radio2'
	option mode 'sta'
	option ssid 'Up'
""",
}


#: a search for a counterexample: the first one found is enough (no shrinking, no database)
SEARCH = settings(max_examples=3000, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("rule", sorted(BROKEN_AT_A_GLANCE))
def test_control_removing_a_rule_breaks_the_law(rule, monkeypatch):
    from wifimgr.platform.ucitext import parse

    pkg = parse(BROKEN_AT_A_GLANCE[rule], "wireless")
    net = network(False)
    assert uncovered(pkg, net) == []
    monkeypatch.setattr(safety, "RULES", tuple(r for r in safety.RULES
                                               if r.__name__ != rule.replace("-", "_")))
    assert uncovered(pkg, net), f"without {rule} the twin's failure must go unblocked"


def test_control_the_property_finds_a_removed_rule_by_itself(monkeypatch):
    """Run the random search with each crash-or-refusal rule removed in turn: it must find a
    configuration the twin cannot run (hypothesis raises when the property fails)."""
    for rule in ("mlo_radio_extra_ap", "no_6g_sta", "uplink_not_on_mlo_radio",
                 "single_mlo_ap", "legacy_ap_limit", "mld_random_mac",
                 "repeater_distinct_radios", "mlo_sta_single_uplink"):
        monkeypatch.setattr(safety, "RULES", tuple(r for r in safety.RULES
                                                   if r.__name__ != rule))
        found = find(st.tuples(wireless(), st.booleans()),
                     lambda c: bool(uncovered(c[0], network(c[1]))), settings=SEARCH)
        assert found is not None, rule
        monkeypatch.undo()


def test_control_a_reload_of_an_ap_on_an_mlo_radio_is_caught(monkeypatch):
    """Make the apply method say `reload` for everything but MLO ifaces: the reload property
    must find a change that breaks the twin."""
    original = safety.apply_method

    def naive(applied, proposed):
        method, _reasons = original(applied, proposed)
        return ("none", []) if method == "none" else ("reload", [])

    monkeypatch.setattr(safety, "apply_method", naive)

    def breaks(case):
        live, proposed, net = case
        v = safety.judge(WirelessConfig(live, net), WirelessConfig(proposed, net))
        return v.ok and v.apply == "reload" and bool(reload_outcome(live, proposed, net))

    found = find(live_and_change(), breaks, settings=SEARCH)
    assert found is not None


def test_the_twin_shares_no_decision_code_with_the_rules():
    sim = pathlib.Path(__file__).resolve().parents[2] / "lib" / "wifimgr" / "sim"
    imports = re.compile(r"^\s*(from\s+\S+\s+import\s+.*|import\s+.*)$", re.M)
    for path in sim.glob("*.py"):
        for line in imports.findall(path.read_text()):
            for forbidden in ("safety", "wireless", "model", "validate"):
                assert not re.search(rf"\b{forbidden}\b", line), f"{path.name}: {line}"


ACS_MLD = """
config wifi-device 'radio0'
	option band '2g'
	option radio '0'
	option channel 'auto'
	option htmode 'EHT40'
config wifi-device 'radio1'
	option band '5g'
	option radio '1'
	option channel 'auto'
	option htmode 'EHT80'
config wifi-iface 'mld'
	option device 'radio0 radio1'
	option mode 'ap'
	option mlo '1'
	option ssid 'M'
	option encryption 'sae'
	option key 'secret-pass'
"""


@pytest.mark.parametrize("profile", PROFILES)
def test_acs_on_two_mld_links_per_stack(profile):
    """Mainline drops all but one link (openwrt/openwrt#25181) and the advisory covers it;
    the MTK SDK reading has no such drop."""
    from wifimgr.platform.ucitext import parse

    pkg = parse(ACS_MLD, "wireless")
    codes = [c for c, _ in twin_failures(pkg, network(False), profile=profile)]
    assert ("mld-acs-link-dropped" in codes) == profiles.get(profile).acs_mld_drop
    assert uncovered(pkg, network(False), profile) == []


def test_control_without_the_acs_advisory_the_mainline_drop_goes_unwarned(monkeypatch):
    from wifimgr.platform.ucitext import parse

    pkg = parse(ACS_MLD, "wireless")
    monkeypatch.setattr(safety, "ADVISORIES", ())
    assert uncovered(pkg, network(False), "bpi-r4-mtk") == []       # no drop on the MTK SDK
    assert uncovered(pkg, network(False), "bpi-r4-mainline")        # unwarned on mainline
    assert uncovered(pkg, network(False), "be7200-mainline")
