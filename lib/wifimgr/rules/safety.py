"""The one safety module: which wireless configurations may reach the chip (MT7996/MT7992), and how.

Pure functions, no I/O. Every write path (wizards, inline edits, radio changes, restore, the
CLI, first-run defaults) calls :func:`judge` on the WHOLE resulting configuration, so one set of
rules protects all of them. Rule ids and meaning follow ``spec/combinations.md`` (see
``docs/safety.md`` for the table next to each rule).

Scope: every entry point takes the router's capability map (``caps``); a rule runs where
:mod:`wifimgr.rules.scope` says it applies on that map (its source is there too). ``caps=None``
means "stack unknown": every rule runs (the strict reading).

Counting: only enabled ifaces on existing, enabled radios run, so only they count. For the
crash rule the radios *listed* in an MLO AP count even when netifd would drop them from the MLD
(non-EHT or disabled): the safe reading.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.record import field, record
from ..model.configset import ConfigSet
from ..model.wireless import WPA3_6G, WirelessConfig, enc_base
from . import scope as _scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..model.capabilities import Capabilities
    from ..platform.ucitext import Package

LEGACY_AP_LIMIT = 4


@record(frozen=True)
class Violation:
    rule: str
    message: str
    subject: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message, "subject": self.subject}


@record
class Verdict:
    violations: list[Violation] = field(default_factory=list)
    apply: str = "none"  # none | reload | reboot
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: rule-id'ed warnings (never block): see :data:`ADVISORIES`
    advisories: list[Violation] = field(default_factory=list)
    #: the capability map it was judged on (None: stack unknown, every rule)
    caps: Capabilities | None = None

    @property
    def ok(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "apply": self.apply if self.ok else "none",
                "blocked": [v.as_dict() for v in self.violations], "reasons": self.reasons,
                "warnings": self.warnings,
                "advisories": [v.as_dict() for v in self.advisories]}


Rule = Callable[[WirelessConfig], list[Violation]]


def _rlabel(w: WirelessConfig, radio: str) -> str:
    r = w.radios.get(radio)
    return r.label if r else radio


# ---------------------------------------------------------------------------------- rules
def mlo_radio_extra_ap(w: WirelessConfig) -> list[Violation]:
    """X2: a second legacy AP on a radio of an MLO AP — the EDCCA crash case."""
    out = []
    for radio in sorted(w.mlo_ap_radios()):
        aps = w.legacy_aps_on(radio)
        if len(aps) >= 2:
            names = ", ".join(f"'{a.ssid}'" if a.ssid else a.name for a in aps)
            out.append(Violation(
                "mlo-radio-extra-ap",
                f"{_rlabel(w, radio)} is part of an MLO AP and would carry {len(aps)} extra "
                f"legacy APs ({names}); at most one is possible — a second one crashes the "
                "chip (EDCCA) and locks it until the router is unplugged for 15 minutes. "
                "Remove one of them or put it on a radio outside the MLO group.",
                radio))
    return out


def single_mlo_ap(w: WirelessConfig) -> list[Violation]:
    """X4: two MLO AP groups on the one wiphy."""
    aps = w.mlo_aps()
    return [Violation("single-mlo-ap",
                      f"{i.label} would be a second MLO AP, but {aps[0].label} already is one; "
                      "the chip has one wiphy and supports one MLO AP group. Add the bands to "
                      "the existing MLO AP or remove it first.", i.name)
            for i in aps[1:]]


def mlo_ap_sta_exclusive(w: WirelessConfig) -> list[Violation]:
    """X1: an MLO AP and an MLO STA need the same three radios."""
    if w.mlo_aps() and w.mlo_stas():
        sta = w.mlo_stas()[0]
        return [Violation("mlo-ap-sta-exclusive",
                          f"{sta.label} is an MLO STA while {w.mlo_aps()[0].label} is an MLO AP; "
                          "both need the same radios and cannot run together. Remove the MLO AP "
                          "or use a plain STA uplink on 2.4 or 5 GHz.", sta.name)]
    return []


def single_mlo_sta(w: WirelessConfig) -> list[Violation]:
    """X7: one wpa_supplicant, one MLO STA."""
    stas = w.mlo_stas()
    return [Violation("single-mlo-sta",
                      f"{i.label} would be a second MLO STA; only one MLO STA can run "
                      f"({stas[0].label} exists).", i.name) for i in stas[1:]]


def mlo_sta_single_uplink(w: WirelessConfig) -> list[Violation]:
    """X8: an MLO STA together with a non-MLO STA uplink."""
    if not w.mlo_stas():
        return []
    return [Violation("mlo-sta-single-uplink",
                      f"{i.label} is a STA uplink next to the MLO STA {w.mlo_stas()[0].label}; "
                      "only one uplink session can run. Remove one of them.", i.name)
            for i in w.uplinks()]


def no_6g_sta(w: WirelessConfig) -> list[Violation]:
    """X3: the driver routes band2 through the MLD path; a standalone 6 GHz STA finds
    nothing. A STA whose ``device`` list includes a 6 GHz radio is a STA on it."""
    out = []
    for i in w.uplinks():
        six = [r for r in w.radios_of(i) if w.band(r) == "6g"]
        if six:
            out.append(Violation(
                "no-6g-sta",
                f"{i.label} is a STA on {_rlabel(w, six[0])}; the chip cannot run a non-MLO "
                "STA on 6 GHz (a 6 GHz scan returns nothing). Use 2.4/5 GHz, or an MLO STA for "
                "a 6 GHz uplink.", i.name))
    return out


def uplink_not_on_mlo_radio(w: WirelessConfig) -> list[Violation]:
    """X6: WDS, relayd or repeater uplinks cannot share a radio with an MLO group."""
    mlo = w.mlo_ap_radios() | w.mlo_sta_radios()
    out = []
    for i in w.uplinks():
        kind = w.uplink_kind(i)
        shared = [r for r in w.radios_of(i) if r in mlo]
        if kind in ("wds", "relay", "repeater") and shared:
            what = {"wds": "WDS", "relay": "relayd", "repeater": "repeater"}[kind]
            out.append(Violation(
                "uplink-not-on-mlo-radio",
                f"{i.label} is a {what} uplink on {_rlabel(w, shared[0])}, which belongs to an "
                "MLO group; the driver cannot run an MLO link and a standalone STA of this kind "
                "on one radio. Choose a radio outside the MLO group.", i.name))
    return out


def repeater_distinct_radios(w: WirelessConfig) -> list[Violation]:
    """X5: a repeater's uplink STA and its local AP must be on different radios."""
    out = []
    stas = [i for i in w.uplinks() if w.uplink_kind(i) == "repeater"]
    aps = [i for i in w.legacy() if i.is_ap and i.repeater]
    for s in stas:
        for a in aps:
            shared = [r for r in w.radios_of(s) if r in w.radios_of(a)]
            if shared:
                out.append(Violation(
                    "repeater-distinct-radios",
                    f"repeater uplink {s.name} and its local AP {a.name} are both on "
                    f"{_rlabel(w, shared[0])}; a repeater needs the STA and the AP on "
                    "different radios.", a.name))
    return out


