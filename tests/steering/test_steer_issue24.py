"""Issue 24's smaller findings, each with its control: readings bounded in time, the monotonic
clock, an unreadable get_attlm in a recorded trace, the multi-radio veto of a client missing
from one dump, the 2.4 GHz fallback rule, the new options' validation, and the state updated in
place."""

from __future__ import annotations

import json
import time

import pytest
from steer_samples import BPI_STA, IPHONE, Runner, links, station, with_cfg

from wifimgr.core.errors import InvalidArgument
from wifimgr.core.record import replace
from wifimgr.steering import daemon as steerd
from wifimgr.steering import policy, replay, voting
from wifimgr.steering.model import (
    AttlmState,
    Sample,
    StationSample,
    sample_from_dict,
    sample_to_dict,
)

FAR, NEAR, BPI = "02:00:00:00:16:01", "02:00:00:00:16:02", "02:00:00:00:b4:01"


def far():
    return station(FAR, IPHONE, {0: None, 1: None, 2: 1})   # on 6 GHz, its other links idle


# ------------------------------------------------------------ N readings bounded in time
def test_bad_readings_around_a_stall_do_not_confirm():
    r = Runner()
    r.run(2, [far()])                       # two bad readings (t=0, 10)
    r.t += 380                              # a 390 s sampling stall
    d = r.step([far()])                     # the third reading, t=400
    assert d.mask_wanted == 0 and not [a for a in d.actions if a.kind == "set_attlm"]
    assert [r.step([far()]).mask_wanted for _ in range(2)] == [0, 0b100]   # fresh 3rd at 420
    # the control: a window wide enough to span the stall confirms at t=400 (the old rule)
    r = Runner(with_cfg(confirm_window=600))
    r.run(2, [far()])
    r.t += 380
    assert r.step([far()]).mask_wanted == 0b100


def test_confirm_window_default_and_validation():
    assert with_cfg().window() == 60                       # 2 × bad_confirm × interval
    assert with_cfg(interval=60).window() == 360
    assert with_cfg(confirm_window=45).window() == 45
    with pytest.raises(InvalidArgument) as e:
        with_cfg(confirm_window=15)                         # 3 readings need 20 s
    assert e.value.field == "confirm_window" and "nothing would ever be confirmed" in \
        e.value.message
    with pytest.raises(InvalidArgument) as e:
        with_cfg(retries_bad=15)
    assert e.value.field == "retries_bad"
    with pytest.raises(InvalidArgument) as e:
        with_cfg(veto_wait=601)
    assert e.value.field == "veto_wait"


# -------------------------------------------------------------------- the monotonic clock
def _sample(t: float, mono: float, attlm: AttlmState, st) -> Sample:
    return Sample(t=t, mono=mono, links=links(), stations=tuple(st), attlm=attlm,
                  btwt_ids=frozenset({1, 2}))


def _block_with_wall_step(step_s: float, use_mono: bool):
    """A far phone gets 6 GHz off; the wall clock steps by ``step_s`` mid-block."""
    cfg, state, events, sends = with_cfg(), None, [], []
    block_until = None
    results: dict[str, str] = {}
    for i in range(40):
        mono = 1000.0 + 10 * i
        wall = 1_700_000_000.0 + 10 * i + (step_s if i >= 10 else 0)
        attlm = AttlmState(True, 0b100, int((block_until - mono) * 1000)) \
            if block_until is not None and mono < block_until else AttlmState(False)
        s = _sample(wall, mono if use_mono else None, attlm, [far()])
        s = replace(s, results=results)
        d = policy.step(cfg, state, s)
        state, results = d.state, {}
        for a in d.actions:
            results[a.key] = "ok"
            if a.kind == "set_attlm":
                sends.append(i)
                block_until = mono + 300.2
        events += [e.text for e in d.events if e.kind == "event"]
    return events, sends


def test_a_wall_clock_step_neither_expires_nor_adopts_our_block():
    events, sends = _block_with_wall_step(3600, use_mono=True)
    assert not [e for e in events if "adopted" in e]
    assert sends == [2, 35]                 # one block, its expiry after 300 s, then the next
    # the control: on the wall clock the step "expires" our block and adopts it back
    events, _ = _block_with_wall_step(3600, use_mono=False)
    assert [e for e in events if "expired" in e] and [e for e in events if "adopted" in e]


def test_a_wall_clock_step_back_keeps_the_state():
    _events, sends = _block_with_wall_step(-7200, use_mono=True)
    assert sends == [2, 35]
    with pytest.raises(InvalidArgument):    # the control: the wall clock alone goes back
        _block_with_wall_step(-7200, use_mono=False)


def test_the_daemon_hands_the_policy_a_monotonic_clock(twin):
    from wifimgr.host.context import Context

    ctx = Context.default("test")
    d = steerd.Daemon(ctx.system)
    assert d.monotonic() == ctx.system.clock()          # the twin's clock is monotonic there
    d.sys = replace(ctx.system, clock=time.time, monotonic=time.monotonic)
    assert abs(d.monotonic() - time.monotonic()) < 5     # a real router: CLOCK_MONOTONIC


# --------------------------------------------------- an unreadable get_attlm, recorded
def test_a_recorded_sample_without_a_readable_attlm_stays_recorded(tmp_path):
    s = Sample(t=10, links=links(), stations=(far(),), attlm=None)
    d = sample_to_dict(s)
    assert "attlm" in d and d["attlm"] is None
    assert sample_from_dict(json.loads(json.dumps(d))).attlm is None
    path = tmp_path / "rec.jsonl"
    path.write_text("".join(json.dumps({**d, "t": t}) + "\n" for t in (10, 20)),
                    encoding="utf-8")
    trace = replay.load_trace(str(path))
    assert all(line.recorded for line in trace.lines)
    # fed as it is: no simulated hostapd answered for it (its attlm stays unread)
    assert all(rs.sample.attlm is None for rs in replay.replay(trace))
    # the control: the old writer dropped the key, and the line replayed as a scripted one
    old = {k: v for k, v in d.items() if k != "attlm"}
    path.write_text(json.dumps(old) + "\n", encoding="utf-8")
    assert replay.replay(replay.load_trace(str(path)))[0].sample.attlm is not None


