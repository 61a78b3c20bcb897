"""Read methods ``radios``, ``networks`` and ``constraints``: the configuration joined with
what runs (ifnames from netifd, channels and TX power from iw, states from hostapd/wpa_cli)."""

from __future__ import annotations

from ..model import present
from ..model.capabilities import sku_option
from ..model.wireless import BAND_LABEL, txpower_mode
from ..observe.live import Live
from ..parse.common import band_of, to_millicelsius
from ..rules import constraints as allowed
from ..rules.validate import HTMODES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context
    from ..model.wireless import Iface, Radio

SECRET_OPTIONS = {"key", "password", "sae_password", "auth_secret", "acct_secret",
                  "priv_key_pwd", "key1", "key2", "key3", "key4"}


def _temps(lv: Live) -> dict[int, float]:
    out: dict[int, float] = {}
    for path in lv.sys.fs.glob("/sys/devices/platform/soc/*/*/*/*/ieee80211/phy0/hwmon*/name"):
        name = (lv.sys.fs.read_text(path) or "").strip()
        if name.startswith("mt7996_phy0."):
            # 0 (and garbage) is no sensor reading, not 0 °C (spec/platform.md Addenda)
            c = to_millicelsius(lv.sys.fs.read_text(path.rsplit("/", 1)[0] + "/temp1_input"))
            if c is not None:
                out[int(name.rsplit(".", 1)[1])] = c
    return out


def radio_info(lv: Live, r: Radio, temps: dict[int, float] | None = None) -> dict[str, Any]:
    live = lv.radio_runtime(r.name)
    entry = lv.survey_for(live["freq_mhz"])
    busy, busy_src = lv.busy_pct(entry)
    util = util_note = None
    if live["ifname"]:
        st = lv.hostapd_status(live["ifname"], live["link_id"])
        if st is not None and st.chan_util_avg is not None:
            if st.chan_util_avg > 100:
                util_note = (f"hostapd reports {st.chan_util_avg} % (more than 100 %: the 6 GHz "
                             "MBSSID quirk), so it is not shown")
            else:
                util = st.chan_util_avg
    w = lv.config
    temps = temps if temps is not None else _temps(lv)
    info: dict[str, Any] = {
        "name": r.name,
        "band": r.band,
        "band_label": BAND_LABEL.get(r.band or "", "?"),
        "index": r.index,
        "disabled": r.disabled,
        "up": lv.radio_up(r.name),
        "country": r.country,
        "config": {"channel": r.channel, "htmode": r.htmode, "txpower": r.txpower,
                   "sku_idx": r.sku_idx,
                   "txpower_mode": txpower_mode(r, sku_idx=sku_option(lv.caps)),
                   "noscan": r.section.get_str("noscan"),
                   "background_radar": r.section.get_str("background_radar"),
                   "mbssid": r.section.get_str("mbssid")},
        "live": live,
        "noise_dbm": entry.noise_dbm if entry else None,
        "busy_pct": busy,
        "busy_source": busy_src,
        "chan_util_pct": util,
        "chan_util_note": util_note,
        "temperature_c": temps.get(r.index) if r.index is not None else None,
        "in_mlo_ap": r.name in w.mlo_ap_radios(),
        "in_mlo_sta": r.name in w.mlo_sta_radios(),
        "legacy_ap_count": len(w.legacy_aps_on(r.name)),
        "generation": present.generation_from_htmode(r.htmode),
        "channels": [{"channel": c.channel, "freq_mhz": c.freq_mhz, "dfs": c.radar,
                      "max_dbm": c.max_power_dbm}
                     for c in lv.phy_channels if c.band == r.band and not c.disabled
                     and not c.no_ir],
        "htmodes": list(HTMODES.get(r.band or "", ())),
    }
    return info


def radios(ctx: Context) -> dict[str, Any]:
    """``radios``: per radio the configuration and what the driver really does."""
    lv = Live(ctx.system)
    temps = _temps(lv)
    out = [radio_info(lv, r, temps) for r in lv.config.radios.values()]
    extend = _radio_extensions()
    for info in out:
        for fn in extend:
            fn(ctx, lv, info)
    from ..model import capabilities as capmod

    return {"radios": out, "notes": lv.notes, "features": capmod.features(lv.caps),
            "txpower_modes": list(lv.caps.txpower_modes)}


def _radio_extensions() -> list:
    """Per-feature additions to each radio (TX power, DFS, puncturing) — imported lazily."""
    from . import dfs, puncture, txpower

    return [txpower.describe, dfs.describe, puncture.describe]


# --------------------------------------------------------------------------- networks
def _options(i: Iface) -> dict[str, Any]:
    return {k: v for k, v in i.section.options.items() if k not in SECRET_OPTIONS}


def _clients_by_ifname(lv: Live) -> dict[str, int]:
    return {intf.name: lv.station_count(intf.name) for intf in lv.ap_interfaces()}


def _ap_status(lv: Live, ifname: str) -> str:
    st = lv.ubus(f"hostapd.{ifname}", "get_status")
    if st is None:
        return "down"
    state = str(st.get("status", "")).upper()
    return {"ENABLED": "up", "DFS": "dfs", "ACS": "acs", "DISABLED": "down",
            "HT_SCAN": "scanning"}.get(state, state.lower() or "down")


def _sta_status(wpa: dict[str, str] | None) -> str:
    if wpa is None:
        return "down"
    state = wpa.get("wpa_state", "")
    return {"COMPLETED": "up", "SCANNING": "scanning", "DISCONNECTED": "disconnected",
            "ASSOCIATING": "connecting", "AUTHENTICATING": "connecting",
            "4WAY_HANDSHAKE": "connecting", "GROUP_HANDSHAKE": "connecting",
            "INACTIVE": "disconnected", "INTERFACE_DISABLED": "down"}.get(state,
                                                                          state.lower())


