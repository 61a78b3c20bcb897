"""TX power: the three modes of the original, what the driver really uses, and the MT7996
cold-boot "TMAC=0" fix (spec/platform.md §e).

Modes (a private marker ``txpower_mode`` on each wifi-device, as the original wrote it):

* ``regdb``     — ``sku_idx 0``, no ``txpower``: the country's SKU power table applies;
* ``efuse_max`` — no ``sku_idx``, no ``txpower``: the chip runs at its eFuse targets and ignores
  ``iw`` power settings (applied by reboot);
* ``manual``    — ``sku_idx 0`` + ``txpower N``: a per-radio cap (only honoured while the SKU
  table is active, hence ``sku_idx 0``).
"""

from __future__ import annotations

import time

from ..core.errors import InvalidArgument, ParseError
from ..model.wireless import WirelessConfig
from ..rules import validate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..host.context import Context
    from ..model.configset import ConfigSet
    from ..platform import System

MODES = ("regdb", "efuse_max", "manual")
SKU_DISABLE = "/sys/kernel/debug/ieee80211/phy0/mt76/sku_disable"
#: the driver said it replaced the card's EEPROM by defaults (parse.dmesg eeprom_evidence)
EEPROM_NOTE = ("the driver reported a zeroed EEPROM power table and uses default values "
               "(dmesg: 'corrupted EEPROM detected', 'eeprom tx_power zeros detected' or "
               "'eeprom load fail, use default bin'): 2.4/5 GHz power follows the generic "
               "table, not this card's calibration. "
               "Fix: an image with the mt7996 EEPROM tx_power fix-up (openwrt/mt76 PR #954; "
               "OpenWrt 25.12.4 or later), see openwrt/openwrt#17489 — Diagnostics shows the "
               "lines")


def describe(ctx: Context, lv: Any, info: dict[str, Any]) -> None:
    """Add ``info["txpower"]`` to a radio of the ``radios`` reply."""
    from ..model.capabilities import sku_option
    from ..model.wireless import txpower_mode
    from ..parse import mt76

    r = lv.config.radios[info["name"]]
    mode = txpower_mode(r, sku_idx=sku_option(lv.caps))
    live = info["live"]["txpower_dbm"]
    raw = None
    if r.index is not None:
        raw = ctx.system.fs.read_text(
            f"/sys/kernel/debug/ieee80211/phy0/mt76/band{r.index}/txpower_info")
    parsed = lv._parse(mt76.parse_txpower_info, raw, f"band{r.index}/txpower_info")
    debugfs = parsed.effective_dbm if parsed else None
    sku = lv.read_file(mt76.parse_flag, SKU_DISABLE)
    notes = []
    coldboot = lv.caps.tmac0_coldboot_bug is True
    if live is not None and live <= 4 and r.band in ("2g", "6g") and not coldboot:
        notes.append(f"about {live:g} dBm, far below the band's limit")
    elif live is not None and live <= 4 and r.band in ("2g", "6g"):
        notes.append("about 3 dBm: the MT7996 cold-boot TX power bug (TMAC=0)"
                     + (f" — the firmware's target is {debugfs:g} dBm" if debugfs else "")
                     + "; the hotplug fix nudges the power once the SKU table is loaded")
    elif live is not None and live <= 8 and r.band in ("2g", "5g") and not (
            mode == "manual" and r.txpower is not None and r.txpower <= 8):
        notes.append("stuck near 6–7 dBm: this looks like a BE14 card with a zeroed EEPROM "
                     "(see openwrt/openwrt#17489)")
    if lv.health.eeprom_corrupted and r.band in ("2g", "5g"):
        notes.append(EEPROM_NOTE)
    if mode == "manual" and r.txpower is not None and live is not None and live < r.txpower - 1:
        notes.append(f"the driver uses {live:g} dBm, below the configured {r.txpower} dBm "
                     "(regulatory or hardware limit)")
    if mode == "efuse_max":
        notes.append("eFuse maximum: the country's power table is not applied")
    info["txpower"] = {"mode": mode, "configured_dbm": r.txpower, "live_dbm": live,
                       "debugfs_dbm": debugfs, "sku_active": None if sku is None else not sku,
                       "max_dbm": band_max(lv.phy_channels, r.band), "notes": notes,
                       "differs": bool(notes)}


def band_max(channels: list[Any], band: str | None) -> int:
    vals = [c.max_power_dbm for c in channels if c.band == band and not c.disabled
            and c.max_power_dbm]
    return int(max(vals)) if vals else 30


