"""The MLO link-steering policy: ``step(config, state, sample) -> Decision``. Pure: no I/O, no
clock, no randomness — the same inputs give the same decisions (docs/steering.md).

One step, in order:

1. results of the previous step's commands (a ``FAIL`` is never taken for success);
2. the A-TTLM read back from hostapd: a block this policy did not send is adopted, a block that
   ran out (or that hostapd no longer shows) re-enables its links — the expiry *is* the probe;
3. per link: busy % from survey counter deltas; per station: retry % from counter deltas,
   per-link SNR (valid per-link RSSI − the link's survey noise), score and verdict, the
   consecutive-bad streak per band, its class and whether it answered a Neg-TTLM request;
4. what should be switched off: ``5g_only``/``all_on``/``off`` force it; ``auto`` asks the
   A-TTLM population (``all`` | ``majority`` | ``none``) of the clients A-TTLM is the only way to
   steer — 6 GHz first, 5 GHz with or after 6 GHz (unless its clients have no 6 GHz link),
   3 confirmed readings, 30 s cooldown,
   hysteresis 4000/6000; a client keeps its vote for ``vote_grace`` after its last valid reading
   (also while it re-associates), multi-radio clients vote per ``multi_radio_vote`` — and steers
   multi-radio clients that answer Neg-TTLM per station;
5. the mask is trimmed so no connected client is left without a link, and 5 GHz never goes off
   while 6 GHz stays on;
6. actions: Neg-TTLM teardowns, one ``set_attlm`` per block, Neg-TTLM requests, R-TWT upkeep.
"""

from __future__ import annotations

import copy

from ..core.errors import InvalidArgument
from . import metrics
from .classify import NEG_TTLM_KINDS, steer_of
from .decisions import BLOCK_NAMES_MAX, BLOCKS_KEPT, Decisions, block_record, rtwt_groups
from .model import Decision, Event, LinkView, StationView, mask_text
from .scoring import SIMUL_CONFIRM, SIMUL_WINDOW_MS, UNRESPONSIVE_MAX, Scoring
from .state import (
    NAMES_MAX,
    STEERED_BANDS,
    Block,
    NegState,
    PolicyState,
    StaState,
    band_name,
    names,
)
from .voting import Voting, population_bad

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..settings.steering import SteeringConfig
    from .model import (
        Action,
        Sample,
        StationSample,
    )
    from .scoring import Read

__all__ = ["BLOCKS_KEPT", "BLOCK_NAMES_MAX", "NAMES_MAX", "SIMUL_CONFIRM", "SIMUL_WINDOW_MS",
           "STEERED_BANDS", "UNRESPONSIVE_MAX", "Block", "NegState", "PolicyState", "StaState",
           "block_record", "names", "population_bad", "rtwt_groups", "step"]


def _backoff(base: float, fails: int, max_fails: int, ceiling: float) -> float:
    """The pause after ``fails`` failures in a row (≥ ``max_fails``): ``base`` after the
    ``max_fails``-th, doubled for every further one, never above ``ceiling`` (nor below
    ``base``)."""
    return min(base * 2 ** min(fails - max_fails, 30), max(base, ceiling))


#: per-client status lines per cycle (the log keeps its last 400 lines: 200 clients would
#: rotate it every other cycle); every client is in ``Decision.stations``
STATUS_CLIENTS_MAX = 32


# --------------------------------------------------------------------------------- step
def step(cfg: SteeringConfig, state: PolicyState | None, sample: Sample, *,
         in_place: bool = False, detail: bool = True) -> Decision:
    """One policy cycle; the next state is ``Decision.state``. ``state`` is not modified — unless
    ``in_place`` (the daemon and the replay): then it is updated and returned, not deep-copied,
    which is most of the cost of a step with hundreds of clients. ``detail=False`` leaves out
    what only a reader of every client needs — the per-client status lines and
    ``Decision.stations`` (a replay printing its timeline); the decisions are the same.

    Every duration runs on ``sample.clock`` (the monotonic clock when the sample has one): a
    wall-clock step (NTP after boot) neither expires nor adopts a block, nor resets the state."""
    if not sample.links:
        raise InvalidArgument("a sample needs the links of the AP MLD", field="links")
    now = sample.clock
    if state is not None and state.t is not None and now <= state.t:
        raise InvalidArgument(f"sample time {now:g} is not after the previous one "
                              f"({state.t:g})", field="t")
    if state is None:
        state = PolicyState()
    elif not in_place:
        state = copy.deepcopy(state)
    return _Step(cfg, state, sample).run(detail)


