"""mt76 debugfs files of the MT7996 (MTK SDK patches).

    parse_txpower_info(text) -> TxpowerInfo   # phy0/mt76/band<N>/txpower_info
    parse_dfs_status(text)   -> dict[int, str] # phy0/dfs_status: channel → DFS state
    parse_flag(text)         -> bool | None   # sku_disable and other 0/1 files
"""

from __future__ import annotations

import re

from ..record import field, record
from .common import to_int


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


def parse_dfs_status(text: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for m in re.finditer(r"Channel = (\d+), DFS_state = (\S+)", text):
        out[int(m.group(1))] = m.group(2)
    return out


def parse_flag(text: str | None) -> bool | None:
    if text is None:
        return None
    v = to_int(text.strip())
    return None if v is None else v != 0
