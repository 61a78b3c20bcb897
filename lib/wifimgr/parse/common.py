"""Helpers shared by the parsers: frequencies, channels, bands, MACs, indentation.

This module is the one place in the code base that maps frequencies to channels and bands.
"""

from __future__ import annotations

import functools
import re

from ..core.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    F = TypeVar("F", bound=Callable)

MAC_RE = re.compile(r"^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$")

BANDS = ("2g", "5g", "6g")


def is_mac(text: str) -> bool:
    return bool(MAC_RE.match(text))


def band_of(freq_mhz: float) -> str | None:
    """'2g', '5g' or '6g' for a centre frequency in MHz (None outside the Wi-Fi bands)."""
    f = float(freq_mhz)
    if 2400 <= f < 2500:
        return "2g"
    if 4900 <= f < 5925:
        return "5g"
    if 5925 <= f <= 7125:
        return "6g"
    return None


def channel_of(freq_mhz: float) -> int | None:
    """IEEE channel number of a 20 MHz centre frequency (6 GHz: 5955 → 1, 5935 → 2)."""
    f = round(float(freq_mhz))
    if f == 2484:
        return 14
    if 2412 <= f <= 2472:
        return (f - 2407) // 5
    if f == 5935:
        return 2
    if 5950 < f <= 7115:
        return (f - 5950) // 5
    if 4910 <= f <= 5895:
        return (f - 5000) // 5
    return None


def freq_of(channel: int, band: str) -> int | None:
    """Centre frequency in MHz of ``channel`` in ``band``."""
    if band == "2g":
        if channel == 14:
            return 2484
        return 2407 + 5 * channel if 1 <= channel <= 13 else None
    if band == "5g":
        return 5000 + 5 * channel if 32 <= channel <= 177 else None
    if band == "6g":
        if channel == 2:
            return 5935
        return 5950 + 5 * channel if 1 <= channel <= 233 else None
    return None


def indent_width(line: str) -> int:
    """Indentation in columns (tab = 8), so tab-exact and space-rendered captures compare."""
    n = 0
    for ch in line:
        if ch == "\t":
            n += 8 - (n % 8)
        elif ch == " ":
            n += 1
        else:
            break
    return n


def split_kv(line: str, sep: str = ":") -> tuple[str, str] | None:
    """``"key:\\tvalue"`` → (key, value) with both sides stripped; None without separator."""
    idx = line.find(sep)
    if idx < 0:
        return None
    return line[:idx].strip(), line[idx + 1 :].strip()


def to_int(text: str | None) -> int | None:
    """Decimal, ``0x`` hex or a float truncated; None for anything else."""
    if text is None:
        return None
    try:
        return int(text)        # the common case (int() ignores surrounding whitespace)
    except ValueError:
        pass
    text = text.strip()
    try:
        if text[:2].lower() == "0x":
            return int(text, 16)
        return int(float(text))
    except (ValueError, OverflowError):   # "inf" overflows int()
        return None


def to_float(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text.strip())
    except ValueError:
        return None


def first_int(text: str) -> int | None:
    m = re.search(r"-?\d+", text)
    return int(m.group(0)) if m else None


def guarded(source: str) -> Callable[[F], F]:
    """Wrap a parser so that nothing but :class:`ParseError` leaves it.

    The parsers handle every malformed line they know of; this is the net below them for the
    ones nobody has seen yet (a truncated number, a stray byte): a ``ValueError`` or
    ``IndexError`` deep inside becomes a ``ParseError`` naming the tool, so a reader can turn it
    into a note for that datum instead of failing the whole call."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)   # __module__, __name__, __qualname__, __doc__, __wrapped__ …
        def parser(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except ParseError:
                raise
            except (ValueError, IndexError, KeyError, TypeError, AttributeError,
                    OverflowError, UnicodeError, RecursionError) as exc:
                raise ParseError(f"unreadable output ({type(exc).__name__}: {exc})"[:200],
                                 source=source) from exc

        return parser  # type: ignore[return-value]

    return wrap


#: readings that are not readings: 0 dBm (iw prints it when the driver filled nothing, e.g.
#: the MLD-level ``signal`` of ``iw link``) and the floor values drivers use for absent chains
#: or idle links (−95 on IPQ40xx chains and on the station level of non-MLD clients, about
#: −105 on idle MT7996 links) — spec/platform.md Addenda "Placeholders are not readings"
PLACEHOLDER_FLOOR_DBM = -95


def is_placeholder_dbm(dbm: float | None) -> bool:
    return dbm is not None and (dbm == 0 or dbm <= PLACEHOLDER_FLOOR_DBM)


def to_millicelsius(text: str | None) -> float | None:
    """A hwmon/thermal ``temp*_input`` (m°C) in °C; None for garbage and for 0, which the
    mt7996 hwmon reads before the firmware answers (no sensor reading, not 0 °C)."""
    v = to_int(text)
    if v is None or v == 0 or not -60000 <= v <= 200000:
        return None
    return round(v / 1000, 1)
