"""Channel advisor (read method ``advise {radio}``, CLI ``wifimgr advise radio1``).

Every channel the radio may use with its current width in the live regulatory domain is scored
0–100 from what the radio hears; the formula is documented in ``docs/advisor.md`` and kept in
:func:`score_block` so the two are easy to read side by side. The reply lists the top three with
a class (``good`` / ``weak`` / ``bad``) and the reasons; applying one is an ordinary
``radio_set`` (the safety verdict judges it like any other change).

Inputs, all through the parsers:

* neighbours — ``ubus call iwinfo scan`` on the radio (:mod:`wifimgr.radios.scan`), our own BSSIDs
  removed;
* noise and busy time per 20 MHz channel — ``iw dev X survey dump``. The in-use channel's busy
  % is a counter delta since the previous sample (:meth:`Live.busy_pct`), minus our own
  transmit time; other channels have only the dwell of the last scan, so their ratio covers
  that dwell;
* allowed channels, DFS flags and CAC time — ``iw phy phy0 channels``.
"""

from __future__ import annotations

from ..core.errors import InvalidArgument
from ..core.record import field, record
from ..observe.live import Live
from ..parse.common import freq_of
from ..rules import validate
from .scan import scan_radio

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context

# ---- the formula's constants (docs/advisor.md) -------------------------------------------
NOISE_FLOOR_DBM = -95          #: noise at or below this costs nothing
NOISE_PTS_PER_DB = 2.0         #: points per dB of noise above the floor
BUSY_PTS_PER_PCT = 0.4         #: 100 % busy costs 40 points
NEIGHBOUR_PTS = 30.0           #: a -60 dBm neighbour sharing our primary costs 30 points
SECONDARY_FACTOR = 0.6         #: a neighbour only on our secondary channels costs 60 %
INTERFERENCE_CAP = 60.0        #: neighbours together cost at most this
DFS_PTS = 8.0                  #: a DFS channel: CAC before start, radar can move us
WEATHER_RADAR_PTS = 10.0       #: on top: 10 minute CAC (channels 120–128)
GOOD, WEAK = 70, 40            #: score ≥ GOOD is good, ≥ WEAK is weak, else bad


def strength(signal_dbm: int) -> float:
    """A neighbour's weight: 0 at -90 dBm, 1 at -60 dBm, capped at 1.5 (-45 dBm)."""
    return max(0.0, min(1.5, (signal_dbm + 90) / 30))


@record
class Neighbour:
    ssid: str
    channel: int
    width: int
    signal_dbm: int


@record
class ChannelInfo:
    """What the radio knows of one 20 MHz channel."""

    channel: int
    dfs: bool = False
    cac_s: int | None = None
    noise_dbm: int | None = None
    busy_pct: float | None = None


@record
class Candidate:
    channel: int
    members: list[int]
    score: int = 100
    reasons: list[str] = field(default_factory=list)
    dfs: bool = False
    cac_s: int | None = None

    @property
    def cls(self) -> str:
        return "good" if self.score >= GOOD else "weak" if self.score >= WEAK else "bad"


def neighbour_span(n: Neighbour, band: str) -> list[int]:
    """The 20 MHz channels a neighbour occupies (its primary's block of its width)."""
    return validate.block(n.channel, band, n.width) or [n.channel]


def overlap_24(a: int, b: int) -> float:
    """2.4 GHz channels are 5 MHz apart and 20 MHz wide: 1.0 on the same channel, nothing
    from five channels apart."""
    return max(0.0, 1 - abs(a - b) / 5)


def score_block(band: str, primary: int, members: list[int], info: dict[int, ChannelInfo],
                neighbours: list[Neighbour]) -> Candidate:
    """Score one candidate (primary channel + the 20 MHz channels of its width)."""
    c = Candidate(primary, members)
    penalty = 0.0
    # neighbours
    interference = 0.0
    loud: list[tuple[float, str]] = []
    for n in neighbours:
        w = strength(n.signal_dbm)
        if w <= 0:
            continue
        if band == "2g":
            f = max(overlap_24(m, s) for m in members for s in neighbour_span(n, band))
            if f <= 0:
                continue
            on_primary = any(overlap_24(primary, s) > 0 for s in neighbour_span(n, band))
            factor = f * (1.0 if on_primary else SECONDARY_FACTOR)
        else:
            span = set(neighbour_span(n, band))
            if not span & set(members):
                continue
            factor = 1.0 if primary in span else SECONDARY_FACTOR
        cost = NEIGHBOUR_PTS * w * factor
        interference += cost
        where = "on the primary" if factor >= 1.0 or (band == "2g" and factor > SECONDARY_FACTOR) \
            else "overlapping"
        loud.append((cost, f"{n.ssid or 'hidden network'} ({n.signal_dbm} dBm, channel "
                           f"{n.channel}, {n.width} MHz) {where}"))
    interference = min(INTERFERENCE_CAP, interference)
    penalty += interference
    loud.sort(reverse=True)
    c.reasons += [text for _, text in loud[:3]]
    if len(loud) > 3:
        c.reasons.append(f"{len(loud) - 3} more overlapping networks")
    if not loud:
        c.reasons.append("no neighbouring network overlaps")
    # noise and busy over the block
    noises = [info[m].noise_dbm for m in members if m in info and info[m].noise_dbm is not None]
    if noises:
        noise = sum(noises) / len(noises)
        pts = NOISE_PTS_PER_DB * max(0.0, noise - NOISE_FLOOR_DBM)
        penalty += pts
        if pts >= 6:
            c.reasons.append(f"noise {noise:.0f} dBm")
    busies = [info[m].busy_pct for m in members if m in info and info[m].busy_pct is not None]
    if busies:
        busy = sum(busies) / len(busies)
        penalty += BUSY_PTS_PER_PCT * busy
        if busy >= 10:
            c.reasons.append(f"air {busy:.0f} % busy")
    # DFS
    dfs = [info[m] for m in members if m in info and info[m].dfs]
    if dfs:
        c.dfs = True
        c.cac_s = max((d.cac_s or 60) for d in dfs)
        penalty += DFS_PTS
        if c.cac_s >= 600:
            penalty += WEATHER_RADAR_PTS
        c.reasons.append(f"DFS: {c.cac_s} s radar check (CAC) before the AP starts; "
                         "a radar hit moves it")
    c.score = max(0, min(100, round(100 - penalty)))
    return c


