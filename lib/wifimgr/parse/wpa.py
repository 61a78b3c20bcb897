"""Parsers for ``wpa_cli`` replies.

    parse_status(text)       -> dict[str, str]     # `status`
    parse_mlo_status(text)   -> list[MloLink]      # `MLO_STATUS`
    parse_scan_results(text) -> list[ScanResult]   # `scan_results`
"""

from __future__ import annotations

from ..core.errors import ParseError
from ..core.record import record
from .common import guarded, to_int
from .hostapd import classify_reply, parse_kv_lines


@guarded("wpa status")
def parse_status(text: str) -> dict[str, str]:
    if classify_reply(text) in ("fail", "error"):
        raise ParseError(f"wpa_supplicant answered {text.strip()[:60]!r}", source="wpa status")
    fields = parse_kv_lines(text)
    if "wpa_state" not in fields:
        raise ParseError("no wpa_state in reply", source="wpa status")
    return fields


@record
class MloLink:
    link_id: int
    freq_mhz: int | None = None
    ap_link_addr: str | None = None
    sta_link_addr: str | None = None
    fields: dict[str, str] | None = None


@guarded("MLO_STATUS")
def parse_mlo_status(text: str) -> list[MloLink]:
    """One block of key=value lines per link, each starting with ``link_id=``."""
    if classify_reply(text) in ("fail", "error"):
        raise ParseError(f"wpa_supplicant answered {text.strip()[:60]!r}", source="MLO_STATUS")
    out: list[MloLink] = []
    cur: MloLink | None = None
    for raw in text.splitlines():
        key, sep, val = raw.strip().partition("=")
        if not sep:
            continue
        if key == "link_id":
            lid = to_int(val)
            if lid is None:
                raise ParseError(f"bad link_id {val!r}", source="MLO_STATUS")
            cur = MloLink(lid, fields={})
            out.append(cur)
            continue
        if cur is None:
            continue
        assert cur.fields is not None
        cur.fields[key] = val
        if key == "freq":
            cur.freq_mhz = to_int(val)
        elif key == "ap_link_addr":
            cur.ap_link_addr = val.lower()
        elif key == "sta_link_addr":
            cur.sta_link_addr = val.lower()
    return out


@record
class ScanResult:
    bssid: str
    freq_mhz: int | None
    signal_dbm: int | None
    flags: str
    ssid: str


@guarded("wpa scan_results")
def parse_scan_results(text: str) -> list[ScanResult]:
    out: list[ScanResult] = []
    for raw in text.splitlines():
        if raw.startswith("bssid /"):
            continue
        cols = raw.split("\t")
        if len(cols) < 4:
            continue
        out.append(ScanResult(cols[0].lower(), to_int(cols[1]), to_int(cols[2]), cols[3],
                              cols[4] if len(cols) > 4 else ""))
    return out
