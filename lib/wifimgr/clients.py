"""Read method ``clients`` (every station on every AP interface) and the write method
``client_disconnect``."""

from __future__ import annotations

from . import mld, present
from .errors import InvalidArgument, NotFound
from .live import Live
from .parse.common import band_of
from .parse.hostapd import classify_reply
from .validate import mac as valid_mac

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .context import Context


def _capabilities(info) -> list[str]:
    if info is None:
        return []
    return [name for name, has in (("EHT", info.eht), ("HE", info.he), ("VHT", info.vht))
            if has]


def _generation(caps: list[str], st) -> int | None:
    for name, gen in (("EHT", 7), ("HE", 6), ("VHT", 5)):
        if name in caps:
            return gen
    for br in (st.tx_bitrate, st.rx_bitrate):
        if br is not None and br.generation:
            return br.generation
    return None


def client_list(lv: Live) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    w = lv.config
    ifname_section = {ifn: sec for sec, ifns in lv.section_ifnames.items() for ifn in ifns}
    for intf in lv.ap_interfaces():
        link_band = {}
        for ln in intf.links:
            if ln.channel:
                link_band[ln.link_id] = (band_of(ln.channel.freq_mhz), ln.channel.freq_mhz)
        infos = lv.sta_info(intf.name)
        for st in lv.stations(intf.name):
            if st.mac in seen:
                continue
            seen.add(st.mac)
            info = infos.get(st.mac)
            links = []
            for ln in st.links:
                sig = ln.signal.dbm if ln.signal else None
                valid = mld.link_reading_valid(sig, ln.inactive_ms)
                band, freq = link_band.get(ln.link_id, (None, None))
                links.append({
                    "link_id": ln.link_id, "band": band, "freq_mhz": freq,
                    "address": ln.address,
                    "signal_dbm": sig if valid else None,
                    "chains_dbm": list(ln.signal.chains) if (ln.signal and valid) else [],
                    "signal_class": present.signal_class(sig) if valid else None,
                    "active": valid,
                    "idle_reason": None if valid else (
                        "no traffic on this link" if (ln.inactive_ms or 0) > 30000 or not sig
                        else "sentinel reading"),
                    "inactive_ms": ln.inactive_ms,
                    "tx_bitrate": present.bitrate(ln.tx_bitrate),
                    "rx_bitrate": present.bitrate(ln.rx_bitrate),
                })
            active = [x for x in links if x["active"]]
            is_mld = info is not None and info.is_mld
            if is_mld or not links:
                best = max((x["signal_dbm"] for x in active), default=None)
            else:
                best = active[0]["signal_dbm"] if active else None
            if best is None and st.signal and st.signal.dbm and not intf.links:
                best = st.signal.dbm
            caps = _capabilities(info)
            gen = _generation(caps, st)
            kind = mld.classify(info.max_simul_links if info else None,
                                info.emlsr if info else None, info.emlmr if info else None,
                                len(active))
            sec = ifname_section.get(intf.name)
            iface = w.iface(sec) if sec else None
            out.append({
                "mac": st.mac,
                "ifname": intf.name,
                "section": sec,
                "ssid": intf.ssid or (iface.ssid if iface else None),
                "mld": is_mld,
                "type": kind,
                "max_simul_links": info.max_simul_links if info else None,
                "generation": gen,
                "capabilities": caps,
                "signal_dbm": best,
                "signal_class": present.signal_class(best),
                "tx_bitrate": present.bitrate(st.tx_bitrate),
                "rx_bitrate": present.bitrate(st.rx_bitrate),
                "connected_s": st.connected_s,
                "inactive_ms": st.inactive_ms,
                "tx_packets": st.tx_packets,
                "tx_retries": st.tx_retries,
                "links": links if intf.links else [],
            })
    return out


def clients(ctx: Context) -> dict[str, Any]:
    """``clients``: signal (best valid link) with colour class, Wi-Fi generation, bitrates,
    EMLSR/MLMR type and per-link rows for MLO clients."""
    lv = Live(ctx.system)
    items = client_list(lv)
    sigs = [c["signal_dbm"] for c in items if c["signal_dbm"] is not None]
    return {"clients": items,
            "summary": {"total": len(items), "mld": sum(1 for c in items if c["mld"]),
                        "avg_signal_dbm": round(sum(sigs) / len(sigs)) if sigs else None},
            "notes": lv.notes}


def client_disconnect(ctx: Context, mac: str, ifname: str | None = None,
                      dry_run: bool = False) -> dict[str, Any]:
    """``client_disconnect``: deauthenticate a station (hostapd's reply text decides)."""
    mac = valid_mac(mac)
    lv = Live(ctx.system)
    target = None
    for intf in lv.ap_interfaces():
        if ifname and intf.name != ifname:
            continue
        if any(s.mac == mac for s in lv.stations(intf.name)):
            target = intf.name
            break
    if target is None:
        if ifname and lv.interface(ifname) is None:
            raise InvalidArgument(f"no AP interface {ifname!r} is up", field="ifname")
        raise NotFound(f"station {mac} is not connected", field="mac")
    change = {"op": "deauthenticate", "ifname": target, "mac": mac}
    if dry_run:
        return {"ok": True, "apply": "none", "blocked": [], "error": None, "changes": [change],
                "dry_run": True}
    res = ctx.system.run.run(["hostapd_cli", "-i", target, "deauthenticate", mac], timeout=5)
    kind = classify_reply(res.stdout or res.stderr)
    if kind != "ok":
        return {"ok": False, "apply": "none", "blocked": [], "changes": [],
                "error": {"code": "command_failed", "field": None,
                          "message": f"hostapd refused to disconnect {mac}: "
                                     f"{(res.stdout or res.stderr).strip()[:80]}"}}
    return {"ok": True, "apply": "none", "blocked": [], "error": None, "changes": [change]}
