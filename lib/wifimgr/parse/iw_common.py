"""What the ``iw`` parsers share: channel, signal and bitrate values, SSID unescaping and the
one block reader.

iw's output is split per command into its own module, as jc does (``iw_dev``, ``iw_station``,
``iw_link``, ``iw_scan``, ``iw_survey``, ``iw_phy``, ``iw_reg``). Formats follow iw's own
printf calls and the real captures in ``tests/fixtures/captures/``. Indentation is compared by
width (tab = 8 columns) so tab-exact output and captures re-indented with spaces by forums parse
the same.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core.errors import ParseError
from ..core.record import record
from .common import band_of, is_placeholder_dbm, to_float, to_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

_CHANNEL_RE = re.compile(
    r"channel (?P<ch>\d+) \((?P<freq>[\d.]+) MHz\)"
    r"(?:, width: (?P<width>[\d+]+) MHz(?: \(no HT\))?)?"
    r"(?:, center1: (?P<c1>\d+) MHz)?"
    r"(?:, center2: (?P<c2>\d+) MHz)?"
)


@record(frozen=True)
class Channel:
    channel: int
    freq_mhz: int
    width_mhz: int | None = None
    center1_mhz: int | None = None
    center2_mhz: int | None = None

    @property
    def band(self) -> str | None:
        return band_of(self.freq_mhz)


def parse_channel(text: str) -> Channel | None:
    m = _CHANNEL_RE.search(text)
    if not m:
        return None
    width = m.group("width")
    wval: int | None = None
    if width:
        wval = 160 if width == "80+80" else int(width)
    freq = to_float(m.group("freq"))
    if freq is None:
        return None
    return Channel(
        int(m.group("ch")),
        int(freq),
        wval,
        to_int(m.group("c1")),
        to_int(m.group("c2")),
    )


@record(frozen=True)
class Signal:
    dbm: int
    chains: tuple[int, ...] = ()

    @property
    def placeholder(self) -> bool:
        """0 dBm or the driver's floor (≤ −95): not a reading (see common.is_placeholder_dbm)."""
        return is_placeholder_dbm(self.dbm)


@lru_cache(maxsize=1024)  # Signal is frozen: equal texts may share one value
def parse_signal(text: str) -> Signal | None:
    """``-57 [-62, -59] dBm`` → Signal(-57, (-62, -59))."""
    text = text.strip()
    if not text:
        return None
    head, _, rest = text.partition("[")
    dbm = to_int(head.replace("dBm", "").strip())
    if dbm is None:
        return None
    chains: tuple[int, ...] = ()
    if rest:
        inner = rest.split("]", 1)[0]
        vals = [to_int(v) for v in inner.split(",")]
        chains = tuple(v for v in vals if v is not None)
    return Signal(dbm, chains)


@record(frozen=True)
class Bitrate:
    """One ``tx bitrate:`` / ``rx bitrate:`` value, e.g.
    ``1441.3 MBit/s 160MHz EHT-MCS 7 EHT-NSS 2 EHT-GI 0``."""

    mbps: float | None
    mode: str  # legacy | HT | VHT | HE | EHT
    mcs: int | None = None
    nss: int | None = None
    width_mhz: int | None = None
    short_gi: bool = False
    gi: int | None = None
    dcm: int | None = None
    ru_alloc: int | None = None
    raw: str = ""

    @property
    def generation(self) -> int | None:
        """Wi-Fi generation of the PHY mode: EHT 7, HE 6, VHT 5, HT 4, legacy None."""
        return {"EHT": 7, "HE": 6, "VHT": 5, "HT": 4}.get(self.mode)


_WIDTH_TOKENS = {
    "40MHz": 40,
    "80MHz": 80,
    "80P80MHz": 160,
    "160MHz": 160,
    "320MHz": 320,
}


