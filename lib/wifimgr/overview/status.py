"""Read method ``status``: board, chip health, configuration health, pending reboot, summary."""

from __future__ import annotations

from .. import __version__
from ..model.wireless import WirelessConfig
from ..observe.live import Live
from ..platform.ucitext import parse
from ..rules import safety
from ..transaction import applied, health

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context

RECOVERY = ("The MT7996 is locked (its MCU patch semaphore is stuck after a crash). Reboots do "
            "not help: power the router off, unplug it for at least 15 minutes, then plug it in "
            "again. Fix the configuration that crashed it first (wifimgr refuses such changes).")


def chip_state(lv: Live) -> dict[str, Any]:
    h = lv.health
    radios_up = [n for n in lv.config.radios if lv.radio_up(n)]
    pending = any((s or {}).get("pending") for s in lv.wireless_status.values())
    if h.locked:
        return {"state": "locked", "locked": True,
                "message": "WiFi chip locked — unplug the router for at least 15 minutes",
                "evidence": h.evidence[-6:], "recovery": RECOVERY}
    if not radios_up and pending:
        state, msg = "starting", "WiFi is starting"
    elif not radios_up and not lv.interfaces:
        state, msg = "down", "No WiFi interface is up"
    else:
        state, msg = "ok", "WiFi chip running"
    return {"state": state, "locked": False, "message": msg, "evidence": [],
            "recovery": None, "eeprom_corrupted": h.eeprom_corrupted}


def _norm(v: Any) -> Any:
    """One comparable form for a UCI value and netifd's: 25.12 reports ``network`` and
    ``device`` as arrays (``["lan"]``) and booleans as JSON booleans where UCI has ``lan`` and
    ``0``/``1`` (real capture tests/fixtures/captures/xiaomi-ax6000-owrt2512/wifi-status.json)."""
    if isinstance(v, bool):
        return ["1" if v else "0"]
    if isinstance(v, list):
        return [str(x) for x in v]
    return [str(v)]


def pending_changes(lv: Live) -> dict[str, Any]:
    """What on disk is not live yet. Uses the snapshot the apply jobs keep; without one (after
    a boot) it compares the disk with the configuration netifd reports."""
    disk = lv.packages["wireless"]
    snap = applied.read(lv.sys)
    if snap is not None:
        live_pkg = parse(snap, "wireless")
        if live_pkg.to_text() == disk.to_text():
            return {"reload": False, "reboot": False, "reasons": []}
        method, reasons = safety.apply_method(WirelessConfig(live_pkg),
                                              WirelessConfig(disk, lv.packages["network"]))
        return {"reload": True, "reboot": method == "reboot", "reasons": reasons}
    if not any(lv.radio_up(r) for r in lv.config.radios):
        # nothing runs yet (booting, reloading, chip down): nothing to compare with
        return {"reload": False, "reboot": False, "reasons": []}
    running: dict[str, dict[str, Any]] = {}
    for radio in lv.wireless_status.values():
        for i in radio.get("interfaces", []) or []:
            if i.get("section"):
                running[i["section"]] = i.get("config") or {}
    reasons: list[str] = []
    reboot = False
    w = lv.config
    for iface in w.ifaces:
        runs = iface.name in running
        want = not iface.disabled and any(w.radio_enabled(d) for d in iface.devices)
        cfg = running.get(iface.name, {})
        differs = runs and any(_norm(cfg.get(k)) != _norm(v)
                               for k, v in iface.section.options.items() if k in cfg)
        if want != runs or differs:
            reasons.append(f"{iface.label} is {'changed' if differs else 'not live'}"
                           if want else f"{iface.label} still runs")
            if iface.mlo or (iface.is_ap and set(iface.devices) & w.mlo_ap_radios()):
                reboot = True
    return {"reload": bool(reasons), "reboot": reboot, "reasons": reasons}


def waiting_for_reboot(h: dict[str, Any], pending: dict[str, Any]) -> dict[str, Any]:
    """A network saved but waiting for its reboot is pending, not degraded: the health check
    sees it missing, the pending change says why. Such items move to ``waiting``; when nothing
    else is missing the state is ``ok`` (phase ``pending_reboot``)."""
    if h.get("state") != "degraded" or not pending.get("reboot"):
        return h
    import re

    text = " ".join(pending.get("reasons", []))

    def named(m: dict[str, Any]) -> bool:
        """The reasons name a network by its SSID (quoted) or, without one, its section."""
        if m.get("ssid") and f"'{m['ssid']}'" in text:
            return True
        return bool(m.get("network")) and re.search(
            rf"(?<![\w-]){re.escape(str(m['network']))}(?![\w-])", text) is not None

    waiting = [m for m in h.get("missing") or [] if named(m)]
    if not waiting:
        return h
    rest = [m for m in h.get("missing") or [] if not named(m)]
    out = {**h, "missing": rest, "waiting": waiting}
    if not rest:
        out.update(state="ok", phase="pending_reboot",
                   message="the change is saved and waits for a reboot")
    else:
        out["message"] = "; ".join(m["message"] for m in rest)
    return out


