"""Issue 21 item 3: an upgrade over the original 3.0.0 state — its first run put the published
key 12345678 on the factory networks and set the shared sentinel. The key is flagged
everywhere (status note and `security`, an event, `wifimgr check` with exit code 4) and
`hotplug migrate` rotates it while the factory SSIDs are in place; a network the owner renamed
keeps its key and stays flagged. The key never reaches a log line, an event or a metric."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from wifimgr.monitor import daemon, metrics
from wifimgr.observe import events
from wifimgr.surface.api import dispatch

PUBLISHED = "12345678"


def _as_the_original_left_it(system, twin):
    """What 99-wifimgr-defaults (woziwrt/mt7996-wifi7-manager @1f2224f) leaves."""
    pkg = system.uci.load("wireless")
    for sec in pkg.of_type("wifi-iface"):
        sec.set("key", PUBLISHED)
        sec.set("encryption", "sae" if sec.name in ("default_radio2", "ap_mld_1") else "sae-mixed")
        if sec.get_str("ssid") == "MT76_AP_MLD":
            sec.set("ssid", "OpenWrt-MLD")
    pkg["default_radio1"].set("ssid", "Home-5g")     # the owner renamed this one only
    for r in pkg.of_type("wifi-device"):
        r.set("country", "CZ")
    system.uci.commit(pkg)
    wm = system.uci.load("wifimgr") if system.uci.exists("wifimgr") else None
    from wifimgr.platform.ucitext import parse

    system.uci.commit(parse("config defaults 'defaults'\n\toption applied '1'\n", "wifimgr"),
                      base=wm)
    twin.reboot()
    twin.advance(120)


def _wifimgr(twin_dir, *args):
    env = dict(os.environ, WIFIMGR_SIM=twin_dir)
    return subprocess.run([sys.executable, "-m", "wifimgr", *args], env=env, text=True,
                          capture_output=True, timeout=120, check=False)


def test_upgrade_over_3_0_0_flags_and_rotates_the_published_key(twin, system):
    from wifimgr.lifecycle.defaults import run_first_boot

    _as_the_original_left_it(system, twin)
    assert run_first_boot(system)["skipped"] == "already applied"   # the shared sentinel
    # flagged everywhere
    st = dispatch("status", {})
    flagged = {f["subject"] for f in st["security"]}
    assert flagged == {"default_radio0", "default_radio1", "default_radio2", "ap_mld_1"}
    assert any("publicly known key" in n for n in st["notes"])
    res = _wifimgr(twin.dir, "check")
    assert res.returncode == 4 and "[published-key]" in res.stdout, res.stdout + res.stderr
    daemon.once(system)
    ev = events.read(system, kinds=["published_key"])[0]
    assert ev and "default_radio1 (Home-5g)" in ev[-1]["message"]
    # hotplug migrate (uci-defaults) rotates the factory networks' key, and says so
    res = _wifimgr(twin.dir, "hotplug", "migrate")
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["keys"]["rotated"] == ["ap_mld_1", "default_radio0", "default_radio2"]
    w = system.uci.load("wireless")
    new = {w[s].get_str("key") for s in report["keys"]["rotated"]}
    assert len(new) == 1 and PUBLISHED not in new
    assert w["default_radio1"].get_str("key") == PUBLISHED      # renamed: flagged, not changed
    assert [f["subject"] for f in dispatch("status", {})["security"]] == ["default_radio1"]
    log = system.run.run(["logread"]).stdout
    assert "still had a publicly known key" in log
    # never the key (old or new) in a log line, an event or a metric
    twin.advance(300)
    daemon.once(system)
    with open(os.path.join(system.state_dir, "monitor", "last.json")) as fh:
        sample = json.load(fh)
    texts = [log, system.run.run(["logread"]).stdout, res.stdout,
             json.dumps(events.read(system, limit=5000)[0]), metrics.render(sample)]
    for key in (PUBLISHED, *new):
        for t in texts:
            assert key not in t


def test_control_the_scan_finds_a_planted_key(twin, system):
    """The last test's check can fail: a log line that carries the key is found."""
    system.run.run(["logger", "-t", "wifimgr", f"key is {PUBLISHED}"])
    assert PUBLISHED in system.run.run(["logread"]).stdout


def test_migrate_leaves_a_fresh_install_to_first_run(twin, system):
    """No sentinel yet (not installed over the original): first run gives the factory
    networks their key; migrate does not write a key of its own before it."""
    before = system.uci.text("wireless")
    res = _wifimgr(twin.dir, "hotplug", "migrate")
    assert json.loads(res.stdout)["keys"] == {"rotated": [],
                                              "skipped": "first-run defaults still to run"}
    assert system.uci.text("wireless") == before
