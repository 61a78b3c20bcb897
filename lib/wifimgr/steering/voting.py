"""Voting and vetoes: who votes on a band (the A-TTLM population within ``vote_grace``), the
``population`` rule, the multi-radio clients' veto (``multi_radio_vote``) and the last-usable-link
guard, and what should be switched off for everyone (``wants``). A mixin of the policy step
(policy.py)."""

from __future__ import annotations

from . import tidmap
from .scoring import why as reading
from .state import STEERED_BANDS, band_name, names

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


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


class Voting:
    """Votes, vetoes and wants (see the module doc)."""

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
        for band, since in list(st.lifted.items()):
            if self.t - since >= cfg.veto_wait:
                del st.lifted[band]
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
            name = band_name(band)
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
                    elif fine:
                        self._good_again(band, members, good)
                    else:
                        self.note("5G: still wanted off (decided during the last block) — it "
                                  "goes with 6G once 6G is confirmed bad again")
                continue
            if band not in st.wants:
                confirmed = [m for m in members if self.confirmed(m, band)]
                if not confirmed:
                    continue
                ex = self.explain_band(band)
                ex["voted"] = [self.reading_of(m, band) for m in confirmed]
                lifted = st.lifted.get(band)
                if lifted is not None and self.t - lifted < cfg.veto_wait:
                    ex["decision"] = "waits"
                    ex["rule"] = (f"veto_wait: a client that kept it on left {self.t - lifted:g}s "
                                  f"ago — {cfg.veto_wait}s and fresh readings first")
                    self.note(f"{name}: a client that kept it on left {self.t - lifted:g}s ago — "
                              f"waiting {cfg.veto_wait}s for fresh confirmation")
                    continue
                keepers = self._multi_radio_keepers(band)
                n = len(members) + len(keepers)
                if not population_bad(cfg.population, len(confirmed), n):
                    ex["decision"] = "stays on"
                    ex["rule"] = (f"population {cfg.population}: {len(confirmed)}/{n} voting "
                                  f"clients confirmed bad {cfg.bad_confirm}x")
                    ex["vetoed"] = [self.reading_of(m, band) for m in members
                                    if m not in confirmed] + \
                        [{"mac": k.split(" ", 1)[0], "why": "multi-radio: " + k.split(" ", 1)[1],
                          "rule": f"multi_radio_vote={cfg.multi_radio_vote}"} for k in keepers]
                    self.note(f"{name}: {len(confirmed)}/{n} voting clients bad — population "
                              f"'{cfg.population}' keeps it on for everyone"
                              + (f" (multi-radio: {names(keepers)})" if keepers else ""))
                    continue
                if not cooldown_ok:
                    ex["decision"], ex["rule"] = "waits", f"cooldown {cfg.cooldown}s"
                    self.note(f"{name}: bad, waiting for the {cfg.cooldown}s cooldown")
                    continue
                ex["decision"] = "off"
                ex["rule"] = (f"population {cfg.population}: {len(confirmed)}/{n} voting "
                              f"clients confirmed bad {cfg.bad_confirm}x within "
                              f"{cfg.window()}s" + (" (6G goes with it: nobody uses 6G)"
                                                     if along else ""))
                ex["vetoed"] = [self.reading_of(m, band) for m in members
                                if m not in confirmed]
                st.wants[band] = self.t
                st.last_change = self.t
                st.voters[band] = confirmed
                if along:
                    st.wants["6g"] = self.t
                    st.voters["6g"] = confirmed
                why = names([f"{m} {reading(st.stations[m].reason.get(band), cfg)}"
                             for m in confirmed])
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
                elif fine:
                    self._good_again(band, members, good)

    def _good_again(self, band: str, members: list[str], good: list[str]) -> None:
        """A want not on air yet whose voters read the band good again within the cooldown: it
        stands (the cooldown holds what is wanted), but no block takes the band while they do —
        a block would go out on readings the fresh ones contradict, over a client reading the
        band good (``good_now``; ``_effective_mask`` leaves it out)."""
        self.good_now.add(band)
        ex = self.explain_band(band)
        ex["decision"] = "waits"
        ex["rule"] = (f"{len(good)}/{len(members)} voting client(s) read it good again — not "
                      f"switched off while they do; the decision is dropped after the "
                      f"{self.cfg.cooldown}s cooldown")
        ex["vetoed"] = [self.reading_of(m, band) for m in good]
        self.note(f"{band_name(band)}: {len(good)}/{len(members)} client(s) read it good again "
                  "— not switched off while they do")

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

    def explain_band(self, band: str) -> dict[str, Any]:
        """This step's explanation of ``band`` (who voted, who vetoed, which readings, which
        rule), created on first use: ``Decision.explain``, the Link Policy view, ``replay -v``."""
        ex = self.explain.get(band)
        if ex is None:
            ex = self.explain[band] = {"band": band, "decision": "", "rule": "", "voted": [],
                                       "vetoed": []}
        return ex

    def reading_of(self, mac: str, band: str) -> dict[str, Any]:
        """A client's reading on ``band`` and the rule that judged it (its last bad one while
        it is in a bad streak; else this sample's; else that it is missing from this dump)."""
        sta = self.st.stations[mac]
        rd = sta.reason.get(band) if sta.streak.get(band, 0) else None
        if rd is None:
            rd = next((r for r in self.reads.get(mac, {}).values()
                       if r.band == band and r.valid), None)
        if rd is None:
            v = sta.vote.get(band)
            return {"mac": mac, "verdict": v[1] if v else "idle", "rule": "",
                    "why": "missing from this dump (hostapd lists it): its last vote"
                    if mac in self.absent else "no reading"}
        return {"mac": mac, "verdict": rd.verdict, "rule": rd.rule, "why": reading(rd, self.cfg)}

    def _enable(self, band: str, members: list[str], good: list[str]) -> None:
        ex = self.explain_band(band)
        ex["decision"] = "on"
        ex["rule"] = f"{len(good)}/{len(members)} voting client(s) read it good"
        ex["voted"] = [self.reading_of(m, band) for m in good]
        self._drop(band, f"{band_name(band)}: {len(good)}/{len(members)} client(s) good → "
                         "ENABLE (" + names([f"{m} {self._reason(m, band)}" for m in good]) + ")",
                   event=True)

    def confirmed(self, mac: str, band: str) -> bool:
        """``bad_confirm`` bad readings in a row on ``band``, all inside the confirmation
        window (``confirm_window``): a sampling stall of minutes starts the count again."""
        sta, n = self.st.stations[mac], self.cfg.bad_confirm
        times = sta.bad_at.get(band, ())
        return sta.streak.get(band, 0) >= n and len(times) >= n and \
            self.t - times[-n] <= self.cfg.window()

    def usable_links(self, mac: str, *, comparable: bool = True
                     ) -> list[tuple[int, str, int | None]]:
        """(link id, band, SNR) of the links a client can use now — valid, not bad, not avoided
        in its own map. A client missing from this dump while hostapd lists it (re-associating)
        keeps what it had usable in its last dump, within the grace: hostapd's word counts, not
        one dump. With
        ``comparable`` 2.4 GHz counts only when ``fallback_2g`` says it may replace a 5/6 GHz
        link."""
        sta = self.st.stations[mac]
        avoid = sta.neg.avoid
        skip = set(avoid)
        if comparable and not self.cfg.fallback_2g:
            skip.add("2g")
        if mac in self.reads:
            return [(r.lid, r.band, r.snr) for r in self.reads[mac].values()
                    if r.valid and r.usable and r.band not in skip]
        if mac not in self.absent or sta.seen is None:
            return []
        # what it had usable in its last dump — a band it read usable before that but had no
        # valid reading on then is not usable, as it would not be were it in this dump
        return [(lid, b, None) for lid, b in sorted(self.link_bands.items())
                if sta.mask >> lid & 1 and b not in skip
                and sta.usable_at.get(b, -1e18) >= sta.seen
                and self.t - sta.seen <= self.grace()]

    def _multi_radio_keepers(self, band: str) -> list[str]:
        """Multi-radio clients (steered per station by Neg-TTLM) whose good reading keeps
        ``band`` on for everyone — ``multi_radio_vote``: ``member`` → every one that reads it
        usable (it votes like any client); ``last_link`` → only one for which it is the last
        usable comparable link (its other links off, avoided, bad or idle; 2.4 GHz only with
        ``fallback_2g``): switching the band off would cost it the network, not just
        throughput. A client missing from one dump while hostapd lists it keeps its veto."""
        off = {band} | set(tidmap.bands_in(self.link_bands, self.on_air_mask()))
        if band == "5g":
            off.add("6g")  # 5 GHz goes off only together with 6 GHz
        out = []
        for mac in self.st.stations:
            if (mac not in self.samples and mac not in self.absent) or \
                    self.steer(mac) != "neg_ttlm":
                continue
            if mac in self.reads:
                valid = [r for r in self.reads[mac].values() if r.band == band and r.valid]
                if not valid or not all(r.usable for r in valid):
                    continue
            usable = self.usable_links(mac)
            mine = [u for u in usable if u[1] == band]
            if not mine:
                continue
            if self.cfg.multi_radio_vote == "last_link" and any(
                    b not in off for _lid, b, _snr in usable):
                continue
            snr = mine[0][2]
            out.append(f"{mac} " + ("missing from this dump (hostapd lists it), read it usable "
                                    "before" if snr is None else f"SNR={snr}dB") + (
                " (its last usable link)" if self.cfg.multi_radio_vote == "last_link" else ""))
        return out

    def _last_usable(self, wanted: int) -> int:
        """Whatever decided the mask (a fresh decision or one carried over from the last
        block), it never takes the last usable comparable link of a multi-radio client steered
        per station — also one missing from this dump while hostapd lists it: 5 GHz is given
        back first, then 6 GHz."""
        lb = self.link_bands
        for mac in sorted(self.st.stations):
            if (mac not in self.samples and mac not in self.absent) or \
                    self.steer(mac) != "neg_ttlm":
                continue
            usable = self.usable_links(mac)
            for band in ("5g", "6g"):
                if not usable or any(not wanted >> lid & 1 for lid, _b, _s in usable):
                    break
                if any(b == band for _lid, b, _s in usable):
                    wanted &= ~tidmap.band_mask(lb, [band])
                    self.explain_band(band)["vetoed"].append({
                        "mac": mac, "rule": "last usable link",
                        "why": "its last usable comparable link" + (
                            " (missing from this dump; hostapd lists it)"
                            if mac in self.absent else "")})
                    self.note(f"{band_name(band)} stays on: it is the last usable link of "
                              f"multi-radio {mac}" + (" (missing from this dump; hostapd lists "
                                                      "it)" if mac in self.absent else ""))
        return wanted
