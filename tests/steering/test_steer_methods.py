"""The API handlers linkpolicy and steering_set on the twin's UCI store."""

from __future__ import annotations

import json
import os

import pytest

from wifimgr.core.errors import InvalidArgument
from wifimgr.host.context import Context
from wifimgr.settings import steering as config
from wifimgr.steering import methods


@pytest.fixture
def ctx(twin):
    return Context.default("test")


def wifimgr_text(ctx) -> str | None:
    return ctx.system.uci.text("wifimgr")


def test_linkpolicy_on_a_fresh_router(ctx):
    out = methods.linkpolicy(ctx)
    assert out["config"] == config.DEFAULTS.as_dict()
    assert out["config_error"] is None and out["live"] is None
    assert {o["name"] for o in out["options"]} == set(config.OPTIONS)
    assert out["modes"] == ["auto", "all_on", "5g_only", "off"]
    kinds = {row["kind"] for row in out["classification"]}
    assert kinds == {"legacy", "mlsr", "emlsr", "emlmr", "mlmr"}
    json.dumps(out)


def test_steering_set_writes_and_the_next_load_sees_it(ctx):
    before = wifimgr_text(ctx)
    out = methods.steering_set(ctx, values={"mode": "5g_only", "cooldown": 60})
    assert out["ok"] is True and out["apply"] == "none" and out["error"] is None
    ops = {(c["op"], c.get("option"), c.get("value")) for c in out["changes"]}
    assert ("set", "mode", "5g_only") in ops and ("set", "cooldown", "60") in ops
    assert wifimgr_text(ctx) != before
    cfg = config.load(ctx.system.uci.load("wifimgr"))
    assert (cfg.mode, cfg.cooldown) == ("5g_only", 60)
    assert methods.linkpolicy(ctx)["config"]["mode"] == "5g_only"
    # flat options work too; setting the same value again changes nothing
    assert methods.steering_set(ctx, population="majority")["ok"]
    again = methods.steering_set(ctx, population="majority")
    assert again["ok"] and again["changes"] == []


def test_dry_run_and_bad_input_change_nothing(ctx):
    methods.steering_set(ctx, values={"mode": "auto"})
    text = wifimgr_text(ctx)
    out = methods.steering_set(ctx, values={"mode": "off"}, dry_run=True)
    assert out["ok"] and out["dry_run"] is True and out["changes"]
    assert wifimgr_text(ctx) == text
    for bad, field in (({"mode": "turbo"}, "mode"), ({"score_enable": 100}, "score_enable"),
                       ({"nope": 1}, "nope")):
        with pytest.raises(InvalidArgument) as e:
            methods.steering_set(ctx, values=bad)
        assert e.value.field == field
        assert wifimgr_text(ctx) == text
    with pytest.raises(InvalidArgument) as e:
        methods.steering_set(ctx, values={"mode": "off"}, mode="auto")
    assert e.value.field == "mode"


def test_linkpolicy_reports_a_broken_section_and_the_daemons_last_decision(ctx):
    methods.steering_set(ctx, values={"mode": "auto"})
    pkg = ctx.system.uci.load("wifimgr")
    pkg["steering"].options["interval"] = "often"
    ctx.system.uci.commit(pkg)
    out = methods.linkpolicy(ctx)
    assert out["config_error"]["field"] == "interval"
    assert out["config"] == config.DEFAULTS.as_dict()
    path = os.path.join(ctx.system.state_dir, methods.STATE_FILE)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"t": 5, "mask_on_air": 4}, fh)
    # a decision left behind by a daemon that is not running is not presented as live
    out = methods.linkpolicy(ctx)
    assert out["daemon"]["running"] is False and out["live"] is None
    # procd reports the instance (here: this very process stands in for steerd)
    with ctx.system.sim.edit() as st:
        st["procd"] = {"wifimgr": {"steerd": {"pid": os.getpid(), "command": ["x"],
                                              "started": 0}}}
    out = methods.linkpolicy(ctx)
    assert out["daemon"]["running"] is True and out["daemon"]["pid"] == os.getpid()
    assert out["live"] == {"t": 5, "mask_on_air": 4}


def test_linkpolicy_tells_a_booting_mld_from_a_missing_one(ctx, twin):
    up = methods.linkpolicy(ctx)
    assert up["mlo_ap"] == "ap-mld-1" and up["mlo_ap_configured"] == ["MT76_AP_MLD"]
    assert {ln["band"] for ln in up["links"]} == {"2g", "5g", "6g"}
    twin.reboot()                                   # configured, not up yet
    booting = methods.linkpolicy(ctx)
    assert booting["mlo_ap"] is None and booting["mlo_ap_configured"] == ["MT76_AP_MLD"]
    assert booting["links"] == [] and booting["clients"] == []
    pkg = ctx.system.uci.load("wireless")
    pkg.remove("ap_mld_1")
    ctx.system.uci.commit(pkg)
    assert methods.linkpolicy(ctx)["mlo_ap_configured"] == []


def test_linkpolicy_reports_who_voted_for_each_block_and_who_paid(ctx):
    import pathlib

    from wifimgr.steering import replay

    trace = replay.load_trace(str(pathlib.Path(__file__).resolve().parent.parent / "fixtures"
                                  / "steering" / "mlmr_pays.jsonl"))
    decision = replay.replay(trace)[-1].decision.as_dict()
    path = os.path.join(ctx.system.state_dir, methods.STATE_FILE)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"status": "running", "decision": decision}, fh)
    assert methods.linkpolicy(ctx)["blocks"] == []          # no daemon running: nothing live
    with ctx.system.sim.edit() as st:
        st["procd"] = {"wifimgr": {"steerd": {"pid": os.getpid(), "command": ["x"],
                                              "started": 0}}}
    blocks = methods.linkpolicy(ctx)["blocks"]
    assert [b["start"] for b in blocks] == sorted((b["start"] for b in blocks), reverse=True)
    newest = blocks[0]
    assert newest["bands"] == ["6g"] and newest["voted"] == {"6g": ["02:00:00:00:16:5b"]}
    assert newest["paid"][0]["mac"] == "02:00:00:00:b4:5a"
    assert newest["paid"][0]["verdict"] == "good" and newest["paid"][0]["snr_db"] == 45


def test_steering_set_takes_the_multi_radio_vote_and_refuses_a_bad_one(ctx):
    from wifimgr.surface.api import dispatch

    res = dispatch("steering_set", {"values": {"multi_radio_vote": "member", "vote_grace": 60}})
    assert res["ok"] and res["config"]["multi_radio_vote"] == "member"
    assert config.load(ctx.system.uci.load("wifimgr")).vote_grace == 60
    before = wifimgr_text(ctx)
    with pytest.raises(InvalidArgument) as e:
        methods.steering_set(ctx, values={"multi_radio_vote": "loudest"})
    assert e.value.field == "multi_radio_vote" and wifimgr_text(ctx) == before
    with pytest.raises(InvalidArgument) as e:
        methods.steering_set(ctx, values={"backoff_max": 10})
    assert e.value.field == "backoff_max" and wifimgr_text(ctx) == before
