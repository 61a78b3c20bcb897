"""``iw dev X station dump`` / ``station get`` (iw station.c print_sta_handler; the per-link
``Link N:`` blocks of iw's per-link statistics, commit c5bfa2a3, and of the MTK SDK iw).

Station-level lines are indented once; ``Link <n>:`` blocks (MLO stations) hold more-indented
per-link lines. The dump is read block by block (one ``Station`` header each, through
:func:`.iw_common.blocks`): a block with a corrupt header is dropped with a note in the result's
``notes`` and the other stations are kept; a ``Link`` header that is not ``Link <n>:`` drops
that link's lines with a note (they would otherwise be read as the station's own). A truncated
dump yields the stations read so far.
"""

from __future__ import annotations

from ..core.errors import ParseError
from ..core.record import field, record
from .common import first_int, guarded, indent_width, is_mac, to_int
from .iw_common import Signal, parse_bitrate, parse_signal, read_blocks

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from .iw_common import Bitrate, Blocks

@record
class StationLink:
    link_id: int
    address: str | None = None
    inactive_ms: int | None = None
    signal: Signal | None = None
    signal_avg: Signal | None = None
    tx_bitrate: Bitrate | None = None
    rx_bitrate: Bitrate | None = None
    rx_bytes: int | None = None
    tx_bytes: int | None = None
    rx_packets: int | None = None
    tx_packets: int | None = None
    tx_retries: int | None = None
    tx_failed: int | None = None
    fields: dict[str, str] = field(default_factory=dict)


@record
class Station:
    mac: str
    ifname: str | None = None
    inactive_ms: int | None = None
    rx_bytes: int | None = None
    tx_bytes: int | None = None
    rx_packets: int | None = None
    tx_packets: int | None = None
    tx_retries: int | None = None
    tx_failed: int | None = None
    signal: Signal | None = None
    signal_avg: Signal | None = None
    tx_bitrate: Bitrate | None = None
    rx_bitrate: Bitrate | None = None
    connected_s: int | None = None
    authorized: bool | None = None
    authenticated: bool | None = None
    associated: bool | None = None
    mfp: bool | None = None
    links: list[StationLink] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def _yes(val: str) -> bool:
    return val.strip() == "yes"


def _text(val: str) -> str:
    return val.strip()


#: station dump key → (attribute, converter, where it applies: "both", "station" or "link");
#: any other key (or one in the wrong block) is kept in ``.fields``. The converters accept the
#: value with its leading whitespace (one strip less per line: 15,000 lines for 200 stations).
STA_FIELDS: dict[str, tuple[str, Callable[[str], object], str]] = {
    "inactive time": ("inactive_ms", first_int, "both"),
    "signal": ("signal", parse_signal, "both"),
    "signal avg": ("signal_avg", parse_signal, "both"),
    "tx bitrate": ("tx_bitrate", parse_bitrate, "both"),
    "rx bitrate": ("rx_bitrate", parse_bitrate, "both"),
    "rx bytes": ("rx_bytes", to_int, "both"),
    "tx bytes": ("tx_bytes", to_int, "both"),
    "rx packets": ("rx_packets", to_int, "both"),
    "tx packets": ("tx_packets", to_int, "both"),
    "tx retries": ("tx_retries", to_int, "both"),
    "tx failed": ("tx_failed", to_int, "both"),
    "address": ("address", _text, "link"),
    "connected time": ("connected_s", first_int, "station"),
    "authorized": ("authorized", _yes, "station"),
    "authenticated": ("authenticated", _yes, "station"),
    "associated": ("associated", _yes, "station"),
    "MFP": ("mfp", _yes, "station"),
}


#: refuse the lines of a ``Link`` header that is not ``Link <n>:`` (off only in the control
#: test that shows what the refusal prevents)
REFUSE_UNKNOWN_LINK = True


