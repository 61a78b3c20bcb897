"""The capability map a browser test runs on (issue 23): the views follow it.

A test asks for the ``platform_profile`` fixture (conftest.py); its module is parametrised over
``PROFILES`` of the module (default :data:`PROFILES`), one map per module run:

* ``twin``: what the twin itself reports (no cache: ``host/probe.py`` detects);
* ``mtk``, ``mainline``, ``two-band``: the map ``model.capabilities.detect()`` makes of the real
  captures ``tests/model/test_capabilities.py`` reads (MTK SDK hostapd replies and debugfs names;
  mainline BPI-R4 board, ``UNKNOWN COMMAND`` and upstream debugfs names; the MT7996 6 GHz / EHT
  320 excerpts; the MT7992E two-band ``iw phy``) — see tests/fixtures/captures/README.md.

The map reaches the API the way the router keeps it: ``<state_dir>/capabilities.json`` with the
kernel boot id the twin prints (``host/probe.py``), written here and read by every process of
the dev server. These maps overlay the MTK SDK twin's configuration — a chip that lacks what the
configuration names (a hand-written 6 GHz radio on an MT7992) — while
test_profile_views.py runs the views on the twin's own profiles (``wifimgr sim profiles``).
"""

from __future__ import annotations

import contextlib
import json
import os
import time

import pytest

PROFILES = ("twin", "mtk", "mainline", "two-band")


class Platform:
    """One profile: its name and the map as the API reports it (``status.platform``)."""

    def __init__(self, name: str, platform: dict):
        self.name = name
        self.map = platform

    @property
    def features(self) -> dict:
        return self.map.get("features") or {}

    def available(self, feature: str) -> bool:
        return bool((self.features.get(feature) or {}).get("available"))

    def reason(self, feature: str) -> str | None:
        return (self.features.get(feature) or {}).get("reason")

    def __repr__(self) -> str:
        return f"Platform({self.name!r})"


def _detected(name: str, twin_board: dict | None) -> dict:
    """``as_dict(detect(...))`` of the real captures of profile ``name``."""
    from model.test_capabilities import (
        MTK_DEBUGFS,
        UNKNOWN,
        UPSTREAM_DEBUGFS,
        board_22447,
        cap,
        mtk_replies,
    )
    from wifimgr.model import capabilities as capmod

    six_ghz = (cap("openwrt-18079-bpi-r4/iw-phy-6g-frequencies-excerpt.out")
               + cap("openwrt-mt76-961-mt7996/iw-phy-eht-6g-excerpt.out"))
    upstream = {"attlm": UNKNOWN, "neg_ttlm": UNKNOWN, "twt": UNKNOWN}
    if name == "mtk":      # the MTK SDK BPI-R4 (the twin's own board)
        caps = capmod.detect(board=twin_board, hostapd=mtk_replies(), iw_phy=six_ghz,
                             debugfs=MTK_DEBUGFS)
    elif name == "mainline":
        caps = capmod.detect(board=board_22447(), hostapd=upstream, iw_phy=six_ghz,
                             debugfs=UPSTREAM_DEBUGFS)
    elif name == "two-band":   # an MT7992E router on mainline (openwrt/mt76#1078)
        caps = capmod.detect(hostapd=upstream, debugfs=UPSTREAM_DEBUGFS,
                             iw_phy=cap("openwrt-mt76-1078-mt7992e/iw-phy0-info-head.out")
                             + cap("openwrt-mt76-1078-mt7992e/iw-phy0-info-5g-excerpt.out"))
    else:
        raise ValueError(f"unknown platform profile {name!r}")
    return capmod.as_dict(caps)


def _boot_id(server) -> str:
    from wifimgr.host import probe

    return (server.twin().system().fs.read_text(probe.BOOT_ID) or "").strip()


@contextlib.contextmanager
def in_process(server):
    """This process on the server's twin."""
    from wifimgr.host import system as system_root

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WIFIMGR_SIM", server.sim_dir)
        system_root.set_system(None)
        try:
            yield
        finally:
            system_root.set_system(None)


def _status(server) -> dict:
    """``status`` in this process on the server's twin, with the served replies voided (they
    were made with the previous map)."""
    from wifimgr.monitor import replies
    from wifimgr.surface.api import dispatch

    with in_process(server):
        replies.invalidate(server.twin().system().state_dir)
        return dispatch("status")


def apply(server, name: str) -> Platform:
    """Make the server's API report profile ``name``; the map it reports."""
    from wifimgr.host import probe
    from wifimgr.platform.ubus import UbusError

    bid = _boot_id(server)
    system = server.twin().system()
    path = os.path.join(system.state_dir, probe.CACHE_NAME)
    if name == "twin":
        if os.path.exists(path):
            os.remove(path)
        want = None
    else:
        try:
            board = system.bus.call("system", "board", {})
        except (UbusError, OSError):   # display only, as in host/probe.py
            board = None
        want = _detected(name, board if isinstance(board, dict) else None)
        os.makedirs(system.state_dir, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump({"version": probe.CACHE_VERSION, "boot_id": bid, "map": want}, fh)
    # a monitor sample under way read the old map: the twin's state file is one of the stamps
    # of its replies (monitor/replies.py stamp_paths), so a new mtime keeps them from being served
    if system.sim is not None:
        os.utime(system.sim.state_path)
    end = time.monotonic() + 30
    while True:
        got = (_status(server).get("platform") or {})
        if want is None or got == want:
            return Platform(name, got)
        if time.monotonic() > end:
            raise AssertionError(f"the API does not report profile {name}: {got.get('label')}")
        time.sleep(0.5)