def legacy_ap_limit(w: WirelessConfig) -> list[Violation]:
    """C6/C10: up to four APs per radio."""
    out = []
    for radio in w.radios:
        aps = w.legacy_aps_on(radio)
        if len(aps) > LEGACY_AP_LIMIT:
            out.append(Violation(
                "legacy-ap-limit",
                f"{_rlabel(w, radio)} would carry {len(aps)} APs; at most {LEGACY_AP_LIMIT} "
                "per radio are supported.", radio))
    return out


def mld_min_links(w: WirelessConfig) -> list[Violation]:
    """An MLD needs two radios; a non-EHT radio is no link (the MTK netifd drops it silently,
    upstream hostapd does not attach a non-802.11be BSS to the MLD)."""
    out = []
    for i in w.mlo_aps() + w.mlo_stas():
        if i.is_ap:
            bad = [d for d in i.devices if d in w.radios and not w.radios[d].eht]
            if bad:
                out.append(Violation(
                    "mld-min-links",
                    f"{i.label} includes {', '.join(_rlabel(w, d) for d in bad)} whose htmode "
                    "is not EHT; such a radio cannot be a link of the MLD (it is dropped from "
                    "it). Set an EHT width on it or leave it out.", i.name))
        missing = [d for d in i.devices if d not in w.radios]
        if missing:
            out.append(Violation("mld-min-links",
                                 f"{i.label} lists unknown radios {', '.join(missing)}.",
                                 i.name))
        effective = w.mld_radios(i)
        if len(effective) < 2:
            out.append(Violation(
                "mld-min-links",
                f"{i.label} would have {len(effective)} working link(s); an MLO network needs "
                "at least two enabled radios.", i.name))
    return out


