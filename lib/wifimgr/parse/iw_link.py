"""``iw dev X link`` (iw link.c): the legacy form and the MLO form (``Link <n> BSSID`` and
``freq:`` per link, ``MLD <addr> stats:``; real capture mt7927-dkms-8). The signal and bitrate
lines are those of the station dump and are read by its converters (``iw_station.STA_FIELDS``).
"""

from __future__ import annotations

import re

from ..core.errors import ParseError
from ..core.record import field, record
from .common import first_int, guarded, is_placeholder_dbm, split_kv, to_float
from .iw_station import STA_FIELDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .iw_common import Bitrate

@record
class LinkedBss:
    link_id: int | None
    bssid: str
    freq_mhz: int | None = None


@record
class LinkInfo:
    connected: bool
    bssid: str | None = None
    ifname: str | None = None
    ssid: str | None = None
    freq_mhz: int | None = None
    signal_dbm: int | None = None
    tx_bitrate: Bitrate | None = None
    rx_bitrate: Bitrate | None = None
    links: list[LinkedBss] = field(default_factory=list)
    mld_addr: str | None = None
    #: the printed signal was a placeholder (the MLD-level ``signal: 0 dBm`` of an MLO STA)
    signal_placeholder: bool = False

    @property
    def is_mlo(self) -> bool:
        return bool(self.links)


_LINK_BSSID = re.compile(r"Link (\d+) BSSID ([0-9a-fA-F:]{17})")
_MLD_STATS = re.compile(r"MLD ([0-9a-fA-F:]{17}) stats:")


@guarded("iw link")
def parse_link(text: str) -> LinkInfo:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines or lines[0].strip() == "Not connected.":
        return LinkInfo(connected=False)
    m = re.match(r"Connected to ([0-9a-fA-F:]{17}) \(on (\S+)\)", lines[0].strip())
    if not m:
        raise ParseError(f"unexpected first line {lines[0]!r}", line=1, source="iw link")
    info = LinkInfo(connected=True, bssid=m.group(1).lower(), ifname=m.group(2))
    cur: LinkedBss | None = None
    for raw in lines[1:]:
        s = raw.strip()
        lm = _LINK_BSSID.match(s)
        if lm:
            cur = LinkedBss(int(lm.group(1)), lm.group(2).lower())
            info.links.append(cur)
            continue
        mm = _MLD_STATS.match(s)
        if mm:
            info.mld_addr = mm.group(1).lower()
            cur = None
            continue
        kv = split_kv(s)
        if kv is None:
            continue
        key, val = kv
        if key == "freq":
            fv = to_float((val.split() or [""])[0])
            f = int(fv) if fv is not None else None
            if cur is not None:
                cur.freq_mhz = f
            else:
                info.freq_mhz = f
        elif key == "SSID":
            info.ssid = val
        elif key == "signal":
            dbm = first_int(val)
            info.signal_placeholder = is_placeholder_dbm(dbm)
            info.signal_dbm = None if info.signal_placeholder else dbm
        elif key in ("tx bitrate", "rx bitrate"):
            attr, conv, _where = STA_FIELDS[key]
            setattr(info, attr, conv(val))
    return info
