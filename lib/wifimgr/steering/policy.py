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
from ..core.record import field, record
from . import metrics, tidmap
from .classify import NEG_TTLM_KINDS, kind_of, steer_of
from .model import (
    BtwtGroup,
    Decision,
    EnsureBtwt,
    Event,
    LinkView,
    NegTtlmRequest,
    NegTtlmTeardown,
    SetAttlm,
    StationView,
    mask_text,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..settings.steering import SteeringConfig
    from .model import (
        Action,
        Sample,
        StationSample,
    )

#: how many unresponsive MACs are remembered (oldest forgotten first)
UNRESPONSIVE_MAX = 256
#: two links count as used "at the same time" (for a max_simul_links=1 station to be taken for
#: multi-radio) only when both carried traffic within this window — the 30 s validity window is
#: far too wide: an EMLSR client switching links every few seconds shows both as "valid"
SIMUL_WINDOW_MS = 1000
#: consecutive samples with traffic on two links at once before a max_simul_links=1 station is
#: taken for multi-radio — and consecutive samples of one link at a time (with another of its
#: links available) before it is taken back: one sample right after a link hop is no evidence
SIMUL_CONFIRM = 3
STEERED_BANDS = ("6g", "5g")  # evaluation order: 6 GHz first
#: how many client names an event line lists before "and N more" (syslog lines stay short)
NAMES_MAX = 3
#: blocks kept for the Link Policy view, and the clients listed per block as voters and payers
BLOCKS_KEPT = 8
BLOCK_NAMES_MAX = 8


def rtwt_groups(cfg: SteeringConfig) -> tuple[BtwtGroup, BtwtGroup]:
    """The two groups of mlo-steerd v0.6: voice (TIDs 6, 7; 4096·2^7 µs ≈ 524 ms) and video
    (TIDs 4, 5; 2048·2^7 µs ≈ 262 ms), both with recommendation 4."""
    return (BtwtGroup(cfg.rtwt_voice_id, 255, 4096, 7, 0xC0),
            BtwtGroup(cfg.rtwt_video_id, 128, 2048, 7, 0x30))


def names(items: list[str], limit: int | None = None) -> str:
    """``a; b; c; and 4 more`` — a bounded list for one log line (``NAMES_MAX`` names)."""
    limit = NAMES_MAX if limit is None else limit
    if len(items) <= limit:
        return "; ".join(items)
    return "; ".join(items[:limit]) + f"; and {len(items) - limit} more"


def _backoff(base: float, fails: int, max_fails: int, ceiling: float) -> float:
    """The pause after ``fails`` failures in a row (≥ ``max_fails``): ``base`` after the
    ``max_fails``-th, doubled for every further one, never above ``ceiling`` (nor below
    ``base``)."""
    return min(base * 2 ** min(fails - max_fails, 30), max(base, ceiling))


def population_bad(rule: str, n_bad: int, n_members: int) -> bool:
    """Is the A-TTLM population bad on a link? ``all``: every member; ``majority``: more than
    half; ``none``: never."""
    if n_members <= 0 or rule == "none":
        return False
    if rule == "all":
        return n_bad == n_members
    if rule == "majority":
        return 2 * n_bad > n_members
    raise ValueError(f"unknown population rule {rule!r}")


# -------------------------------------------------------------------------------- state
@record
class NegState:
    """What this policy did with one station's Neg-TTLM."""

    #: a map requested by this policy may be active (so it is ours to tear down)
    owned: bool = False
    requested: tuple[int, ...] | None = None
    #: hostapd accepted the request; the next readback shows whether the station took it
    awaiting: bool = False
    unanswered: int = 0
    fails: int = 0
    retry_after: float | None = None
    #: the active map as read back (None: inactive or not a full bidirectional map)
    active: tuple[int, ...] | None = None
    #: the readback showed some map
    some_active: bool = False
    last_change: float | None = None
    #: band → since when this station's map keeps it off that band
    avoid: dict[str, float] = field(default_factory=dict)
    #: it took a map once: proof that it is steerable per station
    took: bool = False


@record
class StaState:
    joined: float
    kind: str = "legacy"
    #: when it was last in the station dump, and its links then (an absent client's links stay
    #: protected by the trim while it keeps its vote)
    seen: float | None = None
    mask: int = 0
    bands: tuple[str, ...] = ()
    #: max_simul_links=1: consecutive samples on two links at once / on one link at a time, and
    #: the sustained conclusion (SIMUL_CONFIRM)
    simul_run: int = 0
    single_run: int = 0
    multi: bool = False
    pkts: int | None = None
    retries: int | None = None
    streak: dict[str, int] = field(default_factory=dict)
    reason: dict[str, str] = field(default_factory=dict)
    #: band → (time, verdict) of its last valid reading there: its A-TTLM vote, kept for
    #: ``vote_grace``
    vote: dict[str, tuple[float, str]] = field(default_factory=dict)
    neg: NegState = field(default_factory=NegState)


@record
class Block:
    """The A-TTLM on air: ``mask`` switched off from ``start`` until ``end`` (seconds)."""

    mask: int
    start: float
    end: float
    adopted: bool = False


@record
class PolicyState:
    t: float | None = None
    steps: int = 0
    mode: str | None = None
    #: band → since when the policy wants it switched off for everyone (A-TTLM)
    wants: dict[str, float] = field(default_factory=dict)
    #: band → when the block that deferred its want expired: that want survives the expiry
    #: (and waits for 6 GHz to go off again, the order kept) for one block duration
    carried: dict[str, float] = field(default_factory=dict)
    #: band → the clients whose confirmed bad readings decided the want (who voted for it)
    voters: dict[str, list[str]] = field(default_factory=dict)
    #: the last blocks on air with who voted and who paid (``block_record``), oldest first
    blocks: list[dict[str, Any]] = field(default_factory=list)
    #: time of the last A-TTLM want change (the cooldown anchor)
    last_change: float | None = None
    block: Block | None = None
    attlm_fails: int = 0
    attlm_retry_after: float | None = None
    #: actions issued by the previous step, by key: {"action": Action, "t": float}
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: link id → (freq, active_ms, busy_ms) of the previous survey
    survey: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    stations: dict[str, StaState] = field(default_factory=dict)
    #: MACs that never answered a Neg-TTLM request (not asked again)
    unresponsive: list[str] = field(default_factory=list)
    rtwt_off: bool = False
    rtwt_fails: int = 0


@record
class _Read:
    lid: int
    band: str
    rssi: int | None
    valid: bool
    snr: int | None = None
    score: int | None = None
    verdict: str = "idle"
    reason: str = ""
    #: a valid reading that is not bad (2.4 GHz: judged with the 5 GHz gates; never steered)
    usable: bool = False


def _band_name(band: str) -> str:
    return {"2g": "2.4G", "5g": "5G", "6g": "6G"}.get(band, band)


# --------------------------------------------------------------------------------- step
def step(cfg: SteeringConfig, state: PolicyState | None, sample: Sample) -> Decision:
    """One policy cycle. ``state`` is not modified; the next state is ``Decision.state``."""
    st = copy.deepcopy(state) if state is not None else PolicyState()
    if not sample.links:
        raise InvalidArgument("a sample needs the links of the AP MLD", field="links")
    if st.t is not None and sample.t <= st.t:
        raise InvalidArgument(f"sample time {sample.t:g} is not after the previous one "
                              f"({st.t:g})", field="t")
    return _Step(cfg, st, sample).run()


class _Step:
    def __init__(self, cfg: SteeringConfig, st: PolicyState, sample: Sample):
        self.cfg, self.st, self.s = cfg, st, sample
        self.t = sample.t
        self.events: list[Event] = []
        self.actions: list[Action] = []
        self.link_bands = {lid: li.band for lid, li in sample.links.items()}
        self.mld_bands = set(self.link_bands.values())
        self.all_mask = sum(1 << lid for lid in sample.links)
        self.busy: dict[int, int | None] = {}
        self.reads: dict[str, dict[int, _Read]] = {}
        self.ret: dict[str, int | None] = {}
        self.neg_known: dict[str, bool] = {}
        self.samples: dict[str, StationSample] = {s.mac: s for s in sample.stations}
        self.agg = [0, 0, False]  # Δpackets, Δretries, any
        self.mask_wanted = 0
        #: known clients missing from the station dump that keep their vote (re-associating)
        self.absent: set[str] = set()
        #: no client voting on 5 GHz has a 6 GHz link: 5 GHz need not wait for 6 GHz
        self.five_alone = False

    # -- helpers ----------------------------------------------------------------------
    def event(self, text: str) -> None:
        self.events.append(Event(self.t, "event", text))

    def note(self, text: str) -> None:
        self.events.append(Event(self.t, "status", text))

    def mtext(self, mask: int) -> str:
        return mask_text(mask, self.s.links)

    def issue(self, action: Action) -> None:
        self.actions.append(action)
        self.st.pending[action.key] = {"action": action, "t": self.t}

    def station_mask(self, ss: StationSample) -> int:
        return sum(1 << lid for lid in ss.links if lid in self.s.links)

    def station_bands(self, ss: StationSample) -> set[str]:
        return {self.link_bands[lid] for lid in ss.links if lid in self.link_bands}

    def bands_of(self, mac: str) -> set[str]:
        """A client's bands: from this sample, or as last seen while it re-associates."""
        ss = self.samples.get(mac)
        return self.station_bands(ss) if ss is not None else set(self.st.stations[mac].bands)

    def vote(self, mac: str, band: str) -> str | None:
        """A client's A-TTLM vote on ``band``: the verdict of its last valid reading there, if
        at most ``vote_grace`` old (None: no vote — it is not using that band)."""
        v = self.st.stations[mac].vote.get(band)
        if v is None or self.t - v[0] > self.grace():
            return None
        return v[1]

    def grace(self) -> float:
        """``vote_grace``, but at least one interval: one missed station dump never costs a
        client its vote."""
        return max(self.cfg.vote_grace, self.cfg.interval)

    def backoff(self, base: float, fails: int) -> float:
        return _backoff(base, fails, self.cfg.max_fails, self.cfg.backoff_max)

    def steer(self, mac: str) -> str:
        sta = self.st.stations[mac]
        return steer_of(sta.kind, neg_ttlm_enabled=self.cfg.neg_ttlm,
                        unresponsive=mac in self.st.unresponsive, failing=self.failing(sta))

    def failing(self, sta: StaState) -> bool:
        n = sta.neg
        return n.fails >= self.cfg.max_fails and n.retry_after is not None and \
            self.t < n.retry_after

    def on_air_mask(self) -> int:
        return self.st.block.mask if self.st.block else 0

    def block_left(self) -> float | None:
        b = self.st.block
        return None if b is None else max(0.0, round(b.end - self.t, 1))

    # -- the cycle --------------------------------------------------------------------
    def run(self) -> Decision:
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
        self._status(mask)
        self.st.t = self.t
        self.st.steps += 1
        return Decision(t=self.t, mode=self.cfg.mode, actions=self.actions, events=self.events,
                        stations=self._views(), mask_on_air=self.on_air_mask(),
                        mask_wanted=mask, block_remaining_s=self.block_left(), state=self.st,
                        blocks=[dict(b) for b in self.st.blocks])

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

    def _results(self) -> None:
        st, cfg, s = self.st, self.cfg, self.s
        for key, p in sorted(st.pending.items()):
            action, t0 = p["action"], p["t"]
            outcome = s.results.get(key, "timeout")
            if isinstance(action, SetAttlm):
                self._attlm_result(action, t0, outcome, p.get("info"))
            elif isinstance(action, NegTtlmRequest):
                sta = st.stations.get(action.mac)
                if sta is None:
                    continue
                n = sta.neg
                if outcome == "ok":
                    n.awaiting, n.owned, n.fails = True, True, 0
                    continue
                n.fails += 1
                n.requested = None
                n.retry_after = t0 + cfg.cooldown
                self.event(f"Neg-TTLM: request to {action.mac} — hostapd answered "
                           f"{outcome.upper()} ({n.fails} in a row)")
                if n.fails >= cfg.max_fails:
                    pause = self.backoff(cfg.neg_ttlm_hold, n.fails)
                    n.retry_after = self.t + pause
                    self.event(f"Neg-TTLM: {action.mac} paused for {pause:g}s after "
                               f"{n.fails} failures in a row; it counts in the A-TTLM population "
                               "meanwhile")
            elif isinstance(action, NegTtlmTeardown):
                sta = st.stations.get(action.mac)
                if sta is None:
                    continue
                if outcome == "ok":
                    sta.neg.owned, sta.neg.requested, sta.neg.awaiting = False, None, False
                else:
                    self.event(f"Neg-TTLM: teardown of {action.mac} — hostapd answered "
                               f"{outcome.upper()}")
            elif isinstance(action, EnsureBtwt):
                self._btwt_result(action, outcome)
        st.pending = {}

    def _attlm_result(self, action: SetAttlm, t0: float, outcome: str,
                      info: dict[str, Any] | None) -> None:
        st, cfg = self.st, self.cfg
        if outcome == "ok":
            end = t0 + (action.switch_time_ms + action.duration_ms) / 1000
            st.block = Block(action.mask, t0, end)
            st.attlm_fails = 0
            for band in tidmap.bands_in(self.link_bands, action.mask):
                st.carried.pop(band, None)
                st.voters.pop(band, None)
            self._record_block(st.block, info or {})
            self.event(f"A-TTLM: advertised mask={self.mtext(action.mask)} for "
                       f"{action.duration_ms / 1000:g}s")
            return
        ra = self.s.attlm
        if outcome == "busy" and ra is not None and ra.active:
            self.event("A-TTLM: hostapd busy — another A-TTLM is already on air")
            return
        st.attlm_fails += 1
        st.attlm_retry_after = t0 + cfg.cooldown
        self.event(f"A-TTLM: hostapd answered {outcome.upper()} — mask="
                   f"{self.mtext(action.mask)} is NOT on air ({st.attlm_fails} in a row)")
        if st.attlm_fails >= cfg.max_fails:
            # the pause grows with every further failure (one block, two, four … up to
            # backoff_max): a hostapd that always refuses is asked a few times an hour, not 29
            pause = self.backoff(cfg.attlm_duration / 1000, st.attlm_fails)
            st.attlm_retry_after = self.t + pause
            self.event(f"A-TTLM: {st.attlm_fails} failures in a row — paused for {pause:g}s")

    def _record_block(self, b: Block, info: dict[str, Any]) -> None:
        """Who voted for the block and who paid for it, for the Link Policy view."""
        rec = block_record(b, self.link_bands, info)
        self.st.blocks.append(rec)
        del self.st.blocks[:-BLOCKS_KEPT]

    def _carry_deferred(self) -> None:
        """A decision the ending block deferred (5 GHz confirmed bad while only 6 GHz was off)
        is not thrown away with it: it goes with the next block, once 6 GHz is off again."""
        st = self.st
        for band in sorted(st.wants):
            if band not in st.carried:
                st.carried[band] = self.t
                self.note(f"{_band_name(band)}: switching it off (decided during the block "
                          "that just ended) still stands — it goes with the next block")

    def _btwt_result(self, action: EnsureBtwt, outcome: str) -> None:
        st, cfg = self.st, self.cfg
        ids = {g.id for g in action.groups}
        seen = self.s.btwt_ids
        ok = outcome == "ok" and (seen is None or ids <= seen)
        if ok:
            st.rtwt_fails = 0
            self.event("R-TWT: groups ready (" + ", ".join(
                f"id={g.id} ~{g.interval_ms:.0f}ms" for g in action.groups) + ")")
            return
        st.rtwt_fails += 1
        self.event(f"R-TWT: creating group(s) {sorted(ids)} failed ({outcome.upper()}"
                   f"{', not listed by get_btwt' if outcome == 'ok' else ''}) "
                   f"({st.rtwt_fails}/{cfg.rtwt_max_fails})")
        if st.rtwt_fails >= cfg.rtwt_max_fails:
            st.rtwt_off = True
            self.event("R-TWT: the driver refuses — given up until the daemon restarts")

    def _attlm_readback(self) -> None:
        st, cfg, ra = self.st, self.cfg, self.s.attlm
        b = st.block
        if b is not None and (self.t >= b.end or (ra is not None and not ra.active)):
            why = "expired" if self.t >= b.end else "is no longer on air (hostapd: default mapping)"
            self.event(f"A-TTLM block (mask={self.mtext(b.mask)}) {why} — links re-enabled, "
                       "probing")
            bands = tidmap.bands_in(self.link_bands, b.mask)
            for band in bands:
                st.wants.pop(band, None)
                st.carried.pop(band, None)
                st.voters.pop(band, None)
            for sta in st.stations.values():
                for band in bands:
                    sta.streak[band] = 0
            self._carry_deferred()
            # the end of a block is a change of what is off: the cooldown runs from it, so the
            # next block (on air a switch time after it is sent) comes a cooldown after this one
            end = min(self.t, b.end)
            anchor = end - cfg.attlm_switch_time / 1000
            st.last_change = anchor if st.last_change is None else max(st.last_change, anchor)
            if st.blocks and st.blocks[-1]["start"] == b.start:
                st.blocks[-1]["ended"] = round(end, 1)
            st.block = None
        if ra is not None and ra.active and ra.disabled_mask:
            left = (ra.remaining_ms if ra.remaining_ms is not None else cfg.attlm_duration) / 1000
            if st.block is None or st.block.mask != ra.disabled_mask:
                st.block = Block(ra.disabled_mask, self.t, self.t + left, adopted=True)
                self._record_block(st.block, {"reason": "adopted: not sent by this policy"})
                self.event(f"A-TTLM mask={self.mtext(ra.disabled_mask)} is on air but was not "
                           f"sent by this policy — adopted; its links return in {left:.0f}s")
            elif ra.remaining_ms is not None:
                st.block.end = self.t + left
                if st.blocks and st.blocks[-1]["start"] == st.block.start:
                    st.blocks[-1]["end"] = round(st.block.end, 1)

    def _links(self) -> None:
        for lid, li in self.s.links.items():
            busy, _src = metrics.busy_pct(self.st.survey.get(lid), li)
            self.busy[lid] = busy
            if li.active_ms is not None and li.busy_ms is not None:
                self.st.survey[lid] = (li.freq_mhz, li.active_ms, li.busy_ms)
            else:
                self.st.survey.pop(lid, None)

    def _gone(self, mac: str, sta: StaState) -> str | None:
        """Why a known client missing from the station dump has left — or None: it is
        re-associating (hostapd removes and re-adds the kernel station then, so the dump misses
        it for a moment while hostapd still lists it) and keeps its vote for ``vote_grace``."""
        s = self.s
        if mac in s.departed:
            return "hostapd: disconnected"
        if s.associated is not None and mac not in s.associated:
            return "hostapd no longer lists it"
        away = self.t - (sta.seen if sta.seen is not None else sta.joined)
        if away > self.grace():
            return f"missing from the station dump for {away:g}s"
        return None

    def _stations(self) -> None:
        st, cfg = self.st, self.cfg
        for mac in list(st.stations):
            if mac in self.samples and mac not in self.s.departed:
                continue
            why = self._gone(mac, st.stations[mac])
            if why is not None:
                del st.stations[mac]
                self.note(f"client {mac} left ({why})")
            elif mac not in self.samples:
                self.absent.add(mac)
                self.note(f"client {mac} is missing from the station dump (re-associating?) — "
                          f"it keeps its vote for up to {self.grace():g}s")
        for ss in self.s.stations:
            sta = st.stations.get(ss.mac)
            new = sta is None
            if sta is None:
                sta = st.stations[ss.mac] = StaState(joined=self.t)
            elif sta.seen != st.t:   # it missed a sample: "in a row" starts again
                sta.simul_run = sta.single_run = 0
            sta.seen, sta.mask = self.t, self.station_mask(ss)
            sta.bands = tuple(sorted(self.station_bands(ss)))
            # retry % over the interval
            pk, rt, _src = metrics.station_counters(ss)
            d_pk, d_rt = metrics.counter_delta(sta.pkts, pk), metrics.counter_delta(sta.retries, rt)
            ret = metrics.retry_pct(d_pk, d_rt, cfg.retries_min_pkts)
            if d_pk is not None and d_rt is not None:
                self.agg[0] += d_pk
                self.agg[1] += d_rt
                self.agg[2] = True
            sta.pkts, sta.retries = pk, rt
            self.ret[ss.mac] = ret
            reads = self.reads[ss.mac] = {lid: self._read(ss, lid, ret) for lid in ss.links
                                          if lid in self.s.links}
            why = self._simultaneous(ss, sta, reads)
            kind = kind_of(ss, 2 if sta.multi else 1)
            if new:
                self.event(f"client {ss.mac} joined: {kind} (max_simul_links="
                           f"{'-' if ss.max_simul_links is None else ss.max_simul_links}, "
                           f"emlsr_support={_flag(ss.emlsr)}, emlmr_support={_flag(ss.emlmr)})")
            elif kind != sta.kind:
                self.event(f"client {ss.mac} is {kind} now" + (f" ({why})" if why else ""))
            sta.kind = kind
            for band in STEERED_BANDS:
                verdicts = [r for r in reads.values() if r.band == band and r.valid]
                bad = [r for r in verdicts if r.verdict == "bad"]
                if bad:
                    sta.streak[band] = sta.streak.get(band, 0) + 1
                    sta.reason[band] = bad[0].reason
                else:
                    sta.streak[band] = 0
                if verdicts:
                    sta.vote[band] = (self.t, self._verdict(ss.mac, band))
            self._neg_readback(ss.mac, sta)

    def _simultaneous(self, ss: StationSample, sta: StaState, reads: dict[int, _Read]) -> str:
        """Sustained evidence that a ``max_simul_links=1`` station uses two links at once:
        ``SIMUL_CONFIRM`` samples in a row with two links carrying traffic within
        ``SIMUL_WINDOW_MS``; as many samples in a row on one link while another of its links
        was available take it back (a taken Neg-TTLM map is proof and is kept). A station that
        hops links every few seconds shows both links fresh right after a hop — in one
        sample, not in three in a row. Returns the reason when the conclusion changed."""
        fresh = sum(1 for lid, r in reads.items() if r.valid
                    and (ss.links[lid].inactive_ms or 0) <= SIMUL_WINDOW_MS)
        off = self.on_air_mask() | tidmap.band_mask(self.link_bands, sta.neg.avoid)
        available = bin(self.station_mask(ss) & ~off).count("1")
        if fresh >= 2:
            sta.simul_run, sta.single_run = sta.simul_run + 1, 0
        elif fresh == 1 and available >= 2:
            sta.single_run, sta.simul_run = sta.single_run + 1, 0
        else:   # idle, or one link left to it: no evidence either way — and not "in a row"
            sta.simul_run = sta.single_run = 0
        if not sta.multi and sta.simul_run >= SIMUL_CONFIRM:
            sta.multi = True
            return f"traffic on two links at once in {sta.simul_run} samples in a row"
        if sta.multi and sta.single_run >= SIMUL_CONFIRM and not sta.neg.took:
            sta.multi = False
            return f"one link at a time in {sta.single_run} samples in a row"
        return ""

    def _read(self, ss: StationSample, lid: int, ret: int | None) -> _Read:
        cfg, li, r = self.cfg, self.s.links[lid], ss.links[lid]
        valid = metrics.reading_valid(r.rssi_dbm, r.inactive_ms, floor_dbm=cfg.rssi_floor,
                                      inactive_max_ms=cfg.link_inactive_max) \
            and li.noise_dbm is not None
        rd = _Read(lid, li.band, r.rssi_dbm, valid)
        if not valid:
            return rd
        assert r.rssi_dbm is not None and li.noise_dbm is not None
        rd.snr = r.rssi_dbm - li.noise_dbm
        busy = self.busy.get(lid)
        if li.band not in STEERED_BANDS:
            rd.verdict = "n/a"
            low, high = cfg.gates("5g")
            rd.usable = rd.snr >= low and \
                metrics.score(rd.snr, ret, busy, low, high) >= cfg.score_disable
            return rd
        low, high = cfg.gates(li.band)
        rd.score = metrics.score(rd.snr, ret, busy, low, high)
        ret_s = "n/a" if ret is None else f"{ret}%"
        busy_s = "n/a" if busy is None else f"{busy}%"
        if rd.snr < low:
            rd.verdict, rd.reason = "bad", f"SNR={rd.snr}dB < hard_low={low}dB"
        elif rd.score < cfg.score_disable:
            rd.verdict = "bad"
            rd.reason = (f"score={rd.score} < {cfg.score_disable} (SNR={rd.snr}dB ret={ret_s} "
                         f"busy={busy_s})")
        elif (rd.snr > high and (ret or 0) < cfg.retries_confirm) or rd.score > cfg.score_enable:
            rd.verdict = "good"
            rd.reason = (f"SNR={rd.snr}dB > hard_high={high}dB ret={ret_s}" if rd.snr > high
                         else f"score={rd.score} > {cfg.score_enable}")
        else:
            rd.verdict = "neutral"
        rd.usable = rd.verdict != "bad"
        return rd

    def _neg_readback(self, mac: str, sta: StaState) -> None:
        cfg, n = self.cfg, sta.neg
        if n.retry_after is not None and self.t >= n.retry_after:
            # after a pause one more try; its failure pauses again, longer (backoff)
            n.retry_after = None
        known = mac in self.s.neg_ttlm
        self.neg_known[mac] = known
        if not known:
            return
        rb = self.s.neg_ttlm[mac]
        n.active = tidmap.maps_of(rb)
        n.some_active = bool(rb)
        if not n.awaiting:
            if not n.some_active:
                n.owned = False
            return
        n.awaiting = False
        if n.active is not None and n.active == n.requested:
            n.unanswered = 0
            n.took = True
            self.event(f"Neg-TTLM: {mac} took the map "
                       f"{tidmap.describe_maps(n.active, self.link_bands)}")
            return
        n.unanswered += 1
        n.requested = None
        n.owned = n.some_active
        n.retry_after = self.t + cfg.cooldown
        if n.unanswered >= cfg.neg_ttlm_attempts:
            if mac not in self.st.unresponsive:
                self.st.unresponsive.append(mac)
                del self.st.unresponsive[:-UNRESPONSIVE_MAX]
            n.avoid = {}
            self.event(f"Neg-TTLM: {mac} never answered ({n.unanswered} requests) — not asked "
                       "again; steered by A-TTLM like an EMLSR client")
        else:
            self.event(f"Neg-TTLM: {mac} did not take the map ({n.unanswered}/"
                       f"{cfg.neg_ttlm_attempts})")

    # -- what should be off -----------------------------------------------------------
    def _wants(self) -> None:
        st, cfg = self.st, self.cfg
        if cfg.mode in ("off", "all_on") or (cfg.mode == "auto" and cfg.population == "none"):
            st.wants, st.carried, st.voters = {}, {}, {}
            return
        if cfg.mode == "5g_only":
            st.carried, st.voters = {}, {}
            if "5g" not in self.mld_bands:
                st.wants = {}
                self.note("5g_only: this MLD has no 5 GHz link — nothing is switched off")
                return
            st.wants = {b: st.wants.get(b, self.t) for b in sorted(self.mld_bands) if b != "5g"}
            return
        cooldown_ok = st.last_change is None or self.t - st.last_change >= cfg.cooldown
        on_air = tidmap.bands_in(self.link_bands, self.on_air_mask())
        # the population votes (absent clients within vote_grace included): a client votes on a
        # band when it read it validly within vote_grace — one that is not using a band (idle
        # there) does not keep it on for someone who is stuck on it
        pop = [mac for mac in st.stations if self.steer(mac) == "attlm"]
        six_fine = False  # 6 GHz reads well enough this cycle that it stays on
        for band in STEERED_BANDS:
            if band not in self.mld_bands:
                self._drop(band, "")
                continue
            name = _band_name(band)
            votes = {m: v for m in pop if (v := self.vote(m, band)) is not None}
            members = sorted(votes)
            good = [m for m in members if self._verdict(m, band) == "good"]
            fine = bool(good) and not population_bad(cfg.population, len(members) - len(good),
                                                     len(members))
            if band == "6g":
                six_fine = fine
            if band == "5g":
                # 5 GHz goes off only once 6 GHz is off — unless none of the clients on 5 GHz
                # has a 6 GHz link (a 2.4+5 GHz client: 5 GHz is its first band to go)
                self.five_alone = bool(members) and \
                    not any("6g" in self.bands_of(m) for m in members)
            waits = band == "5g" and "6g" in self.mld_bands and "6g" not in st.wants and \
                not self.five_alone
            # nobody uses 6 GHz (no vote there, no multi-radio client on it): 6 GHz can go
            # first in the same decision — a single-link client stuck on a bad 5 GHz link with
            # an unused 6 GHz link would otherwise never reach its 2.4 GHz link
            along = waits and "5g" not in st.wants and \
                not any(self.vote(m, "6g") is not None for m in pop) and \
                not self._multi_radio_keepers("6g")
            if waits and not along:
                # A 5 GHz decision carried over from the block that deferred it waits for
                # 6 GHz (one block at most); otherwise it goes.
                if "5g" in st.wants and "5g" not in on_air:
                    since = st.carried.get("5g")
                    if since is None or six_fine:
                        self._drop("5g", "5G: no longer wanted off — 6G is back on")
                    elif self.t - since > cfg.attlm_duration / 1000:
                        self._drop("5g", "5G: the decision carried over from the last block is "
                                         f"older than one block ({cfg.attlm_duration / 1000:g}s)"
                                         " — dropped")
                    elif cooldown_ok and fine:
                        self._enable(band, members, good)
                    else:
                        self.note("5G: still wanted off (decided during the last block) — it "
                                  "goes with 6G once 6G is confirmed bad again")
                continue
            if band not in st.wants:
                confirmed = [m for m in members
                             if st.stations[m].streak.get(band, 0) >= cfg.bad_confirm]
                if not confirmed:
                    continue
                keepers = self._multi_radio_keepers(band)
                n = len(members) + len(keepers)
                if not population_bad(cfg.population, len(confirmed), n):
                    self.note(f"{name}: {len(confirmed)}/{n} voting clients bad — population "
                              f"'{cfg.population}' keeps it on for everyone"
                              + (f" (multi-radio: {names(keepers)})" if keepers else ""))
                    continue
                if not cooldown_ok:
                    self.note(f"{name}: bad, waiting for the {cfg.cooldown}s cooldown")
                    continue
                st.wants[band] = self.t
                st.last_change = self.t
                st.voters[band] = confirmed
                if along:
                    st.wants["6g"] = self.t
                    st.voters["6g"] = confirmed
                why = names([f"{m} {st.stations[m].reason.get(band, '')}" for m in confirmed])
                for m in members:
                    st.stations[m].streak[band] = 0
                alone = band == "5g" and self.five_alone and "6g" not in st.wants
                self.event(f"{name}: {len(confirmed)}/{n} client(s) confirmed bad "
                           f"{cfg.bad_confirm}x (population {cfg.population}) → DISABLE"
                           + (" (before 6G: no client on 5G has a 6G link)" if alone else "")
                           + (" (6G goes first, with it: nobody uses 6G)" if along else "")
                           + f": {why}")
            elif band not in on_air:
                if not members and band not in st.carried:
                    self._drop(band, f"{name}: no A-TTLM-steered client on it any more → ENABLE",
                               event=True)
                    continue
                if cooldown_ok and fine:
                    self._enable(band, members, good)

    def _drop(self, band: str, text: str, *, event: bool = False) -> None:
        st = self.st
        st.wants.pop(band, None)
        st.carried.pop(band, None)
        st.voters.pop(band, None)
        if event:
            st.last_change = self.t
            self.event(text)
        elif text:
            self.note(text)

    def _enable(self, band: str, members: list[str], good: list[str]) -> None:
        self._drop(band, f"{_band_name(band)}: {len(good)}/{len(members)} client(s) good → "
                         "ENABLE (" + names([f"{m} {self._reason(m, band)}" for m in good]) + ")",
                   event=True)

    def _multi_radio_keepers(self, band: str) -> list[str]:
        """Multi-radio clients (steered per station by Neg-TTLM) whose good reading keeps
        ``band`` on for everyone — ``multi_radio_vote``: ``member`` → every one that reads it
        usable (it votes like any client); ``last_link`` → only one for which it is the last
        usable link (its other links off, avoided, bad or idle): switching the band off would
        cost it the network, not just throughput."""
        off = {band} | set(tidmap.bands_in(self.link_bands, self.on_air_mask()))
        if band == "5g":
            off.add("6g")  # 5 GHz goes off only together with 6 GHz
        out = []
        for mac, sta in self.st.stations.items():
            if mac not in self.samples or self.steer(mac) != "neg_ttlm":
                continue
            reads = self.reads[mac].values()
            mine = [r for r in reads if r.band == band and r.valid]
            if not mine or not all(r.usable for r in mine):
                continue
            if self.cfg.multi_radio_vote == "last_link" and any(
                    r.usable for r in reads
                    if r.band not in off and r.band not in sta.neg.avoid):
                continue
            r = mine[0]
            out.append(f"{mac} SNR={r.snr}dB" + (
                " (its last usable link)" if self.cfg.multi_radio_vote == "last_link" else ""))
        return out

    def _verdict(self, mac: str, band: str) -> str:
        vs = [r.verdict for r in self.reads.get(mac, {}).values() if r.band == band and r.valid]
        for v in ("bad", "neutral", "good"):
            if v in vs:
                return v
        return "idle"

    def _reason(self, mac: str, band: str) -> str:
        return next((r.reason for r in self.reads.get(mac, {}).values()
                     if r.band == band and r.valid), "")

    def _avoidance(self) -> None:
        """Per-station Neg-TTLM steering of multi-radio clients (auto mode)."""
        st, cfg = self.st, self.cfg
        on_air = set(tidmap.bands_in(self.link_bands, self.on_air_mask()))
        for mac, sta in st.stations.items():
            n = sta.neg
            if cfg.mode != "auto" or self.steer(mac) != "neg_ttlm":
                n.avoid = {}
                continue
            ss = self.samples.get(mac)
            if ss is None:  # missing from the dump (re-associating): nothing to decide on
                continue
            bands = self.station_bands(ss)
            for band, since in sorted(n.avoid.items()):
                if self.t - since >= cfg.neg_ttlm_hold:
                    del n.avoid[band]
                    sta.streak[band] = 0
                    self.event(f"{mac}: {_band_name(band)} hold of {cfg.neg_ttlm_hold}s over — "
                               "mapped back, probing")
            if "6g" in bands and "6g" not in n.avoid:
                n.avoid.pop("5g", None)
            cooldown_ok = n.last_change is None or self.t - n.last_change >= cfg.cooldown
            for band in STEERED_BANDS:
                name = _band_name(band)
                if band not in bands:
                    continue
                if band in n.avoid:
                    if cooldown_ok and self._verdict(mac, band) == "good":
                        del n.avoid[band]
                        n.last_change = self.t
                        self.event(f"{mac}: {name} {self._reason(mac, band)} → mapped back")
                    continue
                if band == "5g" and "6g" in bands and "6g" not in n.avoid:
                    continue
                if sta.streak.get(band, 0) < cfg.bad_confirm or not cooldown_ok:
                    continue
                left = bands - set(n.avoid) - {band} - on_air
                if not left:
                    self.note(f"{mac}: keeps {name} — it has no other link")
                    continue
                n.avoid[band] = self.t
                n.last_change = self.t
                self.event(f"{mac}: {name} {sta.reason.get(band, '')} confirmed "
                           f"{cfg.bad_confirm}x → its Neg-TTLM map avoids {name} (this client "
                           "only)")
                sta.streak[band] = 0

    def _effective_mask(self) -> int:
        """The wanted bands as a link mask, trimmed so that no connected client loses its last
        link (clients re-associating within ``vote_grace`` included), a legacy client keeps its
        link, 5 GHz never goes off while 6 GHz stays on (the order 6 → 5 → never 2.4 for the
        last link), and never every link of the MLD."""
        lb = self.link_bands
        six = tidmap.band_mask(lb, ["6g"])
        five = tidmap.band_mask(lb, ["5g"])
        wanted = tidmap.band_mask(lb, self.st.wants)
        if six and not wanted & six and not self.five_alone:
            wanted &= ~five   # a 5 GHz decision carried over waits for 6 GHz (see _wants)
        give_back = tuple(reversed(tidmap.DISABLE_PRIORITY))  # 5 GHz kept first
        clients = [(ss.mac, self.station_mask(ss)) for ss in self.s.stations]
        clients += [(mac, self.st.stations[mac].mask) for mac in sorted(self.absent)]
        six_wanted = bool(wanted & six)
        for mac, sl in clients:
            if not sl or not wanted & sl:
                continue
            if self.st.stations[mac].kind == "legacy":
                for band in tidmap.bands_in(lb, wanted & sl):
                    wanted &= ~tidmap.band_mask(lb, [band])
                    self.note(f"{_band_name(band)} stays on: legacy client {mac} is on it")
                continue
            for band in give_back:
                if sl & ~wanted:
                    break
                bm = tidmap.band_mask(lb, [band])
                if bm & sl & wanted:
                    wanted &= ~bm
                    self.note(f"{_band_name(band)} stays on: {mac} would have no link left")
        wanted = self._last_usable(wanted)
        wanted = self._keep_order(wanted, six_wanted)
        for band in give_back:
            if wanted != self.all_mask:
                break
            wanted &= ~tidmap.band_mask(lb, [band])
        self.mask_wanted = wanted
        return wanted

    def _last_usable(self, wanted: int) -> int:
        """Whatever decided the mask (a fresh decision or one carried over from the last
        block), it never takes the last usable link of a multi-radio client steered per
        station: 5 GHz is given back first, then 6 GHz."""
        lb = self.link_bands
        for mac in sorted(self.samples):
            if mac not in self.st.stations or self.steer(mac) != "neg_ttlm":
                continue
            avoid = self.st.stations[mac].neg.avoid
            usable = [r for r in self.reads[mac].values()
                      if r.valid and r.usable and r.band not in avoid]
            for band in ("5g", "6g"):
                if not usable or any(not wanted >> r.lid & 1 for r in usable):
                    break
                if any(r.band == band for r in usable):
                    wanted &= ~tidmap.band_mask(lb, [band])
                    self.note(f"{_band_name(band)} stays on: it is the last usable link of "
                              f"multi-radio {mac}")
        return wanted

    def _keep_order(self, wanted: int, six_wanted: bool) -> int:
        """A trim that kept 6 GHz on drops the 5 GHz decision that depended on it: 5 GHz off
        alone would leave the bad client on its worse 6 GHz link and take 5 GHz from all."""
        six = tidmap.band_mask(self.link_bands, ["6g"])
        five = tidmap.band_mask(self.link_bands, ["5g"])
        if six_wanted and not wanted & six and wanted & five and not self.five_alone:
            wanted &= ~five
            self.note("5G stays on too: it goes off only after 6G, and 6G stays on")
        return wanted

    # -- actions ----------------------------------------------------------------------
    def _ours(self) -> list[str]:
        """Stations with a Neg-TTLM of ours that may be active."""
        out = []
        for mac, sta in self.st.stations.items():
            n = sta.neg
            if mac in self.absent:
                continue
            if n.owned and (n.some_active or not self.neg_known.get(mac)):
                out.append(mac)
        return out

    def _act(self, mask: int) -> None:
        st, cfg = self.st, self.cfg
        if self._no_neg_ttlm(mask):
            for mac in self._ours():
                self.issue(NegTtlmTeardown(mac))
            if cfg.mode == "5g_only":
                # every link must stay on (legacy clients, clients with no other link, no
                # 5 GHz link): Neg-TTLM stays torn down in this mode, as documented
                self.note("5g_only: every link stays on this cycle — no Neg-TTLM in this mode")
            elif st.block:
                self.note(f"steering off; A-TTLM mask={self.mtext(st.block.mask)} runs out in "
                          f"{self.block_left():.0f}s (hostapd cannot cancel it)")
            return
        if mask:
            if not st.block or st.block.mask != mask:
                # A-TTLM and Neg-TTLM do not mix: ours go before a new block
                for mac in self._ours():
                    self.issue(NegTtlmTeardown(mac))
            if st.block:
                if st.block.mask == mask:
                    self.note(f"A-TTLM mask={self.mtext(mask)} on air, {self.block_left():.0f}s "
                              "left")
                else:
                    self.note(f"A-TTLM: mask change {self.mtext(st.block.mask)} → "
                              f"{self.mtext(mask)} deferred until the current block expires "
                              f"({self.block_left():.0f}s)")
                return
            if st.attlm_retry_after is not None and self.t < st.attlm_retry_after:
                self.note(f"A-TTLM: mask={self.mtext(mask)} wanted, next try in "
                          f"{st.attlm_retry_after - self.t:.0f}s")
                return
            action = SetAttlm(mask, cfg.attlm_switch_time, cfg.attlm_duration)
            self.issue(action)
            st.pending[action.key]["info"] = self._block_info(mask)
            return
        if st.block:
            self.note(f"A-TTLM mask={self.mtext(st.block.mask)} still on air for "
                      f"{self.block_left():.0f}s — hostapd cannot cancel it; no Neg-TTLM until "
                      "then")
            return
        for mac, sta in st.stations.items():
            if self.steer(mac) != "neg_ttlm" or not self.neg_known.get(mac):
                continue
            n = sta.neg
            if n.awaiting or (n.retry_after is not None and self.t < n.retry_after):
                continue
            sl = self.station_mask(self.samples[mac])
            if bin(sl).count("1") < 2:
                continue
            allowed = sl & ~tidmap.band_mask(self.link_bands, n.avoid) or sl
            desired = tidmap.ac_maps(self.link_bands, allowed)
            if n.active == desired:
                n.owned = True
                n.requested = desired
                continue
            n.requested = desired
            self.issue(NegTtlmRequest(mac, desired, cfg.neg_ttlm_link_map_size))

    def _no_neg_ttlm(self, mask: int) -> bool:
        """``off``, and ``5g_only`` when no link goes off this cycle (every link must stay on):
        our Neg-TTLMs are torn down and none is requested (docs/steering.md, Modes)."""
        return self.cfg.mode == "off" or (self.cfg.mode == "5g_only" and not mask)

    def _block_info(self, mask: int) -> dict[str, Any]:
        """Who voted for a block and who pays for it: clients that read a band of ``mask``
        usable (valid and not bad) now lose that link for the whole block."""
        bands = tidmap.bands_in(self.link_bands, mask)
        if self.cfg.mode == "5g_only":
            voted: dict[str, list[str]] = {}
            reason = "mode 5g_only"
        else:
            voted = {b: list(self.st.voters.get(b, [])) for b in bands}
            reason = f"population {self.cfg.population}"
        paid = []
        for ss in self.s.stations:
            for r in sorted(self.reads[ss.mac].values(), key=lambda r: r.lid):
                if r.band in bands and r.valid and r.usable:
                    paid.append({"mac": ss.mac, "kind": self.st.stations[ss.mac].kind,
                                 "band": r.band, "verdict": r.verdict, "snr_db": r.snr})
        return {"voted": voted, "paid": paid, "reason": reason}

    def _btwt(self) -> None:
        st, cfg = self.st, self.cfg
        if not cfg.rtwt or st.rtwt_off or cfg.mode == "off" or self.s.btwt_ids is None:
            return
        if st.steps % cfg.rtwt_check_interval:
            return
        missing = tuple(g for g in rtwt_groups(cfg) if g.id not in self.s.btwt_ids)
        if missing:
            self.issue(EnsureBtwt(missing))

    def _rtwt_text(self) -> str:
        if not self.cfg.rtwt or self.st.rtwt_off:
            return "off"
        ids = self.s.btwt_ids
        if ids is None:
            return "?"
        v, d = self.cfg.rtwt_voice_id in ids, self.cfg.rtwt_video_id in ids
        return "V+D" if v and d else "V" if v else "D" if d else "none"

    # -- output -----------------------------------------------------------------------
    def _status(self, mask: int) -> None:
        if not self.s.stations:
            self.note("No clients — idle")
        for ss in self.s.stations:
            sta = self.st.stations[ss.mac]
            parts = []
            for lid in sorted(self.s.links):
                name = _band_name(self.link_bands[lid])
                r = self.reads[ss.mac].get(lid)
                if r is None:
                    continue
                off = self.on_air_mask() & (1 << lid) or self.link_bands[lid] in sta.neg.avoid
                if r.snr is None:
                    parts.append(f"{name}:{'dis' if off else 'idle'}")
                else:
                    parts.append(f"{name}:snr={r.snr}" + (f"/{r.score}" if r.score is not None
                                                           else ""))
            ttlm = "  TTLM:active" if sta.neg.some_active else ""
            self.note(f"{ss.mac} {sta.kind.upper():6} {' '.join(parts)}{ttlm}")
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


def block_record(b: Block, link_bands: dict[int, str], info: dict[str, Any]) -> dict[str, Any]:
    """One block for the Link Policy view (JSON-ready, bounded): its mask and bands, when it
    started and ends, the clients whose confirmed bad readings voted for it per band, and the
    clients that paid — they read a switched-off band usable when it was sent."""
    voted = info.get("voted") or {}
    paid = info.get("paid") or []
    return {"mask": b.mask, "bands": tidmap.bands_in(link_bands, b.mask),
            "start": round(b.start, 1), "end": round(b.end, 1), "ended": None,
            "adopted": b.adopted, "reason": info.get("reason", ""),
            "voted": {band: macs[:BLOCK_NAMES_MAX] for band, macs in sorted(voted.items())},
            "voted_more": sum(max(0, len(m) - BLOCK_NAMES_MAX) for m in voted.values()),
            "paid": paid[:BLOCK_NAMES_MAX], "paid_more": max(0, len(paid) - BLOCK_NAMES_MAX)}


def _flag(v: bool | None) -> str:
    return "-" if v is None else "1" if v else "0"