def candidates(band: str, width: int, info: dict[int, ChannelInfo]) -> list[tuple[int, list[int]]]:
    """Every primary channel whose whole ``width`` block is allowed."""
    out = []
    for ch in sorted(info):
        members = validate.block(ch, band, width)
        if members and all(m in info for m in members):
            out.append((ch, members))
    return out


def rank(band: str, width: int, info: dict[int, ChannelInfo],
         neighbours: list[Neighbour], current: int | None = None) -> list[Candidate]:
    """Every candidate, best first (on a tie: the current channel, then no DFS, then the
    lower channel) — and the best primary of each distinct block ahead of a second primary in
    a block already listed, so the top three are three real alternatives where the band has
    them."""
    scored = sorted((score_block(band, ch, members, info, neighbours)
                     for ch, members in candidates(band, width, info)),
                    key=lambda c: (-c.score, c.channel != current, c.dfs, c.channel))
    firsts, rest, seen = [], [], set()
    for c in scored:
        key = tuple(c.members)
        (rest if key in seen else firsts).append(c)
        seen.add(key)
    return firsts + rest


# ------------------------------------------------------------------------ gathering
def channel_info(lv: Live, band: str, current_freq: int | None) -> dict[int, ChannelInfo]:
    info: dict[int, ChannelInfo] = {}
    for c in lv.phy_channels:
        if c.band != band or c.disabled or c.no_ir:
            continue
        info[c.channel] = ChannelInfo(c.channel, dfs=c.radar,
                                      cac_s=(c.cac_ms // 1000) if c.cac_ms else None)
    by_freq = {e.freq_mhz: e for e in lv.survey}
    for ch, ci in info.items():
        f = freq_of(ch, band)
        e = by_freq.get(f) if f else None
        if e is None:
            continue
        ci.noise_dbm = e.noise_dbm
        if e.in_use and f == current_freq:
            pct, _src = lv.busy_pct(e)
            if pct is not None and e.tx_ms and e.active_ms:
                # our own transmissions are not interference
                pct = max(0.0, pct - 100.0 * e.tx_ms / e.active_ms)
            ci.busy_pct = pct
        elif e.active_ms and e.busy_ms is not None:
            ci.busy_pct = 100.0 * max(0, e.busy_ms - (e.tx_ms or 0)) / e.active_ms
    return info


def advise(ctx: Context, radio: str, width: int | None = None) -> dict[str, Any]:
    """``advise {radio, width?}``: the three best channels for the radio's width."""
    lv = Live(ctx.system)
    w = lv.config
    if radio not in w.radios:
        raise InvalidArgument(f"unknown radio {radio!r}; radios are "
                              f"{', '.join(w.radios) or 'none'}", field="radio")
    r = w.radios[radio]
    band = r.band
    if band is None:
        raise InvalidArgument(f"{radio} has no band set", field="radio")
    if width is None:
        width = validate.width_of_htmode(r.htmode or "HT20")
    elif width not in (20, 40, 80, 160, 320):
        raise InvalidArgument("width must be 20, 40, 80, 160 or 320", field="width")
    live = lv.radio_runtime(radio)
    info = channel_info(lv, band, live["freq_mhz"])
    scanned = scan_radio(lv, radio)
    own = {(i.addr or "").lower() for i in lv.interfaces} | {
        (ln.addr or "").lower() for i in lv.interfaces for ln in i.links}
    neighbours = [Neighbour(e["ssid"], e["channel"], e["width_mhz"], e["signal_dbm"])
                  for e in scanned["results"]
                  if e["channel"] and e["bssid"] not in own]
    current = live["channel"] or (int(r.channel) if r.channel and r.channel.isdigit()
                                  else None)
    ranked = rank(band, width, info, neighbours, current)
    if not ranked:
        raise InvalidArgument(f"no channel allows {width} MHz on {band} in this regulatory "
                              "domain; choose a narrower width", field="width")
    cur = next((c for c in ranked if current in c.members and c.channel == current), None)
    notes = list(lv.notes)
    if scanned["note"]:
        notes.append(scanned["note"])
    if not scanned["ifname"]:
        notes.append(f"{radio} is not running, so it heard no neighbours: the ranking uses "
                     "only the regulatory data")

    def view(c: Candidate) -> dict[str, Any]:
        return {"channel": c.channel, "channels": c.members, "score": c.score, "class": c.cls,
                "reasons": c.reasons, "dfs": c.dfs, "cac_s": c.cac_s,
                "current": c.channel == current}

    return {"radio": radio, "band": band, "width_mhz": width, "current": current,
            "current_score": cur.score if cur else None,
            "top": [view(c) for c in ranked[:3]], "candidates": len(ranked),
            "networks_seen": len(neighbours), "notes": notes}
