"""Installing over the original luci-app-wifimgr 3.0.0: its mlo-steerd (shipped by the
firmware, so it survives the package upgrade) is stopped and disabled, its mode carried over to
wifimgr.steering, and its first-run sentinel honoured (no key regenerated)."""

from __future__ import annotations

import os
import pathlib

import pytest

from wifimgr.platform import System
from wifimgr.platform.fs import RootFs
from wifimgr.platform.run import CmdResult
from wifimgr.platform.uci import FileUciStore

OLD_WIRELESS_TAIL = """
config wifi-iface 'default_radio1'
	option device 'radio1'
	option network 'lan'
	option mode 'ap'
	option ssid 'OpenWrt-5g'
	option encryption 'sae-mixed'
	option key 'my-own-chosen-key'
"""


class OriginalRoot:
    """A root as the original 3.0.0 leaves it, with the commands that act on it."""

    def __init__(self, root: pathlib.Path, *, autostart: str, mode: str | None,
                 running_by_hand: bool):
        self.root = root
        (root / "etc/init.d").mkdir(parents=True)
        (root / "etc/rc.d").mkdir(parents=True)
        (root / "etc/config").mkdir(parents=True)
        (root / "root").mkdir()
        (root / "etc/init.d/mlo-steerd").write_text("#!/bin/sh /etc/rc.common\nSTART=95\n")
        (root / "etc/rc.d/S95mlo-steerd").symlink_to("../init.d/mlo-steerd")
        (root / "root/mlo-steerd.sh").write_text("#!/bin/sh\n# v0.6\n")
        opts = f"\toption autostart '{autostart}'\n" + (f"\toption mode '{mode}'\n" if mode
                                                         else "")
        (root / "etc/config/mlo-steerd").write_text(f"config global 'global'\n{opts}")
        (root / "etc/config/wifimgr").write_text("config defaults 'defaults'\n"
                                                 "\toption applied '1'\n")
        (root / "etc/config/wireless").write_text(OLD_WIRELESS_TAIL.lstrip())
        self.procd_running = autostart == "1"
        self.by_hand = ["4242"] if running_by_hand else []
        self.calls: list[list[str]] = []

    def run(self, argv, *, timeout=10.0, input=None):
        argv = list(argv)
        self.calls.append(argv)
        if argv[0] == "/etc/init.d/mlo-steerd":
            if argv[1] == "stop":
                self.procd_running = False
            if argv[1] == "disable":
                (self.root / "etc/rc.d/S95mlo-steerd").unlink(missing_ok=True)
            return CmdResult(argv, 0, "", "")
        if argv[:2] == ["pgrep", "-f"]:
            return CmdResult(argv, 0 if self.by_hand else 1, "\n".join(self.by_hand), "")
        if argv[0] == "kill":
            self.by_hand = [p for p in self.by_hand if p not in argv[1:]]
            return CmdResult(argv, 0, "", "")
        return CmdResult(argv, 0, "", "")

    def system(self) -> System:
        return System(uci=FileUciStore(str(self.root / "etc/config")), bus=None, run=self,
                      fs=RootFs(str(self.root)), state_dir=str(self.root / "tmp/wifimgr"),
                      persist_dir=str(self.root / "etc/wifimgr"))


@pytest.mark.parametrize("autostart,mode,by_hand", [("1", "5g_only", False),
                                                     ("0", "all_on", True),
                                                     ("0", None, False)])
def test_the_original_daemon_is_stopped_disabled_and_its_mode_carried_over(
        tmp_path, autostart, mode, by_hand):
    from wifimgr.lifecycle.defaults import first_run
    from wifimgr.lifecycle.upgrade import migrate_original
    from wifimgr.model.configset import ConfigSet
    from wifimgr.settings import steering as steer

    old = OriginalRoot(tmp_path, autostart=autostart, mode=mode, running_by_hand=by_hand)
    system = old.system()
    report = migrate_original(system)
    assert not old.procd_running and old.by_hand == []
    assert not (tmp_path / "etc/rc.d/S95mlo-steerd").exists()     # disabled at boot
    assert "option autostart '0'" in (tmp_path / "etc/config/mlo-steerd").read_text() \
        or autostart == "0"
    cfg = steer.load(system.uci.load("wifimgr"))
    assert cfg.mode == (mode or "auto")
    assert cfg.enabled is (autostart == "1")
    assert report["killed"] == (["4242"] if by_hand else [])
    if autostart == "1":
        assert ["/etc/init.d/wifimgr", "start"] in old.calls and report["started"]
    # the sentinel the original set: first run leaves the owner's key and SSIDs alone
    before = (tmp_path / "etc/config/wireless").read_text()
    cs = ConfigSet.load(system.uci, ("wireless", "network", "wifimgr"))
    assert first_run(cs)["skipped"] == "already applied"
    assert "my-own-chosen-key" in cs["wireless"].to_text()
    assert (tmp_path / "etc/config/wireless").read_text() == before
    # idempotent: a second run finds nothing to stop and keeps the options
    text = (tmp_path / "etc/config/wifimgr").read_text()
    again = migrate_original(system)
    assert again["killed"] == [] and again["steering"] == {}
    assert (tmp_path / "etc/config/wifimgr").read_text() == text


def test_a_choice_made_in_wifimgr_is_not_overwritten(tmp_path):
    from wifimgr.lifecycle.upgrade import migrate_original
    from wifimgr.settings import steering as steer

    old = OriginalRoot(tmp_path, autostart="1", mode="5g_only", running_by_hand=False)
    (tmp_path / "etc/config/wifimgr").write_text(
        "config defaults 'defaults'\n\toption applied '1'\n\n"
        "config steering 'steering'\n\toption mode 'all_on'\n\toption enabled '0'\n")
    migrate_original(old.system())
    cfg = steer.load(old.system().uci.load("wifimgr"))
    assert cfg.mode == "all_on" and cfg.enabled is False
    assert not old.procd_running


def test_a_router_without_the_original_is_left_alone(tmp_path):
    from wifimgr.lifecycle.upgrade import migrate_original

    old = OriginalRoot(tmp_path, autostart="0", mode=None, running_by_hand=False)
    for p in ("etc/init.d/mlo-steerd", "etc/rc.d/S95mlo-steerd", "etc/config/mlo-steerd"):
        os.unlink(tmp_path / p)
    text = (tmp_path / "etc/config/wifimgr").read_text()
    report = migrate_original(old.system())
    assert report == {"stopped": [], "disabled": False, "killed": [], "steering": {}}
    assert (tmp_path / "etc/config/wifimgr").read_text() == text
    assert all(c[0] != "/etc/init.d/mlo-steerd" for c in old.calls)


def test_uci_defaults_runs_the_migration_before_first_run(repo_root):
    text = (repo_root / "uci-defaults" / "40_luci-wifimgr").read_text()
    assert text.index("hotplug migrate") < text.index("hotplug defaults")
