"""Reads served from the monitor's sample (issue 25, monitor/replies.py): no command on a fresh
sample, live (with commands) when it is stale, missing, unwanted or outdated by a write — and
the reply equal to the live one on the same twin state."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from wifimgr.host.context import Context
from wifimgr.monitor import daemon as monitor
from wifimgr.monitor import replies
from wifimgr.surface import api

SERVED = replies.SERVED


def _counting(system, monkeypatch):
    """Every command and bus call the twin is asked for, per method."""
    calls: list[str] = []
    real_run, real_call = system.run.run, system.bus.call

    def run(argv, **kw):
        calls.append(" ".join(argv))
        return real_run(argv, **kw)

    def call(obj, method, args=None, **kw):
        calls.append(f"ubus {obj} {method}")
        return real_call(obj, method, args, **kw)

    monkeypatch.setattr(system.run, "run", run)
    monkeypatch.setattr(system.bus, "call", call)
    return calls


def _strip(reply):
    return {k: v for k, v in reply.items() if k not in ("source", "age")}


def _wanted_sample(router):
    """A page reads every served method once (live), then the monitor samples."""
    for name in SERVED:
        assert api.dispatch(name, {}, context=Context(system=router))["source"] == "live"
    monitor.once(router)


def test_registry_and_plugin_agree(repo_root):
    assert tuple(api.SERVED) == replies.SERVED
    # the monitor makes the replies with the registry's own handlers
    assert {name: api.METHODS[name].handler for name in replies.SERVED} == replies.HANDLERS
    text = (repo_root / "rpcd" / "wifimgr").read_text()
    assert f"SERVED = {replies.SERVED!r}" in text


@pytest.mark.parametrize("name", SERVED)
def test_fresh_sample_spawns_nothing(router, monkeypatch, name):
    _wanted_sample(router)
    calls = _counting(router, monkeypatch)
    reply = api.dispatch(name, {}, context=Context(system=router))
    assert reply["source"] == "sample" and reply["age"] == 0
    assert calls == [], calls


@pytest.mark.parametrize("name", SERVED)
def test_stale_sample_reads_live(router, twin, monkeypatch, name):
    """The control: one interval (+ grace) later the same call runs commands again."""
    _wanted_sample(router)
    twin.advance(10 + replies.GRACE_S + 1)
    calls = _counting(router, monkeypatch)
    reply = api.dispatch(name, {}, context=Context(system=router))
    assert reply["source"] == "live" and reply["age"] == 0
    assert calls, "a stale sample must not be served"


@pytest.mark.parametrize("name", SERVED)
def test_sample_reply_equals_live(router, name):
    _wanted_sample(router)
    ctx = Context(system=router)
    served = api.dispatch(name, {}, context=ctx)
    assert served["source"] == "sample"
    replies.invalidate(router.state_dir)
    live = api.dispatch(name, {}, context=ctx)
    assert live["source"] == "live"
    assert _strip(served) == _strip(live)


def test_no_page_open_no_replies(router, monkeypatch):
    """Nobody read: the monitor makes no reply (it costs what it did); the first read is live."""
    monitor.once(router)
    import os

    d = replies.folder(router.state_dir)
    assert not (os.path.isdir(d) and [n for n in os.listdir(d) if n.endswith(".json")])
    calls = _counting(router, monkeypatch)
    assert api.dispatch("status", {}, context=Context(system=router))["source"] == "live"
    assert calls


def test_a_write_or_a_config_change_is_never_hidden(router, twin, monkeypatch):
    _wanted_sample(router)
    ctx = Context(system=router)
    assert api.dispatch("networks", {}, context=ctx)["source"] == "sample"
    res = api.dispatch("network_set", {"section": "default_radio0",
                                       "values": {"ssid": "Renamed"}}, context=ctx)
    assert res["ok"], res
    after = api.dispatch("networks", {}, context=ctx)
    assert after["source"] == "live"
    assert any(n["ssid"] == "Renamed" for n in after["networks"])
    # a change by someone else (LuCI's own pages, uci): the file's mtime differs
    _wanted_sample(router)
    assert api.dispatch("networks", {}, context=ctx)["source"] == "sample"
    pkg = router.uci.load("wireless")
    pkg["default_radio0"].set("ssid", "ByHand")
    router.uci.commit(pkg)
    assert api.dispatch("networks", {}, context=ctx)["source"] == "live"
    # the twin told to do something (a station joins): its state file changed
    _wanted_sample(router)
    twin.add_station(mac="02:aa:00:00:00:01", kind="mlsr")
    assert api.dispatch("clients", {}, context=ctx)["source"] == "live"


@pytest.mark.parametrize("record", [("health", "rollback.json"), ("outside.json",)])
def test_a_rollback_job_or_an_outside_write_is_never_hidden(router, record):
    """A rollback a kill left half done, or the record of an unsafe config written from
    outside (both written by the monitor or a plugin call between samples): ``status`` reads
    live until the next sample."""
    import os
    import pathlib

    _wanted_sample(router)
    ctx = Context(system=router)
    assert api.dispatch("status", {}, context=ctx)["source"] == "sample"
    path = pathlib.Path(router.persist_dir, *record)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert api.dispatch("status", {}, context=ctx)["source"] == "live"


def test_twin_clock_without_the_twin(twin):
    _state_dir, clock = replies.locate()
    assert clock() == twin.now()
    twin.unfreeze()
    assert abs(clock() - twin.now()) < 1.0


def test_arguments_or_unknown_methods_are_never_served(router):
    _wanted_sample(router)
    assert replies.serve("status", {"x": 1}, router.state_dir, router.clock) is None
    assert replies.serve("scan", {}, router.state_dir, router.clock) is None
    assert replies.serve("status", {"ubus_rpc_session": "abc"}, router.state_dir,
                         router.clock) is not None


def _plugin(repo_root, method, *flags):
    return subprocess.run([sys.executable, *flags, str(repo_root / "rpcd" / "wifimgr"), "call",
                           method], input="{}", capture_output=True, text=True, timeout=60,
                          check=False)


@pytest.mark.parametrize("name", SERVED)
def test_plugin_serves_the_sample_importing_almost_nothing(repo_root, router, name):
    """rpcd's exec of the plugin on a fresh sample: the reply from the sample, and no module
    imported beyond json, os and monitor.replies (no wifimgr.api, no platform, no parsers)."""
    _wanted_sample(router)
    res = _plugin(repo_root, name, "-X", "importtime")
    assert res.returncode == 0, res.stdout + res.stderr
    reply = json.loads(res.stdout)
    assert reply["source"] == "sample", reply.get("source")
    loaded = {line.rsplit("|", 1)[1].strip() for line in res.stderr.splitlines()
              if line.startswith("import time:") and "|" in line}
    ours = {m for m in loaded if m.startswith("wifimgr")}
    assert ours == {"wifimgr", "wifimgr.monitor", "wifimgr.monitor.replies"}, sorted(ours)
    assert loaded.isdisjoint({"typing", "dataclasses", "subprocess"}), \
        sorted(loaded & {"typing", "dataclasses", "subprocess"})
