"""Channel advisor: the formula on its own, and on twin RF scenes with a known best channel
(the neighbours are what the twin's iwinfo scan prints, read back through the scan path)."""

from __future__ import annotations

import pytest

from support import first_run_with_country as run_first_boot  # the owner chose CZ
from wifimgr.radios import advisor
from wifimgr.surface.api import dispatch


@pytest.fixture
def up(twin, system):
    run_first_boot(system)   # country CZ, WPA3 on 6 GHz — the state a user's router is in
    twin.advance(90)
    return twin


def scene(twin, neighbours):
    base = {"security": "wpa2-psk", "key": "secret-key"}
    with twin.edit() as st:
        st["neighbours"] = [{**base, "bssid": f"02:11:22:33:44:{i:02x}", "ssid": f"N{i}", **n}
                            for i, n in enumerate(neighbours)]


# ------------------------------------------------------------------ the formula itself
def test_a_neighbour_on_the_primary_costs_more_than_one_on_a_secondary():
    info = {c: advisor.ChannelInfo(c) for c in (36, 40, 44, 48)}
    on_primary = advisor.score_block("5g", 36, [36, 40, 44, 48], info,
                                     [advisor.Neighbour("a", 36, 20, -60)])
    secondary = advisor.score_block("5g", 36, [36, 40, 44, 48], info,
                                    [advisor.Neighbour("a", 44, 20, -60)])
    assert on_primary.score == 100 - advisor.NEIGHBOUR_PTS            # 70
    assert secondary.score == round(100 - advisor.NEIGHBOUR_PTS * advisor.SECONDARY_FACTOR)
    assert "on the primary" in on_primary.reasons[0] and "overlapping" in secondary.reasons[0]


def test_noise_busy_and_dfs_are_charged_as_documented():
    info = {52: advisor.ChannelInfo(52, dfs=True, cac_s=60, noise_dbm=-85, busy_pct=50.0)}
    c = advisor.score_block("5g", 52, [52], info, [])
    # 2 points per dB above -95, 0.4 per busy %, 8 for DFS
    assert c.score == 100 - 20 - 20 - 8 and c.cls == "weak"
    assert c.dfs and c.cac_s == 60
    weather = {120: advisor.ChannelInfo(120, dfs=True, cac_s=600)}
    assert advisor.score_block("5g", 120, [120], weather, []).score == 100 - 8 - 10


def test_24ghz_channels_overlap_up_to_four_apart():
    info = {c: advisor.ChannelInfo(c) for c in range(1, 14)}
    n = [advisor.Neighbour("a", 6, 20, -60)]
    scores = {c: advisor.score_block("2g", c, [c], info, n).score for c in (6, 8, 10, 11)}
    assert scores[6] < scores[8] < scores[10] < scores[11] == 100


def test_a_weak_far_network_counts_less_than_a_loud_one():
    info = {36: advisor.ChannelInfo(36)}
    far = advisor.score_block("5g", 36, [36], info, [advisor.Neighbour("a", 36, 20, -85)])
    near = advisor.score_block("5g", 36, [36], info, [advisor.Neighbour("a", 36, 20, -50)])
    assert near.score < far.score < 100
    gone = advisor.score_block("5g", 36, [36], info, [advisor.Neighbour("a", 36, 20, -95)])
    assert gone.score == 100


# ------------------------------------------------------------------ twin scenes
def test_24ghz_scene_picks_the_free_end_of_the_band(up, system):
    scene(up, [{"band": "2g", "channel": 1, "width": 20, "signal": -48},
               {"band": "2g", "channel": 6, "width": 20, "signal": -52},
               {"band": "2g", "channel": 4, "width": 20, "signal": -70}])
    r = dispatch("advise", {"radio": "radio0", "width": 20})
    assert r["networks_seen"] == 3 and r["width_mhz"] == 20
    assert r["top"][0]["channel"] == 11 and r["top"][0]["class"] == "good"
    assert [c["channel"] for c in r["top"]] == [11, 12, 13]
    assert r["current"] == 6 and r["current_score"] < 40   # sits on a loud neighbour


def test_5ghz_scene_avoids_the_crowded_blocks_at_80mhz(up, system):
    scene(up, [{"band": "5g", "channel": 36, "width": 80, "signal": -50},
               {"band": "5g", "channel": 56, "width": 80, "signal": -55},
               {"band": "5g", "channel": 104, "width": 80, "signal": -58},
               {"band": "5g", "channel": 132, "width": 40, "signal": -52}])
    r = dispatch("advise", {"radio": "radio1", "width": 80})
    best = r["top"][0]
    # 116-128 is the only quiet 80 MHz block left in CZ; it is DFS (weather radar: 10 min CAC)
    assert best["channels"] == [116, 120, 124, 128]
    assert best["dfs"] and best["cac_s"] == 600
    assert any("CAC" in x for x in best["reasons"])
    # the three suggestions are three different blocks
    assert len({tuple(c["channels"]) for c in r["top"]}) == 3


def test_6ghz_scene_moves_away_from_a_loud_320mhz_neighbour(up, system):
    scene(up, [{"band": "6g", "channel": 37, "width": 160, "signal": -50}])
    r = dispatch("advise", {"radio": "radio2", "width": 160})
    assert r["current"] == 37 and r["current_score"] <= 70
    assert r["top"][0]["channels"][0] in (1, 65) and r["top"][0]["class"] == "good"
    assert not any(37 in c["channels"] for c in r["top"][:2])


def test_applying_a_suggestion_is_an_ordinary_radio_set(up, system):
    scene(up, [{"band": "2g", "channel": 1, "width": 20, "signal": -48},
               {"band": "2g", "channel": 6, "width": 20, "signal": -52}])
    top = dispatch("advise", {"radio": "radio0", "width": 20})["top"][0]
    res = dispatch("radio_set", {"radio": "radio0", "channel": str(top["channel"]),
                                 "htmode": "EHT20"})
    assert res["ok"], res
    up.advance(90)
    again = dispatch("advise", {"radio": "radio0"})
    assert again["current"] == top["channel"] and again["current_score"] is not None


def test_bad_input_is_refused(up, system):
    assert dispatch("advise", {"radio": "radio9"})["error"]["field"] == "radio"
    assert dispatch("advise", {})["error"]["field"] == "radio"
    assert dispatch("advise", {"radio": "radio1", "width": 30})["error"]["field"] == "width"
    e = dispatch("advise", {"radio": "radio1", "width": 320})
    assert e["error"]["field"] == "width" and "narrower" in e["error"]["message"]


def test_cli_prints_the_three_suggestions(up, system, capsys):
    from click.testing import CliRunner

    from wifimgr.surface.cli import main

    out = CliRunner().invoke(main, ["advise", "radio1"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith("radio1 (5g, ") and lines[1].split()[:3] == ["CHANNEL", "SCORE",
                                                                          "CLASS"]
    assert len([ln for ln in lines[2:] if ln[:1].isdigit()]) == 3
