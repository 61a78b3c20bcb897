"""Decisions: the results of the last actions, the A-TTLM read back (adopt, expire = probe), the
per-station Neg-TTLM avoidance, the wanted mask trimmed so nobody loses their last link, and the
actions (one ``set_attlm`` per block, Neg-TTLM requests and teardowns, R-TWT). A mixin of the
policy step (policy.py)."""

from __future__ import annotations

from . import tidmap
from .model import (
    BtwtGroup,
    EnsureBtwt,
    NegTtlmRequest,
    NegTtlmTeardown,
    SetAttlm,
)
from .scoring import why
from .state import STEERED_BANDS, Block, band_name
from .voting import population_bad

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..settings.steering import SteeringConfig

#: blocks kept for the Link Policy view, and the clients listed per block as voters and payers
BLOCKS_KEPT = 8
BLOCK_NAMES_MAX = 8


def rtwt_groups(cfg: SteeringConfig) -> tuple[BtwtGroup, BtwtGroup]:
    """The two groups of mlo-steerd v0.6: voice (TIDs 6, 7; 4096·2^7 µs ≈ 524 ms) and video
    (TIDs 4, 5; 2048·2^7 µs ≈ 262 ms), both with recommendation 4."""
    return (BtwtGroup(cfg.rtwt_voice_id, 255, 4096, 7, 0xC0),
            BtwtGroup(cfg.rtwt_video_id, 128, 2048, 7, 0x30))


