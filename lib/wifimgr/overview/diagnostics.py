"""Read methods ``diagnostics`` and ``log``."""

from __future__ import annotations

import re

from ..model import present
from ..observe.live import Live
from ..parse import mt76
from ..parse.common import to_millicelsius
from ..radios.inventory import _temps, radio_info

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context

WIFI_LOG = re.compile(r"hostapd|wpa_supplicant|netifd|mt7996|mt76|wifimgr|wifi|ieee80211|"
                      r"wlan|phy0|DFS|MLD|mld", re.IGNORECASE)


def _zones(lv: Live) -> dict[str, float]:
    out: dict[str, float] = {}
    for path in lv.sys.fs.glob("/sys/class/thermal/thermal_zone*/type"):
        name = (lv.sys.fs.read_text(path) or "").strip()
        c = to_millicelsius(lv.sys.fs.read_text(path.rsplit("/", 1)[0] + "/temp"))
        if name and c is not None:
            out[name] = c
    return out


MT76 = "/sys/kernel/debug/ieee80211/phy0/mt76"


def _sku(lv: Live, band_idx: int | None) -> mt76.TxpowerSku | None:
    """``band<N>/txpower_sku`` of one band (None where debugfs has no such file)."""
    if band_idx is None:
        return None
    return lv.read_file(mt76.parse_txpower_sku, f"{MT76}/band{band_idx}/txpower_sku")


