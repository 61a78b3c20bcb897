"""The fresh scenarios of issue 24 (tests/fixtures/steering/fresh/, written by make_fresh.py):
each header states its expectation; this replays every scenario and checks it. The expectations
were committed before the first run (git history)."""

from __future__ import annotations

import importlib.util
import json
import pathlib

import pytest
from steer_check import check

from wifimgr.steering import replay

FIX = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "steering"
FRESH = FIX / "fresh"
NAMES = sorted(p.stem for p in FRESH.glob("*.jsonl"))


def _gen():
    spec = importlib.util.spec_from_file_location("make_fresh", FIX / "make_fresh.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def header(name: str) -> dict:
    with open(FRESH / f"{name}.jsonl", encoding="utf-8") as fh:
        return json.loads(fh.readline())


def judge(name: str, trace=None, steps=None) -> list[str]:
    """What in the replay of ``name`` contradicts its written expectation (empty: none)."""
    exp = header(name)["expect"]
    if trace is None:
        trace = replay.load_trace(str(FRESH / f"{name}.jsonl"))
        steps = replay.replay(trace)
    bad: list[str] = []
    bits = {"2g": 0b001, "5g": 0b010, "6g": 0b100}
    sent = [(rs.decision.t, a.mask) for rs in steps for a in rs.decision.actions
            if a.kind == "set_attlm" and rs.outcomes.get(a.key) == "ok"]
    air = [(rs.decision.t, rs.decision.mask_on_air) for rs in steps]
    evs = [(rs.decision.t, e.text) for rs in steps for e in rs.decision.events
           if e.kind == "event"]
    for band in exp.get("never_off", []):
        hit = [t for t, m in sent + air if m & bits[band]]
        if hit:
            bad.append(f"{band} off at t={hit[0]:g}")
    if "off" in exp:
        o = exp["off"]
        ts = [t for t, m in air if m & bits[o["band"]]]
        if not ts or ts[0] > o["by"] + 10:
            bad.append(f"{o['band']} not off by t={o['by']} (first on air: {ts[:1]})")
        first_sent = [t for t, m in sent if m & bits[o["band"]]]
        if first_sent and first_sent[0] < o.get("after", 0):
            bad.append(f"{o['band']} sent at t={first_sent[0]:g}, before {o['after']}")
    if exp.get("no_attlm") and sent:
        bad.append(f"set_attlm sent: {sent[:3]}")
    if "masks" in exp:
        odd = [(t, m) for t, m in sent if m not in exp["masks"]]
        if odd:
            bad.append(f"unexpected masks {odd[:3]}")
    if exp.get("no_return_to_6g_only"):
        masks = [m for _, m in sent]
        if 0b110 in masks and 0b100 in masks[masks.index(0b110):]:
            bad.append(f"blocks alternate: {[hex(m) for m in masks]}")
    if "max_sends" in exp and len(sent) > exp["max_sends"]:
        bad.append(f"{len(sent)} set_attlm sent (at most {exp['max_sends']})")
    if "avoids" in exp:
        mac, band, by = exp["avoids"]
        ok = any(band in s.avoid for rs in steps if rs.decision.t <= by
                 for s in rs.decision.stations if s.mac == mac)
        if not ok:
            bad.append(f"{mac} does not avoid {band} by t={by}")
    if "requests_after" in exp:
        mac, t0 = exp["requests_after"]
        if not [1 for rs in steps if rs.decision.t > t0 for a in rs.decision.actions
                if a.kind == "neg_ttlm_request" and a.mac == mac]:
            bad.append(f"no Neg-TTLM request to {mac} after t={t0}")
    for needle in exp.get("no_events", []):
        hit = [t for t, text in evs if needle in text]
        if hit:
            bad.append(f"event {needle!r} at t={hit[0]:g}")
    if "block_lasts" in exp:
        sent_at = [rs.sample.clock for rs in steps for a in rs.decision.actions
                   if a.kind == "set_attlm"]
        for rs in steps:
            if any("expired — links" in e.text for e in rs.decision.events):
                before = [c for c in sent_at if c < rs.sample.clock]
                if not before or rs.sample.clock - before[-1] < exp["block_lasts"]:
                    bad.append(f"a block expired at t={rs.decision.t:g}, sooner than "
                               f"{exp['block_lasts']}s after it was sent")
    if exp.get("checker"):
        bad += [f"checker: {v}" for v in check(trace, steps)[:3]]
    return bad


def test_the_files_are_current():
    mod = _gen()
    assert sorted(mod.SCENARIOS) == NAMES
    for name in NAMES:
        assert (FRESH / f"{name}.jsonl").read_text(encoding="utf-8") == mod.render(name), name


def test_at_least_twenty_with_a_written_expectation():
    assert len(NAMES) >= 20
    for name in NAMES:
        h = header(name)
        assert h["expect"] and len(h["expect_text"]) > 20, name


@pytest.mark.parametrize("name", NAMES)
def test_fresh_scenario(name):
    assert judge(name) == []