def network_info(lv: Live, i: Iface, clients: dict[str, int], locked: bool) -> dict[str, Any]:
    w = lv.config
    ifname = lv.ifname_of(i.name)
    radios_disabled = all(not w.radio_enabled(d) for d in i.devices) if i.devices else True
    info: dict[str, Any] = {
        "section": i.name,
        "kind": w.kind(i),
        "mode": i.mode,
        "mlo": i.mlo,
        "ssid": i.ssid,
        "encryption": i.encryption,
        "encryption_label": present.encryption_label(i.encryption),
        "has_key": bool(i.section.get_str("key")),
        "network": i.network,
        "radios": i.devices,
        "bands": w.bands_of(i),
        "disabled": i.disabled,
        "hidden": i.section.get_bool("hidden"),
        "isolate": i.section.get_bool("isolate"),
        "wds": i.wds,
        "repeater": i.repeater,
        "maxassoc": i.section.get_str("maxassoc"),
        "ifname": ifname,
        "generation": 7 if i.mlo else present.generation_from_htmode(
            w.radios[i.devices[0]].htmode if i.devices and i.devices[0] in w.radios else None),
        "options": _options(i),
    }
    if i.disabled or radios_disabled:
        status = "disabled"
    elif locked:
        status = "locked"
    elif not ifname:
        status = "not_running"
    elif i.is_ap:
        status = _ap_status(lv, ifname)
    else:
        status = _sta_status(lv.wpa_status(ifname))
    info["status"] = status
    if i.is_ap:
        info["clients"] = clients.get(ifname or "", 0)
    if i.mlo and i.is_ap and ifname:
        info["links"] = _mld_links(lv, ifname)
        st = lv.hostapd_status(ifname)
        info["mld_addr"] = (st.mld_addr if st else None) or \
            i.section.get_str("mld_addr")
        info["ap_mld_type"] = st.get("ap_mld_type") if st else None
    if i.is_sta and ifname:
        info["connection"] = _connection(lv, i, ifname)
    return info


def _mld_links(lv: Live, ifname: str) -> list[dict[str, Any]]:
    intf = lv.interface(ifname)
    out = []
    w = lv.config
    if intf is None:
        return out
    for ln in intf.links:
        st = lv.hostapd_status(ifname, ln.link_id)
        band = band_of(ln.channel.freq_mhz) if ln.channel else None
        radio = next((n for n, r in w.radios.items() if r.band == band), None)
        util = st.chan_util_avg if st else None
        out.append({
            "link_id": ln.link_id, "radio": radio, "band": band,
            "freq_mhz": ln.channel.freq_mhz if ln.channel else None,
            "channel": ln.channel.channel if ln.channel else None,
            "width_mhz": ln.channel.width_mhz if ln.channel else None,
            "txpower_dbm": ln.txpower_dbm, "addr": ln.addr,
            "chan_util_pct": util if util is not None and util <= 100 else None,
            "dfs_active": bool(st and st.get("dfs_active") == "1"),
            "state": st.state if st else None,
        })
    return out


def _connection(lv: Live, i: Iface, ifname: str) -> dict[str, Any]:
    wpa = lv.wpa_status(ifname) or {}
    from ..parse import iw_link

    link = lv._parse(iw_link.parse_link, lv.run("iw", "dev", ifname, "link"), f"{ifname} link")
    out: dict[str, Any] = {
        "wpa_state": wpa.get("wpa_state", "DISCONNECTED"),
        "bssid": wpa.get("bssid"),
        "ssid": wpa.get("ssid"),
        "ap_mld_addr": wpa.get("ap_mld_addr"),
        "freq_mhz": int(wpa["freq"]) if wpa.get("freq", "").isdigit() else None,
        "ip_address": wpa.get("ip_address"),
        "wifi_generation": int(wpa["wifi_generation"]) if wpa.get("wifi_generation",
                                                                   "").isdigit() else None,
        "signal_dbm": link.signal_dbm if link else None,
        "signal_class": present.signal_class(link.signal_dbm if link else None),
        "tx_bitrate": present.bitrate(link.tx_bitrate if link else None),
        "rx_bitrate": present.bitrate(link.rx_bitrate if link else None),
        "links": [{"link_id": b.link_id, "bssid": b.bssid, "freq_mhz": b.freq_mhz,
                   "band": band_of(b.freq_mhz) if b.freq_mhz else None}
                  for b in (link.links if link else [])],
    }
    return out


def networks(ctx: Context) -> dict[str, Any]:
    """``networks``: every wifi-iface (MLO ones first, then UCI order) with live status."""
    lv = Live(ctx.system)
    clients = _clients_by_ifname(lv)
    locked = lv.health.locked
    ordered = [i for i in lv.config.ifaces if i.mlo] + [i for i in lv.config.ifaces
                                                        if not i.mlo]
    from ..model import capabilities as capmod

    return {"networks": [network_info(lv, i, clients, locked) for i in ordered],
            "notes": lv.notes,
            # txpower_per_link unavailable: a link's txpower_dbm is the MLD's one value
            "features": capmod.features(lv.caps)}


def constraints(ctx: Context) -> dict[str, Any]:
    """``constraints``: what the safety module allows right now (the wizards' disabled
    options come from here)."""
    lv = Live(ctx.system)
    from ..model import capabilities as capmod

    out = allowed.constraints(lv.config, lv.caps)
    for name, info in out["radios"].items():
        info["up"] = lv.radio_up(name)
    # what the stack lacks: the wizards disable it with this reason (6 GHz, 320 MHz)
    out["features"] = capmod.features(lv.caps)
    out["mld_auto_pattern"] = lv.caps.mld_auto_pattern
    return out
