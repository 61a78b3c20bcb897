"""The scenario suite as a property (issue 17): random homes — clients of every class, joining,
re-associating and leaving, walking through good and bad RF on every link — replayed through the
policy and the simulated hostapd, judged by steer_check.check (no client stranded for longer
than one block, no band toggling faster than the cooldown, no request without a new reason,
the order 6 → 5 → never the last link). The controls show the same checker failing on the
review's scenarios when the fix for each is taken out again."""

from __future__ import annotations

import json
import pathlib
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from steer_check import check

from wifimgr.steering import policy, replay, scoring

TRACES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "steering"

#: a quiet home: −2 dB SNR is still above the (lowered) validity floor on every band
LINKS = {0: ("2g", 2462, -95), 1: ("5g", 5180, -95), 2: ("6g", 6135, -93)}
#: SNR (dB) per band at each distance step of a walk: 6 GHz fades first, 2.4 GHz last; levels
#: are well inside (30), usable (12) or unusable (−2: below every band's hard low gate)
BY_DISTANCE = ({"2g": 30, "5g": 30, "6g": 30}, {"2g": 30, "5g": 30, "6g": 12},
               {"2g": 30, "5g": 12, "6g": -2}, {"2g": 12, "5g": -2, "6g": -2},
               {"2g": -2, "5g": -2, "6g": -2})
LEVELS = (30, 12, -2)
KINDS = ("iphone", "emlsr", "hopper", "bpi", "silent", "msl1multi", "legacy")
CAPS = {
    "iphone": {"max_simul_links": 1, "emlsr": False, "emlmr": False},
    "emlsr": {"max_simul_links": 1, "emlsr": True, "emlmr": False},
    "hopper": {"max_simul_links": 1, "emlsr": False, "emlmr": False},
    "bpi": {"max_simul_links": 2, "emlsr": False, "emlmr": False, "answers_neg_ttlm": True},
    "silent": {"max_simul_links": 2, "emlsr": False, "emlmr": False,
               "answers_neg_ttlm": False},
    "msl1multi": {"max_simul_links": 1, "emlsr": False, "emlmr": False,
                  "answers_neg_ttlm": True, "truth": "multi"},
    "legacy": {},
}
STEP = 10
#: a home has more phones than anything else
WEIGHTED = ("iphone",) * 4 + ("emlsr",) * 2 + ("bpi",) * 2 + ("legacy",) * 2 + \
    ("hopper", "silent", "msl1multi")