def diagnostics(ctx: Context) -> dict[str, Any]:
    """``diagnostics``: firmware, temperatures, per-radio utilisation/noise/TX (the power used
    next to the band's EEPROM maximum from ``txpower_sku``), MLO internals, regulatory domain
    and the raw ``txpower_info`` per band."""
    lv = Live(ctx.system)
    fs = ctx.system.fs
    zones = _zones(lv)
    # the SoC's own sensor is "cpu-thermal" on the MT7988A (eth2p5g-* zones are the 2.5G PHY)
    cpu = zones.get("cpu-thermal")
    wifi_t = _temps(lv)
    radios = []
    clients_by_if = {intf.name: len(lv.stations(intf.name)) for intf in lv.ap_interfaces()}
    for r in lv.config.radios.values():
        info = radio_info(lv, r, wifi_t)
        lv_if = info["live"]["ifname"]
        sku = _sku(lv, r.index)
        radios.append({
            "radio": r.name, "band": r.band, "up": info["up"],
            "channel": info["live"]["channel"], "width_mhz": info["live"]["width_mhz"],
            "util_pct": info["chan_util_pct"], "util_note": info["chan_util_note"],
            "util_class": present.util_class(info["chan_util_pct"]),
            "busy_pct": info["busy_pct"], "noise_dbm": info["noise_dbm"],
            "txpower_dbm": info["live"]["txpower_dbm"],
            "eeprom_max_dbm": sku.eeprom_max_dbm if sku else None,
            "regdb_max_dbm": sku.regdb_max_dbm if sku else None,
            "clients": clients_by_if.get(lv_if, 0) if lv_if else 0,
            "temperature_c": info["temperature_c"],
            "temperature_class": present.temp_class(info["temperature_c"]),
        })
    mlo = []
    for i in lv.config.mlo_aps() + lv.config.mlo_stas():
        ifn = lv.ifname_of(i.name)
        intf = lv.interface(ifn) if ifn else None
        st = lv.hostapd_status(ifn) if (ifn and i.is_ap) else None
        mlo.append({
            "section": i.name, "ssid": i.ssid, "mode": i.mode, "ifname": ifn,
            "mld_addr": (st.mld_addr if st else None) or (intf.addr if intf else None),
            "ap_mld_type": st.get("ap_mld_type") if st else None,
            "eml_disabled": i.section.get_bool("eml_disable"),
            "allowed_links": i.section.get_str("mld_allowed_links"),
            "links": [{"link_id": ln.link_id, "addr": ln.addr,
                       "freq_mhz": ln.channel.freq_mhz if ln.channel else None,
                       "channel": ln.channel.channel if ln.channel else None,
                       "width_mhz": ln.channel.width_mhz if ln.channel else None,
                       "txpower_dbm": ln.txpower_dbm} for ln in (intf.links if intf else [])],
        })
    txinfo: dict[str, Any] = {}
    # one per radio of this wiphy (two on an MT7992); the files are the MTK SDK mt76's
    for n in sorted(r.index for r in lv.config.radios.values() if r.index is not None):
        raw = fs.read_text(f"{MT76}/band{n}/txpower_info")
        if raw is None:
            txinfo[f"band{n}"] = None
            continue
        parsed = lv._parse(mt76.parse_txpower_info, raw, f"band{n}/txpower_info")
        table = _sku(lv, n)
        txinfo[f"band{n}"] = {"raw": raw,
                              "sku_enabled": parsed.sku_enabled if parsed else None,
                              "effective_dbm": parsed.effective_dbm if parsed else None,
                              "eeprom_max_dbm": table.eeprom_max_dbm if table else None,
                              "regdb_max_dbm": table.regdb_max_dbm if table else None}
    sku = lv.read_file(mt76.parse_flag, f"{MT76}/sku_disable")
    reg = lv.reg[0] if lv.reg else None
    from ..model import capabilities as capmod
    from ..rules.findings import platform_findings

    return {
        "platform": capmod.as_dict(lv.caps),
        "findings": platform_findings(lv.config, lv.caps),
        "firmware": [{"component": f.component, "version": f.version,
                      "build_time": f.build_time} for f in lv.health.firmware],
        "firmware_text": fs.read_text("/sys/kernel/debug/ieee80211/phy0/mt76/fw_version"),
        "kernel": (fs.read_text("/proc/version") or "").strip() or None,
        "eeprom_mode": (fs.read_text("/sys/kernel/debug/ieee80211/phy0/mt76/eeprom_mode")
                        or "").strip() or None,
        "eeprom_corrupted": lv.health.eeprom_corrupted,
        # the driver's lines that say so, and an Oops in the Wi-Fi driver since boot
        "eeprom_evidence": lv.health.eeprom_evidence,
        "kernel_oops": lv.health.oops,
        # an Oops that panicked the kernel is gone from dmesg after the reboot; ramoops keeps
        # the console of the previous boot in pstore (real: captures/openwrt-18750-mt7996-oops)
        "kernel_oops_pstore": _pstore_oops(lv),
        "sku_active": None if sku is None else not sku,
        "regdomain": {"country": reg.country, "dfs_region": reg.dfs_region} if reg else None,
        "temperatures": {"cpu_c": cpu, "cpu_class": present.temp_class(cpu), "zones": zones,
                         "wifi": {f"radio{k}": v for k, v in sorted(wifi_t.items())}},
        "radios": radios,
        "mlo": mlo,
        "txpower_info": txinfo,
        "chip_locked": lv.health.locked,
        "chip_evidence": lv.health.evidence[-6:],
        "notes": lv.notes,
    }


def _pstore_oops(lv: Live) -> list[str]:
    from ..parse import dmesg

    out: list[str] = []
    for path in sorted(lv.sys.fs.glob("/sys/fs/pstore/*ramoops*")):
        health = lv.read_file(dmesg.parse, path)
        if health is not None:
            out += [ln for ln in health.oops if ln not in out]
    return out[:12]


def log(ctx: Context, lines: int = 100, filter: str = "wifi") -> dict[str, Any]:
    """``log``: the last lines of the system log (``filter``: ``wifi`` or ``all``)."""
    from ..core.errors import InvalidArgument

    if not 1 <= lines <= 5000:
        raise InvalidArgument("lines must be between 1 and 5000", field="lines")
    if filter not in ("wifi", "all"):
        raise InvalidArgument("filter must be 'wifi' or 'all'", field="filter")
    res = ctx.system.run.run(["logread"], timeout=10)
    out = (res.stdout or "").splitlines()
    if filter == "wifi":
        out = [ln for ln in out if WIFI_LOG.search(ln)]
    return {"lines": out[-lines:], "total": len(out), "filter": filter}
