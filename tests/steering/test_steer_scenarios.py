"""The cases of issue 17 (an independent review of the steering policy), each replayed from its
own scenario in tests/fixtures/steering/ and checked against what a WiFi engineer expects."""

from __future__ import annotations

import pathlib

import pytest
from steer_samples import events, sends

from wifimgr.steering import replay

TRACES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "steering"


def run(name: str, **overrides):
    return replay.replay(replay.load_trace(str(TRACES / f"{name}.jsonl")), overrides)


def view(rs, mac):
    return next((s for s in rs.decision.stations if s.mac == mac), None)


def carrying(rs, mac):
    """The link ids a client carries traffic on in a replayed sample (not idle)."""
    st = next((s for s in rs.sample.stations if s.mac == mac), None)
    if st is None:
        return set()
    return {lid for lid, r in st.links.items() if r.rssi_dbm not in (None, 0, replay.IDLE_RSSI)
            and (r.inactive_ms or 0) <= 30000}


# ------------------------------------------------- one missing client lifts the veto
NEAR, FAR = "02:00:00:00:16:1a", "02:00:00:00:16:1b"


def test_a_client_missing_for_one_dump_keeps_its_veto():
    steps = run("missing_member")
    # t=100: the near client is missing from the station dump, hostapd still lists it: it is
    # re-associating and keeps its vote — 6 GHz stays on for it
    assert not [t for t, *_ in sends(steps) if t < 300]
    assert events(steps, f"client {NEAR} is missing from the station dump") == [100]
    after = next(rs for rs in steps if rs.decision.t == 110)
    assert view(after, NEAR).links[2].verdict == "good" and after.decision.mask_on_air == 0


def test_a_client_that_really_left_loses_its_vote_at_once():
    steps = run("missing_member")
    # t=300: hostapd reports it disconnected (and no longer lists it): the far client is the
    # whole population now. Its veto is lifted at once — and the block waits for fresh
    # confirmation (issue 24: veto_wait 30 s and three new readings; a phone is often back in
    # a moment under a new random MAC)
    assert events(steps, f"client {NEAR} left (hostapd: disconnected)") == [300]
    assert events(steps, f"6G: {NEAR} left — its veto is lifted") == [300]
    assert [(t, a.mask, o) for t, a, o in sends(steps)] == [(330, 0b100, "ok")]
    # without the wait (veto_wait=0, the issue-17 behaviour) it goes in that very cycle
    assert [(t, a.mask) for t, a, o in sends(run("missing_member", veto_wait=0))] == \
        [(300, 0b100)]


def test_without_the_grace_the_veto_breaks_as_the_review_found(monkeypatch):
    # the control: missing from the dump = gone (the old behaviour)
    from wifimgr.steering import policy
    monkeypatch.setattr(policy._Step, "_gone", lambda self, mac, sta: "missing")
    steps = run("missing_member", veto_wait=0)   # (the wait after a lifted veto would hide it)
    assert [t for t, *_ in sends(steps)][:1] == [100]


# ------------------------------------------ a deferred decision survives its block
PHONE2 = "02:00:00:00:16:2a"


def test_the_5g_decision_taken_during_a_6g_block_survives_its_end():
    steps = run("deferred_5g")
    masks = [(t, a.mask) for t, a, o in sends(steps)]
    # 6 GHz first (t=80); 5 GHz confirmed bad during that block (t=110) is deferred; at the
    # block's end the decision stands, 6 GHz is probed (three fresh bad readings + the
    # cooldown from the block's end) and both go off together: the client reaches 2.4 GHz
    assert masks[:2] == [(80, 0b100), (410, 0b110)]
    assert events(steps, "5G: 1/1 client(s) confirmed bad")[0] == 110
    assert events(steps, "5G: switching it off (decided during the block that just ended) "
                         "still stands") == [390]
    # issue 24: what was learned about 5 GHz carries into the next block — every later block
    # is 6+5 GHz again (it alternated 0x4, 0x6, 0x4 … before)
    assert masks[1:] == [(410, 0b110), (740, 0b110), (1070, 0b110)]
    assert events(steps, "5G: learned bad before the block that just ended") == [720, 1050]
    on_2g = [rs.decision.t for rs in steps if carrying(rs, PHONE2) == {0}]
    assert on_2g[0] == 420 and all(t in on_2g for t in range(420, 720, 10))
    # the order: 6 → 5, never 2.4 GHz; never 5 GHz without 6 GHz
    assert all(m in (0b100, 0b110) for _, m in masks)


