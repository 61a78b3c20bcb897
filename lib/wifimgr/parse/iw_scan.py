"""``iw dev X scan [dump]`` (iw scan.c, util.c): one block per BSS with its elements — RSN/WPA
suites, HT/VHT/HE/EHT operation, BSS Load and the Multi-Link element's MLD address and link id."""

from __future__ import annotations

import re

from ..core.errors import ParseError
from ..core.record import record
from .common import (
    band_of,
    channel_of,
    first_int,
    guarded,
    indent_width,
    split_kv,
    to_float,
    to_int,
)
from .iw_common import read_blocks, unescape_ssid

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .iw_common import Blocks


@record
class ScanBss:
    bssid: str
    ifname: str | None = None
    associated: bool = False
    freq_mhz: int | None = None
    signal_dbm: float | None = None
    ssid: str | None = None
    ssid_raw: str | None = None
    last_seen_ms: int | None = None
    capability: str | None = None
    privacy: bool = False
    rsn_akm: tuple[str, ...] = ()
    wpa_akm: tuple[str, ...] = ()
    country: str | None = None
    ht_secondary: str | None = None
    vht_width: int | None = None
    vht_center1: int | None = None
    vht_center2: int | None = None
    he_6g_width: int | None = None
    eht_width: int | None = None
    mld_addr: str | None = None
    mld_link_id: int | None = None
    station_count: int | None = None
    utilisation: int | None = None

    @property
    def band(self) -> str | None:
        return band_of(self.freq_mhz) if self.freq_mhz else None

    @property
    def channel(self) -> int | None:
        return channel_of(self.freq_mhz) if self.freq_mhz else None

    @property
    def hidden(self) -> bool:
        return not self.ssid

    @property
    def width_mhz(self) -> int:
        """Operating width from EHT/HE/VHT/HT operation elements (20 when none says more)."""
        if self.eht_width:
            return self.eht_width
        if self.he_6g_width:
            return self.he_6g_width
        if self.vht_width:
            return self.vht_width
        if self.ht_secondary in ("above", "below"):
            return 40
        return 20

    @property
    def security(self) -> str:
        """open | owe | wep | wpa-psk | wpa2-psk | wpa3-sae | wpa3-sae-ext | sae-mixed |
        wpa-enterprise | wpa2-other"""
        akm = set(self.rsn_akm)
        if akm:
            if "IEEE 802.1X" in akm or "802.1X/SHA-256" in akm or "802.1X/SuiteB" in akm:
                return "wpa-enterprise"
            if "OWE" in akm:
                return "owe"
            has_sae = bool({"SAE", "SAE-EXT-KEY", "FT/SAE"} & akm)
            has_psk = bool({"PSK", "PSK/SHA-256", "FT/PSK"} & akm)
            if has_sae and has_psk:
                return "sae-mixed"
            if "SAE-EXT-KEY" in akm and "SAE" not in akm:
                return "wpa3-sae-ext"
            if has_sae:
                return "wpa3-sae"
            if has_psk:
                return "wpa2-psk"
            return "wpa2-other"
        if self.wpa_akm:
            return "wpa-psk" if "PSK" in self.wpa_akm else "wpa-enterprise"
        return "wep" if self.privacy else "open"


_MBM_RE = re.compile(r"^(-?)(\d+)\.(-?)(\d+)$")


def _scan_signal(val: str) -> float | None:
    """iw prints ``%d.%.2d`` of mBm/100 and mBm%100, so −0.55 dBm comes out as ``0.-55`` and
    −55.5 as ``-55.-50`` (scan.c); an empty value is no reading."""
    tok = (val.split() or [""])[0]
    m = _MBM_RE.match(tok)
    if not m:
        return to_float(tok)
    neg = bool(m.group(1) or m.group(3))
    v = int(m.group(2)) + int(m.group(4)) / 100
    return -v if neg else v


_VHT_WIDTH = {"0": None, "1": 80, "2": 160, "3": 160}


