"""One sample of the router through the live reader (:class:`wifimgr.observe.live.Live`).

A sample is plain JSON-able data — what the history, the metrics, the event detection and the
health check all read::

    {"t": …, "radios": {name: {...}}, "networks": {section: {...}}, "mlds": {section: {...}},
     "clients": {mac: {..., "links": {link_id: {...}}}}, "attlm": {ifname: {...}},
     "survey": {freq: [active_ms, busy_ms]}, "chip": {"locked": bool} | None}

Commands per sample (one short request each, nothing attached): ``iw dev``, per AP interface
``iw dev X station dump`` and ``hostapd_cli -i X all_sta``, one ``iw dev X survey dump``, per
radio ``hostapd_cli status`` (channel utilisation), per AP MLD ``get_attlm``, ubus
``network.wireless status`` and ``hostapd.X get_status``; ``dmesg`` only when asked (chip lock).
"""

from __future__ import annotations

from ..observe.live import Live, networks_running

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..parse import iw_station
    from ..platform import System


class MonitorLive(Live):
    """A :class:`Live` that also parses each station dump only once (the client rows and the
    per-link counters both need it; 200 stations parse in ~9 ms)."""

    def __init__(self, system: System):
        super().__init__(system)
        self._stations: dict[str, list[iw_station.Station]] = {}
        #: when the outputs were read (the steering daemon's samples use it as their time)
        self.sampled_at: float | None = None

    def stations(self, ifname: str) -> list[iw_station.Station]:
        hit = self._stations.get(ifname)
        if hit is None:
            hit = self._stations[ifname] = super().stations(ifname)
        return hit

    def outputs(self) -> dict[str, str]:
        """The counters and station lists read so far, for the steering daemon (``argv`` joined
        by NUL): ``iw`` and ``hostapd_cli … all_sta``. Not the TTLM/TWT read-backs: the daemon
        reads those itself, right after its own commands changed them."""
        return {"\0".join(k[1:]): v for k, v in self._cache.items()
                if k[0] == "run" and v is not None
                and (k[1] == "iw" or (k[1] == "hostapd_cli" and k[-1] == "all_sta"))}


def _mbps(br: dict[str, Any] | None) -> float | None:
    return br.get("mbps") if br else None


