"""The twin's ubus (the ``bus`` port): ``network.wireless``, ``hostapd.*``, ``iwinfo``,
``network.interface.*``, ``system``, ``service`` as OpenWrt's daemons reply."""

from __future__ import annotations

import fnmatch

from ...platform.ubus import UbusError
from .. import render
from .view import View, procd_instance

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from ..clients import Association
    from .listener import TwinListener
    from .view import TwinAccess


class TwinBus:
    """``ubus call`` / ``ubus list`` on the twin."""

    def __init__(self, twin: TwinAccess):
        self.twin = twin

    def objects(self, pattern: str | None = None) -> list[str]:
        v = View.take(self.twin)
        names = ["iwinfo", "network", "network.wireless", "network.interface",
                 "network.interface.lan", "network.interface.wan", "network.interface.wan6",
                 "network.interface.loopback", "service", "system", "hostapd"]
        names += v.hostapd_objects()
        names.sort()
        return [n for n in names if pattern is None or fnmatch.fnmatchcase(n, pattern)]

    def listen(self, events: Sequence[str] = (), subscribe: Sequence[str] = ()
               ) -> TwinListener:
        """``ubus listen`` / ``ubus subscribe`` on the twin (:class:`TwinListener`)."""
        from .listener import TwinListener  # the monitor's; a plugin call never listens

        return TwinListener(self.twin, events, subscribe)

    def call(self, obj: str, method: str, args: dict[str, Any] | None = None, *,
             timeout: float = 5.0) -> dict[str, Any]:
        args = args or {}
        v = View.take(self.twin)
        if obj == "network.wireless" and method == "status":
            return self._wireless_status(v)
        if obj == "network" and method == "reload":
            return {}
        if obj.startswith("hostapd.") and obj != "hostapd":
            b = v.rt.by_ifname(obj[8:]) if v.rt else None
            if b is None or b.mode != "ap":
                raise UbusError(4, f"Object '{obj}' not found")
            if method == "get_status":
                assert v.rt is not None
                r = v.rt.radios[b.radio]
                # the reply of OpenWrt's hostapd ubus (real captures openwrt-hostapd-ubus-doc,
                # netifyd-hwsim-ubus, homeassistant-openwrt-clients)
                lk = b.links[0] if b.mld else None
                width = lk.width if lk else r.width
                band = lk.band if lk else r.band
                up_ms = int(v.up_for() * 1000)
                util = v.chan_util(v.rt.radios[lk.radio] if lk else r)
                return {"status": v.bss_state(b), "bssid": lk.addr if lk else b.addr,
                        "ssid": b.ssid, "freq": lk.freq if lk else r.freq,
                        "channel": lk.channel if lk else r.channel,
                        "op_class": _OP_CLASS.get((band, width), 0), "beacon_interval": 100,
                        "bss_color": -1, "phy": "phy0", "rrm": {"neighbor_report_tx": 0},
                        "wnm": {"bss_transition_query_rx": 0, "bss_transition_request_tx": 0,
                                "bss_transition_response_rx": 0},
                        "airtime": {"time": up_ms, "time_busy": up_ms * min(util, 100) // 100,
                                    "utilization": min(util, 100)},
                        "dfs": {"cac_seconds": r.cac_s, "cac_active": v.bss_state(b) == "DFS",
                                "cac_seconds_left": v.cac_left(r)}}
            if method == "get_clients":
                return {"freq": b.links[0].freq if b.mld else v.rt.radios[b.radio].freq,
                        "clients": {a.mac: _client(a) for a in v.assocs
                                    if a.bss.ifname == b.ifname}}
            raise UbusError(3, "Method not found")
        if obj == "iwinfo":
            return self._iwinfo(v, method, args)
        if obj.startswith("network.interface.") and method == "status":
            return self._iface_status(v, obj.split(".", 2)[2])
        if obj == "system" and method == "board":
            # the profile's board (sources in wifimgr.sim.profiles; the mainline ones are the
            # real capture openwrt-22447-bpi-r4)
            import copy

            return copy.deepcopy(v.profile.board)
        if obj == "system" and method == "info":
            up = int(v.now - v.st["boot"]["time"])
            return {"localtime": int(v.now), "uptime": up, "load": [8192, 4096, 2048],
                    "memory": {"total": 4123000832, "free": 3501000704, "shared": 12001280,
                               "buffered": 0, "available": 3590000640, "cached": 210763776}}
        if obj == "service" and method == "list":
            name = (args or {}).get("name")
            inst = procd_instance(self.twin)
            if inst is None or (name and name != "wifimgr"):
                return {}
            return {"wifimgr": {"instances": {"steerd": {
                "running": True, "pid": inst["pid"], "command": inst["command"],
                "term_timeout": 5, "respawn": {"threshold": 3600, "timeout": 5, "retry": 5},
                "stdout": False, "stderr": True}}}}
        raise UbusError(4, f"Object '{obj}' not found")

    def _wireless_status(self, v: View) -> dict[str, Any]:
        applied, _booted = v.twin.packages(v.st)
        from ..runtime import radios_of

        out: dict[str, Any] = {}
        rt = v.rt
        prof = v.profile
        # netifd's radio index per wifi-device (config_init's radio_idx: the `radio` option)
        radio_idx = {sec.name: int(sec.get_str("radio")) for sec in
                     applied.of_type("wifi-device")
                     if (sec.get_str("radio") or "").isdigit()}
        by_name = {x.name: x.index for x in radios_of(applied, prof).values() if not x.disabled}

        def listed(b: Any) -> list[int]:
            # mainline netifd puts an MLO vif under every enabled device it lists, whether
            # hostapd made a link there or not (netifd e97e36f9 examples/wireless.uc
            # config_init); the MTK netifd has dropped the radios it does not use
            if not (b.mld and prof.non_eht_link_drop == "hostapd"):
                return b.radios
            devs = b.options.get("device") or []
            devs = devs.split() if isinstance(devs, str) else devs
            return [by_name[d] for d in devs if d in by_name]

        for r in radios_of(applied, prof).values():
            up = rt is not None and not r.disabled
            ifaces = []
            if rt is not None:
                for b in rt.bsses:
                    if r.index in listed(b):
                        cfg = _iface_cfg(b.options)
                        if prof.status_radios:
                            # netifd e97e36f9 examples/wireless.uc config_init: config.radios
                            # = the radio indices of every listed device; an MLO vif carries
                            # its MLD name as config.ifname under each member radio
                            devs = cfg.get("device") or []
                            cfg["radios"] = [radio_idx[d] for d in devs if d in radio_idx]
                            if b.mld:
                                cfg["ifname"] = b.ifname
                        ifaces.append({"section": b.section, "config": cfg,
                                       "ifname": b.ifname, "vlans": [], "stations": []})
            out[r.name] = {"up": up, "pending": v.phase in ("booting", "reloading"),
                           "autostart": True, "disabled": r.disabled,
                           "retry_setup_failed": v.phase == "locked",
                           "config": _radio_cfg(r.section.options, prof.status_radios),
                           "interfaces": ifaces}
        return out

    def _iwinfo(self, v: View, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "devices":
            return {"devices": [b.ifname for b in v.rt.bsses] if v.rt else []}
        dev = args.get("device")
        b = v.rt.by_ifname(dev) if (v.rt and dev) else None
        if method == "scan":
            if b is None:
                raise UbusError(4, "device not found")
            assert v.rt is not None
            bands = {v.rt.radios[r].band for r in b.radios if r in v.rt.radios}
            if not b.mld and bands == {"6g"} and b.mode == "sta":
                return {"results": []}
            return {"results": [render.iwinfo_scan_entry(nb) for nb in v.st["neighbours"]
                                if nb["band"] in bands]}
        if b is None:
            raise UbusError(4, "device not found")
        assert v.rt is not None
        if method == "info":
            r = v.rt.radios[b.radio]
            return {"phy": "phy0", "ssid": b.ssid, "bssid": b.addr.upper(),
                    "country": r.country, "mode": "Master" if b.mode == "ap" else "Client",
                    "channel": r.channel, "center_chan1": render.center_channel(
                        r.channel, r.band, r.width), "frequency": r.freq,
                    "txpower": int(v.txpower(r)), "quality": 0, "quality_max": 70,
                    "signal": 0, "noise": int(v.st["rf"][r.band]["noise"]),
                    "bitrate": 0, "htmode": r.htmode,
                    "hardware": {"name": f"MediaTek {v.profile.chip}"}}
        if method == "assoclist":
            out = []
            for a in v.assocs:
                if a.bss.ifname == b.ifname:
                    sig = max((ln.signal for ln in a.links if ln.signal is not None),
                              default=0)
                    out.append({"mac": a.mac.upper(), "signal": sig, "inactive":
                                min(ln.inactive_ms for ln in a.links),
                                "connected_time": a.connected_s})
            return {"results": out}
        raise UbusError(3, "Method not found")

    def _iface_status(self, v: View, name: str) -> dict[str, Any]:
        pkg = v.twin.uci.load("network")
        sec = pkg.get(name)
        if sec is None or sec.type != "interface":
            raise UbusError(4, f"Object 'network.interface.{name}' not found")
        proto = sec.get_str("proto", "none")
        st: dict[str, Any] = {"up": True, "pending": False, "available": True,
                              "autostart": True, "dynamic": False, "proto": proto,
                              "device": sec.get_str("device", ""), "ipv4-address": []}
        if proto == "static" and sec.get_str("ipaddr"):
            mask = sec.get_str("netmask", "255.255.255.0") or "255.255.255.0"
            bits = sum(bin(int(x)).count("1") for x in mask.split("."))
            st["ipv4-address"] = [{"address": sec.get_str("ipaddr"), "mask": bits}]
        elif proto == "dhcp":
            # a STA uplink gets an address only when its STA is connected
            connected = False
            if v.rt is not None:
                for b in v.rt.bsses:
                    if b.mode == "sta" and b.network == name and v.sta_connection(b):
                        connected = True
            if name == "wan" or connected:
                st["ipv4-address"] = [{"address": "192.168.50.23" if connected else
                                       "10.0.0.23", "mask": 24}]
            else:
                st["up"] = False
        return st


def _client(a: Association) -> dict[str, Any]:
    """One client of ``ubus call hostapd.<if> get_clients``, with the fields and order of the
    real reply (tests/fixtures/captures/dawn-139)."""
    gen = int(a.station.get("generation", 7))
    band = a.links[0].band if a.links else "5g"
    act = [ln for ln in a.links if ln.active]
    best = max(act, key=lambda ln: ln.signal or -999) if act else None
    rx_p = sum(ln.rx_packets for ln in a.links)
    tx_p = sum(ln.tx_packets for ln in a.links)

    def kbps(rate: str) -> int:
        try:
            return int(float(rate.split()[0]) * 1000)
        except (ValueError, IndexError):
            return 0

    mcs = {f"{n}ss": (9 if n <= int(a.station.get("nss", 2)) else -1) for n in range(1, 9)}
    out: dict[str, Any] = {
        "auth": True, "assoc": True, "authorized": True, "preauth": False, "wds": False,
        "wmm": True, "ht": gen >= 4, "vht": gen >= 5 and band != "2g", "he": gen >= 6,
        "wps": False, "mfp": True, "rrm": [0, 0, 0, 0, 0],
        "extended_capabilities": [0, 0, 0, 0, 0, 0, 0, 64], "aid": 1,
        "bytes": {"rx": rx_p * 900, "tx": tx_p * 1200},
        "airtime": {"rx": rx_p * 150, "tx": tx_p * 310},
        "packets": {"rx": rx_p, "tx": tx_p},
        "rate": {"rx": kbps(best.rx_rate) if best else 0,
                 "tx": kbps(best.tx_rate) if best else 0},
        "signal": best.signal if best and best.signal is not None else 0}
    if out["vht"]:
        out["capabilities"] = {"vht": {"su_beamformee": True, "mu_beamformee": False,
                                       "mcs_map": {"rx": dict(mcs), "tx": dict(mcs)}}}
    return out


#: global operating class by band and width (IEEE 802.11 Annex E; what hostapd reports)
_OP_CLASS = {("2g", 20): 81, ("2g", 40): 83, ("5g", 20): 115, ("5g", 40): 116, ("5g", 80): 128,
             ("5g", 160): 129, ("6g", 20): 131, ("6g", 40): 132, ("6g", 80): 133,
             ("6g", 160): 134, ("6g", 320): 137}


#: options netifd's wireless schema types (booleans and numbers in its status reply)
_BOOL_OPTS = {"disabled", "hidden", "isolate"}
_INT_OPTS = {"cell_density", "txpower"}


def _typed(k: str, v: Any) -> Any:
    if k in _BOOL_OPTS and v in ("0", "1"):
        return v == "1"
    if k in _INT_OPTS and isinstance(v, str) and v.lstrip("-").isdigit():
        return int(v)
    return v


def _radio_cfg(options: dict[str, Any], schema: bool = False) -> dict[str, Any]:
    """A wifi-device's config; ``schema``: also the types of 25.12's wifi-device schema that
    the real reply shows (``"radio": 0``, ``"noscan": true``; captures
    openwrt-21083-bpi-r4-pro-8x/wifi-status-cut.json)."""
    out = {k: _typed(k, v) for k, v in options.items()}
    if schema:
        if isinstance(out.get("radio"), str) and out["radio"].isdigit():
            out["radio"] = int(out["radio"])
        if out.get("noscan") in ("0", "1"):
            out["noscan"] = out["noscan"] == "1"
    return out


def _iface_cfg(options: dict[str, Any]) -> dict[str, Any]:
    """A wifi-iface's config as netifd 25.12 reports it: ``network`` and ``device`` as arrays,
    a ``radios`` array, typed booleans (real capture xiaomi-ax6000-owrt2512/wifi-status.json)."""
    out: dict[str, Any] = {}
    for k, v in options.items():
        if k in ("network", "device") and not isinstance(v, list):
            v = str(v).split()
        out[k] = _typed(k, v)
    out.setdefault("radios", [])
    return out