class _Step(Scoring, Voting, Decisions):
    def __init__(self, cfg: SteeringConfig, st: PolicyState, sample: Sample):
        self.cfg, self.st, self.s = cfg, st, sample
        #: the clock of every duration (monotonic when the sample has it) and the wall clock
        #: (events, the blocks shown to the owner)
        self.t = sample.clock
        self.wall = sample.t
        self.events: list[Event] = []
        self.actions: list[Action] = []
        self.link_bands = {lid: li.band for lid, li in sample.links.items()}
        self.mld_bands = set(self.link_bands.values())
        self.all_mask = sum(1 << lid for lid in sample.links)
        self.busy: dict[int, int | None] = {}
        self.reads: dict[str, dict[int, Read]] = {}
        self.ret: dict[str, int | None] = {}
        self.neg_known: dict[str, bool] = {}
        self.samples: dict[str, StationSample] = {s.mac: s for s in sample.stations}
        self.agg = [0, 0, False]  # Δpackets, Δretries, any
        self.mask_wanted = 0
        #: known clients missing from the station dump that keep their vote (re-associating)
        self.absent: set[str] = set()
        #: no client voting on 5 GHz has a 6 GHz link: 5 GHz need not wait for 6 GHz
        self.five_alone = False
        #: wanted bands whose voters read them good again within the cooldown: not sent
        self.good_now: set[str] = set()
        #: per step: link mask of each station in this dump; how each client is steered (set
        #: once the station pass is over)
        #: band → why it goes off, stays on or waits this step (``explain_band``)
        self.explain: dict[str, dict[str, Any]] = {}
        self._masks: dict[str, int] = {}
        self._steer: dict[str, str] | None = None

    def event(self, text: str) -> None:
        self.events.append(Event(self.wall, "event", text))

    def note(self, text: str) -> None:
        self.events.append(Event(self.wall, "status", text))

    def mtext(self, mask: int) -> str:
        return mask_text(mask, self.s.links)

    def issue(self, action: Action) -> None:
        self.actions.append(action)
        self.st.pending[action.key] = {"action": action, "t": self.t}

    def station_mask(self, ss: StationSample) -> int:
        m = self._masks.get(ss.mac)
        if m is None:
            m = self._masks[ss.mac] = sum(1 << lid for lid in ss.links if lid in self.s.links)
        return m

    def station_bands(self, ss: StationSample) -> set[str]:
        return {self.link_bands[lid] for lid in ss.links if lid in self.link_bands}

    def bands_of(self, mac: str) -> set[str]:
        """A client's bands: from this sample, or as last seen while it re-associates."""
        ss = self.samples.get(mac)
        return self.station_bands(ss) if ss is not None else set(self.st.stations[mac].bands)

    def backoff(self, base: float, fails: int) -> float:
        return _backoff(base, fails, self.cfg.max_fails, self.cfg.backoff_max)

    def steer(self, mac: str) -> str:
        """How a client is steered now (cached from the end of the station pass on: what
        decides it — class, unresponsive, failing — does not change after it)."""
        cache = self._steer
        if cache is not None and mac in cache:
            return cache[mac]
        sta = self.st.stations[mac]
        v = steer_of(sta.kind, neg_ttlm_enabled=self.cfg.neg_ttlm,
                     unresponsive=mac in self.st.unresponsive, failing=self.failing(sta))
        if cache is not None:
            cache[mac] = v
        return v

    def failing(self, sta: StaState) -> bool:
        n = sta.neg
        return n.fails >= self.cfg.max_fails and n.retry_after is not None and \
            self.t < n.retry_after

    def on_air_mask(self) -> int:
        return self.st.block.mask if self.st.block else 0

    def block_left(self) -> float | None:
        b = self.st.block
        return None if b is None else max(0.0, round(b.end - self.t, 1))

    def run(self, detail: bool = True) -> Decision:
        self._mode()
        self._results()
        self._attlm_readback()
        self._links()
        self._stations()
        self._wants()
        self._avoidance()
        mask = self._effective_mask()
        self._act(mask)
        self._btwt()
        if detail:
            self._status(mask)
        self.st.t = self.t
        self.st.steps += 1
        return Decision(t=self.wall, mode=self.cfg.mode, actions=self.actions, events=self.events,
                        stations=self._views() if detail else [],
                        mask_on_air=self.on_air_mask(),
                        mask_wanted=mask, block_remaining_s=self.block_left(), state=self.st,
                        blocks=[dict(b) for b in self.st.blocks],
                        explain=[self.explain[b] for b in sorted(self.explain)
                                 if self.explain[b]["decision"] or self.explain[b]["vetoed"]])

    def _mode(self) -> None:
        st, cfg = self.st, self.cfg
        if st.mode is None:
            self.event(f"started: mode={cfg.mode} population={cfg.population} "
                       f"interval={cfg.interval}s score=SNR60+RET30+BUSY10 "
                       f"validity=(rssi>{cfg.rssi_floor},inactive<={cfg.link_inactive_max}ms,"
                       f"confirm={cfg.bad_confirm}) cooldown={cfg.cooldown}s "
                       f"attlm_block={cfg.attlm_duration / 1000:g}s")
        elif st.mode != cfg.mode:
            self.event(f"mode {st.mode} → {cfg.mode}")
            st.wants, st.carried, st.voters = {}, {}, {}
            for sta in st.stations.values():
                sta.neg.avoid = {}
        st.mode = cfg.mode

    def _status(self, mask: int) -> None:
        if not self.s.stations:
            self.note("No clients — idle")
        order = [(lid, band_name(self.link_bands[lid]), self.link_bands[lid])
                 for lid in sorted(self.s.links)]
        on_air = self.on_air_mask()
        for ss in self.s.stations[:STATUS_CLIENTS_MAX]:
            sta = self.st.stations[ss.mac]
            parts = []
            reads = self.reads[ss.mac]
            for lid, name, band in order:
                r = reads.get(lid)
                if r is None:
                    continue
                off = on_air & (1 << lid) or band in sta.neg.avoid
                if r.snr is None:
                    parts.append(f"{name}:{'dis' if off else 'idle'}")
                else:
                    parts.append(f"{name}:snr={r.snr}" + (f"/{r.score}" if r.score is not None
                                                           else ""))
            ttlm = "  TTLM:active" if sta.neg.some_active else ""
            self.note(f"{ss.mac} {sta.kind.upper():6} {' '.join(parts)}{ttlm}")
        if len(self.s.stations) > STATUS_CLIENTS_MAX:
            self.note(f"… and {len(self.s.stations) - STATUS_CLIENTS_MAX} more clients (the "
                      "Link Policy view lists every one)")
        ret = metrics.retry_pct(self.agg[0], self.agg[1], self.cfg.retries_min_pkts) \
            if self.agg[2] else None
        busy = {self.link_bands[lid]: b for lid, b in self.busy.items()}

        def pct(v: int | None) -> str:
            return "n/a" if v is None else f"{v}%"

        head = (f"ATTLM mask={self.mtext(self.on_air_mask())} want={self.mtext(mask)}"
                if mask or self.st.block else "all links up")
        self.note(f"{head} | ret={pct(ret)} busy6G={pct(busy.get('6g'))} "
                  f"busy5G={pct(busy.get('5g'))} | R-TWT:{self._rtwt_text()}")

    def _views(self) -> list[StationView]:
        out = []
        on_air = self.on_air_mask()
        for ss in self.s.stations:
            sta = self.st.stations[ss.mac]
            n = sta.neg
            links = {}
            for lid, r in self.reads[ss.mac].items():
                verdict = r.verdict
                if not r.valid and (on_air & (1 << lid) or r.band in n.avoid):
                    verdict = "off"
                links[lid] = LinkView(r.band, r.rssi, r.snr, r.score, verdict,
                                      sta.streak.get(r.band, 0) if r.band in STEERED_BANDS else 0)
            if sta.kind not in NEG_TTLM_KINDS or not self.cfg.neg_ttlm:
                neg = "n/a"
            elif ss.mac in self.st.unresponsive:
                neg = "unresponsive"
            elif self.failing(sta):
                neg = "failing"
            elif n.active is not None and n.active == n.requested:
                neg = "active"
            elif f"neg_ttlm:{ss.mac}" in self.st.pending or n.awaiting:
                neg = "requested"
            else:
                neg = "eligible"
            out.append(StationView(ss.mac, sta.kind, self.steer(ss.mac), neg,
                                   self.ret.get(ss.mac), links, tuple(sorted(n.avoid)),
                                   n.requested))
        return out
