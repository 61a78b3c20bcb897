"""Read method ``clients`` (every station on every AP interface) and the write method
``client_disconnect``."""

from __future__ import annotations

from ..core.errors import InvalidArgument, NotFound
from ..model import mld, present
from ..observe.live import Live
from ..parse.common import band_of
from ..parse.hostapd import classify_reply
from ..rules.validate import mac as valid_mac

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context


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


# ------------------------------------------------------------------ host names
#: dnsmasq's lease file when no `dnsmasq` section names one (rpcd-mod-luci, dnsmasq.init)
DEFAULT_LEASEFILE = "/tmp/dhcp.leases"  # noqa: S108 — a router path, read only


def _mac(text: str | None) -> str | None:
    """``ether_aton``: six ``:``-separated hex bytes of one or two digits → ``aa:bb:…``."""
    parts = (text or "").split(":")
    if len(parts) != 6 or not all(1 <= len(p) <= 2 for p in parts):
        return None
    try:
        return ":".join(f"{int(p, 16):02x}" for p in parts)
    except ValueError:
        return None


def parse_dnsmasq_leases(text: str) -> dict[str, str]:
    """dnsmasq's lease file (``<expiry> <mac> <ip> <hostname|*> <client-id|*>``; IPv6 lines
    after a ``duid`` line carry an IAID where the MAC is) → MAC → host name."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) < 5 or f[0] == "duid":
            continue
        mac = _mac(f[1])
        if mac is None and f[4].startswith("01:") and len(f[4]) == 20:
            mac = _mac(f[4][3:])              # 01:<mac>: the client id names the MAC
        if mac and f[3] != "*":
            out.setdefault(mac, f[3])
    return out


def parse_ethers(text: str) -> dict[str, str]:
    """``/etc/ethers``: ``<mac> <hostname|IPv4>`` per line, ``#`` comments."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        f = line.split("#", 1)[0].split()
        if len(f) < 2:
            continue
        mac = _mac(f[0])
        if mac and not all(p.isdigit() for p in f[1].split(".")):
            out.setdefault(mac, f[1])
    return out


def host_names(system) -> dict[str, str]:
    """MAC → host name as LuCI's host hints know it (rpcd-mod-luci): a static lease (`dhcp`
    `host` section) first, then dnsmasq's lease files (``leasefile`` of each `dnsmasq`
    section, default /tmp/dhcp.leases), then /etc/ethers. Read through the ports."""
    names: dict[str, str] = {}
    files: list[str] = []
    try:
        dhcp = system.uci.load("dhcp") if system.uci.exists("dhcp") else None
    except Exception:
        dhcp = None
    if dhcp is not None:
        for sec in dhcp.of_type("host"):
            name = sec.get_str("name")
            for m in sec.get_list("mac"):
                for one in m.split():
                    mac = _mac(one)
                    if mac and name:
                        names.setdefault(mac, name)
        files = [f for f in (s.get_str("leasefile") for s in dhcp.of_type("dnsmasq")) if f]
    for path in files or [DEFAULT_LEASEFILE]:
        for mac, name in parse_dnsmasq_leases(system.fs.read_text(path) or "").items():
            names.setdefault(mac, name)
    for mac, name in parse_ethers(system.fs.read_text("/etc/ethers") or "").items():
        names.setdefault(mac, name)
    return names


def client_list(lv: Live) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    names = host_names(lv.sys)
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
                "hostname": names.get(st.mac.lower()),
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
                # the bands it is on: its links', or the band of its (single-band) interface
                "bands": sorted({x["band"] for x in links if x["band"]}) if intf.links else
                ([band_of(intf.channel.freq_mhz)] if intf.channel else []),
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