def wpa3_on_6g(w: WirelessConfig) -> list[Violation]:
    """6 GHz requires WPA3 (sae / sae-ext) or OWE, also for an MLD that includes a 6 GHz
    radio."""
    out = []
    for i in w.active():
        if not i.is_ap:
            continue
        if "6g" not in w.bands_of(i):
            continue
        if enc_base(i.encryption) not in WPA3_6G:
            out.append(Violation(
                "wpa3-on-6g",
                f"{i.label} includes a 6 GHz radio but uses encryption '{i.encryption}'; 6 GHz "
                "allows only WPA3 (sae, sae-ext) or OWE.", i.name))
    return out


def unique_ssid(w: WirelessConfig) -> list[Violation]:
    """Two APs with one SSID on one radio."""
    out = []
    seen: dict[tuple[str, str], str] = {}
    for i in w.active():
        if not i.is_ap or not i.ssid:
            continue
        for radio in w.radios_of(i):
            key = (radio, i.ssid)
            if key in seen and seen[key] != i.name:
                out.append(Violation(
                    "unique-ssid",
                    f"{i.label} and network {seen[key]} would both broadcast '{i.ssid}' on "
                    f"{_rlabel(w, radio)}; use a different SSID.", i.name))
            else:
                seen[key] = i.name
    return out


RANDOM_MAC_OPTIONS = ("macaddr", "mld_addr")


def mld_random_mac(w: WirelessConfig) -> list[Violation]:
    """``macaddr random`` on an MLO iface: the literal string reaches nl80211 and the MLD is
    never created (openwrt/openwrt PR #24955, AP and STA alike)."""
    out = []
    for i in w.mlo_aps() + w.mlo_stas():
        for opt in RANDOM_MAC_OPTIONS:
            if (i.section.get_str(opt) or "").strip().lower() == "random":
                out.append(Violation(
                    "mld-random-mac",
                    f"{i.label} is an MLO network with option {opt} 'random'; the MLD is then "
                    "never created (hostapd: invalid MAC address 'random'). Remove the option "
                    "or set a fixed address.", i.name))
    return out


def mld_acs(w: WirelessConfig) -> list[Violation]:
    """Advisory (never blocks): ``channel auto`` on two or more links of an MLO AP — hostapd's
    ACS runs on both at once, the second scan fails with -EBUSY and that link is dropped
    silently (openwrt/openwrt #25181, MT7996; why it only warns: rules/scope.py)."""
    out = []
    for i in w.mlo_aps():
        auto = acs_radios(w, i.name)
        if len(auto) >= 2:
            out.append(Violation(
                "mld-acs",
                f"{i.label} has {len(auto)} links on automatic channel selection "
                f"({', '.join(_rlabel(w, r) for r in auto)}); their ACS scans collide and one "
                "link may be dropped silently. Set fixed channels (the channel advisor "
                "suggests them).", i.name))
    return out


#: in the order of spec/combinations.md
RULES: tuple[Rule, ...] = (
    mlo_radio_extra_ap,
    single_mlo_ap,
    mlo_ap_sta_exclusive,
    single_mlo_sta,
    mlo_sta_single_uplink,
    no_6g_sta,
    uplink_not_on_mlo_radio,
    repeater_distinct_radios,
    legacy_ap_limit,
    mld_min_links,
    wpa3_on_6g,
    unique_ssid,
    mld_random_mac,
)

#: rules that warn and never block
ADVISORIES: tuple[Rule, ...] = (mld_acs,)

#: rules whose violation in a running configuration can crash or wedge the chip
CRASH_RULES = {"mlo-radio-extra-ap", "single-mlo-ap", "mlo-ap-sta-exclusive"}


def as_config(cfg: WirelessConfig | ConfigSet | Package) -> WirelessConfig:
    if isinstance(cfg, WirelessConfig):
        return cfg
    if isinstance(cfg, ConfigSet):
        return WirelessConfig.from_set(cfg)
    return WirelessConfig(cfg)


def rule_id(rule: Rule) -> str:
    return rule.__name__.replace("_", "-")


def active(rules: tuple[Rule, ...], caps: Capabilities | None) -> list[Rule]:
    """The rules of ``rules`` that apply on the stack of ``caps`` (all of them for None)."""
    return [r for r in rules if _scope.applies(rule_id(r), caps)]


def check_config(cfg: WirelessConfig | ConfigSet | Package,
                 caps: Capabilities | None = None) -> list[Violation]:
    """Every rule the configuration breaks (for ``status``, ``check`` and hand-edited files)."""
    w = as_config(cfg)
    out: list[Violation] = []
    for rule in active(RULES, caps):
        out.extend(rule(w))
    return out