def country_state(ctx: Context, w: WirelessConfig) -> dict[str, Any]:
    """The radios' country and whether the owner confirmed it: first run sets the configured
    default over the factory's US, which nobody chose, so until the country wizard ran the
    UI says which country was set at first boot and offers the wizard."""
    from ..lifecycle.defaults import settings
    from ..platform.ucitext import Package

    uci = ctx.system.uci
    st = settings(uci.load("wifimgr") if uci.exists("wifimgr") else Package("wifimgr"))
    codes = sorted({r.country or "" for r in w.radios.values()})
    code = codes[0] if len(codes) == 1 else None
    confirmed = st["country_confirmed"] or st["country_set"] is None
    out = {"code": code, "radios": {r.name: r.country for r in w.radios.values()},
           "confirmed": confirmed, "set_at_first_boot": st["country_set"], "message": None}
    if not confirmed:
        out["message"] = (
            "Choose your country: no WiFi country is set (the world domain 00 allows only "
            "the channels and transmit power permitted everywhere)."
            if st["country_set"] == "00" else
            f"The WiFi country is {st['country_set']}, as the firmware set it. Confirm it or "
            "choose yours: it decides the channels and the transmit power the radios may use.")
    return out


def status(ctx: Context) -> dict[str, Any]:
    """``status``: is the chip healthy, is the configuration safe, is a reboot pending."""
    lv = Live(ctx.system)
    board = lv.ubus("system", "board") or {}
    w = lv.config
    violations = []
    for v in safety.check_config(w, lv.caps):
        d = v.as_dict()
        fix = safety.fix_for(w, v, lv.caps)
        if fix is not None:
            d["fix"] = fix          # the UI offers it as one click
        violations.append(d)
    nets = [i for i in w.ifaces]
    up = 0
    for i in nets:
        ifn = lv.ifname_of(i.name)
        if ifn and (lv.interface(ifn) is not None):
            up += 1
    mlo_ap = w.mlo_aps()[0] if w.mlo_aps() else None
    mlo_sta = w.mlo_stas()[0] if w.mlo_stas() else None

    def mld(i):
        if i is None:
            return None
        ifn = lv.ifname_of(i.name)
        intf = lv.interface(ifn) if ifn else None
        return {"section": i.name, "ssid": i.ssid, "ifname": ifn, "radios": i.devices,
                "links_up": len(intf.links) if intf else 0}

    clients = sum(lv.station_count(intf.name) for intf in lv.ap_interfaces())
    from ..lifecycle.defaults import published_key_findings
    from ..model import capabilities as capmod
    from ..observe.outside import read as outside

    pending = pending_changes(lv)
    security = published_key_findings(w)
    from ..rules.findings import platform_findings

    findings = platform_findings(w, lv.caps)     # the installed driver's known defects
    notes = list(lv.notes) + [f["message"] for f in security + findings]
    written = outside(ctx.system)
    chip = chip_state(lv)
    if chip["locked"] and written:
        # the write from outside that locked it: name it, offer the restore first
        chip["written"] = {"changes": written.get("changes") or [],
                           "sections": written.get("sections") or [],
                           "rules": written.get("rules") or [],
                           "restore": bool(written.get("restore"))}
    return {
        "version": __version__,
        "board": {"model": board.get("model"), "hostname": board.get("hostname"),
                  "kernel": board.get("kernel"),
                  "release": (board.get("release") or {}).get("description"),
                  "backend": "twin" if ctx.system.simulated else "router"},
        "platform": capmod.as_dict(lv.caps),
        "chip": chip,
        "country": country_state(ctx, w),
        "config": {"dialect": w.dialect, "notes": w.dialect_notes(), "violations": violations,
                   "pending": pending, "outside": written if violations else None},
        "security": security,
        "findings": findings,
        "radios": [{"name": r.name, "band": r.band, "up": lv.radio_up(r.name),
                    "disabled": r.disabled, "channel": r.channel, "htmode": r.htmode}
                   for r in w.radios.values()],
        "networks": {"total": len(nets), "up": up,
                     "disabled": sum(1 for i in nets if i.disabled)},
        "mlo": {"ap": mld(mlo_ap), "sta": mld(mlo_sta)},
        "clients": clients,
        "health": waiting_for_reboot(health.summary(ctx.system), pending),
        "notes": notes,
    }
