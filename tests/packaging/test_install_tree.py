"""`make install DESTDIR=…` puts every file at its router path with its run bit, and the
installed tree works from those paths: the rpcd plugin, the hotplug hooks sourced with the
environment hotplug-call gives them, the uci-defaults script."""

from __future__ import annotations

import json
import os
import pathlib
import stat
import subprocess
import sys

import pytest

EXPECTED = {
    "/usr/libexec/rpcd/wifimgr": True,
    "/usr/bin/wifimgr": True,
    "/etc/init.d/wifimgr": True,
    "/etc/init.d/wifimgr-recover": True,
    "/etc/init.d/wifimgr-monitor": True,
    "/www/luci-static/resources/view/status/include/05_wifimgr.js": False,
    "/etc/uci-defaults/40_luci-wifimgr": True,
    "/etc/hotplug.d/net/10-wifimgr-txpower": False,
    "/etc/hotplug.d/ieee80211/60-wifimgr-defaults": False,
    "/usr/share/rpcd/acl.d/luci-app-wifimgr.json": False,
    "/usr/share/luci/menu.d/luci-app-wifimgr.json": False,
    "/lib/upgrade/keep.d/luci-app-wifimgr": False,
    "/usr/lib/wifimgr/wifimgr/surface/api.py": False,
    "/usr/lib/wifimgr/wifimgr/rules/safety.py": False,
}


@pytest.fixture(scope="module")
def root(tmp_path_factory, repo_root_module):
    dest = tmp_path_factory.mktemp("root")
    subprocess.run(["make", "-s", "install", f"DESTDIR={dest}",
                    f"BIN={os.path.dirname(sys.executable)}"],
                   cwd=repo_root_module, check=True, timeout=300,
                   stdout=subprocess.DEVNULL)
    return dest


@pytest.fixture(scope="module")
def repo_root_module():
    from support import ROOT

    return ROOT


def _env(root, twin_dir, **extra):
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]
    return dict(os.environ, PATH=path, WIFIMGR_ROOT=str(root), WIFIMGR_SIM=twin_dir,
                **extra)


def test_every_file_lands_with_its_mode(root):
    for path, executable in EXPECTED.items():
        full = root / path.lstrip("/")
        assert full.is_file(), path
        assert bool(full.stat().st_mode & stat.S_IXUSR) == executable, path
    assert list((root / "usr/lib/wifimgr/wifimgr").rglob("*.pyc")), "no bytecode"
    assert not (root / "usr/lib/wifimgr/wifimgr/devserver").exists()
    keep = (root / "lib/upgrade/keep.d/luci-app-wifimgr").read_text().split()
    # not /etc/wifimgr/ whole: apply job records and the commit journal must not outlive a
    # firmware upgrade
    assert keep == ["/etc/config/wifimgr", "/etc/wifimgr/wireless.before-restore"]
    acl = json.loads((root / "usr/share/rpcd/acl.d/luci-app-wifimgr.json").read_text())
    assert "write" in acl["luci-app-wifimgr"]


def test_installed_plugin_list_and_status(root, twin):
    env = _env(root, twin.dir)
    plugin = str(root / "usr/libexec/rpcd/wifimgr")
    lst = subprocess.run([plugin, "list"], stdin=subprocess.DEVNULL, capture_output=True,
                         text=True, env=env, timeout=60, check=True)
    assert "ap" in json.loads(lst.stdout)
    st = subprocess.run([plugin, "call", "status"], input="{}", capture_output=True, text=True,
                        env=env, timeout=60, check=True)
    reply = json.loads(st.stdout)
    assert reply["board"]["backend"] == "twin" and reply["chip"]["state"] == "ok"


