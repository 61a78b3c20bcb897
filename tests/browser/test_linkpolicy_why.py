"""Link Policy: why each band went off, stays on or waits (issue 24) — the rule, who voted with
the reading and its rule, who vetoed and why — from the daemon's last decision (a replay of the
mlmr_missing_last_link scenario, with one hostile name added: backend text stays text); the
blocks list the readings and the rule too, and the new options are in the thresholds form."""

from __future__ import annotations

import pathlib

from harness import steering_decision

from wifimgr.host import system as system_root
from wifimgr.steering import replay

FIX = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "steering"
HOSTILE = '<img src=x onerror="window.wmOwned=1">'
BPI, FAR = "02:00:00:00:24:91", "02:00:00:00:24:92"


def test_the_last_cycle_is_explained_as_text(browser, server, api):

    system = system_root.get_system()
    steps = replay.replay(replay.load_trace(str(FIX / "fresh" / "mlmr_missing_last_link.jsonl")))
    decision = next(rs.decision for rs in steps if rs.decision.t == 40).as_dict()
    (six,) = [e for e in decision["explain"] if e["band"] == "6g"]
    assert six["decision"] == "stays on" and six["vetoed"][0]["mac"] == BPI
    six["voted"].append({"mac": HOSTILE, "verdict": "bad", "rule": "hard_low", "why": HOSTILE})
    # a block with its rule and readings (from the fallback_2g variant, where 6 GHz goes off)
    other = replay.replay(replay.load_trace(str(FIX / "fresh" / "mlmr_2g_fallback_allowed.jsonl")))
    decision["blocks"] = other[-1].decision.as_dict()["blocks"]
    with steering_decision(system, decision):
        browser.login()
        browser.tab("linkpolicy")
        browser.wait("#wm-why .wm-why-row")
        row = browser.find('#wm-why .wm-why-row[data-band="6g"]').text
        assert "stays on" in row and "population all: 1/2 voting clients confirmed bad" in row
        assert FAR in row and "score=3350 < 4000" in row and "(rule: score_disable)" in row
        assert BPI in row and "its last usable link" in row and "missing from this dump" in row
        assert HOSTILE in row                          # shown as the text it is …
        assert not browser.finds("#wm-why img")        # … never as markup
        assert browser.js("return window.wmOwned || 0") == 0
        block = browser.find("#wm-blocks .wm-block .wm-voted").text
        assert "rule: population all: 1/1 voting clients confirmed bad 3x within 60s" in block
        assert "02:00:00:00:24:a2" in block and "score=3350 < 4000" in block
        browser.shot("linkpolicy-why")
        browser.find("#wm-thresholds-box summary").click()
        for name in ("fallback_2g", "retries_bad", "confirm_window", "veto_wait"):
            assert browser.finds(f'#wm-thresholds [name="{name}"]'), name