def advisories(cfg: WirelessConfig | ConfigSet | Package,
               caps: Capabilities | None = None) -> list[Violation]:
    """Warnings with a rule id: the configuration may run, but not as intended."""
    w = as_config(cfg)
    return [v for rule in active(ADVISORIES, caps) for v in rule(w)]


# ----------------------------------------------------------------------- apply method
def _mlo_radios(w: WirelessConfig) -> set[str]:
    return w.mlo_ap_radios() | w.mlo_sta_radios()


def _opts(sec) -> dict:
    return dict(sec.options) if sec is not None else {}


def _iface_change(a, p, name: str, radios: str) -> str:
    """The reason an iface change on an MLO radio reboots, as "it …" reads it."""
    ssid = (p if p is not None else a).ssid if (p or a) is not None else None
    where = f"{(repr(ssid) if ssid else name)} on an MLO radio ({radios})"
    if a is None:
        return f"adds AP {where}"
    if p is None:
        return f"removes AP {where}"
    if a.is_ap and not p.is_ap:
        return f"turns AP {where} into a {p.mode.upper()}"
    if p.is_ap and not a.is_ap:
        return f"turns {a.mode.upper()} {where} into an AP"
    if a.disabled != p.disabled:
        return f"{'disables' if p.disabled else 'enables'} AP {where}"
    if a.devices != p.devices:
        return f"moves AP {where}"
    return f"changes AP {where}"


def apply_method(applied: WirelessConfig, proposed: WirelessConfig) -> tuple[str, list[str]]:
    """``none``, ``reload`` or ``reboot`` for going from ``applied`` (what runs) to
    ``proposed`` — rule ``mlo-apply-reboot`` of spec/combinations.md, decided from the change
    (before *and* after), never from the result alone:

    * an MLO iface (AP or STA) created, removed or edited → reboot;
    * an AP on a radio of an MLO AP before or after — added, removed, disabled or enabled,
      moved, turned into a STA (or a STA turned into one), or edited, also while disabled
      (netifd restarts the radio for it) → reboot;
      next to an MLO STA only, APs are a reload (C10), and STA uplinks next to an MLO AP
      are a reload (C3);
    * a radio of an MLO group changed (channel, width, disabled, TX power, puncturing …), the
      country changed, or eFuse-maximum TX power switched on → reboot;
    * anything else → reload.
    """
    if applied.package.to_text() == proposed.package.to_text():
        return "none", []
    reasons: list[str] = []
    ap_mlo_radios = applied.mlo_ap_radios() | proposed.mlo_ap_radios()
    mlo_radios = _mlo_radios(applied) | _mlo_radios(proposed)
    a_if = {i.name: i for i in applied.ifaces}
    p_if = {i.name: i for i in proposed.ifaces}
    for name in sorted(set(a_if) | set(p_if)):
        a, p = a_if.get(name), p_if.get(name)
        if a is not None and p is not None and _opts(a.section) == _opts(p.section) \
                and a.section.type == p.section.type:
            continue
        if (a is not None and a.mlo) or (p is not None and p.mlo):
            verb = "creates" if a is None else "removes" if p is None else "changes"
            lbl = (p if p is not None else a).label.removeprefix("network ")
            reasons.append(f"{verb} the MLO network {lbl}")
            continue
        # an AP before or after, on a radio of an MLO AP — also a disabled one: netifd
        # restarts the radio for any change of its ifaces' sections
        was_ap = a is not None and a.is_ap
        is_ap = p is not None and p.is_ap
        radios = set(a.devices if a is not None else []) | set(p.devices if p is not None
                                                              else [])
        if (was_ap or is_ap) and radios & ap_mlo_radios:
            reasons.append(_iface_change(a, p, name, ", ".join(sorted(radios & ap_mlo_radios))))
    a_r, p_r = applied.radios, proposed.radios
    for name in sorted(set(a_r) | set(p_r)):
        a, p = a_r.get(name), p_r.get(name)
        ao, po = _opts(a.section if a else None), _opts(p.section if p else None)
        if ao == po:
            continue
        rl = (p if p is not None else a).label
        if ao.get("country") != po.get("country"):
            reasons.append(f"changes the country of {rl}")
        elif ("sku_idx" in ao and "sku_idx" not in po) or (
                po.get("txpower_mode") == "efuse_max" != ao.get("txpower_mode")):
            reasons.append(f"switches {rl} to eFuse maximum TX power")
        elif name in mlo_radios:
            reasons.append(f"changes {rl}, which belongs to an MLO group")
    return ("reboot" if reasons else "reload"), reasons


