"""Writes of /etc/config/wireless from outside wifimgr (issue 21 item 4): within one monitor
sample (or at once through procd's config trigger) an unsafe file gives an event naming the
sections and the rule, a syslog line at warning level, `status.config.outside` (the Status →
Overview include reads it) with the ready fix; a chip locked by such a write names the write
and offers the restore. Cheap: one stat per sample while nothing changes."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

from wifimgr.monitor import daemon, watch
from wifimgr.observe import events
from wifimgr.surface.api import dispatch

EXTRA_AP = ("\nconfig wifi-iface 'outside_ap'\n\toption device 'radio0'\n\toption mode 'ap'\n"
            "\toption ssid 'Outside'\n\toption encryption 'sae'\n\toption key 'outside-key-1'\n"
            "\toption network 'lan'\n")


def _write_outside(twin, extra=EXTRA_AP):
    path = pathlib.Path(twin.confdir, "wireless")
    path.write_text(path.read_text() + extra)          # as `uci set …; uci commit` leaves it


def _unsafe_events(system):
    return [e for e in events.read(system, kinds=["unsafe_config"], limit=100)[0]
            if not e.get("resolved")]


def test_an_unsafe_write_from_outside_is_reported_within_one_sample(router, twin):
    daemon.once(router)
    assert _unsafe_events(router) == []
    _write_outside(twin)
    daemon.once(router)                                  # one sample
    evs = _unsafe_events(router)
    assert len(evs) == 1
    ev = evs[0]
    assert ev["sections"] == ["outside_ap", "radio0"]         # the write's section, the radio
    assert ev["rules"] == ["mlo-radio-extra-ap"] and "outside wifimgr" in ev["message"]
    assert any("added wireless.outside_ap" in c for c in ev["changes"])
    assert "outside-key-1" not in str(ev) and "wireless.outside_ap.key='***'" in ev["changes"]
    log = router.run.run(["logread"]).stdout
    line = [x for x in log.splitlines() if "unsafe wireless configuration written" in x]
    assert line and "daemon.warn wifimgr:" in line[-1] and "outside-key-1" not in log
    st = dispatch("status", {})
    out = st["config"]["outside"]
    assert out["sections"] == ["outside_ap", "radio0"] and out["restore"] is True
    assert out["violations"][0]["fix"]["method"] == "network_set"     # the one-click fix
    daemon.once(router)                                  # the same file: no second event
    assert len(_unsafe_events(router)) == 1
    # the ready fix: restore the last good config
    twin.advance(10)
    res = dispatch("restore_good", {})
    assert res["ok"], res
    daemon.once(router)
    assert "outside_ap" not in router.uci.text("wireless")
    assert dispatch("status", {})["config"]["outside"] is None
    assert events.read(router, kinds=["unsafe_config"])[0][-1].get("resolved") is True


def test_control_without_the_watch_nothing_is_reported(router, twin, monkeypatch):
    monkeypatch.setattr(watch, "check", lambda system, **kw: {"changed": False})
    daemon.once(router)
    _write_outside(twin)
    daemon.once(router)
    assert _unsafe_events(router) == []
    assert "unsafe wireless configuration" not in router.run.run(["logread"]).stdout
    assert dispatch("status", {})["config"]["outside"] is None


def test_one_stat_per_sample_while_nothing_changes(router, twin, monkeypatch):
    daemon.once(router)
    judged = []
    real = watch._judge
    monkeypatch.setattr(watch, "_judge", lambda *a, **k: judged.append(1) or real(*a, **k))
    reads = []
    real_text = router.uci.text
    monkeypatch.setattr(router.uci, "text", lambda n: reads.append(n) or real_text(n))
    watch.check(router)
    assert judged == [] and "wireless" not in reads      # stat only
    path = pathlib.Path(twin.confdir, "wireless")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    watch.check(router)
    assert judged == [] and reads.count("wireless") == 1  # touched, same hash: not judged
    _write_outside(twin)
    watch.check(router)
    assert judged == [1]


def test_procd_config_trigger_judges_at_once(router, twin):
    daemon.once(router)
    _write_outside(twin)
    env = dict(os.environ, WIFIMGR_SIM=twin.dir)
    res = subprocess.run([sys.executable, "-m", "wifimgr", "monitor", "--check-config"],
                         env=env, capture_output=True, text=True, timeout=60, check=False)
    assert res.returncode == 0, res.stderr
    assert _unsafe_events(router)[-1]["source"] == "procd config trigger"


def test_init_script_has_the_config_trigger(repo_root):
    text = (repo_root / "init.d" / "wifimgr-monitor").read_text()
    assert 'procd_add_config_trigger "config.change" "wireless" /usr/bin/wifimgr monitor ' \
           "--check-config" in text
    assert subprocess.run(["sh", "-n", str(repo_root / "init.d" / "wifimgr-monitor")]
                          ).returncode == 0


def test_a_write_that_locks_the_chip_is_named_with_the_restore(router, twin):
    daemon.once(router)
    _write_outside(twin)
    router.run.run(["wifi", "reload"])                   # the twin's EDCCA crash model
    twin.advance(10)
    daemon.once(router)
    st = dispatch("status", {})
    assert st["chip"]["locked"]
    w = st["chip"]["written"]
    assert w["restore"] and any("outside_ap" in c for c in w["changes"])
    assert w["rules"] == ["mlo-radio-extra-ap"]