def _indent(raw: str) -> int:
    """Indentation width; tab-exact lines (what iw prints) without the per-character loop."""
    body = raw.lstrip("\t")
    if body[:1] != " ":
        return 8 * (len(raw) - len(body))
    return indent_width(raw)


#: per printed key, indentation included (``"\t\tsignal"``): (the key, its indentation width,
#: its STA_FIELDS entry or None, the link id of a ``Link <n>`` header or -1 for any other
#: ``Link …`` header, None for other keys). A dump repeats the same few dozen printed keys on
#: every station and link, so a line costs one partition and one lookup.
_KEYS: dict[str, tuple[str, int, tuple[str, Callable[[str], object], str] | None, int | None]]
_KEYS = {}


def _key(raw_key: str) -> tuple[str, int, tuple[str, Callable[[str], object], str] | None,
                                int | None]:
    got = _KEYS.get(raw_key)
    if got is None:
        key = raw_key.strip()
        link: int | None = None
        if key.startswith("Link "):
            link = int(key[5:]) if key[5:].isascii() and key[5:].isdigit() else -1
        got = (key, _indent(raw_key), STA_FIELDS.get(key), link)
        if len(_KEYS) < 4096:           # hostile input cannot grow it without bound
            _KEYS[raw_key] = got
    return got


def _station(lines: list[str], first: int, end: int, notes: list[str]) -> Station:
    head = lines[first]
    parts = head.split()
    if len(parts) < 2 or not is_mac(parts[1]):
        raise ParseError(f"bad station header {head.strip()[:60]!r}", line=first + 1,
                         source="station dump")
    ifname = parts[3].rstrip(")") if len(parts) >= 4 and parts[2] == "(on" else None
    sta = Station(mac=parts[1].lower(), ifname=ifname)
    target: Station | StationLink = sta
    where, other = "station", "link"     # the block being read, the one whose keys it refuses
    # indentation of the open Link header / of a refused one (-1: none)
    block_indent = -1
    skipping = False
    keys = _KEYS
    for n in range(first + 1, end):
        raw = lines[n]
        raw_key, sep, val = raw.partition(":")
        if not sep:
            # a line without a key (a table row, a cut line): it only ends an open link block
            if block_indent >= 0 and raw.strip() and _indent(raw) <= block_indent:
                target, where, other, block_indent, skipping = sta, "station", "link", -1, False
            continue
        key, ind, spec, link_id = keys.get(raw_key) or _key(raw_key)
        if block_indent >= 0:
            if ind > block_indent:
                if skipping:
                    continue
            else:
                target, where, other, block_indent, skipping = sta, "station", "link", -1, False
        if link_id is not None:
            if link_id >= 0 and not val.strip():
                link = StationLink(link_id=link_id)
                sta.links.append(link)
                target, where, other, block_indent = link, "link", "station", ind
            elif REFUSE_UNKNOWN_LINK:
                # not `Link <n>:` — its lines would be read as the station's own (the last
                # link's signal becoming the station's): refuse them
                notes.append(f"station {sta.mac}: unreadable link header "
                             f"{raw.strip()[:40]!r} (line {n + 1}); that link's lines were "
                             f"dropped")
                block_indent, skipping = ind, True
            continue
        if spec is not None and spec[2] != other:
            value = spec[1](val)
            if value.__class__ is Signal and where == "station" and value.placeholder:
                # the station-level value of an MLD client (0) or a non-MLD client's −95 floor:
                # a placeholder, kept as text but not read as a signal (per-link values are
                # kept as printed: their consumers check inactive time and the floor themselves)
                target.fields[key] = val.strip()
                value = None
            setattr(target, spec[0], value)
        elif key:
            target.fields[key] = val.strip()
    return sta


@guarded("station dump")
def parse_station_dump(text: str) -> Blocks:
    """All stations of ``iw dev X station dump`` (or the one of ``station get``), as a list
    with ``.notes`` for the blocks that were dropped."""
    return read_blocks(text, "Station ", "station", "station dump", _station)
