"""``iw dev X survey dump`` (iw survey.c): per channel noise and the cumulative channel
times; one ``[in use]`` entry per running radio of the shared wiphy."""

from __future__ import annotations

import re

from ..core.errors import ParseError
from ..core.record import record
from .common import band_of, channel_of, first_int, guarded, split_kv, to_float


@record
class SurveyEntry:
    freq_mhz: int
    in_use: bool = False
    noise_dbm: int | None = None
    active_ms: int | None = None
    busy_ms: int | None = None
    ext_busy_ms: int | None = None
    rx_ms: int | None = None
    tx_ms: int | None = None
    scan_ms: int | None = None
    ifname: str | None = None

    @property
    def band(self) -> str | None:
        return band_of(self.freq_mhz)

    @property
    def channel(self) -> int | None:
        return channel_of(self.freq_mhz)


_SURVEY_KEYS = {
    "noise": "noise_dbm",
    "channel active time": "active_ms",
    "channel busy time": "busy_ms",
    "extension channel busy time": "ext_busy_ms",
    "channel receive time": "rx_ms",
    "channel transmit time": "tx_ms",
    "channel scan time": "scan_ms",
}


@guarded("survey dump")
def parse_survey(text: str) -> list[SurveyEntry]:
    out: list[SurveyEntry] = []
    ifname: str | None = None
    cur: SurveyEntry | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        s = raw.strip()
        if not s:
            continue
        if s.startswith("Survey data from "):
            ifname = s[len("Survey data from ") :].strip()
            cur = None
            continue
        kv = split_kv(s)
        if kv is None:
            # the last line of a truncated dump ("\tcha")
            continue
        key, val = kv
        if key == "frequency":
            m = re.match(r"([\d.]+) MHz(.*)", val)
            freq = to_float(m.group(1)) if m else None
            if freq is None:
                raise ParseError(f"bad frequency {val!r}", line=lineno, source="survey dump")
            cur = SurveyEntry(int(freq), "[in use]" in m.group(2), ifname=ifname)
            out.append(cur)
            continue
        if cur is None:
            raise ParseError(f"{key!r} before any frequency", line=lineno, source="survey dump")
        attr = _SURVEY_KEYS.get(key)
        if attr:
            setattr(cur, attr, first_int(val))
    return out


def in_use_by_freq(entries: list[SurveyEntry]) -> dict[int, SurveyEntry]:
    """The ``[in use]`` entries keyed by frequency (one per band on the shared wiphy)."""
    return {e.freq_mhz: e for e in entries if e.in_use}