# ------------------------------------- the multi-radio veto through a missing dump
def _missing_bpi(monkeypatch=None):
    bpi = station(BPI, BPI_STA, {0: 30, 1: -3, 2: 30})     # 6 GHz: its last comparable link
    r = Runner(answers=[BPI])
    r.run(2, [bpi, far()])
    # one dump misses the BPI-R4 while hostapd lists it; the far phone's 3rd bad reading
    return r.step([far()], associated=frozenset({BPI, FAR}))


def test_a_multi_radio_client_missing_from_one_dump_keeps_its_last_link(monkeypatch):
    d = _missing_bpi()
    assert not d.mask_wanted & 0b100
    assert any("multi-radio" in e.text and BPI in e.text for e in d.events)
    # the control: without what it read before the dump, it has no veto and 6 GHz goes
    real = voting.Voting.usable_links
    monkeypatch.setattr(voting.Voting, "usable_links",
                        lambda self, mac, comparable=True: real(self, mac, comparable=comparable)
                        if mac in self.reads else [])
    assert _missing_bpi().mask_wanted & 0b100


def test_2g_is_a_fallback_only_when_the_owner_says_so():
    bpi = station(BPI, BPI_STA, {0: 30, 1: -3, 2: 30})
    r = Runner(answers=[BPI])
    assert all(not d.mask_wanted for d in r.run(5, [bpi, far()]))
    r = Runner(with_cfg(fallback_2g=True), answers=[BPI])
    assert r.run(5, [bpi, far()])[-1].mask_wanted == 0b100


# ------------------------------------------------------------- the state, updated in place
def test_step_in_place_updates_the_state_it_was_given():
    r = Runner()
    r.run(2, [far()])
    st = r.state
    s = Sample(t=r.t + 10, links=links(), stations=(far(),), attlm=AttlmState(False))
    d = policy.step(with_cfg(), st, s, in_place=True)
    assert d.state is st and st.t == r.t + 10


# ------------------------------------------------------------------ each decision explained
def test_replay_v_and_the_decision_explain_who_voted_who_vetoed_which_reading_which_rule():
    import pathlib

    fresh = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "steering" / "fresh"
    trace = replay.load_trace(str(fresh / "mlmr_missing_last_link.jsonl"))
    steps = replay.replay(trace)
    d = next(rs.decision for rs in steps if rs.decision.t == 40)
    (six,) = [e for e in d.explain if e["band"] == "6g"]
    assert six["decision"] == "stays on"
    assert six["rule"] == "population all: 1/2 voting clients confirmed bad 3x"
    assert six["voted"] == [{"mac": "02:00:00:00:24:92", "verdict": "bad",
                             "rule": "score_disable",
                             "why": "score=3350 < 4000 (SNR=3dB ret=25% busy=20%)"}]
    (veto,) = six["vetoed"]
    assert veto["mac"] == "02:00:00:00:24:91" and "missing from this dump" in veto["why"]
    assert veto["rule"] == "multi_radio_vote=last_link"
    text = replay.timeline(trace, steps, verbose=True)
    assert "? why 6G stays on: rule population all: 1/2 voting clients confirmed bad 3x; " \
           "voted: 02:00:00:00:24:92 bad: score=3350 < 4000" in text
    assert "? why" not in replay.timeline(trace, steps)          # only with -v
    # a block carries its rule and the voters' readings (the Link Policy view shows them)
    trace = replay.load_trace(str(fresh / "mlmr_2g_fallback_allowed.jsonl"))
    blk = replay.replay(trace)[-1].decision.blocks[-1]
    assert blk["rules"]["6g"].startswith("population all: 1/1 voting clients confirmed bad 3x")
    assert blk["readings"]["6g"][0]["why"].startswith("score=3350 < 4000")


@pytest.mark.parametrize("rssi", [None, 0, -105, -93, -92, -91, -60])
@pytest.mark.parametrize("inactive", [None, -1, 0, 30000, 30001])
def test_the_policys_validity_gate_is_the_metrics_one(rssi, inactive):
    from wifimgr.steering import metrics
    from wifimgr.steering.model import LinkReading

    s = Sample(t=0, links=links(), stations=(StationSample(
        mac=FAR, mld=True, max_simul_links=1, links={2: LinkReading(rssi, inactive)}),))
    view = policy.step(with_cfg(), None, s).stations[0].links[2]
    ok = metrics.reading_valid(rssi, inactive, floor_dbm=-92, inactive_max_ms=30000)
    assert (view.snr_db is not None) is ok


def test_replay_without_the_per_client_detail_decides_the_same():
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "steering"
    for path in sorted(root.glob("*.jsonl")) + sorted((root / "fresh").glob("*.jsonl")):
        if path.stem.startswith("crowd"):
            continue                                       # (the same code, just slower)
        trace = replay.load_trace(str(path))
        full, lean = replay.replay(trace), replay.replay(trace, detail=False)

        def key(steps):
            return [(rs.decision.mask_on_air, rs.decision.mask_wanted, rs.outcomes,
                     [a.as_dict() for a in rs.decision.actions],
                     [e.text for e in rs.decision.events if e.kind == "event"])
                    for rs in steps]

        assert key(full) == key(lean), path.name
        assert (not lean[-1].decision.stations and full[-1].decision.stations) or \
            not full[-1].sample.stations