def judge(applied: WirelessConfig | ConfigSet | Package,
          proposed: WirelessConfig | ConfigSet | Package,
          caps: Capabilities | None = None) -> Verdict:
    """Verdict for making ``proposed`` live when ``applied`` is what runs now, on the stack of
    ``caps`` (None: unknown, every rule)."""
    a, p = as_config(applied), as_config(proposed)
    v = Verdict(violations=check_config(p, caps), advisories=advisories(p, caps), caps=caps)
    v.warnings.extend(x.message for x in v.advisories)
    if p.dialect == "mtk-24.10":
        v.warnings.extend(p.dialect_notes())
    if v.violations:
        v.apply = "none"
        return v
    v.apply, v.reasons = apply_method(a, p)
    if v.apply == "reload":
        running = check_config(a, caps)
        if running:
            # a hand-edited unsafe configuration is live: never `wifi reload` over it
            v.apply = "reboot"
            v.reasons.append("the running configuration breaks "
                             + ", ".join(sorted({x.rule for x in running}))
                             + "; it is replaced by a reboot, never a reload")
    for r in p.radios.values():
        if r.disabled and (r.name in _mlo_radios(p) or r.name in _mlo_radios(a)):
            v.warnings.append(f"{r.name} is disabled; this changes the MLD topology and "
                              "re-enabling it later needs a power cycle.")
    return v


# ----------------------------------------------------------------------- fixes
def _disable(name: str, w: WirelessConfig | None = None) -> dict[str, Any]:
    iface = w.iface(name) if w is not None else None
    return {"method": "network_set", "args": {"section": name, "values": {"disabled": "1"}},
            "label": f"Disable {iface.label if iface is not None else 'network ' + name}"}


def _fix_candidates(w: WirelessConfig, v: Violation) -> list[dict[str, Any]]:
    """Calls that might clear ``v``, least destructive first (each is checked below)."""
    iface = w.iface(v.subject)
    if v.rule == "wpa3-on-6g" and iface is not None:
        enc = "sae" if iface.section.get_str("key") else "owe"
        return [{"method": "network_set",
                 "args": {"section": v.subject, "values": {"encryption": enc}},
                 "label": f"Use {enc.upper()} on {iface.label}"}]
    if v.rule == "mld-random-mac" and iface is not None:
        opts = [o for o in RANDOM_MAC_OPTIONS
                if (iface.section.get_str(o) or "").strip().lower() == "random"]
        return [{"method": "network_set",
                 "args": {"section": v.subject, "values": dict.fromkeys(opts)},
                 "label": f"Let {iface.label} use its own MAC address"}]
    if v.rule in ("mlo-radio-extra-ap", "legacy-ap-limit") and v.subject in w.radios:
        # disable the last AP on the radio (the newest one, usually the one added by hand)
        return [_disable(i.name, w) for i in reversed(w.legacy_aps_on(v.subject))]
    if iface is not None:
        return [_disable(v.subject, w)]
    return []


def acs_radios(cfg: WirelessConfig | ConfigSet | Package, mld: str) -> list[str]:
    """The links of MLO AP ``mld`` on automatic channel selection (rule ``mld-acs``)."""
    w = as_config(cfg)
    i = w.iface(mld)
    if i is None:
        return []
    return [r for r in w.mld_radios(i) if w.radios[r].channel == "auto"]


def _apply_fix(w: WirelessConfig, fix: dict[str, Any]) -> WirelessConfig:
    pkg = w.package.copy()
    sec = pkg.get(fix["args"]["section"])
    assert sec is not None
    for opt, val in fix["args"]["values"].items():
        sec.set(opt, val)
    return WirelessConfig(pkg, w.network)


def fix_for(cfg: WirelessConfig | ConfigSet | Package, v: Violation,
            caps: Capabilities | None = None) -> dict[str, Any] | None:
    """The write (method, args and a label) that clears violation ``v`` without breaking any
    other rule of the stack of ``caps`` — verified by running the rules on the result — or
    None."""
    w = as_config(cfg)
    others = {(x.rule, x.subject) for x in check_config(w, caps)} - {(v.rule, v.subject)}
    for fix in _fix_candidates(w, v):
        after = {(x.rule, x.subject) for x in check_config(_apply_fix(w, fix), caps)}
        if (v.rule, v.subject) not in after and after <= others:
            return fix
    return None


# ----------------------------------------------------------------------- constraints
def new_violations(base: list[Violation], after: list[Violation]) -> list[Violation]:
    seen = {(x.rule, x.subject) for x in base}
    return [x for x in after if (x.rule, x.subject) not in seen]
