"""Read methods ``scan`` (neighbouring networks) and ``survey`` (in-use channel noise/busy).

Scans use ``ubus call iwinfo scan``: it reports HT/VHT/HE/EHT operation widths (iw's scan text
has no EHT operation element), and it answers with the cached results of a managed interface.
The scanning interface is chosen per radio — a STA interface on that radio if there is one,
else an AP interface on it, else the MLD that includes it — and results are filtered to the
radio's band, so a scan of one radio never returns another band's networks (the original's
fallback chain could). A standalone 6 GHz STA scan returns nothing on this chip (§g.3).
"""

from __future__ import annotations

from ..core.errors import InvalidArgument
from ..observe.live import Live
from ..parse.common import band_of, channel_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context

UCI_ENCRYPTION = {"open": "none", "owe": "owe", "wpa2-psk": "psk2", "wpa3-sae": "sae",
                  "sae-mixed": "sae-mixed", "wpa-psk": "psk", "wpa3-sae-ext": "sae-ext"}
LABEL = {"open": "Open", "owe": "OWE", "wpa2-psk": "WPA2", "wpa3-sae": "WPA3",
         "sae-mixed": "WPA2/WPA3", "wpa-psk": "WPA", "wpa3-sae-ext": "WPA3 (SAE-EXT)",
         "wpa-enterprise": "WPA Enterprise", "wep": "WEP"}


def _security(enc: dict[str, Any] | None) -> str:
    if not enc or not enc.get("enabled"):
        return "open"
    if enc.get("wep"):
        return "wep"
    auth = set(enc.get("authentication") or [])
    if "owe" in auth:
        return "owe"
    if "802.1x" in auth:
        return "wpa-enterprise"
    if "sae" in auth and "psk" in auth:
        return "sae-mixed"
    if "sae" in auth:
        return "wpa3-sae"
    if "psk" in auth:
        return "wpa2-psk" if 2 in (enc.get("wpa") or []) or 3 in (enc.get("wpa") or []) \
            else "wpa-psk"
    return "wpa-enterprise"


def _width(e: dict[str, Any]) -> int:
    for key in ("eht_operation", "he_operation", "vht_operation"):
        op = e.get(key)
        if op and op.get("channel_width"):
            w = int(op["channel_width"])
            return 160 if w == 8080 else w
    ht = e.get("ht_operation") or {}
    return 40 if ht.get("channel_width") == 2040 else 20


def _entry(e: dict[str, Any]) -> dict[str, Any]:
    sec = _security(e.get("encryption"))
    mhz = int(e.get("mhz") or 0)
    q, qmax = int(e.get("quality") or 0), int(e.get("quality_max") or 70) or 70
    return {
        "ssid": e.get("ssid") or "",
        "hidden": not e.get("ssid"),
        "bssid": str(e.get("bssid", "")).lower(),
        "freq_mhz": mhz,
        "band": band_of(mhz) if mhz else None,
        "channel": int(e.get("channel") or channel_of(mhz) or 0) or None,
        "signal_dbm": int(e.get("signal") or 0),
        "quality_pct": round(100 * q / qmax),
        "width_mhz": _width(e),
        "security": sec,
        "security_label": LABEL.get(sec, sec),
        "encryption": UCI_ENCRYPTION.get(sec),
        "supported": sec in UCI_ENCRYPTION,
        "wifi7": bool(e.get("eht_operation")),
    }


def scan_interface(lv: Live, radio: str) -> tuple[str | None, str | None]:
    """(ifname to scan on, note)."""
    w = lv.config
    band = w.band(radio)
    candidates: list[tuple[int, str]] = []
    for i in w.active():
        ifn = lv.ifname_of(i.name)
        if not ifn or radio not in i.devices:
            continue
        rank = (0 if i.is_sta and not i.mlo else 1 if not i.mlo else 2)
        candidates.append((rank, ifn))
    if not candidates:
        return None, f"no interface is up on {radio}"
    candidates.sort()
    rank, ifn = candidates[0]
    note = None
    if band == "6g" and rank == 0:
        note = "a standalone 6 GHz STA cannot scan on the MT7996; use the MLD to see 6 GHz"
    return ifn, note


def scan_radio(lv: Live, radio: str) -> dict[str, Any]:
    w = lv.config
    if radio not in w.radios:
        raise InvalidArgument(f"unknown radio {radio!r}", field="radio")
    band = w.band(radio)
    ifn, note = scan_interface(lv, radio)
    results: list[dict[str, Any]] = []
    if ifn:
        reply = lv.ubus("iwinfo", "scan", {"device": ifn})
        if reply is not None:
            results = [_entry(e) for e in reply.get("results", [])]
            results = [r for r in results if r["band"] == band]
    return {"radio": radio, "band": band, "ifname": ifn, "note": note, "results": results}


def scan(ctx: Context, radio: str | None = None) -> dict[str, Any]:
    """``scan {radio?}``: neighbours seen by one radio, or by all radios (merged by BSSID)."""
    lv = Live(ctx.system)
    radios = [radio] if radio else list(lv.config.radios)
    per = [scan_radio(lv, r) for r in radios]
    merged: dict[str, dict[str, Any]] = {}
    for p in per:
        for r in p["results"]:
            if r["bssid"] not in merged or r["signal_dbm"] > merged[r["bssid"]]["signal_dbm"]:
                merged[r["bssid"]] = r
    results = sorted(merged.values(), key=lambda r: (-r["quality_pct"], r["channel"] or 0))
    return {"results": results, "radios": [{k: p[k] for k in ("radio", "band", "ifname", "note")}
                                           | {"count": len(p["results"])} for p in per],
            "notes": lv.notes}


def survey(ctx: Context) -> dict[str, Any]:
    """``survey``: per radio the in-use channel's noise and busy % (counter deltas)."""
    lv = Live(ctx.system)
    out = []
    for r in lv.config.radios.values():
        live = lv.radio_runtime(r.name)
        e = lv.survey_for(live["freq_mhz"])
        busy, src = lv.busy_pct(e)
        out.append({"radio": r.name, "band": r.band, "freq_mhz": live["freq_mhz"],
                    "channel": live["channel"], "noise_dbm": e.noise_dbm if e else None,
                    "busy_pct": busy, "busy_source": src,
                    "active_ms": e.active_ms if e else None, "busy_ms": e.busy_ms if e else None})
    return {"radios": out, "notes": lv.notes}
