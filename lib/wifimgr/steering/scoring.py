"""Scoring: what one sample says — busy % per link, retry % per station, per-link SNR, score
and verdict (bad / neutral / good / idle), the consecutive-bad streaks, the station classes, who
is still connected, and the Neg-TTLM read back. A mixin of the policy step (policy.py)."""

from __future__ import annotations

from ..core.record import record
from . import metrics, tidmap
from .classify import kind_of
from .state import STEERED_BANDS, StaState, band_name, flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..settings.steering import SteeringConfig
    from .model import StationSample

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


@record
class Read:
    lid: int
    band: str
    rssi: int | None
    valid: bool
    snr: int | None = None
    score: int | None = None
    verdict: str = "idle"
    #: a valid reading that is not bad (2.4 GHz: judged with the 5 GHz gates; never steered)
    usable: bool = False
    #: which rule gave the verdict (``hard_low`` | ``retries_bad`` | ``score_disable`` |
    #: ``hard_high`` | ``score_enable`` | ``hysteresis``) and the figures it used; the text is
    #: made only when a line needs it (:func:`why`)
    rule: str = ""
    ret: int | None = None
    busy: int | None = None
    low: int = 0
    high: int = 0


def why(rd: Read | None, cfg: SteeringConfig) -> str:
    """The reading and the rule that judged it, as the log and the replay print it."""
    if rd is None or not rd.rule:
        return ""
    ret_s = "n/a" if rd.ret is None else f"{rd.ret}%"
    busy_s = "n/a" if rd.busy is None else f"{rd.busy}%"
    rule = rd.rule
    if rule == "hard_low":
        return f"SNR={rd.snr}dB < hard_low={rd.low}dB"
    if rule == "retries_bad":
        return f"ret={rd.ret}% >= retries_bad={cfg.retries_bad}% (SNR={rd.snr}dB busy={busy_s})"
    if rule == "score_disable":
        return (f"score={rd.score} < {cfg.score_disable} (SNR={rd.snr}dB ret={ret_s} "
                f"busy={busy_s})")
    if rule == "hard_high":
        return f"SNR={rd.snr}dB > hard_high={rd.high}dB ret={ret_s}"
    if rule == "score_enable":
        return f"score={rd.score} > {cfg.score_enable}"
    return (f"score={rd.score} between {cfg.score_disable} and {cfg.score_enable} "
            f"(SNR={rd.snr}dB ret={ret_s} busy={busy_s})")