def _source(hook, env):
    # hotplug-call sources each hook in a subshell, stdin/stdout/stderr on /dev/null
    return subprocess.run(["sh", "-c", f'. "{hook}"'], env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


def test_installed_uci_defaults_and_ieee80211_hook(root, twin):
    # first boot: uci-defaults before the wireless config exists
    wireless = os.path.join(twin.confdir, "wireless")
    saved = pathlib.Path(wireless).read_text()
    os.unlink(wireless)
    rpcd = root / "etc/init.d/rpcd"
    rpcd.write_text(f'#!/bin/sh\necho "$@" >> "{root}/rpcd.calls"\n')
    rpcd.chmod(0o755)
    (root / "tmp/luci-modulecache").mkdir(parents=True)
    (root / "tmp/luci-indexcache.abc.json").write_text("{}")
    env = _env(root, twin.dir)
    script = root / "etc/uci-defaults/40_luci-wifimgr"
    res = subprocess.run(["sh", "-c", f'. "{script}"'], env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, timeout=120)
    assert res.returncode == 0
    assert (root / "rpcd.calls").read_text().split() == ["reload"]
    assert not (root / "tmp/luci-indexcache.abc.json").exists()
    assert not (root / "tmp/luci-modulecache").exists()
    net = pathlib.Path(twin.confdir, "network").read_text()
    assert "255.255.255.0" in net  # the network part ran without radios
    # the radios appear: 10-wifi-detect wrote the config, then our ieee80211 hook runs
    with open(wireless, "w") as fh:
        fh.write(saved)
    hook = root / "etc/hotplug.d/ieee80211/60-wifimgr-defaults"
    res = _source(hook, dict(env, ACTION="add", SUBSYSTEM="ieee80211",
                             DEVPATH="/devices/platform/soc/11300000.pcie/pci0000:00/"
                                     "0000:00:00.0/0000:01:00.0/ieee80211/phy0", SEQNUM="42"))
    assert res.returncode == 0
    import time

    for _ in range(200):  # the hook returns at once; its detached worker does the work
        if "OpenWrt-MLD" in pathlib.Path(wireless).read_text():
            break
        time.sleep(0.1)
    text = pathlib.Path(wireless).read_text()
    assert "OpenWrt-MLD" in text and "'12345678'" not in text
    assert "option applied '1'" in pathlib.Path(twin.confdir, "wifimgr").read_text()


def test_hooks_ignore_other_events(root, twin):
    env = _env(root, twin.dir)
    before = pathlib.Path(twin.confdir, "wireless").read_text()
    for hook, extra in (("etc/hotplug.d/ieee80211/60-wifimgr-defaults", {"ACTION": "remove"}),
                        ("etc/hotplug.d/net/10-wifimgr-txpower",
                         {"ACTION": "add", "INTERFACE": "br-lan", "DEVTYPE": "bridge"})):
        _source(root / hook, dict(env, SUBSYSTEM="net", **extra))
    assert pathlib.Path(twin.confdir, "wireless").read_text() == before
    assert not os.path.exists(os.path.join(twin.state_dir, "txpower-fix.done"))


def test_procd_service_script(root):
    text = (root / "etc/init.d/wifimgr").read_text()
    assert "USE_PROCD=1" in text and "procd_add_reload_trigger wifimgr" in text
    assert "config_get_bool enabled steering enabled 0" in text
    assert subprocess.run(["sh", "-n", str(root / "etc/init.d/wifimgr")]).returncode == 0


def test_boot_recovery_script_rolls_back_a_killed_write(root, twin):
    # a station write (firewall + network + wireless) SIGKILLed after its second package
    # (crash point 15: journal 5 + two packages × 5), then the boot runs the init script
    text = (root / "etc/init.d/wifimgr-recover").read_text()
    assert "START=11" in text and '/usr/bin/wifimgr" hotplug recover' in text
    assert subprocess.run(["sh", "-n", str(root / "etc/init.d/wifimgr-recover")]).returncode == 0
    from transaction.conftest import RADIOS_ONLY

    env = _env(root, twin.dir)
    plugin = str(root / "usr/libexec/rpcd/wifimgr")
    restored = subprocess.run([plugin, "call", "restore"], input=json.dumps(
        {"config": RADIOS_ONLY}), capture_output=True, text=True, timeout=60, env=env)
    assert json.loads(restored.stdout)["ok"], restored.stdout   # every write allowed there
    names = ("firewall", "network", "wireless")
    before = {n: pathlib.Path(twin.confdir, n).read_bytes() for n in names}
    killed = subprocess.run(
        [plugin, "call", "station"],
        input=json.dumps({"ssid": "up", "encryption": "sae", "key": "12345678",
                          "radio": "radio1"}),
        capture_output=True, text=True, timeout=60, env=dict(env, WIFIMGR_CRASH_AT="15"))
    assert killed.returncode == -9
    assert {n: pathlib.Path(twin.confdir, n).read_bytes() for n in names} != before
    journal = pathlib.Path(twin.dir, "etc/wifimgr/commit.journal")
    assert journal.exists()
    script = root / "etc/init.d/wifimgr-recover"
    res = subprocess.run(["sh", "-c", f'. "{script}"; start'], env=env,
                         stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert {n: pathlib.Path(twin.confdir, n).read_bytes() for n in names} == before
    assert not journal.exists()
