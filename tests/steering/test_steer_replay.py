"""Replay of the four scripted scenarios (issue 6 item 6), the trace format and the CLI."""

from __future__ import annotations

import importlib.util
import json
import pathlib

import pytest
from click.testing import CliRunner
from steer_samples import events, sends

from wifimgr.core.errors import InvalidArgument
from wifimgr.steering import replay
from wifimgr.steering.model import sample_from_dict, sample_to_dict
from wifimgr.surface.cli import main

HERE = pathlib.Path(__file__).resolve().parent
TRACES = HERE.parent / "fixtures" / "steering"

NEAR, FAR, MLMR = "02:00:00:00:16:0a", "02:00:00:00:16:0b", "02:00:00:00:b4:01"


def run(name: str, **overrides):
    trace = replay.load_trace(str(TRACES / f"{name}.jsonl"))
    return trace, replay.replay(trace, overrides)


def view(rs, mac):
    return next(s for s in rs.decision.stations if s.mac == mac)


def test_committed_traces_are_what_the_generator_writes():
    spec = importlib.util.spec_from_file_location("make_traces", TRACES / "make_traces.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name in mod.SCENARIOS:
        assert (TRACES / f"{name}.jsonl").read_text(encoding="utf-8") == mod.render(name), name


# ------------------------------------------------------------------------- scenarios
def test_client_walks_away_from_6g():
    _, steps = run("walk_away")
    sent = sends(steps)
    # walks away from t=100: three bad valid readings (100, 110, 120), then one block
    assert [(t, a.mask, o) for t, a, o in sent] == [(120, 0b100, "ok"), (450, 0b100, "ok")]
    # the block's expiry is the probe: links back at 430, three fresh readings, block again
    assert events(steps, "expired — links re-enabled, probing") == [430, 760]
    # during the block the client carries on over 5 GHz and nothing is re-sent
    during = [rs for rs in steps if 130 <= rs.decision.t < 430]
    assert all(rs.decision.mask_on_air == 0b100 for rs in during)
    # (usable: SNR 29 dB, but the scripted 25 % retries of the whole walk keep it from "good"
    # since issue 24 — good needs few retries, SNR alone never makes a link good)
    assert all(view(rs, "02:00:00:00:16:01").links[1].verdict == "neutral" for rs in during)
    assert all(view(rs, "02:00:00:00:16:01").links[2].verdict == "off" for rs in during)
    # 5 GHz and 2.4 GHz are never switched off; the client came back: all on at the end
    assert all(not rs.decision.mask_wanted & 0b011 for rs in steps)
    assert steps[-1].decision.mask_on_air == 0 and steps[-1].decision.mask_wanted == 0


@pytest.mark.parametrize("population", ["all", "majority"])
def test_near_and_far_clients_together(population):
    _, steps = run("near_far", population=population)
    # nobody's band is switched off for everyone: the near client keeps 6 GHz
    assert sends(steps) == []
    assert all(rs.decision.mask_on_air == 0 for rs in steps)
    assert all(view(rs, NEAR).links[2].verdict == "good" for rs in steps)
    assert all(view(rs, NEAR).steer == "attlm" and view(rs, FAR).steer == "attlm"
               for rs in steps)
    assert events(steps, f"population '{population}' keeps it on for everyone")
    # the far MLMR client is steered off 6 GHz by its own Neg-TTLM map
    reqs = sends(steps, "neg_ttlm_request")
    assert [(t, a.mac, a.tid_maps) for t, a, _ in reqs[:2]] == [
        (0, MLMR, (7, 3, 3, 7, 6, 6, 2, 2)), (30, MLMR, (3, 3, 3, 3, 2, 2, 2, 2))]
    mid = next(rs for rs in steps if rs.decision.t == 200)
    assert (view(mid, MLMR).kind, view(mid, MLMR).neg_ttlm, view(mid, MLMR).avoid) == \
        ("mlmr", "active", ("6g",))
    # its hold ends in a probe, and the still-bad link is mapped away again
    assert events(steps, "hold of 300s over — mapped back, probing") == [330]
    assert [t for t, *_ in reqs] == [0, 30, 330, 360]


def test_near_far_with_population_none_never_uses_attlm():
    _, steps = run("near_far", population="none")
    assert sends(steps) == []


def test_link_flapping_at_the_threshold():
    _, steps = run("flapping")
    assert sends(steps) == []
    assert max(view(rs, "02:00:00:00:16:0f").links[2].streak for rs in steps) == 2
    tail = [view(rs, "02:00:00:00:16:0f").links[2].verdict for rs in steps[41:]]
    assert set(tail) == {"neutral"}                 # inside the 4000..6000 hysteresis


def test_hostapd_returning_fail():
    _, steps = run("hostapd_fail")
    sent = [(t, o) for t, _, o in sends(steps)]
    assert sent == [(30, "fail"), (60, "fail"), (90, "fail"), (400, "ok")]
    # a FAIL is never taken for a block on air (mlo-steerd v0.6 trusted the exit code)
    assert all(rs.decision.mask_on_air == 0 for rs in steps if rs.decision.t <= 400)
    assert events(steps, "is NOT on air") == [40, 70, 100]
    assert events(steps, "3 failures in a row — paused for 300s") == [100]
    assert all(rs.decision.mask_on_air == 0b100 for rs in steps if rs.decision.t >= 410)


# ---------------------------------------------------------------------- trace format
LINK = '"links":{"0":{"band":"2g","freq":2462,"noise":-90},"2":{"freq":6135,"noise":-88}}'


def parse(*lines: str) -> replay.Trace:
    return replay.parse_trace(list(lines), name="t.jsonl")


def test_band_is_derived_from_the_frequency_when_absent():
    tr = parse('{"t":0,' + LINK + "}")
    assert tr.lines[0].sample.links[2].band == "6g"


@pytest.mark.parametrize(("lines", "needle"), [
    (["{not json"], "line 1: not JSON"),
    (['[1,2]'], "line 1: a trace line must be a JSON object"),
    (['{"t":0,' + LINK + "}", '{"trace":"late"}'], "line 2: a line without 't'"),
    (['{"t":5,' + LINK + "}", '{"t":5,' + LINK + "}"], "line 2: t=5 is not after t=5"),
    (['{"t":0,"links":{}}'], "line 1: sample.links: needs at least one link"),
    (['{"t":0,' + LINK + ',"stations":[{"mac":"nope"}]}'], "sample.stations[0].mac"),
    (['{"t":0,' + LINK + ',"stations":[{"mac":"02:00:00:00:00:01","links":{"2":'
      '{"rssi":"-60"}}}]}'], "sample.stations[0].links.2.rssi: must be an integer"),
    (['{"t":0,' + LINK + ',"outcomes":{"set_attlm":"maybe"}}'], "line 1.outcomes.set_attlm"),
    (['{"t":0,"links":{"0":{"freq":900}}}'], "sample.links.0.band"),
    (["# only a comment"], "no samples"),
])
def test_bad_traces_name_the_line_and_field(lines, needle):
    with pytest.raises(InvalidArgument) as e:
        parse(*lines)
    assert needle in e.value.message


def test_config_changes_in_a_trace_apply_from_that_cycle_on():
    stn = '"stations":[{"mac":"02:00:00:00:00:01","max_simul_links":1,"links":' \
          '{"2":{"rssi":-50,"inactive_ms":10}}}]'
    tr = parse('{"t":0,' + LINK + "," + stn + "}",
               '{"t":10,' + LINK + "," + stn + ',"config":{"mode":"5g_only"}}')
    steps = replay.replay(tr)
    assert steps[0].decision.actions == [] or all(a.kind != "set_attlm"
                                                  for a in steps[0].decision.actions)
    assert steps[1].config.mode == "5g_only"
    # 5g_only on an MLD without a 5 GHz link: nothing to switch off, said so
    assert any("no 5 GHz link" in e.text for e in steps[1].decision.events)
    bad = parse('{"t":0,' + LINK + ',"config":{"interval":"often"}}')
    with pytest.raises(InvalidArgument) as e:
        replay.replay(bad)
    assert "line 1" in e.value.message and e.value.field == "interval"


def test_recorded_samples_round_trip_and_are_fed_unchanged():
    _, steps = run("walk_away")
    for rs in steps[:15]:
        assert sample_from_dict(sample_to_dict(rs.sample)) == rs.sample
    # a recorded trace (readback included) replays to the same decisions
    lines = [json.dumps(sample_to_dict(rs.sample)) for rs in steps]
    again = replay.replay(replay.parse_trace(lines, name="rec"))
    assert [rs.decision.as_dict()["actions"] for rs in again] == \
        [rs.decision.as_dict()["actions"] for rs in steps]
    assert all(r.outcomes == s.outcomes for r, s in zip(again, steps, strict=True))


# ------------------------------------------------------------------------------- CLI
def test_cli_prints_the_timeline():
    res = CliRunner().invoke(main, ["steer", "replay", str(TRACES / "walk_away.jsonl")])
    assert res.exit_code == 0, res.output
    assert "[   120s] → hostapd_cli -i ap-mld-1 set_attlm disabled_links=4 switch_time=200 " \
           "duration=300000 link_mapping_size=0  [OK]" in res.output
    assert "probing" in res.output and "· " not in res.output


def test_cli_json_verbose_and_overrides():
    path = str(TRACES / "near_far.jsonl")
    res = CliRunner().invoke(main, ["steer", "replay", path, "--json"])
    assert res.exit_code == 0
    rows = [json.loads(x) for x in res.output.splitlines()]
    assert len(rows) == 60 and rows[0]["line"] == 2
    assert rows[0]["actions"][0]["kind"] == "neg_ttlm_request"
    res = CliRunner().invoke(main, ["steer", "replay", path, "-v", "--set", "mode=all_on"])
    assert res.exit_code == 0
    assert "# config: mode=all_on" in res.output and "· " in res.output
    assert "avoids 6G" not in res.output
    res = CliRunner().invoke(main, ["steer", "replay", path, "--set", "bogus=1"])
    assert res.exit_code == 1 and "unknown steering option 'bogus'" in res.output
    res = CliRunner().invoke(main, ["steer", "replay", path, "--set", "mode"])
    assert res.exit_code == 2