def test_the_lone_client_is_never_on_a_bad_link_for_longer_than_one_block_and_the_probe():
    steps = run("deferred_5g")
    bad = [rs.decision.t for rs in steps if rs.decision.t >= 60 and carrying(rs, PHONE2) & {1, 2}]
    runs, start, prev = [], None, None
    for t in bad:
        if prev is None or t != prev + 10:
            if start is not None:
                runs.append(prev - start + 10)
            start = t
        prev = t
    runs.append(prev - start + 10)
    # 6 GHz confirm (30 s) + the 6 GHz block (300 s) + the probe (30 s)
    assert max(runs) <= 360, runs


# --------------------------------------------------------- link hoppers stay MLSR
FAST, SLOW, BOTH = "02:00:00:00:16:3a", "02:00:00:00:16:3b", "02:00:00:00:1a:3c"


def test_link_hoppers_are_not_taken_for_multi_radio_clients():
    steps = run("link_hopper")
    for mac in (FAST, SLOW):
        assert {view(rs, mac).kind for rs in steps} == {"mlsr"}, mac
        assert {view(rs, mac).steer for rs in steps} == {"attlm"}
    reqs = sends(steps, "neg_ttlm_request")
    assert {a.mac for _, a, _ in reqs} == {BOTH}
    # the one that really uses two links at once: MLMR after three samples in a row
    assert next(rs.decision.t for rs in steps if view(rs, BOTH).kind == "mlmr") == 20
    assert [t for t, *_ in reqs] == [20]


def test_a_single_hop_sample_was_enough_before():
    # the control: one sample of evidence (the old rule) makes both hoppers MLMR at t=0
    # and sends them requests they cannot honour
    import wifimgr.steering.scoring as scoring
    mp = pytest.MonkeyPatch()
    mp.setattr(scoring, "SIMUL_CONFIRM", 1)
    try:
        steps = run("link_hopper")
    finally:
        mp.undo()
    assert {FAST, SLOW} <= {a.mac for _, a, _ in sends(steps, "neg_ttlm_request")}


# ------------------------------------------------ a trim keeps the order 6 → 5
LAPTOP, FAR4, BPI4 = "02:00:00:00:1e:4a", "02:00:00:00:16:4b", "02:00:00:00:b4:4c"


def test_a_legacy_client_on_6g_keeps_5g_on_too():
    # (fallback_2g=1: the BPI-R4's 2.4 GHz link counts as its fallback, as before issue 24 —
    # the default keeps its 5 GHz link, below)
    steps = run("legacy_trim", fallback_2g=True)
    before = [rs for rs in steps if rs.decision.t < 300]
    # the far client is bad on 6 and 5 GHz; the legacy laptop keeps 6 GHz on — so 5 GHz
    # (which goes off only after 6 GHz) stays on as well: nobody loses 5 GHz for nothing
    assert all(rs.decision.mask_wanted == 0 for rs in before)
    assert events(steps, "5G stays on too: it goes off only after 6G, and 6G stays on")
    assert events(steps, f"6G stays on: legacy client {LAPTOP} is on it")
    # the laptop leaves (its protection lifted: fresh confirmation, veto_wait): both go off
    # together, the far client moves to 2.4 GHz
    assert [(t, a.mask) for t, a, _ in sends(steps)] == [(330, 0b110)]
    assert carrying(next(rs for rs in steps if rs.decision.t == 350), FAR4) == {0}


