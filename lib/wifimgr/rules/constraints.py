"""What the safety module allows right now, per radio and for MLO: the wizards' disabled
options. Computed by running the same rules (:mod:`wifimgr.rules.safety`) on hypothetical
configurations — one more AP, STA, WDS, relay or repeater uplink on each radio, one more MLO
AP or STA — so the UI and the backend never disagree. Pure."""

from __future__ import annotations

import re
from functools import partial

from ..model.wireless import BAND_LABEL, WirelessConfig
from .safety import as_config, check_config, new_violations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..model.capabilities import Capabilities
    from ..model.configset import ConfigSet
    from ..platform.ucitext import Package


def _probe(w: WirelessConfig, mutate: Callable[[Package], None],
           caps: Capabilities | None = None) -> dict[str, Any]:
    pkg = w.package.copy()
    mutate(pkg)
    trial = WirelessConfig(pkg, w.network)
    new = new_violations(check_config(w, caps), check_config(trial, caps))
    if new:
        added = {x.name for x in pkg.sections} - {x.name for x in w.package.sections}
        reason = new[0].message
        for name in added:   # the hypothetical section is "the new network" to the user
            probe = trial.iface(name)
            if probe is not None:
                reason = reason.replace(probe.label, "the new network")
            reason = re.sub(rf"network {re.escape(name)}( '[^']*')?", "the new network", reason)
            reason = re.sub(rf"\b{re.escape(name)}\b", "the new one", reason)
        return {"ok": False, "rule": new[0].rule, "reason": reason}
    return {"ok": True, "rule": None, "reason": None}


def _add_iface(radios: list[str], **opts: Any) -> Callable[[Package], None]:
    def mutate(pkg: Package) -> None:
        sec = pkg.add("wifi-iface", pkg.unique_name("probe"))
        if len(radios) == 1 and not opts.get("mlo"):
            sec.set("device", radios[0])
        else:
            sec.set("device", list(radios))
        for k, val in opts.items():
            sec.set(k, val)
    return mutate


def constraints(cfg: WirelessConfig | ConfigSet | Package,
                caps: Capabilities | None = None) -> dict[str, Any]:
    """What the safety module would allow right now on the stack of ``caps``, per radio and for
    MLO — computed by running the same rules on hypothetical configurations, so UI and backend
    never disagree."""
    w = as_config(cfg)
    probe = partial(_probe, caps=caps)
    relay_net = "wifimgr_probe_relay"
    out: dict[str, Any] = {"radios": {}}
    for name, r in w.radios.items():
        band = r.band
        enc = "sae" if band == "6g" else "psk2"
        info: dict[str, Any] = {
            "band": band,
            "label": BAND_LABEL.get(band or "", "?"),
            "disabled": r.disabled,
            "eht": r.eht,
            "in_mlo_ap": name in w.mlo_ap_radios(),
            "in_mlo_sta": name in w.mlo_sta_radios(),
            "legacy_ap_count": len(w.legacy_aps_on(name)),
            "ap_slot_free": probe(w, _add_iface([name], mode="ap", ssid="\x00probe",
                                                encryption=enc)),
            "sta_allowed": probe(w, _add_iface([name], mode="sta", ssid="probe",
                                               encryption="psk2")),
            "wds_allowed": probe(w, _add_iface([name], mode="sta", ssid="probe", wds=True,
                                               encryption="psk2")),
            "repeater_uplink_allowed": probe(w, _add_iface([name], mode="sta", ssid="probe",
                                                           repeater=True, encryption="psk2")),
        }
        relay_w = WirelessConfig(w.package, _with_relay(w.network, relay_net))
        info["relay_allowed"] = probe(relay_w, _add_iface([name], mode="sta", ssid="probe",
                                                          network=relay_net,
                                                          encryption="psk2"))
        out["radios"][name] = info
    eht = [n for n, r in w.radios.items() if r.eht and not r.disabled]
    out["mlo_ap_possible"] = probe(w, _add_iface(eht or list(w.radios)[:1], mode="ap",
                                                 mlo=True, ssid="\x00probe-mld",
                                                 encryption="sae"))
    out["mlo_sta_possible"] = probe(w, _add_iface([n for n, r in w.radios.items()
                                                   if not r.disabled], mode="sta", mlo=True,
                                                  ssid="probe", encryption="sae"))
    out["violations"] = [v.as_dict() for v in check_config(w, caps)]
    return out


def _with_relay(network: Package, name: str) -> Package:
    pkg = network.copy()
    if pkg.get(name) is None:
        sec = pkg.add("interface", name)
        sec.set("proto", "relay")
        sec.set("network", [name])
    return pkg