@st.composite
def home(draw):
    """A header and the scripted sample lines of one random home."""
    # the walk itself from a seeded generator: hypothesis' own randoms() draw 0.0 so often
    # that every "now and then" happens every step; the seed is in the failure report
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    n_steps = draw(st.integers(30, 80))
    #: how often a link's RF level changes per step: a quick or a slow walk
    change = draw(st.sampled_from([0.03, 0.12]))
    cfg = {"population": draw(st.sampled_from(["all", "majority"])),
           "multi_radio_vote": draw(st.sampled_from(["last_link", "member"])),
           "cooldown": draw(st.sampled_from([10, 30])),
           "bad_confirm": draw(st.sampled_from([2, 3])),
           "attlm_duration": draw(st.sampled_from([60000, 120000])),
           "vote_grace": draw(st.sampled_from([10, 30])),
           "neg_ttlm_hold": 40, "rssi_floor": -100}
    clients = []
    for i in range(draw(st.sampled_from([1, 1, 2, 2, 3, 4]))):
        kind = draw(st.sampled_from(WEIGHTED))
        if kind == "legacy":
            lids = [draw(st.sampled_from([0, 1, 2]))]
        elif kind == "hopper":
            lids = sorted(draw(st.sets(st.sampled_from([0, 1, 2]), min_size=2)))
        else:
            lids = sorted(draw(st.sets(st.sampled_from([0, 1, 2]), min_size=1)))
        prefs = ["6g", "5g", "2g"]     # a phone's order (highest band it hears) …
        if rnd.random() < 0.5:          # … or any other
            rnd.shuffle(prefs)
        join = draw(st.sampled_from([0, 0, 0, 5, 12]))
        leave = draw(st.sampled_from([None, None, None, 20, 40]))
        gaps = {draw(st.integers(1, 59)) for _ in range(draw(st.integers(0, 2)))}
        dist = rnd.randrange(len(BY_DISTANCE))
        fade = {lid: None for lid in lids}   # a link-local obstacle: overrides the distance
        clients.append({"mac": f"02:00:00:00:7e:{i:02x}", "kind": kind, "lids": lids,
                        "prefs": prefs, "join": join, "leave": leave, "gaps": gaps,
                        "dist": dist, "fade": fade,
                        "period": rnd.choice([2700, 4000, 7000]),
                        "pkts": 1000, "ret": 40})
    lines = [{"trace": "walk", "config": cfg}]
    survey = {lid: [5_000_000, 1_000_000] for lid in LINKS}
    for i in range(n_steps):
        t = i * STEP
        links = {}
        for lid, (band, freq, noise) in LINKS.items():
            survey[lid][0] += STEP * 1000
            survey[lid][1] += STEP * 200
            links[str(lid)] = {"band": band, "freq": freq, "noise": noise,
                               "active_ms": survey[lid][0], "busy_ms": survey[lid][1]}
        stations, assoc, departed = [], [], []
        for c in clients:
            if rnd.random() < change:           # the walk: one step nearer or farther
                c["dist"] = min(len(BY_DISTANCE) - 1, max(0, c["dist"] + rnd.choice((-1, 1))))
            for lid in c["lids"]:                # and now and then an obstacle on one link
                if rnd.random() < change / 3:
                    c["fade"][lid] = None if c["fade"][lid] is not None else \
                        rnd.choice(LEVELS)
            if i < c["join"]:
                continue
            if c["leave"] is not None and i >= c["leave"]:
                if i == c["leave"]:
                    departed.append(c["mac"])
                continue
            assoc.append(c["mac"])
            if i in c["gaps"]:                 # re-associating: not in this station dump
                continue
            c["pkts"] += 500
            c["ret"] += 25                     # 5 % retries
            level = {lid: BY_DISTANCE[c["dist"]][LINKS[lid][0]] if c["fade"][lid] is None
                     else c["fade"][lid] for lid in c["lids"]}
            rf = {lid: LINKS[lid][2] + level[lid] for lid in c["lids"]}
            kind = c["kind"]
            if kind in ("bpi", "silent", "msl1multi", "legacy"):
                active, recent = set(c["lids"]), {}
            elif kind == "hopper":
                n, since = divmod(t * 1000, c["period"])
                two = c["lids"][-2:]
                active, recent = {two[n % 2]}, {two[(n + 1) % 2]: since}
            else:                              # one link at a time: its preferred one
                bands = {LINKS[lid][0]: lid for lid in c["lids"]}
                active, recent = {next(bands[b] for b in c["prefs"] if b in bands)}, {}
            lk = {}
            for lid, dbm in rf.items():
                if lid in active:
                    lk[str(lid)] = {"rssi": dbm, "inactive_ms": 20, "rf": dbm}
                elif lid in recent:
                    lk[str(lid)] = {"rssi": dbm, "inactive_ms": recent[lid], "rf": dbm}
                else:
                    lk[str(lid)] = {"rssi": -105, "inactive_ms": 45000, "rf": dbm}
            stations.append({"mac": c["mac"], **CAPS[kind], "prefers": c["prefs"],
                             "tx_packets": c["pkts"], "tx_retries": c["ret"], "links": lk})
        line = {"t": t, "links": links, "stations": stations, "associated": assoc}
        if departed:
            line["departed"] = departed
        lines.append(line)
    return lines


def replayed(lines):
    trace = replay.parse_trace([json.dumps(x) for x in lines], name="walk")
    return trace, replay.replay(trace)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(home())
def test_random_homes_never_strand_toggle_or_repeat(lines):
    trace, steps = replayed(lines)
    assert check(trace, steps) == []


#: counterexamples hypothesis found, kept verbatim (fixtures/steering/walks/, one drawn line per
#: line): CI starts without an example database and finds one only now and then — here every
#: run replays each of them
WALKS = sorted(p.stem for p in (TRACES / "walks").glob("*.jsonl"))


