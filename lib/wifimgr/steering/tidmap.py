"""Link masks by band, and the Neg-TTLM map per access category.

Bit n of a mask is link id n of the AP MLD — whatever band that link is on (read from the sample;
the factory MLD happens to use 0/1/2 = 2.4/5/6 GHz, but frequencies and ids move).

The map per access category is the one mlo-steerd v0.6 requested and that was verified live on
the MT7996 (spec/platform.md §c.4): BE (TIDs 0, 3) → all links; BK (1, 2) → 2.4 + 5 GHz;
VI (4, 5) → 5 + 6 GHz; VO (6, 7) → 5 GHz only. When a preferred link is not available to the
station (switched off, avoided, or not one of its links) the category falls back to every link
the station may use — never to an empty map.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

#: access category → (TIDs, preferred bands; None = every allowed link)
AC_TIDS: dict[str, tuple[tuple[int, ...], tuple[str, ...] | None]] = {
    "BE": ((0, 3), None),
    "BK": ((1, 2), ("2g", "5g")),
    "VI": ((4, 5), ("5g", "6g")),
    "VO": ((6, 7), ("5g",)),
}

#: the order in which the policy gives bands up when a mask would leave a client without a
#: link: the band it would switch off last is kept first (6 GHz goes first, 5 GHz last)
DISABLE_PRIORITY = ("6g", "2g", "5g")


def band_mask(link_bands: Mapping[int, str], bands: Iterable[str]) -> int:
    """Mask of the links whose band is in ``bands``."""
    want = set(bands)
    m = 0
    for lid, band in link_bands.items():
        if band in want:
            m |= 1 << lid
    return m


def bands_in(link_bands: Mapping[int, str], mask: int) -> list[str]:
    """Bands of the links set in ``mask``, in 2.4/5/6 order."""
    found = {band for lid, band in link_bands.items() if mask & (1 << lid)}
    return [b for b in ("2g", "5g", "6g") if b in found]


def ac_maps(link_bands: Mapping[int, str], allowed: int) -> tuple[int, ...]:
    """Eight link maps (TID 0..7) for a station that may use the links in ``allowed``."""
    if not allowed:
        raise ValueError("a Neg-TTLM map needs at least one allowed link")
    maps = [0] * 8
    for tids, pref in AC_TIDS.values():
        m = allowed if pref is None else band_mask(link_bands, pref) & allowed
        if not m:
            m = allowed
        for tid in tids:
            maps[tid] = m
    return tuple(maps)


def maps_of(readback: Mapping[int, tuple[int, int]] | None) -> tuple[int, ...] | None:
    """The eight maps of a ``get_neg_ttlm`` readback when uplink and downlink agree for every TID
    (a bidirectional map as requested), else None. TIDs not printed are not a full map."""
    if not readback or any(t not in readback for t in range(8)):
        return None
    out = []
    for tid in range(8):
        up, down = readback[tid]
        if up != down:
            return None
        out.append(up)
    return tuple(out)


def describe_maps(maps: tuple[int, ...], link_bands: Mapping[int, str]) -> str:
    """``BE=2.4+5+6 BK=2.4+5 VI=5+6 VO=5`` for logs."""
    parts = []
    for ac, (tids, _) in AC_TIDS.items():
        bands = bands_in(link_bands, maps[tids[0]])
        parts.append(f"{ac}=" + ("+".join(b[:-1].replace("2", "2.4") for b in bands) or "-"))
    return " ".join(parts)