def _bss(lines: list[str], first: int, end: int) -> ScanBss:
    head = lines[first]
    m = _BSS_RE.match(head)
    if not m:
        raise ParseError(f"bad BSS header {head[:60]!r}", line=first + 1, source="iw scan")
    cur = ScanBss(bssid=m.group(1).lower(), ifname=m.group(2),
                  associated="associated" in m.group(3))
    section: str | None = None
    section_indent = 0
    for raw in lines[first + 1 : end]:
        if not raw.strip():
            continue
        ind = indent_width(raw)
        s = raw.strip()
        if section and ind <= section_indent and not s.startswith("*"):
            section = None
        if s.startswith("* ") and section:
            item = s[2:]
            kv = split_kv(item)
            if kv is None:
                continue
            k, v = kv
            if section in ("RSN", "WPA") and k == "Authentication suites":
                akms = tuple(v.split())
                if section == "RSN":
                    cur.rsn_akm = akms
                else:
                    cur.wpa_akm = akms
            elif section == "HT operation" and k == "secondary channel offset":
                cur.ht_secondary = v.split()[0] if v else None
            elif section == "VHT operation":
                if k == "channel width":
                    cur.vht_width = _VHT_WIDTH.get(v.split()[0])
                elif k == "center freq segment 1":
                    cur.vht_center1 = to_int(v)
                elif k == "center freq segment 2":
                    cur.vht_center2 = to_int(v)
            elif section == "HE Operation" and k == "6 GHz Operation Information":
                pass
            elif section == "BSS Load":
                if k == "station count":
                    cur.station_count = to_int(v)
                elif k == "channel utilisation":
                    cur.utilisation = to_int(v.split("/")[0])
            continue
        if section == "HE Operation" and ind > section_indent:
            cm = re.match(r"Channel Width: (\d+)", s)
            if cm:
                cur.he_6g_width = {0: 20, 1: 40, 2: 80, 3: 160}.get(int(cm.group(1)))
            continue
        if section == "EHT Operation" and ind > section_indent:
            cm = re.search(r"[Cc]hannel [Ww]idth:? (\d+)", s)
            if cm:
                code = int(cm.group(1))
                cur.eht_width = {0: 20, 1: 40, 2: 80, 3: 160, 4: 320}.get(code, code if code > 4
                                                                          else None)
            continue
        if section == "Multi-Link" and ind > section_indent:
            # iw ≥ 6.17 prints "MLD MAC: <addr>" (util.c print_multi_link); other trees
            # "MLD MAC Address: <addr>"
            mm = _MLD_MAC_RE.search(s)
            if mm:
                cur.mld_addr = mm.group(1).lower()
            lm = re.search(r"[Ll]ink ID:? (\d+)", s)
            if lm and cur.mld_link_id is None:
                cur.mld_link_id = int(lm.group(1))
            continue
        kv = split_kv(s)
        if kv is None:
            continue
        key, val = kv
        if key in ("RSN", "WPA", "HT operation", "VHT operation", "HE Operation",
                   "EHT Operation", "BSS Load") or key.startswith("Multi-Link"):
            section = "Multi-Link" if key.startswith("Multi-Link") else key
            section_indent = ind
            if val.startswith("* "):  # "RSN:\t * Version: 1" on the same line
                continue
            continue
        if key == "freq":
            fv = to_float(val)
            cur.freq_mhz = int(fv) if fv is not None else None
        elif key == "signal":
            cur.signal_dbm = _scan_signal(val)
        elif key == "SSID":
            cur.ssid_raw = val
            cur.ssid = unescape_ssid(val)
        elif key == "last seen" and val.endswith("ms ago"):
            cur.last_seen_ms = first_int(val)
        elif key == "capability":
            cur.capability = val
            cur.privacy = "Privacy" in val.split()
        elif key == "Country":
            cur.country = val.split()[0] if val else None
    return cur


_BSS_RE = re.compile(r"BSS ([0-9a-fA-F:]{17})\s*(?:\(on (\S+)\))?(.*)")
_MLD_MAC_RE = re.compile(r"MLD MAC(?: [Aa]ddress)?:? ([0-9a-fA-F:]{17})")


@guarded("iw scan")
def parse_scan(text: str) -> Blocks:
    """Every BSS of ``iw dev X scan [dump]``; a BSS whose header is unreadable is dropped with a
    note in ``.notes``."""
    return read_blocks(text, "BSS ", "BSS", "iw scan",
                       lambda lines, first, end, _notes: _bss(lines, first, end))