def walk(name):
    with open(TRACES / "walks" / f"{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(x) for x in fh if x.strip() and not x.startswith("#")]


@pytest.mark.parametrize("name", WALKS)
def test_the_walks_hypothesis_found(name):
    trace, steps = replayed(walk(name))
    assert check(trace, steps) == []


#: the guard each walk needs and what the checker says without it
WALK_CONTROLS = {
    # 6 GHz went off alone when a 5 GHz-only block ended while its probe read 5 GHz bad
    "foreign_5g_block": ("_probe_wait", lambda self, wanted: wanted,
                         "stranded — 02:00:00:00:7e:00 (single)"),
    # a checker case: 7e:02 is stranded only because the order keeps 5 GHz on (7e:00 would be
    # pushed onto 6 GHz, which 7e:01 needs on); without the order rule the checker says so
    "order_pinned_6g": ("_keep_order", lambda self, wanted, six: wanted,
                        "order — 5 GHz off without 6 GHz (mask 0x2) while 02:00:00:00:7e:00"),
    # a 5 GHz decision carried from a 6+5 GHz block went alone at once (a 2.4+5 GHz voter),
    # 10 s after 5 GHz came back
    "toggle_learned_5g_alone": ("_back_for_a_cooldown", lambda self, wanted: wanted,
                                "toggle — 5g off again 10s after it came back"),
}


@pytest.mark.parametrize("name", WALKS)
def test_each_walk_fails_without_its_fix(monkeypatch, name):
    attr, value, needle = WALK_CONTROLS[name]
    monkeypatch.setattr(policy._Step, attr, value)
    trace, steps = replayed(walk(name))
    found = check(trace, steps)
    assert any(needle in v for v in found), found


# ---------------------------------------------------------------------- the controls
def scenario(name, **overrides):
    trace = replay.load_trace(str(TRACES / f"{name}.jsonl"))
    return check(trace, replay.replay(trace, overrides))


#: options under which a control still reaches the case its fix is for: issue 24's wait after
#: a lifted veto also covers a client missing from one dump, and with 2.4 GHz no fallback for
#: the BPI-R4's 5 GHz link (the default) 5 GHz is never wanted off in legacy_trim
CONTROL_SET = {"missing_member": {"veto_wait": 0}, "legacy_trim": {"fallback_2g": True}}


@pytest.mark.parametrize("name", ["missing_member", "deferred_5g", "link_hopper",
                                  "legacy_trim", "mlmr_pays", "mlmr_last_link",
                                  "hostapd_refuses", "five_g_only_pinned", "walk_away",
                                  "near_far", "flapping", "hostapd_fail"])
def test_every_scenario_meets_the_property(name):
    assert scenario(name) == []


def _old_gone(self, mac, sta):
    return "missing from the station dump"


@pytest.mark.parametrize(("name", "patches", "needle"), [
    # a client missing from one dump lost its vote at once (the review's first case)
    ("missing_member", [("_Step", "_gone", _old_gone)], "veto — 6g off while 02:00:00:00:16:1a"),
    # the 5 GHz decision was thrown away with the 6 GHz block that deferred it
    ("deferred_5g", [("_Step", "_carry_deferred", lambda self: None)],
     "stranded — 02:00:00:00:16:2a (single)"),
    # one sample right after a hop made a link hopper MLMR
    ("link_hopper", [(scoring, "SIMUL_CONFIRM", 1)], "Neg-TTLM request to 02:00:00:00:16:3a"),
    # the legacy trim kept 6 GHz on and switched 5 GHz off alone
    ("legacy_trim", [("_Step", "_keep_order", lambda self, wanted, six: wanted)],
     "order — 5 GHz off without 6 GHz"),
    # multi-radio clients had no vote (nor a guard): the BPI-R4 lost its last usable link
    ("mlmr_last_link", [("_Step", "_multi_radio_keepers", lambda self, band: []),
                        ("_Step", "_last_usable", lambda self, wanted: wanted)],
     "last-link — the block takes every usable link of multi-radio 02:00:00:00:b4:6a"),
    # the pause after repeated failures never grew
    ("hostapd_refuses", [("_backoff", None, lambda base, fails, max_fails, ceiling: base)],
     "the pause did not grow"),
    # 5g_only with every link pinned still mapped Neg-TTLM
    ("five_g_only_pinned", [("_Step", "_no_neg_ttlm",
                             lambda self, mask: self.cfg.mode == "off")],
     "Neg-TTLM request in 5g_only"),
])
def test_the_property_fails_on_the_reviews_cases_without_the_fix(monkeypatch, name, patches,
                                                                 needle):
    assert scenario(name) == []
    assert scenario(name, **CONTROL_SET.get(name, {})) == []
    for target, attr, value in patches:
        if attr is None:
            monkeypatch.setattr(policy, target, value)
        elif not isinstance(target, str):   # a module global of the split policy
            monkeypatch.setattr(target, attr, value)
        else:
            monkeypatch.setattr(getattr(policy, target), attr, value)
    found = scenario(name, **CONTROL_SET.get(name, {}))
    assert any(needle in v for v in found), found
