"""Issue 24's property suite: random homes through the policy and a small hostapd, with what the
first suite never generated — stations missing from one dump while hostapd lists them, stations
that leave (hostapd: departed) and rejoin under a new random MAC, sampling gaps of minutes,
wall-clock steps (the policy runs on the monotonic clock), hostapd restarts (dump empty,
all_sta unreadable, the A-TTLM gone), and every client class on every subset of links.

The invariants (``violations``):

* I1 — a client hostapd lists as associated (also while one dump misses it) never loses its
  last usable comparable link: a multi-radio client steered per station keeps one of the 5/6 GHz
  links it read usable (2.4 GHz counts only with ``fallback_2g``) — auto mode;
* I2 — no band is decided off on fewer than ``bad_confirm`` bad readings of each voter inside
  ``confirm_window``;
* I3 — with population ``all``, no block switches off a band that a client present in this dump
  and voting on it reads good;
* I4 — ``auto`` never switches 2.4 GHz off;
* I5 — ``all_on`` never sends a block.

The controls take each guard out again (monkeypatched) and show a bounded, derandomized search
of the same generator finding a counterexample.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from wifimgr.core.record import replace
from wifimgr.settings.steering import DEFAULTS, SteeringConfig
from wifimgr.steering import decisions, policy, scoring, voting
from wifimgr.steering.model import AttlmState, LinkInfo, LinkReading, Sample, StationSample

LINKS = {0: LinkInfo("2g", 2462, -95), 1: LinkInfo("5g", 5180, -95),
         2: LinkInfo("6g", 6135, -93)}
BANDS = {0: "2g", 1: "5g", 2: "6g"}
CAPS = {
    "iphone": {"mld": True, "max_simul_links": 1, "emlsr": False, "emlmr": False},
    "emlsr": {"mld": True, "max_simul_links": 1, "emlsr": True, "emlmr": False},
    "bpi": {"mld": True, "max_simul_links": 2, "emlsr": False, "emlmr": False},
    "silent": {"mld": True, "max_simul_links": 2, "emlsr": False, "emlmr": False},
    "emlmr": {"mld": True, "max_simul_links": 2, "emlsr": False, "emlmr": True},
    "legacy": {"mld": False},
}
ANSWERS = {"bpi", "emlmr"}
KINDS = tuple(CAPS)
SUBSETS = [s for n in (1, 2, 3) for s in itertools.combinations((0, 1, 2), n)]
SNRS = (None, -3, 1, 8, 16, 30)


class World:
    """The policy and just enough of hostapd: one A-TTLM at a time for its duration, Neg-TTLM
    maps taken by the stations that answer, links that are off read idle, restarts."""

    def __init__(self, cfg: SteeringConfig):
        self.cfg = cfg
        self.state: Any = None
        self.mono, self.wall = 1000.0, 1_700_000_000.0
        self.block: tuple[int, float, float] | None = None   # mask, on air from, until
        self.neg: dict[str, tuple[int, ...]] = {}
        self.results: dict[str, str] = {}

    def off(self) -> int:
        b = self.block
        return b[0] if b is not None and b[1] <= self.mono < b[2] else 0

    def step(self, dt: float, stations: list[StationSample], associated: frozenset[str] | None,
             departed: frozenset[str], *, restart: bool = False, wall_jump: float = 0.0):
        self.mono += dt
        self.wall += dt + wall_jump
        if restart:
            self.block, self.neg = None, {}
        if self.block is not None and self.mono >= self.block[2]:
            self.block = None
        off = self.off()
        seen = []
        for s in stations:
            unused = off
            if s.mac in self.neg:
                used = 0
                for m in self.neg[s.mac]:
                    used |= m
                unused |= ~used & 0b111
            links = {lid: (LinkReading(-105, 45000) if unused >> lid & 1 else r)
                     for lid, r in s.links.items()}
            seen.append(replace(s, links=links))
        b = self.block
        attlm = AttlmState(True, b[0], int((b[2] - self.mono) * 1000)) if b else AttlmState(False)
        sample = Sample(t=self.wall, mono=self.mono, links=LINKS, stations=tuple(seen),
                        attlm=attlm, btwt_ids=frozenset({1, 2}), results=self.results,
                        neg_ttlm={s.mac: ({t: (m, m) for t, m in enumerate(self.neg[s.mac])}
                                          if s.mac in self.neg else None)
                                  for s in seen if s.mld},
                        associated=associated, departed=departed)
        d = policy.step(self.cfg, self.state, sample)
        self.state = d.state
        self.results = {}
        for a in d.actions:
            out = "ok"
            if a.kind == "set_attlm":
                if self.block is not None:
                    out = "fail"
                else:
                    self.block = (a.mask, self.mono + a.switch_time_ms / 1000,
                                  self.mono + (a.switch_time_ms + a.duration_ms) / 1000)
                    self.neg = {}
            elif a.kind == "neg_ttlm_request":
                if self.block is not None:
                    out = "fail"
                elif a.mac in ANSWERING:
                    self.neg[a.mac] = a.tid_maps
            elif a.kind == "neg_ttlm_teardown":
                self.neg.pop(a.mac, None)
            self.results[a.key] = out
        return sample, d


#: MACs that take Neg-TTLM maps in the current run (set by ``run``)
ANSWERING: set[str] = set()


def station(mac: str, kind: str, snr: dict[int, int | None], retry: int, pkts: int
            ) -> StationSample:
    rd = {lid: LinkReading(-105, 45000) if s is None
          else LinkReading(LINKS[lid].noise_dbm + s, 20) for lid, s in snr.items()}
    return StationSample(mac=mac, links=rd, tx_packets=pkts, tx_retries=pkts * retry // 100,
                         **CAPS[kind])


# ------------------------------------------------------------------------- the generator
def home(seed: int, clients: list[tuple[str, tuple[int, ...]]] | None = None,
         n_steps: int | None = None) -> dict[str, Any]:
    """One random home from a seed (hypothesis draws the seed; the walk comes from it)."""
    rnd = random.Random(seed)
    cfg = DEFAULTS.replace(
        population=rnd.choice(["all", "all", "majority", "none"]),
        multi_radio_vote=rnd.choice(["last_link", "member"]),
        fallback_2g=rnd.random() < 0.3,
        veto_wait=rnd.choice([0, 30]),
        bad_confirm=rnd.choice([2, 3]),
        confirm_window=rnd.choice([0, 0, 45]),
        cooldown=rnd.choice([10, 30]),
        attlm_duration=rnd.choice([60000, 300000]),
        neg_ttlm_hold=rnd.choice([40, 300]))
    if clients is None:
        clients = []
        for _ in range(rnd.randint(1, 5)):
            kind = rnd.choice((*KINDS, "iphone", "iphone", "bpi"))
            lids = (rnd.choice((0, 1, 2)),) if kind == "legacy" else rnd.choice(SUBSETS)
            clients.append((kind, lids))
    steps = []
    mode = "auto"
    # RF persists and changes now and then (a walk, an obstacle): per client and link
    level = [{lid: rnd.choice(SNRS) for lid in lids} for _kind, lids in clients]
    retry = [rnd.choice([0, 3, 30, 60]) for _ in clients]
    for _ in range(n_steps or rnd.randint(10, 45)):
        if rnd.random() < 0.06:                # an owner switches the mode now and then
            mode = rnd.choice(["auto", "auto", "all_on", "5g_only", "off"])
        ev: dict[str, Any] = {
            "dt": rnd.choice([10] * 12 + [60, 180, 400]),          # gaps of minutes
            "wall_jump": rnd.choice([0.0] * 25 + [3600.0, -7200.0]),
            "restart": rnd.random() < 0.04,
            "mode": mode,
            "clients": []}
        for i, (_kind, lids) in enumerate(clients):
            what = rnd.choice(["present"] * 14 + ["missing", "depart"])
            for lid in lids:
                if rnd.random() < 0.1:
                    level[i][lid] = rnd.choice(SNRS)
            if rnd.random() < 0.1:
                retry[i] = rnd.choice([0, 3, 30, 60])
            ev["clients"].append({"what": what, "retry": retry[i], "snr": dict(level[i])})
        steps.append(ev)
    return {"cfg": cfg, "clients": clients, "steps": steps}


def run(h: dict[str, Any]) -> list[tuple[Sample, Any, dict[str, Any]]]:
    """Replays a home; returns (sample, decision, facts) per step."""
    cfg = h["cfg"]
    w = World(cfg)
    macs = [f"02:00:00:24:{i:02x}:00" for i in range(len(h["clients"]))]
    gen = [0] * len(macs)
    pkts = [1000] * len(macs)
    ANSWERING.clear()
    out = []
    for ev in h["steps"]:
        mode = ev["mode"]
        w.cfg = cfg.replace(mode=mode)
        stations, listed, departed = [], set(), set()
        for i, ((kind, _lids), c) in enumerate(zip(h["clients"], ev["clients"], strict=True)):
            mac = macs[i]
            if kind in ANSWERS:
                ANSWERING.add(mac)
            if c["what"] == "depart":
                departed.add(mac)            # hostapd: AP-STA-DISCONNECTED …
                gen[i] += 1                  # … and it comes back under a new random MAC
                macs[i] = f"06:00:00:24:{i:02x}:{gen[i] % 256:02x}"
                continue
            listed.add(mac)
            if c["what"] == "missing" or ev["restart"]:
                continue                     # missing from this dump, hostapd lists it
            pkts[i] += 500
            stations.append(station(mac, kind, c["snr"], c["retry"], pkts[i]))
        assoc = None if ev["restart"] else frozenset(listed)
        sample, d = w.step(ev["dt"], [] if ev["restart"] else stations, assoc,
                           frozenset(departed), restart=ev["restart"],
                           wall_jump=ev["wall_jump"])
        out.append((sample, d, {"mode": mode, "cfg": w.cfg}))
    return out


# ------------------------------------------------------------------------ the invariants
def violations(steps: list[tuple[Sample, Any, dict[str, Any]]]) -> list[str]:
    out: list[str] = []
    last_view: dict[str, tuple[float, Any]] = {}        # mac → (clock, StationView)
    hist: dict[str, dict[str, list[tuple[float, str]]]] = {}   # mac → band → (clock, verdict)
    prev_wants: dict[str, float] = {}
    for sample, d, facts in steps:
        cfg, mode, now = facts["cfg"], facts["mode"], sample.clock
        grace = max(cfg.vote_grace, cfg.interval)
        present = {s.mac for s in sample.stations}
        views = {v.mac: v for v in d.stations}
        for v in d.stations:
            last_view[v.mac] = (now, v)
            for band in ("5g", "6g"):
                verdicts = [lv.verdict for lv in v.links.values()
                            if lv.band == band and lv.snr_db is not None]
                verdict = "bad" if "bad" in verdicts else (verdicts[0] if verdicts else "none")
                hist.setdefault(v.mac, {}).setdefault(band, []).append((now, verdict))
        sent = [a.mask for a in d.actions if a.kind == "set_attlm"]
        masks = [*sent, d.mask_wanted]
        # I1 — the last usable comparable link of a multi-radio client hostapd lists
        if mode == "auto" and sample.associated is not None:
            for mac in sample.associated - sample.departed:
                t0, v = last_view.get(mac, (None, None))
                if v is None or now - t0 > grace or v.steer != "neg_ttlm":
                    continue
                comparable = {"5g", "6g"} | ({"2g"} if cfg.fallback_2g else set())
                usable = {lid for lid, lv in v.links.items() if lv.band in comparable
                          and lv.band not in v.avoid and lv.snr_db is not None
                          and (lv.verdict in ("good", "neutral") or lv.band == "2g")}
                for m in masks:
                    if usable and all(m >> lid & 1 for lid in usable):
                        out.append(f"I1 t={now:g}: mask {m:#x} takes every usable comparable "
                                   f"link {sorted(usable)} of {mac}"
                                   + ("" if mac in present else " (missing from this dump)"))
        # I2 — fresh readings inside the window for every new decision
        wants = dict(d.state.wants)
        for e in d.events:
            if "→ DISABLE" not in e.text or e.kind != "event":
                continue
            band = "6g" if e.text.startswith("6G") else "5g"
            n, window = cfg.bad_confirm, cfg.window()
            for mac in d.state.voters.get(band, []):
                h = [x for x in hist.get(mac, {}).get(band, []) if x[1] != "none"]
                last = h[-n:]
                if len(last) < n or any(vd != "bad" for _, vd in last) or \
                        now - last[0][0] > window:
                    out.append(f"I2 t={now:g}: {band} decided off on {mac}'s readings "
                               f"{[(round(t), vd) for t, vd in h[-n:]]} (need {n} bad within "
                               f"{window}s)")
        prev_wants = wants
        # I3 — population all: no block while a present voter reads the band good
        if mode == "auto" and cfg.population == "all":
            for m in sent:
                for mac in present:
                    v = views.get(mac)
                    votes = v is not None and (v.steer == "attlm" or (
                        v.steer == "neg_ttlm" and cfg.multi_radio_vote == "member"))
                    if not votes:
                        continue
                    good = [lid for lid, lv in v.links.items() if m >> lid & 1
                            and lv.verdict == "good"]
                    if good:
                        out.append(f"I3 t={now:g}: mask {m:#x} while {mac} reads "
                                   f"{[BANDS[g] for g in good]} good")
        # I4 — auto never switches 2.4 GHz off; I5 — all_on never blocks
        if mode == "auto" and any(m & 0b001 for m in masks):
            out.append(f"I4 t={now:g}: 2.4 GHz in {[hex(m) for m in masks]}")
        if mode == "all_on" and sent:
            out.append(f"I5 t={now:g}: all_on sent {[hex(m) for m in sent]}")
    del prev_wants
    return out


def check(seed: int) -> list[str]:
    return violations(run(home(seed)))


# ------------------------------------------------------------------------ the properties
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_random_homes_keep_every_invariant(seed):
    assert check(seed) == [], seed


#: homes a longer local hunt found (seed → the invariant it broke): CI starts without an example
#: database, so each is replayed on every run
FOUND = {100893: "I3", 5414: "I1"}


@pytest.mark.parametrize("seed", sorted(FOUND))
def test_the_homes_a_longer_hunt_found(seed):
    assert check(seed) == [], seed


def _old_usable_links(orig):
    """The rule before: a client missing from this dump kept every band it read usable within
    the grace — also one it had no valid reading on in its last dump."""
    def usable_links(self, mac, *, comparable=True):
        if mac in self.reads or mac not in self.absent:
            return orig(self, mac, comparable=comparable)
        sta = self.st.stations[mac]
        skip = set(sta.neg.avoid) | ({"2g"} if comparable and not self.cfg.fallback_2g
                                     else set())
        return [(lid, b, None) for lid, b in sorted(self.link_bands.items())
                if sta.mask >> lid & 1 and b not in skip
                and self.t - sta.usable_at.get(b, -1e18) <= self.grace()]
    return usable_links


FOUND_CONTROLS = {
    # a want whose voter reads the band good again inside the cooldown was sent as a block
    100893: [(voting.Voting, "_good_again", lambda: lambda self, band, members, good: None)],
    # a BPI-R4 missing from one dump kept a 5 GHz link it had no valid reading on in its last
    # dump as "usable": 6 GHz, its last usable link, went off
    5414: [(voting.Voting, "usable_links", lambda: _old_usable_links(voting.Voting.usable_links))],
}


@pytest.mark.parametrize("seed", sorted(FOUND))
def test_each_found_home_fails_without_its_fix(monkeypatch, seed):
    for target, attr, value in FOUND_CONTROLS[seed]:
        monkeypatch.setattr(target, attr, value())
    assert [v for v in check(seed) if v.startswith(FOUND[seed])], seed


@pytest.mark.parametrize(("kind", "lids"), [(k, s) for k in KINDS for s in SUBSETS
                                            if k != "legacy" or len(s) == 1])
def test_every_class_on_every_subset_of_links(kind, lids):
    # the class under test and a far iPhone (the A-TTLM population that wants 6 GHz off)
    for seed in range(3):
        h = home(seed * 7919 + len(lids), clients=[(kind, lids), ("iphone", (0, 1, 2))],
                 n_steps=30)
        assert violations(run(h)) == [], (kind, lids, seed)


def test_the_generator_makes_what_the_issue_asks_for():
    seen: dict[str, int] = {}
    for seed in range(200):
        h = home(seed)
        for ev in h["steps"]:
            seen["gap"] = seen.get("gap", 0) + (ev["dt"] >= 60)
            seen["wall"] = seen.get("wall", 0) + (ev["wall_jump"] != 0)
            seen["restart"] = seen.get("restart", 0) + ev["restart"]
            for c in ev["clients"]:
                seen[c["what"]] = seen.get(c["what"], 0) + 1
    assert all(seen.get(k, 0) > 20 for k in ("gap", "wall", "restart", "missing", "depart"))


# --------------------------------------------------------------------------- the controls
#: a bounded, derandomized search: the same on every run, a few seconds on a busy 2-core CI
#: (no shrinking: the first counterexample is enough, and it is re-checked below)
SEARCH = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))


def _all_on_as_auto(orig):
    def wants(self):
        cfg = self.cfg
        if cfg.mode == "all_on":
            self.cfg = cfg.replace(mode="auto")
        try:
            orig(self)
        finally:
            self.cfg = cfg
    return wants


def _gates_for_2g(orig):
    def gates(self, band):
        return orig(self, "5g" if band == "2g" else band)
    return gates


def _streak_only(self, mac, band):
    return self.st.stations[mac].streak.get(band, 0) >= self.cfg.bad_confirm


def _no_usable_links(self, mac, *, comparable=True):
    return []


def _any_confirmed_voter(rule, n_bad, n_members):
    return n_bad > 0


CONTROLS = {
    # the last-usable-link guard and the multi-radio veto (both read usable_links; the part for
    # a client missing from one dump has its own control in test_steer_issue24.py)
    "I1": [(voting.Voting, "usable_links", lambda: _no_usable_links)],
    # N bad readings "in a row" counted without time
    "I2": [(voting.Voting, "confirmed", lambda: _streak_only)],
    # population all: one voter reading it good keeps the band on (every voter must be bad)
    "I3": [(voting, "population_bad", lambda: _any_confirmed_voter)],
    # 2.4 GHz is not among the steered bands
    "I4": [(scoring, "STEERED_BANDS", lambda: ("6g", "5g", "2g")),
           (voting, "STEERED_BANDS", lambda: ("6g", "5g", "2g")),
           (decisions, "STEERED_BANDS", lambda: ("6g", "5g", "2g")),
           (SteeringConfig, "gates", lambda: _gates_for_2g(SteeringConfig.gates))],
    # all_on clears every want
    "I5": [(voting.Voting, "_wants", lambda: _all_on_as_auto(voting.Voting._wants))],
}


@pytest.mark.parametrize("inv", sorted(CONTROLS))
def test_each_invariant_fails_without_its_guard(monkeypatch, inv):
    def broken(seed):
        return any(v.startswith(inv) for v in check(seed))

    for target, attr, value in CONTROLS[inv]:
        monkeypatch.setattr(target, attr, value())
    seed = find(st.integers(0, 2**32 - 1), broken, settings=SEARCH)
    found = [v for v in check(seed) if v.startswith(inv)]
    monkeypatch.undo()
    assert found, inv
    # and the same home is fine with the guard in place
    assert not [v for v in check(seed) if v.startswith(inv)], (seed, found)