def _radios(lv: Live, prev: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    from ..radios.inventory import _temps

    temps = _temps(lv)
    prev_survey = (prev or {}).get("survey", {})
    out: dict[str, Any] = {}
    survey: dict[str, Any] = {}
    for r in lv.config.radios.values():
        rt = lv.radio_runtime(r.name)
        entry = lv.survey_for(rt["freq_mhz"])
        busy = None
        if entry is not None and entry.active_ms:
            key = str(entry.freq_mhz)
            survey[key] = [entry.active_ms, entry.busy_ms or 0]
            old = prev_survey.get(key)
            if old and entry.active_ms > old[0] and entry.busy_ms is not None:
                busy = round(max(0.0, min(100.0, 100.0 * (entry.busy_ms - old[1])
                                          / (entry.active_ms - old[0]))), 1)
            else:   # first sample or counters restarted: the lifetime ratio
                busy = round(100.0 * (entry.busy_ms or 0) / entry.active_ms, 1)
        util = None
        if rt["ifname"]:
            st = lv.hostapd_status(rt["ifname"], rt["link_id"])
            if st is not None and st.chan_util_avg is not None and st.chan_util_avg <= 100:
                util = st.chan_util_avg  # > 100 % is the 6 GHz MBSSID quirk (§g.4): no reading
        out[r.name] = {
            "band": r.band, "up": lv.radio_up(r.name), "disabled": r.disabled,
            "channel": rt["channel"], "freq_mhz": rt["freq_mhz"], "width_mhz": rt["width_mhz"],
            "ifname": rt["ifname"], "link_id": rt["link_id"],
            "txpower_dbm": rt["txpower_dbm"], "noise_dbm": entry.noise_dbm if entry else None,
            "busy_pct": busy, "util_pct": util,
            "temp_c": temps.get(r.index) if r.index is not None else None,
        }
    return out, survey


def _clients(lv: MonitorLive, nets: dict[str, Any]) -> dict[str, Any]:
    from ..clients.stations import client_list

    rows = client_list(lv)
    stations = {st.mac: st for intf in lv.ap_interfaces() for st in lv.stations(intf.name)}
    out: dict[str, Any] = {}
    for c in rows:
        st = stations.get(c["mac"])
        counters = {ln.link_id: ln for ln in st.links} if st is not None else {}
        links: dict[str, Any] = {}
        for ln in c["links"]:
            raw = counters.get(ln["link_id"])
            links[str(ln["link_id"])] = {
                "band": ln["band"], "signal_dbm": ln["signal_dbm"], "active": ln["active"],
                "tx_mbps": _mbps(ln["tx_bitrate"]), "rx_mbps": _mbps(ln["rx_bitrate"]),
                "inactive_ms": ln["inactive_ms"],
                "tx_packets": raw.tx_packets if raw else None,
                "tx_retries": raw.tx_retries if raw else None}
        sec = c.get("section")
        out[c["mac"]] = {
            "ifname": c["ifname"], "section": sec, "ssid": c["ssid"], "mld": c["mld"],
            "mlo_iface": bool(sec and (nets.get(sec) or {}).get("mlo")),
            "type": c["type"], "hostname": c.get("hostname"),
            "signal_dbm": c["signal_dbm"], "tx_mbps": _mbps(c["tx_bitrate"]),
            "rx_mbps": _mbps(c["rx_bitrate"]), "inactive_ms": c["inactive_ms"],
            "connected_s": c["connected_s"], "tx_packets": c["tx_packets"],
            "tx_retries": c["tx_retries"], "links": links,
            "active_links": sorted(int(k) for k, v in links.items() if v["active"]),
        }
    return out


def _attlm(lv: Live, mlds: dict[str, Any]) -> dict[str, Any]:
    from ..observe import attlm_block
    from ..parse import hostapd as hp

    out: dict[str, Any] = {}
    for m in mlds.values():
        ifname = m["ifname"]
        if not ifname or not m["links"]:
            continue
        st = lv.read(hp.parse_attlm, "hostapd_cli", "-i", ifname, "get_attlm")
        if st is None:
            continue
        all_links = sum(1 << int(lid) for lid in m["links"])
        out[ifname] = {"active": st.active, "disabled_mask": st.disabled_mask(all_links),
                       "remaining_ms": attlm_block.remaining_ms(lv.sys, ifname, st)}
    return out


def take(system: System, prev: dict[str, Any] | None = None, *, chip: bool = False,
         lv: MonitorLive | None = None) -> tuple[dict[str, Any], MonitorLive]:
    """One sample (and the live reader it was read with, whose outputs the steering daemon can
    reuse). ``prev`` is the previous sample (channel busy % is diffed against it)."""
    lv = lv or MonitorLive(system)
    t = system.clock()
    lv.sampled_at = t
    radios, survey = _radios(lv, prev)
    nets, mlds = networks_running(lv)
    clients = _clients(lv, nets)
    for m in mlds.values():
        m["clients"] = sum(1 for c in clients.values() if c["ifname"] == m["ifname"])
    sample = {"t": t, "radios": radios, "networks": nets, "mlds": mlds, "clients": clients,
              "attlm": _attlm(lv, mlds), "survey": survey,
              "chip": {"locked": bool(lv.health.locked),
                       "evidence": list(lv.health.evidence[-3:])} if chip else None,
              "notes": list(lv.notes)}
    return sample, lv


def retries_pct(cur: dict[str, Any] | None, old: dict[str, Any] | None) -> float | None:
    """Retry % over the interval (spec §f.3: Δretries × 100 / Δpackets when ≥ 20 packets)."""
    if not cur or not old:
        return None
    p1, r1, p0, r0 = (cur.get("tx_packets"), cur.get("tx_retries"), old.get("tx_packets"),
                      old.get("tx_retries"))
    if None in (p1, r1, p0, r0):
        return None
    dp, dr = p1 - p0, r1 - r0
    if dp < 20 or dr < 0:
        return None
    return round(min(100.0, 100.0 * dr / dp), 1)