def txpower_set(ctx: Context, mode: str, radio: str | None = None, dbm: int | None = None,
                dry_run: bool = False) -> dict[str, Any]:
    """``txpower_set {mode, radio?, dbm?}``: switch the TX power mode (all radios, or one), or
    set a manual per-radio cap."""
    from ..observe.live import Live
    from ..transaction.writes import commit_change

    if mode not in MODES:
        raise InvalidArgument(f"mode must be one of {', '.join(MODES)}", field="mode")
    if mode == "manual" and dbm is None:
        raise InvalidArgument("manual mode needs dbm", field="dbm")
    if mode != "manual" and dbm is not None:
        raise InvalidArgument("dbm is only for manual mode", field="dbm")
    if dbm is not None and radio is None:
        raise InvalidArgument("a manual power is set per radio: give radio", field="radio")
    from ..model import capabilities as capmod

    lv = Live(ctx.system)
    if mode == "efuse_max":
        capmod.require(lv.caps, "txpower_efuse")
    # sku_idx is the MTK SDK's option (its hostapd selects the power table with it); a stack
    # without it (upstream mt76) gets neither the option nor the eFuse mode
    sku_opt = capmod.sku_option(lv.caps)
    chans = lv.phy_channels if dbm is not None else []

    def mutate(cs: ConfigSet) -> None:
        w = WirelessConfig.from_set(cs)
        if radio is not None and radio not in w.radios:
            raise InvalidArgument(f"no radio {radio!r}", field="radio")
        targets = [w.radios[radio]] if radio else list(w.radios.values())
        for r in targets:
            s = r.section
            s.set("txpower_mode", mode)
            if mode == "regdb":
                s.set("sku_idx", "0" if sku_opt else None)
                s.set("txpower", None)
                s.set("lpi_sku_idx", None)
            elif mode == "efuse_max":
                for opt in ("sku_idx", "txpower", "lpi_sku_idx"):
                    s.set(opt, None)
            else:
                s.set("sku_idx", "0" if sku_opt else None)
                if dbm is not None:
                    s.set("txpower", validate.txpower(dbm, hi=band_max(chans, r.band)))

    what = f"{radio or 'all radios'}: {mode}" + (f" {dbm} dBm" if dbm is not None else "")
    return commit_change(ctx, mutate, dry_run=dry_run, summary=f"TX power {what}")


# ------------------------------------------------------------------- cold-boot fix
def cold_boot_fix(system: System, *, wait_s: float = 120,
                  sleep: Callable[[float], None] = time.sleep) -> dict[str, Any]:
    """After a cold boot band0 and band2 transmit at ~3 dBm: the driver sets 20 dBm at probe,
    mac80211 skips the MCU call for an unchanged value, TMAC stays 0 (spec/platform.md §e.4).
    Wait until the SKU table is loaded (debugfs ``sku_disable`` reads 0), then set a different
    power on the 2.4 and 6 GHz radios and restore the UCI value (or ``auto``). Harmless when
    run again. Writes no configuration."""
    from ..host import probe
    from ..model import capabilities as capmod
    from ..parse import iw_dev, mt76

    caps = probe.capabilities(system)
    if capmod.missing(caps, "coldboot_fix"):
        # only where the bug is known: the MTK SDK mt76 (its sku_disable flag is what we wait on)
        return {"applied": False, "reason": capmod.reason(caps, "coldboot_fix")}
    waited = 0.0
    while mt76.parse_flag(system.fs.read_text(SKU_DISABLE)) is not False:
        if waited >= wait_s:
            return {"applied": False, "reason": f"sku_disable did not read 0 in {wait_s:g} s "
                                                "(no sku_idx configured?)"}
        sleep(1)
        waited += 1
    try:
        ifaces = iw_dev.parse_dev(system.run.run(["iw", "dev"], timeout=10).stdout or "")
    except ParseError:
        ifaces = []   # an unreadable `iw dev`: phy0, the only wiphy of the BPI-R4
    # `iw dev` names the wiphy in its phy#N header (the wiphy line is `iw dev X info` only)
    n = next((i.wiphy if i.wiphy is not None else i.phy for i in ifaces
              if i.wiphy is not None or i.phy is not None), 0)
    phy = f"phy{n}"
    w = WirelessConfig(system.uci.load("wireless"))
    done = []
    for r in w.radios.values():
        if r.band not in ("2g", "6g") or r.index is None or r.disabled:
            continue
        nudge = 1800 if r.txpower == 19 else 1900
        base = ["iw", "phy", phy, "set", "txpower"]
        system.run.run([*base, "fixed", str(nudge), "radio", str(r.index)], timeout=10)
        sleep(1)
        if r.txpower is not None:
            system.run.run([*base, "fixed", f"{r.txpower}00", "radio", str(r.index)], timeout=10)
        else:
            system.run.run([*base, "auto", "radio", str(r.index)], timeout=10)
        done.append(r.name)
    system.run.run(["logger", "-t", "wifimgr", "cold-boot TX power fix applied to "
                    + (", ".join(done) or "no radio")], timeout=5)
    return {"applied": True, "radios": done, "waited_s": waited}
