"""Link Policy: the bands switched off for everyone, who voted for each block and who paid
(issue 17), and the multi-radio vote. The daemon's last decision is the one a replay of the
mlmr_pays scenario ends with, with one hostile name added: backend text must stay text."""

from __future__ import annotations

import pathlib

from harness import steering_decision

from wifimgr.steering import replay

TRACE = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "steering" / "mlmr_pays.jsonl"
HOSTILE = '<img src=x onerror="window.wmOwned=1">'


def test_blocks_show_who_voted_and_who_paid_as_text(browser, server, api):
    from wifimgr.host import system as system_root

    system = system_root.get_system()
    decision = replay.replay(replay.load_trace(str(TRACE)))[-1].decision.as_dict()
    decision["blocks"][-1]["paid"].append({"mac": HOSTILE, "kind": "mlmr", "band": "6g",
                                            "verdict": "good", "snr_db": 40})
    try:
        with steering_decision(system, decision):
            browser.login()
            browser.tab("linkpolicy")
            browser.wait("#wm-blocks .wm-block")
            rows = browser.finds("#wm-blocks .wm-block")
            assert len(rows) == len(decision["blocks"])
            newest = rows[0].text
            assert "02:00:00:00:16:5b" in browser.find("#wm-blocks .wm-block .wm-voted").text
            assert "02:00:00:00:b4:5a" in newest and "good, SNR 45 dB" in newest
            assert HOSTILE in newest                       # shown as the text it is …
            assert not browser.finds("#wm-blocks img")     # … never as markup
            assert browser.js("return window.wmOwned || 0") == 0
            browser.shot("linkpolicy-blocks")
            # the multi-radio vote is a choice, next to the population rule
            sel = browser.find("#wm-multi-radio-vote")
            assert sel.get_attribute("value") == "last_link"
            assert not browser.finds('#wm-thresholds [name="multi_radio_vote"]')
            browser.js("var s = arguments[0]; s.value = 'member';"
                       "s.dispatchEvent(new Event('change'))", sel)
            browser.until(lambda: api("linkpolicy")["config"]["multi_radio_vote"] == "member", 30,
                          "the vote to be saved")
    finally:
        api("steering_set", {"values": {"multi_radio_vote": None}})
