"""The intent journal's recovery rules (wifimgr.transaction.journal; docs/architecture.md "All or nothing
across packages"): recovery killed itself finishes the next time, a package someone else
committed since is left alone, a write that finds a journal nobody rolled back refuses after
rolling it back, and a plugin call without a journal costs one stat."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys

import pytest
from killloop import SCENARIOS, call, journal_exists, temps

from transaction.conftest import config_bytes
from wifimgr.surface.api import dispatch
from wifimgr.transaction import journal

#: station's crash point after its second package (journal: 5 points; each package: 5)
HALF = "15"


@pytest.fixture
def half_written(clean_twin):
    """A station write SIGKILLed after firewall and network, before wireless."""
    before = config_bytes(clean_twin)
    method, args = SCENARIOS["station"]
    res = call(clean_twin.dir, method, args, WIFIMGR_CRASH_AT=HALF)
    assert res.returncode == -signal.SIGKILL
    after = config_bytes(clean_twin)
    assert after["firewall"] != before["firewall"] and after["network"] != before["network"]
    assert after["wireless"] == before["wireless"] and journal_exists(clean_twin.dir)
    return clean_twin, before, after


def test_recovery_killed_at_every_point_finishes_the_next_time(half_written, system):
    twin, before, _after = half_written
    snapshot = config_bytes(twin)
    journal_file = pathlib.Path(twin.dir, "etc/wifimgr/commit.journal")
    journal_text = journal_file.read_bytes()
    killed = 0
    for k in range(1, 60):
        # back to the half-written state, then the plugin's recovery killed at its k-th point
        for n, data in snapshot.items():
            pathlib.Path(twin.confdir, n).write_bytes(data)
        journal_file.write_bytes(journal_text)
        res = call(twin.dir, "version", {}, WIFIMGR_CRASH_AT=str(k))
        if res.returncode == 0:
            break
        assert res.returncode == -signal.SIGKILL, res.stderr
        killed += 1
        files = config_bytes(twin)
        assert all(files[n] in (before[n], snapshot[n]) for n in files)   # old or as left
        journal.recover(system)                                           # the boot
        assert config_bytes(twin) == before, k
        assert not journal_exists(twin.dir) and temps(twin.dir) == [], k
    assert killed >= 12           # two put-backs (5 points each) and the journal's removal


def test_a_package_someone_else_committed_since_is_left_alone(half_written, system):
    twin, before, after = half_written
    luci = after["network"].decode() + "\nconfig interface 'iot'\n\toption proto 'static'\n"
    with open(os.path.join(twin.confdir, "network"), "w") as fh:     # LuCI's Save & Apply
        fh.write(luci)
    report = journal.recover(system)
    assert report["restored"] == ["firewall"] and report["kept"] == ["network"]
    assert report["unchanged"] == ["wireless"]
    files = config_bytes(twin)
    assert files["firewall"] == before["firewall"] and files["wireless"] == before["wireless"]
    assert files["network"] == luci.encode()
    assert not journal_exists(twin.dir)
    log = dispatch("log", {"lines": 20, "filter": "all"})
    assert any("rolled back" in line and "left as it is: network" in json.dumps(line)
               for line in log["lines"]), log


def test_a_write_that_finds_a_stale_journal_rolls_it_back_and_refuses(half_written):
    twin, before, _after = half_written
    r = dispatch("ap", {"radio": "radio0", "ssid": "guest", "encryption": "psk2",
                        "key": "abcdefgh"})
    assert r["ok"] is False and r["error"]["code"] == "conflict", r
    assert "interrupted earlier write was undone" in r["error"]["message"]
    assert config_bytes(twin) == before and not journal_exists(twin.dir)
    assert dispatch("ap", {"radio": "radio0", "ssid": "guest", "encryption": "psk2",
                           "key": "abcdefgh"})["ok"]


def test_the_next_plugin_call_rolls_back(half_written):
    twin, before, _after = half_written
    res = call(twin.dir, "version", {})
    assert res.returncode == 0
    assert config_bytes(twin) == before and not journal_exists(twin.dir)


def test_without_a_journal_a_plugin_call_only_stats(clean_twin, system, monkeypatch):
    def no(*a, **k):
        raise AssertionError("recovery work without a journal")

    monkeypatch.setattr(system.uci, "lock", no)
    monkeypatch.setattr(system.uci, "sweep_temps", no)
    monkeypatch.setattr(os, "listdir", no)
    assert journal.recover_pending(system) is None


def test_a_live_writer_keeps_its_journal(half_written, system, monkeypatch):
    # the journal of a writer that still holds the lock is not touched: the call goes on
    twin, _before, after = half_written
    monkeypatch.setattr(journal, "PENDING_LOCK_TIMEOUT_S", 0.2)
    holder = subprocess.Popen([sys.executable, "-c",
                               "import fcntl, sys, time; f = open(sys.argv[1], 'w');"
                               "fcntl.flock(f, fcntl.LOCK_EX); print('x', flush=True);"
                               "time.sleep(30)", system.uci.lockfile],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "x"
        assert journal.recover_pending(system) is None
        assert config_bytes(twin) == after and journal_exists(twin.dir)
    finally:
        holder.kill()
        holder.wait(10)
    assert journal.recover_pending(system)["restored"] == ["network", "firewall"]