@lru_cache(maxsize=1024)  # Bitrate is frozen; a dump repeats a few dozen distinct rates
def parse_bitrate(text: str) -> Bitrate | None:
    text = text.strip()
    if not text:
        return None
    toks = text.split()
    mbps: float | None = None
    i = 0
    if len(toks) >= 2 and toks[1] == "MBit/s":
        try:
            mbps = float(toks[0])
        except ValueError:
            return None
        i = 2
    elif toks[0] == "(unknown)":
        i = 1
    else:
        return None
    mode = "legacy"
    mcs = nss = gi = dcm = ru = None
    width: int | None = None
    short_gi = False
    n = len(toks)
    while i < n:
        t = toks[i]
        val = to_int(toks[i + 1]) if i + 1 < n else None
        if t in _WIDTH_TOKENS:
            width = _WIDTH_TOKENS[t]
            i += 1
            continue
        if t == "short" and i + 1 < n and toks[i + 1] == "GI":
            short_gi = True
            i += 2
            continue
        if t == "MCS":
            mode, mcs = "HT", val
        elif t.endswith("-MCS"):
            mode, mcs = t[:-4], val
        elif t.endswith("-NSS"):
            nss = val
        elif t.endswith("-GI"):
            gi = val
        elif t.endswith("-DCM"):
            dcm = val
        elif t.endswith("-RU-ALLOC"):
            ru = val
        else:
            i += 1
            continue
        i += 2
    if mode == "HT" and mcs is not None and nss is None:
        nss = mcs // 8 + 1
    if width is None and mode in ("HT", "VHT", "HE", "EHT"):
        width = 20
    return Bitrate(mbps, mode, mcs, nss, width, short_gi, gi, dcm, ru, text)


def unescape_ssid(text: str) -> str:
    """iw prints non-printable SSID bytes as ``\\xNN``; turn them back into the string."""
    if "\\x" not in text:
        return text
    data = bytearray()
    i = 0
    raw = text.encode("utf-8", "surrogateescape")
    while i < len(raw):
        if raw[i : i + 2] == b"\\x" and i + 4 <= len(raw):
            try:
                data.append(int(raw[i + 2 : i + 4], 16))
                i += 4
                continue
            except ValueError:
                pass
        data.append(raw[i])
        i += 1
    return data.decode("utf-8", "surrogateescape")


def blocks(lines: list[str], header: str) -> Iterator[tuple[int, int]]:
    """Index ranges ``(first, end)`` of the blocks of ``lines`` that start at a line beginning
    with ``header`` (``Station ``, ``BSS ``, ``Survey data from``); when lines precede the first
    header, the first range holds them (its first line is then not a header). Every parser
    that reads a list of blocks goes through here, so one bad block can be dropped alone."""
    starts = [n for n, ln in enumerate(lines) if ln.startswith(header)]
    lead = starts[0] if starts else len(lines)
    if lead and any(ln.strip() for ln in lines[:lead]):
        yield 0, lead
    for k, first in enumerate(starts):
        yield first, starts[k + 1] if k + 1 < len(starts) else len(lines)


class Blocks(list):
    """The blocks a parser could read, and a note for each one it dropped (a corrupt header,
    lines outside any block): one bad block never hides the others. A plain list otherwise."""

    notes: list[str]

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.notes = []


def read_blocks(text: str, header: str, what: str, source: str,
                read: Callable[[list[str], int, int, list[str]], object]) -> Blocks:
    """Every block of ``text`` that starts with ``header``, each read by ``read(lines, first,
    end, notes)``; a block it cannot read (a :class:`ParseError`, or a value nobody has seen
    yet) and lines outside any block are dropped with a note naming ``what`` they were. Only
    when nothing at all was readable is the reply as a whole refused (``source``)."""
    out = Blocks()
    lines = text.splitlines()
    bad_line: int | None = None
    for first, end in blocks(lines, header):
        if not lines[first].startswith(header):
            out.notes.append(f"{end - first} line(s) outside a {what} block dropped "
                             f"(line {first + 1}: {lines[first].strip()[:40]!r})")
            bad_line = bad_line or first + 1
            continue
        try:
            out.append(read(lines, first, end, out.notes))
        except ParseError as exc:
            bad_line = bad_line or first + 1
            out.notes.append(f"{exc.message}; that {what} was dropped")
        except (ValueError, IndexError, TypeError, AttributeError, OverflowError) as exc:
            # a value nobody has seen yet: this block only, the others stay readable
            bad_line = bad_line or first + 1
            out.notes.append(f"line {first + 1}: unreadable {what} block "
                             f"({type(exc).__name__}); it was dropped")
    if out.notes and not out:
        # nothing readable at all: the reply as a whole is unreadable
        raise ParseError(out.notes[0], line=bad_line, source=source)
    return out
