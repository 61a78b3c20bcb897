"""A rollback undoes exactly the job that failed, across every package that job wrote; an
earlier job not yet confirmed healthy is kept whole; going further back undoes whole jobs
(issue 21 item 2). The station uplink writes wireless, network.wwan and a firewall zone."""

from __future__ import annotations

import json
import os
import subprocess

from wifimgr.monitor import daemon
from wifimgr.observe import events
from wifimgr.surface.api import dispatch
from wifimgr.transaction import health


def _load(path):
    with open(path) as fh:
        return json.load(fh)


STATION = {"ssid": "uplink", "encryption": "psk2", "key": "uplink-secret-1", "radio": "radio1"}


def _two_jobs(system, twin):
    """The station uplink (not yet confirmed healthy), then a network_set that fails."""
    mon = daemon.Monitor(system)
    mon.sample_once()
    first = dispatch("station", STATION)
    assert first["ok"] and first["apply"] == "reload", first
    assert {c["config"] for c in first["changes"]} == {"wireless", "network", "firewall"}
    twin.advance(5)                      # no sample in between: the first is not confirmed
    twin.fail_next_apply("default_radio1")
    second = dispatch("network_set", {"section": "default_radio1",
                                      "values": {"ssid": "New-5g"}})
    assert second["ok"], second
    chain = _load(os.path.join(system.persist_dir, "health", "pending.json"))["chain"]
    assert [e["job"] for e in chain] == [first["job"], second["job"]]
    return mon, first, second


def _has_station(system):
    return ("'uplink'" in system.uci.text("wireless"),
            system.uci.load("network").get("wwan") is not None,
            "wwan" in system.uci.text("firewall"))


def _roll(system, twin, mon):
    twin.advance(130)
    mon.sample_once()
    twin.advance(10)
    mon.sample_once()


def test_the_rollback_keeps_the_first_job_whole(reload_router, twin):
    mon, first, second = _two_jobs(reload_router, twin)
    _roll(reload_router, twin, mon)
    w = reload_router.uci.load("wireless")
    assert w["default_radio1"].get_str("ssid") != "New-5g"          # the failed job: undone
    assert _has_station(reload_router) == (True, True, True)        # the first: kept whole
    last = health.summary(reload_router)["last"]
    assert last["state"] == "rolled_back", last
    assert last["undone"] == [f"job {second['job']} (change network default_radio1: "
                              "wireless): wireless.default_radio1.ssid='New-5g'"]
    assert first["job"] in last["message"] and "kept" in last["message"]
    ev = events.read(reload_router, kinds=["rolled_back"])[0][-1]
    assert "wireless.default_radio1.ssid='New-5g'" in ev["message"]
    assert f"kept (not yet confirmed, not part of the failure): job {first['job']}" \
        in ev["message"]
    assert "uplink-secret-1" not in json.dumps(ev) and "uplink-secret-1" not in last["message"]


def test_control_the_old_last_good_rollback_strands_half_the_uplink(reload_router, twin):
    """What the issue reported: without the per-job record (a pending check as the old code
    wrote it), the rollback goes back to the last healthy wireless only — the uplink vanishes
    from wireless while network.wwan and its zone stay behind."""
    mon, _first, _second = _two_jobs(reload_router, twin)
    p = os.path.join(reload_router.persist_dir, "health", "pending.json")
    doc = _load(p)
    del doc["chain"]
    with open(p, "w") as fh:
        json.dump(doc, fh)
    _roll(reload_router, twin, mon)
    assert _has_station(reload_router) == (False, True, True)


def test_going_further_back_undoes_whole_jobs(reload_router, twin):
    """When the failed job's own `before` is refused by the rules, the rollback goes back one
    more job — the whole of it, every package it wrote."""
    mon, first, second = _two_jobs(reload_router, twin)
    p = os.path.join(reload_router.persist_dir, "health", "pending.json")
    doc = _load(p)
    pkg = reload_router.uci.load("wireless")
    extra = pkg.add("wifi-iface", "extra_ap")    # a second legacy AP on an MLO radio: refused
    for k, v in (("device", "radio0"), ("mode", "ap"), ("ssid", "Extra"), ("encryption", "sae"),
                 ("key", "0123456789abcdef"), ("network", "lan")):
        extra.set(k, v)
    doc["chain"][-1]["before"]["wireless"] = pkg.to_text()
    with open(p, "w") as fh:
        json.dump(doc, fh)
    _roll(reload_router, twin, mon)
    assert _has_station(reload_router) == (False, False, False)
    assert "extra_ap" not in reload_router.uci.text("wireless")
    last = health.summary(reload_router)["last"]
    assert [u.split(" (")[0] for u in last["undone"]] == [f"job {second['job']}",
                                                         f"job {first['job']}"]
    assert "added network.wwan (interface)" in last["undone"][1]


def test_stale_pending_temps_of_a_killed_write_are_removed(reload_router, twin):
    dead = subprocess.Popen(["true"])
    dead.wait()
    d = os.path.join(reload_router.persist_dir, "health")
    os.makedirs(d, exist_ok=True)
    stale = os.path.join(d, f".pending.json.{dead.pid}.0123abcd")
    live = os.path.join(d, f".pending.json.{os.getpid()}.0123abcd")   # a writer still running
    for f in (stale, live):
        open(f, "w").close()
    daemon.Monitor(reload_router).sample_once()
    assert not os.path.exists(stale) and os.path.exists(live)
