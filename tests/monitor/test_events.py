"""The event timeline: one record() for every caller, bounded, filtered, apply outcomes kept
across a reboot."""

from __future__ import annotations

import os

import pytest

from wifimgr.observe import events
from wifimgr.settings import monitor as config
from wifimgr.surface.api import dispatch


def test_record_and_read(router):
    events.record(router, "client_joined", "phone joined", subject="02:00:00:00:00:01",
                  mac="02:00:00:00:00:01")
    events.record(router, "radar", "radar on 5260 MHz", subject="phy0.1-ap0", freq_mhz=5260)
    with pytest.raises(ValueError):
        events.record(router, "no_such_kind", "x")
    # (the router fixture's first-run defaults already recorded their apply)
    assert dispatch("events", {})["events"][0]["kind"] == "config_applied"
    reply = dispatch("events", {"kind": "clients,radio"})
    assert [e["kind"] for e in reply["events"]] == ["client_joined", "radar"]
    assert reply["events"][0]["t"] <= reply["events"][1]["t"]
    assert dispatch("events", {"kind": "radio"})["matched"] == 1          # a group
    assert dispatch("events", {"kind": "radar,client_left"})["matched"] == 1
    assert dispatch("events", {"subject": "02:00:00:00:00:01"})["matched"] == 1
    router.sim.advance(60)
    events.record(router, "channel", "radio1 moved")
    assert dispatch("events", {"since": -5})["matched"] == 1
    assert dispatch("events", {"since": int(router.clock()) + 10})["matched"] == 0
    bad = dispatch("events", {"kind": "nonsense"})
    assert bad["error"]["field"] == "kind" and "client_joined" in bad["error"]["message"]
    assert dispatch("events", {"limit": 0})["error"]["field"] == "limit"


def test_timeline_is_bounded(router, monkeypatch):
    config.ensure_section(router)
    pkg = router.uci.load("wifimgr")
    pkg["monitor"].set("events", "50")
    router.uci.commit(pkg)
    monkeypatch.setattr(events, "MIN_CUT_BYTES", 2000)
    for i in range(400):
        events.record(router, "client_left", f"client {i} left " + "x" * 40)
    size = os.path.getsize(events.path(router))
    assert size <= 50 * events.BYTES_PER_EVENT + 200      # cut back to 50 lines past that
    evs, total = events.read(router, kinds=["client_left"], limit=1000)
    assert 50 <= total < 400 and evs[-1]["message"].startswith("client 399 left")


def test_apply_outcomes_survive_a_reboot(router, twin):
    events.record(router, "rolled_back", "rolled back to the last good configuration")
    events.record(router, "client_joined", "phone joined")
    twin.reboot()                      # /tmp is gone, /etc/wifimgr stays
    kinds = [e["kind"] for e in dispatch("events", {})["events"]]
    assert "rolled_back" in kinds and "client_joined" not in kinds


def test_hostile_text_stays_text(router):
    evil = '<img src=x onerror=alert(1)>\n"}\x00'
    events.record(router, "client_joined", f"{evil} joined", subject=evil)
    (ev,) = dispatch("events", {"kind": "client_joined"})["events"]
    assert ev["message"] == f"{evil} joined" and ev["subject"] == evil