def test_by_default_2g_is_no_fallback_for_a_multi_radio_clients_5g():
    # issue 24: 2.4 GHz is not comparable to the BPI-R4's 5 GHz link — 5 GHz is its last usable
    # comparable link once 6 GHz goes, so only 6 GHz goes off; the far client lands on 5 GHz
    steps = run("legacy_trim")
    assert [(t, a.mask) for t, a, _ in sends(steps)] == [(330, 0b100)]
    assert any(f"multi-radio: {BPI4} SNR=" in e.text and "(its last usable link)" in e.text
               for rs in steps for e in rs.decision.events)


def test_the_block_record_names_who_voted_and_who_paid():
    steps = run("legacy_trim", fallback_2g=True)
    (blk,) = steps[-1].decision.blocks
    assert blk["mask"] == 0b110 and blk["bands"] == ["5g", "6g"]
    assert blk["voted"] == {"5g": [FAR4], "6g": [FAR4]}
    assert blk["reason"] == "population all"
    # the BPI-R4 read 5 and 6 GHz well and lost both for the block
    assert {(p["mac"], p["band"], p["verdict"]) for p in blk["paid"]} == {
        (BPI4, "5g", "good"), (BPI4, "6g", "good")}
    assert blk["start"] == 330 and blk["end"] == 630.2


# ----------------------------------------------- the vote of multi-radio clients
BPI5, FAR5 = "02:00:00:00:b4:5a", "02:00:00:00:16:5b"
BPI6, FAR6 = "02:00:00:00:b4:6a", "02:00:00:00:16:6b"


def test_a_multi_radio_client_with_other_good_links_pays_with_throughput_by_default():
    steps = run("mlmr_pays")
    # default multi_radio_vote=last_link: the BPI-R4 keeps 5 and 2.4 GHz (good), the far
    # phone would otherwise stay on a 3 dB link — 6 GHz goes off, and the record says who paid
    assert [(t, a.mask) for t, a, _ in sends(steps)][:1] == [(30, 0b100)]
    blk = steps[-1].decision.blocks[0]
    assert blk["voted"] == {"6g": [FAR5]}
    assert [(p["mac"], p["band"], p["verdict"], p["snr_db"]) for p in blk["paid"]] == [
        (BPI5, "6g", "good", 45)]
    # it keeps a usable link all along (5 and 2.4 GHz carry its traffic during the block)
    during = [rs for rs in steps if 40 <= rs.decision.t < 330]
    assert all(carrying(rs, BPI5) == {0, 1} for rs in during)


def test_with_multi_radio_vote_member_the_multi_radio_client_keeps_6g_on():
    steps = run("mlmr_pays", multi_radio_vote="member")
    assert sends(steps) == []
    assert events(steps, f"population 'all' keeps it on for everyone (multi-radio: {BPI5}")


def test_a_multi_radio_client_never_loses_its_last_usable_link():
    steps = run("mlmr_last_link")
    # its 5 GHz link reads SNR 2 dB: 6 GHz is its last usable link, so it keeps 6 GHz on
    assert sends(steps) == []
    assert events(steps, f"{BPI6} SNR=30dB (its last usable link)")
    assert all(2 in carrying(rs, BPI6) for rs in steps)


# ------------------------------------------------------------- the smaller points
def test_repeated_hostapd_failures_back_off_up_to_the_ceiling():
    steps = run("hostapd_refuses")
    tries = [t for t, _, o in sends(steps)]
    assert all(o == "fail" for *_, o in sends(steps))
    # three tries a cooldown apart, then pauses of 300, 600, 1200, 2400, 3600 (the ceiling)
    assert tries == [180, 240, 300, 660, 1320, 2580, 5040]
    assert len([t for t in tries if t < 3600]) == 6           # not ≈ 29 an hour
    assert events(steps, "7 failures in a row — paused for 3600s") == [5100]


def test_5g_only_with_every_link_pinned_maps_no_neg_ttlm():
    steps = run("five_g_only_pinned")
    assert sends(steps, "neg_ttlm_request") == []
    assert events(steps, "5g_only: every link stays on this cycle — no Neg-TTLM in this mode")
    # once the 2.4 GHz legacy client left, 2.4 GHz goes off (6 GHz stays: the TV is on it)
    assert [(t, a.mask) for t, a, _ in sends(steps)] == [(200, 0b001)]