class Scoring:
    """Readings → verdicts (see the module doc)."""

    def _links(self) -> None:
        cfg = self.cfg
        #: link id → (band, noise, steered, SNR gates): what every reading on it needs
        self._link_facts = {
            lid: (li.band, li.noise_dbm, li.band in STEERED_BANDS,
                  *cfg.gates(li.band if li.band in STEERED_BANDS else "5g"))
            for lid, li in self.s.links.items()}
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
                self._lift(mac, st.stations.pop(mac))
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
            link_ret = self._link_retries(ss, sta)
            reads = self.reads[ss.mac] = {
                lid: self._read(ss, lid, link_ret.get(lid, ret))
                for lid in ss.links if lid in self.s.links}
            why = self._simultaneous(ss, sta, reads)
            kind = kind_of(ss, 2 if sta.multi else 1)
            if new:
                self.event(f"client {ss.mac} joined: {kind} (max_simul_links="
                           f"{'-' if ss.max_simul_links is None else ss.max_simul_links}, "
                           f"emlsr_support={flag(ss.emlsr)}, emlmr_support={flag(ss.emlmr)})")
            elif kind != sta.kind:
                self.event(f"client {ss.mac} is {kind} now" + (f" ({why})" if why else ""))
            sta.kind = kind
            by_band: dict[str, list[Read]] = {}
            for r in reads.values():
                if r.valid:
                    if r.usable:
                        sta.usable_at[r.band] = self.t
                    else:
                        sta.usable_at.pop(r.band, None)
                    by_band.setdefault(r.band, []).append(r)
            for band in STEERED_BANDS:
                verdicts = by_band.get(band)
                bad = next((r for r in verdicts if r.verdict == "bad"), None) \
                    if verdicts else None
                if bad is not None:
                    sta.streak[band] = sta.streak.get(band, 0) + 1
                    sta.reason[band] = bad
                    times = sta.bad_at.setdefault(band, [])
                    times.append(self.t)
                    del times[:-cfg.bad_confirm]
                else:
                    sta.streak[band] = 0
                if verdicts:   # its vote: the worst verdict there (as _verdict)
                    sta.vote[band] = (self.t, "bad" if bad is not None else "neutral" if any(
                        r.verdict == "neutral" for r in verdicts) else "good")
            self._neg_readback(ss.mac, sta)
        self._steer = {}    # from here on, how each client is steered is fixed for the step

    def _link_retries(self, ss: StationSample, sta: StaState) -> dict[int, int | None]:
        """Retry % per link from the per-link counters, for the links that print them (a hidden
        node hurts one link of a multi-radio client, not its total); other links use the
        station's figure."""
        out: dict[int, int | None] = {}
        for lid, r in ss.links.items():
            if r.tx_packets is None or r.tx_retries is None:
                sta.link_ctr.pop(lid, None)
                continue
            prev = sta.link_ctr.get(lid)
            sta.link_ctr[lid] = (r.tx_packets, r.tx_retries)
            if prev is None:
                out[lid] = None
                continue
            out[lid] = metrics.retry_pct(metrics.counter_delta(prev[0], r.tx_packets),
                                         metrics.counter_delta(prev[1], r.tx_retries),
                                         self.cfg.retries_min_pkts)
        return out

    def _lift(self, mac: str, sta: StaState) -> None:
        """A client that left took its veto with it: a band it read usable (its vote, or its
        last usable link as a multi-radio client) waits ``veto_wait`` and fresh confirmations
        before it can go off — the client may be back in a moment under a new random MAC."""
        cfg = self.cfg
        if not cfg.veto_wait:
            return
        for band in STEERED_BANDS:
            v = sta.vote.get(band)
            used = (v is not None and self.t - v[0] <= self.grace() and v[1] != "bad") or \
                self.t - sta.usable_at.get(band, -1e18) <= self.grace()
            if not used:
                continue
            self.st.lifted[band] = self.t
            for other in self.st.stations.values():
                other.streak[band] = 0
            if band in self.st.wants and \
                    band not in tidmap.bands_in(self.link_bands, self.on_air_mask()):
                # a decision the veto held back is decided again, on fresh readings
                for table in (self.st.wants, self.st.carried, self.st.voters):
                    table.pop(band, None)
            self.event(f"{band_name(band)}: {mac} left — its veto is lifted; {band_name(band)} "
                       f"waits {cfg.veto_wait}s and {cfg.bad_confirm} fresh readings before it "
                       "can go off")

    def _simultaneous(self, ss: StationSample, sta: StaState, reads: dict[int, Read]) -> str:
        """Sustained evidence that a ``max_simul_links=1`` station uses two links at once:
        ``SIMUL_CONFIRM`` samples in a row with two links carrying traffic within
        ``SIMUL_WINDOW_MS``; as many samples in a row on one link while another of its links
        was available take it back (a taken Neg-TTLM map is proof and is kept). A station that
        hops links every few seconds shows both links fresh right after a hop — in one
        sample, not in three in a row. Returns the reason when the conclusion changed."""
        fresh = sum(1 for lid, r in reads.items() if r.valid
                    and (ss.links[lid].inactive_ms or 0) <= SIMUL_WINDOW_MS)
        off = self.on_air_mask()
        if sta.neg.avoid:
            off |= tidmap.band_mask(self.link_bands, sta.neg.avoid)
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

    def _read(self, ss: StationSample, lid: int, ret: int | None) -> Read:
        cfg, r = self.cfg, ss.links[lid]
        band, noise, steered, low, high = self._link_facts[lid]
        rssi, inactive = r.rssi_dbm, r.inactive_ms
        # metrics.reading_valid, inlined (it runs for every link of every client)
        valid = noise is not None and rssi is not None and rssi != 0 and \
            rssi > cfg.rssi_floor and inactive is not None and \
            0 <= inactive <= cfg.link_inactive_max
        rd = Read(lid, band, rssi, valid)
        if not valid:
            return rd
        assert rssi is not None and noise is not None
        rd.snr = snr = rssi - noise
        rd.ret = ret
        rd.busy = busy = self.busy.get(lid)
        if not steered:
            rd.verdict = "n/a"
            rd.usable = snr >= low and (ret is None or ret < cfg.retries_bad) and \
                metrics.score(snr, ret, busy, low, high) >= cfg.score_disable
            return rd
        rd.low, rd.high = low, high
        rd.score = score = metrics.score(snr, ret, busy, low, high)
        if snr < low:
            rd.verdict, rd.rule = "bad", "hard_low"
        elif ret is not None and ret >= cfg.retries_bad:
            # interference (a hidden node, a busy neighbour): whatever the SNR, a link that
            # retries most of its frames is not good
            rd.verdict, rd.rule = "bad", "retries_bad"
        elif score < cfg.score_disable:
            rd.verdict, rd.rule = "bad", "score_disable"
        elif (ret or 0) < cfg.retries_confirm and (snr > high or score > cfg.score_enable):
            # good needs few retries on either path: SNR alone never makes a link good
            rd.verdict, rd.rule = "good", "hard_high" if snr > high else "score_enable"
        else:
            rd.verdict, rd.rule = "neutral", "hysteresis"
        rd.usable = rd.verdict != "bad"
        return rd

    def _neg_readback(self, mac: str, sta: StaState) -> None:
        cfg, n = self.cfg, sta.neg
        until = self.st.unresponsive.get(mac)
        if until is not None and self.t >= until:
            # the backoff is over: one more chance (a firmware hiccup is not forever)
            del self.st.unresponsive[mac]
            n.unanswered = 0
            self.event(f"Neg-TTLM: {mac} — the pause after its unanswered requests is over; "
                       "asking it again")
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
            st = self.st
            times = st.refusals.pop(mac, 0) + 1
            st.refusals[mac] = times
            pause = min(cfg.neg_ttlm_hold * 2 ** min(times - 1, 30),
                        max(cfg.neg_ttlm_hold, cfg.backoff_max))
            st.unresponsive.pop(mac, None)
            st.unresponsive[mac] = self.t + pause
            for table in (st.unresponsive, st.refusals):
                while len(table) > UNRESPONSIVE_MAX:   # the oldest is forgotten first
                    del table[next(iter(table))]
            n.avoid = {}
            self.event(f"Neg-TTLM: {mac} did not take {n.unanswered} maps in a row — not asked "
                       f"for {pause:g}s (then once more: the pause doubles per time, up to "
                       f"{max(cfg.neg_ttlm_hold, cfg.backoff_max)}s); steered by A-TTLM like an "
                       "EMLSR client meanwhile")
        else:
            self.event(f"Neg-TTLM: {mac} did not take the map ({n.unanswered}/"
                       f"{cfg.neg_ttlm_attempts})")

    def _verdict(self, mac: str, band: str) -> str:
        vs = [r.verdict for r in self.reads.get(mac, {}).values() if r.band == band and r.valid]
        for v in ("bad", "neutral", "good"):
            if v in vs:
                return v
        return "idle"

    def _reason(self, mac: str, band: str) -> str:
        return why(next((r for r in self.reads.get(mac, {}).values()
                         if r.band == band and r.valid), None), self.cfg)
