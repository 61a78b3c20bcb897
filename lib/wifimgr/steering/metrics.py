"""The numbers the policy decides on: link score, RSSI validity, retry % and busy % per interval.

All integer arithmetic follows mlo-steerd v0.6 (spec/platform.md §f.3, §f.4 step 8) so the scores
match the original's: ``score = snr_norm·60 + (100 − retry%)·30 + (100 − busy%)·10`` on 0–10000,
``snr_norm = clamp(0..100, (SNR − low)·100 / (high − low))``. The v0.6 worked example — 6 GHz
SNR 11 dB, 10 % retries, 40 % busy — scores 50·60 + 90·30 + 60·10 = 6300.

What the original got wrong and is fixed here (§f.7): busy % is the ratio of survey counter
*deltas* (the counters are cumulative since the last reset), and retry % is per station from the
station-level counters only (summing station- and link-level lines double counts).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .model import LinkInfo, StationSample


def snr_norm(snr_db: int, low: int, high: int) -> int:
    """SNR scaled into the soft zone [low..high] → 0..100 (integer, like the shell's ``$(( ))``)."""
    if high <= low:
        raise ValueError("high gate must be above the low gate")
    return max(0, min(100, int((snr_db - low) * 100 / (high - low))))


def score(snr_db: int, retry_pct: int | None, busy_pct: int | None, low: int, high: int) -> int:
    """Weighted link score 0..10000. Unknown retry/busy % count as 0 (no evidence of trouble),
    as in v0.6."""
    ret = 0 if retry_pct is None else retry_pct
    busy = 0 if busy_pct is None else busy_pct
    return (snr_norm(snr_db, low, high) * 60 + max(0, 100 - ret) * 30
            + max(0, 100 - busy) * 10)


def reading_valid(rssi_dbm: int | None, inactive_ms: int | None, *, floor_dbm: int,
                  inactive_max_ms: int) -> bool:
    """v0.6 validity gate: an idle link reports 0 or a sentinel near −105 dBm and a large
    inactive time — that is not a measurement. Valid: RSSI ≠ 0, above the floor, and an
    inactive time that was printed and is ≤ the maximum."""
    if rssi_dbm is None or rssi_dbm == 0 or rssi_dbm <= floor_dbm:
        return False
    return inactive_ms is not None and 0 <= inactive_ms <= inactive_max_ms


def counter_delta(prev: int | None, cur: int | None) -> int | None:
    """Increase of a cumulative counter; None when unknown or when it went backwards (reset on
    re-association, driver restart)."""
    if prev is None or cur is None or cur < prev:
        return None
    return cur - prev


def retry_pct(d_packets: int | None, d_retries: int | None, min_packets: int) -> int | None:
    """Retries per transmitted packet over one interval, in % (integer). None — no evidence —
    when the deltas are unknown or fewer than ``min_packets`` packets went out."""
    if d_packets is None or d_retries is None or d_packets < min_packets:
        return None
    return d_retries * 100 // d_packets


def station_counters(st: StationSample) -> tuple[int | None, int | None, str]:
    """(tx packets, tx retries, source) of one station.

    The station-level lines of ``iw station dump`` are the total of the MLD station; the
    per-link blocks (when the driver prints counters there at all) are parts of the same total.
    So: the station-level pair when present, else the sum over the links that print both —
    never both added together."""
    if st.tx_packets is not None and st.tx_retries is not None:
        return st.tx_packets, st.tx_retries, "station"
    pairs = [(r.tx_packets, r.tx_retries) for r in st.links.values()
             if r.tx_packets is not None and r.tx_retries is not None]
    if not pairs:
        return None, None, "none"
    return sum(p for p, _ in pairs), sum(r for _, r in pairs), "links"


def busy_pct(prev: tuple[int, int, int] | None, cur: LinkInfo) -> tuple[int | None, str]:
    """Busy % of one link over the interval: ``Δbusy·100/Δactive`` of the survey counters of
    the in-use channel. ``prev`` is ``(freq, active_ms, busy_ms)`` of the previous sample.

    Returns (percent or None, source): ``delta``; ``reseed`` (first sample, channel changed,
    counters reset or not advancing); ``given`` (a ready per-interval figure from the sample);
    ``none``. Figures above 100 % are discarded (the 126 % 6 GHz quirk, §g.4)."""
    if cur.active_ms is not None and cur.busy_ms is not None:
        if prev is None or prev[0] != cur.freq_mhz:
            return None, "reseed"
        d_act = counter_delta(prev[1], cur.active_ms)
        d_busy = counter_delta(prev[2], cur.busy_ms)
        if not d_act or d_busy is None or d_busy > d_act:
            return None, "reseed"
        return d_busy * 100 // d_act, "delta"
    if cur.busy_pct is not None:
        if not 0 <= cur.busy_pct <= 100:
            return None, "none"
        return int(cur.busy_pct), "given"
    return None, "none"
