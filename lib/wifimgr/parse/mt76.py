"""mt76 debugfs files of the MT7996 (MTK SDK patches).

    parse_txpower_info(text) -> TxpowerInfo   # phy0/mt76/band<N>/txpower_info
    parse_txpower_sku(text)  -> TxpowerSku    # phy0/mt76/band<N>/txpower_sku
    parse_dfs_status(text)   -> dict[int, str] # phy0/dfs_status: channel → DFS state
    parse_flag(text)         -> bool | None   # sku_disable and other 0/1 files
"""

from __future__ import annotations

import re

from ..core.record import field, record
from .common import guarded, to_int


@record
class TxpowerInfo:
    fields: dict[str, str] = field(default_factory=dict)
    sku_enabled: bool | None = None
    mu_mode: str | None = None
    mu_auto_dbm: float | None = None
    mu_manual_dbm: float | None = None

    @property
    def effective_dbm(self) -> float | None:
        """The MU TX power the firmware applies (manual value in manual mode)."""
        if self.mu_mode == "manual" and self.mu_manual_dbm is not None:
            return self.mu_manual_dbm
        return self.mu_auto_dbm


@guarded("txpower_info")
def parse_txpower_info(text: str) -> TxpowerInfo:
    info = TxpowerInfo()
    for raw in text.splitlines():
        key, sep, val = raw.strip().partition(":")
        if not sep:
            continue
        key, val = key.strip(), val.strip()
        info.fields[key] = val
        if key == "SKU":
            info.sku_enabled = val.lower().startswith("enable")
        elif key == "MU TX Power Mode":
            info.mu_mode = val.lower()
        elif key.startswith("MU TX Power (Auto / Manual)"):
            m = re.match(r"(-?\d+)\s*/\s*(-?\d+)\s*(\[0\.5 dBm\])?", val)
            if m:
                scale = 0.5 if m.group(3) else 1.0
                info.mu_auto_dbm = int(m.group(1)) * scale
                info.mu_manual_dbm = int(m.group(2)) * scale
    return info


@record
class TxpowerSku:
    """The summary lines at the end of ``txpower_sku`` (MTK SDK mt7996 ``mtk_debugfs.c``
    ``mt7996_get_txpower_sku``; the per-rate table above them is not read)::

        Phy 1 TX Power Table (Channel 36)
        …
        BBP TX Power (target power from TMAC)  :     40 [0.5 dBm]
        RegDB maximum power:\t23 [dBm]
        eeprom maximum power:\t27 [dBm]
        path_delta:\t8 [0.5 dBm]
    """

    band_idx: int | None = None
    channel: int | None = None
    eeprom_max_dbm: int | None = None
    regdb_max_dbm: int | None = None
    tmac_target_dbm: float | None = None
    path_delta_db: float | None = None


_SKU_LINES = (
    (re.compile(r"Phy (\d+) TX Power Table \(Channel (\d+)\)"), "table"),
    (re.compile(r"BBP TX Power \(target power from TMAC\)\s*:\s*(-?\d+) \[0\.5 dBm\]"), "tmac"),
    (re.compile(r"RegDB maximum power:\s*(-?\d+) \[dBm\]"), "regdb"),
    (re.compile(r"eeprom maximum power:\s*(-?\d+) \[dBm\]"), "eeprom"),
    (re.compile(r"path_delta:\s*(-?\d+) \[0\.5 dBm\]"), "path"),
)


@guarded("txpower_sku")
def parse_txpower_sku(text: str) -> TxpowerSku:
    sku = TxpowerSku()
    for raw in text.splitlines():
        s = raw.strip()
        for rx, what in _SKU_LINES:
            m = rx.match(s)
            if not m:
                continue
            if what == "table":
                sku.band_idx, sku.channel = int(m.group(1)), int(m.group(2))
            elif what == "tmac":
                sku.tmac_target_dbm = int(m.group(1)) / 2
            elif what == "regdb":
                sku.regdb_max_dbm = int(m.group(1))
            elif what == "eeprom":
                sku.eeprom_max_dbm = int(m.group(1))
            else:
                sku.path_delta_db = int(m.group(1)) / 2
            break
    return sku


@guarded("dfs_status")
def parse_dfs_status(text: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for m in re.finditer(r"Channel = (\d+), DFS_state = (\S+)", text):
        out[int(m.group(1))] = m.group(2)
    return out


@guarded("debugfs flag")
def parse_flag(text: str | None) -> bool | None:
    if text is None:
        return None
    v = to_int(text.strip())
    return None if v is None else v != 0