class Decisions:
    """The mask and the actions (see the module doc)."""

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
            st.block = Block(action.mask, t0, end, wall=self.wall - self.t)
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

    def _learned_5g(self, b: Block) -> None:
        """A 6+5 GHz block ends: nobody could read 5 GHz during it, but what was learned
        before stands — 5 GHz goes with 6 GHz in the next block unless 5 GHz or 6 GHz reads good
        first (for at most one block). Without it the next block would be 6 GHz alone, the
        client would sit on its bad 5 GHz link for that block, and the blocks would alternate
        0x4, 0x6, 0x4 … (the single-link client's 6 GHz probe comes first: it returns there)."""
        st = self.st
        rec = st.blocks[-1] if st.blocks and \
            st.blocks[-1]["start"] == round(b.start + b.wall, 1) else {}
        voters = list((rec.get("voted") or {}).get("5g", []))
        # only when 5 GHz waits for 6 GHz: every client that voted it off has a 6 GHz link (a
        # 2.4+5 GHz client's 5 GHz decision is its own probe, taken afresh)
        if not voters or any(m not in st.stations or "6g" not in st.stations[m].bands
                             for m in voters):
            return
        st.wants["5g"] = st.carried["5g"] = self.t
        st.voters["5g"] = voters
        self.note("5G: learned bad before the block that just ended — it goes with 6G in the "
                  "next block unless 5G or 6G reads good first")

    def _carry_deferred(self) -> None:
        """A decision the ending block deferred (5 GHz confirmed bad while only 6 GHz was off)
        is not thrown away with it: it goes with the next block, once 6 GHz is off again."""
        st = self.st
        for band in sorted(st.wants):
            if band not in st.carried:
                st.carried[band] = self.t
                self.note(f"{band_name(band)}: switching it off (decided during the block "
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
            if "6g" in bands and "5g" in bands and cfg.mode == "auto":
                self._learned_5g(b)
            self._carry_deferred()
            # the end of a block is a change of what is off: the cooldown runs from it, so the
            # next block (on air a switch time after it is sent) comes a cooldown after this one
            end = min(self.t, b.end)
            for band in bands:
                st.back[band] = end
            anchor = end - cfg.attlm_switch_time / 1000
            st.last_change = anchor if st.last_change is None else max(st.last_change, anchor)
            # the 5 GHz probe: by then 5 GHz can be confirmed bad again (bad_confirm fresh
            # readings, a cooldown after the block) — a 6 GHz block waits for it (_probe_wait)
            st.probe_5g = max(self.t + (cfg.bad_confirm - 1) * cfg.interval,
                              st.last_change + cfg.cooldown) \
                if "5g" in bands and cfg.mode == "auto" else None
            if st.blocks and st.blocks[-1]["start"] == round(b.start + b.wall, 1):
                st.blocks[-1]["ended"] = round(end + b.wall, 1)
            st.block = None
        if ra is not None and ra.active and ra.disabled_mask:
            left = (ra.remaining_ms if ra.remaining_ms is not None else cfg.attlm_duration) / 1000
            if st.block is None or st.block.mask != ra.disabled_mask:
                st.block = Block(ra.disabled_mask, self.t, self.t + left, adopted=True,
                                 wall=self.wall - self.t)
                self._record_block(st.block, {"reason": "adopted: not sent by this policy"})
                self.event(f"A-TTLM mask={self.mtext(ra.disabled_mask)} is on air but was not "
                           f"sent by this policy — adopted; its links return in {left:.0f}s")
            elif ra.remaining_ms is not None:
                st.block.end = self.t + left
                b = st.block
                if st.blocks and st.blocks[-1]["start"] == round(b.start + b.wall, 1):
                    st.blocks[-1]["end"] = round(b.end + b.wall, 1)

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
                    self.event(f"{mac}: {band_name(band)} hold of {cfg.neg_ttlm_hold}s over — "
                               "mapped back, probing")
            if "6g" in bands and "6g" not in n.avoid:
                n.avoid.pop("5g", None)
            cooldown_ok = n.last_change is None or self.t - n.last_change >= cfg.cooldown
            for band in STEERED_BANDS:
                name = band_name(band)
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
                if not self.confirmed(mac, band) or not cooldown_ok:
                    continue
                left = bands - set(n.avoid) - {band} - on_air
                if not left:
                    self.note(f"{mac}: keeps {name} — it has no other link")
                    continue
                n.avoid[band] = self.t
                n.last_change = self.t
                self.event(f"{mac}: {name} {why(sta.reason.get(band), cfg)} confirmed "
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
        wanted = tidmap.band_mask(lb, [b for b in self.st.wants if b not in self.good_now])
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
                    self.explain_band(band)["vetoed"].append(
                        {"mac": mac, "rule": "legacy", "why": "a legacy client is on it"})
                    self.note(f"{band_name(band)} stays on: legacy client {mac} is on it")
                continue
            for band in give_back:
                if sl & ~wanted:
                    break
                bm = tidmap.band_mask(lb, [band])
                if bm & sl & wanted:
                    wanted &= ~bm
                    self.explain_band(band)["vetoed"].append(
                        {"mac": mac, "rule": "never zero links", "why": "no link left"})
                    self.note(f"{band_name(band)} stays on: {mac} would have no link left")
        wanted = self._last_usable(wanted)
        wanted = self._keep_order(wanted, six_wanted)
        wanted = self._probe_wait(wanted)
        wanted = self._back_for_a_cooldown(wanted)
        for band in give_back:
            if wanted != self.all_mask:
                break
            wanted &= ~tidmap.band_mask(lb, [band])
        for band, ex in self.explain.items():
            if ex["vetoed"] and not wanted & tidmap.band_mask(lb, [band]) and \
                    ex["decision"] in ("", "off"):
                ex["decision"] = "stays on"
                ex["rule"] = (ex["rule"] + "; " if ex["rule"] else "") + \
                    "kept on by " + ", ".join(sorted({v["rule"] for v in ex["vetoed"]}))
        self.mask_wanted = wanted
        return wanted

    def _keep_order(self, wanted: int, six_wanted: bool) -> int:
        """A trim that kept 6 GHz on drops the 5 GHz decision that depended on it: 5 GHz off
        alone would leave the bad client on its worse 6 GHz link and take 5 GHz from all."""
        six = tidmap.band_mask(self.link_bands, ["6g"])
        five = tidmap.band_mask(self.link_bands, ["5g"])
        if six_wanted and not wanted & six and wanted & five and not self.five_alone:
            wanted &= ~five
            self.explain_band("5g")["vetoed"].append(
                {"mac": "6G", "rule": "order", "why": "5G goes off only after 6G, and 6G stays "
                                                      "on"})
            self.note("5G stays on too: it goes off only after 6G, and 6G stays on")
        return wanted

    def _probe_wait(self, wanted: int) -> int:
        """6 GHz does not go off alone while the probe of a block that switched 5 GHz off reads
        5 GHz bad: a 6 GHz block would push the single-link clients on 6 GHz onto that 5 GHz
        link for a whole block (a block cannot be changed once on air). It waits until the
        probe can confirm (``bad_confirm`` fresh readings, a cooldown after the block: then 6+5
        GHz go in one block) or stops reading bad (then 6 GHz goes alone) — at most that long,
        and once per probe."""
        st, cfg, lb = self.st, self.cfg, self.link_bands
        until = st.probe_5g
        if until is None:
            return wanted
        six = tidmap.band_mask(lb, ["6g"])
        five = tidmap.band_mask(lb, ["5g"])
        if cfg.mode != "auto" or st.block is not None or self.t > until or \
                not wanted & six or wanted & five or not five:
            if self.t > until or wanted & five or st.block is not None:
                st.probe_5g = None
            return wanted
        pop = [m for m in st.stations if self.steer(m) == "attlm"]
        members = [m for m in pop if self.vote(m, "5g") is not None]
        bad = [m for m in members if self.vote(m, "5g") == "bad"
               and self.st.stations[m].streak.get("5g", 0) >= 1]
        n = len(members) + len(self._multi_radio_keepers("5g"))
        if not bad or not population_bad(cfg.population, len(bad), n):
            st.probe_5g = None       # the probe does not read 5 GHz bad: 6 GHz goes alone
            return wanted
        ex = self.explain_band("6g")
        ex["decision"] = "waits"
        ex["rule"] = (f"5G probe: {len(bad)}/{n} voting clients read 5G bad again since the "
                      "block that switched it off ended — 6G waits (at most "
                      f"{until - self.t:g}s) so 6G and 5G go in one block")
        ex["voted"] = [self.reading_of(m, "5g") for m in bad]
        self.note(f"6G waits for the 5G probe ({len(bad)}/{n} read 5G bad again, at most "
                  f"{until - self.t:g}s): 6G alone would push its clients onto a bad 5G link "
                  "for a whole block")
        return wanted & ~six

    def _back_for_a_cooldown(self, wanted: int) -> int:
        """A band that came back from a block stays on for a cooldown before a block takes it
        again — also when the decision was carried over (``_learned_5g``) and may now go alone
        (a 2.4+5 GHz client voting on 5 GHz): nothing is sent until then (auto mode; at most a
        cooldown; the order of the bands is kept by sending them together)."""
        st, cfg = self.st, self.cfg
        if cfg.mode != "auto" or not wanted or st.block is not None:
            return wanted
        start = self.t + cfg.attlm_switch_time / 1000
        early = [b for b in tidmap.bands_in(self.link_bands, wanted)
                 if start - st.back.get(b, -1e18) < cfg.cooldown - 1e-6]
        if not early:
            return wanted
        for band in early:
            left = cfg.cooldown - (start - st.back[band])
            ex = self.explain_band(band)
            ex["decision"] = "waits"
            ex["rule"] = (f"cooldown {cfg.cooldown}s: back from a block "
                          f"{start - st.back[band]:g}s ago ({left:g}s to go)")
            self.note(f"{band_name(band)}: back from a block {start - st.back[band]:g}s ago — "
                      f"{self.mtext(wanted)} waits {left:g}s for the {cfg.cooldown}s cooldown")
        return 0

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
        readings = {b: [r for r in self.explain.get(b, {}).get("voted", [])][:BLOCK_NAMES_MAX]
                    for b in bands if self.cfg.mode != "5g_only"}
        rules = {b: self.explain[b]["rule"] for b in bands if b in self.explain}
        return {"voted": voted, "paid": paid, "reason": reason, "readings": readings,
                "rules": rules}

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


def block_record(b: Block, link_bands: dict[int, str], info: dict[str, Any]) -> dict[str, Any]:
    """One block for the Link Policy view (JSON-ready, bounded): its mask and bands, when it
    started and ends, the clients whose confirmed bad readings voted for it per band, and the
    clients that paid — they read a switched-off band usable when it was sent."""
    voted = info.get("voted") or {}
    paid = info.get("paid") or []
    return {"mask": b.mask, "bands": tidmap.bands_in(link_bands, b.mask),
            "start": round(b.start + b.wall, 1), "end": round(b.end + b.wall, 1), "ended": None,
            "adopted": b.adopted, "reason": info.get("reason", ""),
            "voted": {band: macs[:BLOCK_NAMES_MAX] for band, macs in sorted(voted.items())},
            "voted_more": sum(max(0, len(m) - BLOCK_NAMES_MAX) for m in voted.values()),
            "paid": paid[:BLOCK_NAMES_MAX], "paid_more": max(0, len(paid) - BLOCK_NAMES_MAX),
            "readings": {band: rs for band, rs in sorted((info.get("readings") or {}).items())
                         if rs},
            "rules": dict(sorted((info.get("rules") or {}).items()))}
