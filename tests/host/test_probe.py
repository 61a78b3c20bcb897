"""host.probe: the capability map asked through the ports once per boot, and ``require``.

A recording fake stands in for the router's ports here: what is under test is which commands
are asked, when the answer is kept, and how a missing capability is refused — the detection
rules themselves are tested on real captures in tests/model/test_capabilities.py.
"""

from __future__ import annotations

import json

import pytest

from wifimgr.core.errors import Unsupported
from wifimgr.host import probe
from wifimgr.model import capabilities as cap
from wifimgr.parse import pkgdb
from wifimgr.platform import System
from wifimgr.platform.run import CmdResult

FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "captures"
#: a real multi-radio `iw phy` (openwrt/luci#7483) and a real 25.12 `system board` (PR #22447)
IW_PHY = sorted((FIXTURES / "openwrt-luci-7483-multi-radio").glob("*.out"))
BOARD = {"board_name": "bananapi,bpi-r4", "model": "Banana Pi BPI-R4 (2x SFP+)",
         "release": {"distribution": "OpenWrt", "version": "25.12.0"}}


class Router:
    """Ports of a router whose hostapd answers ``replies`` (None: hostapd is down)."""

    def __init__(self, tmp_path, replies: dict[str, str] | None, boot_id: str = "b-1"):
        self.replies = replies
        self.boot_id = boot_id
        self.argvs: list[tuple[str, ...]] = []
        self.iw = IW_PHY[0].read_text()
        self.system = System(uci=None, bus=self, run=self, fs=self,
                             state_dir=str(tmp_path / "state"))

    # run port
    def run(self, argv, *, timeout: float = 10.0, input=None):
        argv = tuple(argv)
        self.argvs.append(argv)
        if argv[:2] == ("iw", "phy"):
            return CmdResult(argv, 0, self.iw, "")
        if argv[0] == "hostapd_cli":
            assert argv[3] == "raw", argv           # hostapd answers, not hostapd_cli's table
            cmd = argv[4]
            return CmdResult(argv, 0, (self.replies or {}).get(cmd, "UNKNOWN COMMAND\n"), "")
        return CmdResult(argv, 127, "", "not found")

    # bus port
    def objects(self, pattern=None):
        return ["hostapd.ap-mld0", "hostapd.phy0.1-ap0"] if self.replies is not None else []

    def call(self, obj, method, args=None, **kw):
        assert (obj, method) == ("system", "board")
        return BOARD

    # fs port
    def read_text(self, path):
        return self.boot_id + "\n" if path == probe.BOOT_ID else None

    def exists(self, path):
        return False

    def glob(self, pattern):
        if pattern.endswith("/mt76/*"):
            return [f"/sys/kernel/debug/ieee80211/phy0/mt76/{n}"
                    for n in ("sys_recovery", "fw_util_wa", "twt_stats", "rdd_monitor")]
        return []

    def asked(self) -> int:
        return sum(1 for a in self.argvs if a[0] == "hostapd_cli")


UPSTREAM: dict[str, str] = {}        # every probe answers UNKNOWN COMMAND
MTK = {"GET_ATTLM": "Default mapping\n", "GET_NEG_TTLM": "FAIL\n", "GET_BROADCAST_TWT": "\n"}


def test_the_map_is_asked_once_per_boot(tmp_path):
    r = Router(tmp_path, UPSTREAM)
    first = probe.capabilities(r.system)
    n = len(r.argvs)
    assert r.asked() == len(cap.HOSTAPD_PROBES) and n > 0
    again = probe.capabilities(r.system)
    assert len(r.argvs) == n, "a second call in the same boot asked the router again"
    assert cap.as_dict(again) == cap.as_dict(first)
    r.boot_id = "b-2"                                # rebooted (a new driver, a sysupgrade)
    probe.capabilities(r.system)
    assert len(r.argvs) > n


def test_a_map_without_hostapd_is_not_kept(tmp_path):
    r = Router(tmp_path, None)                       # hostapd down (boot, wifi reload)
    caps = probe.capabilities(r.system)
    assert caps.attlm is None and r.asked() == 0
    n = len(r.argvs)
    probe.capabilities(r.system)
    assert len(r.argvs) > n, "an incomplete map was kept for the whole boot"
    r.replies = UPSTREAM
    assert probe.capabilities(r.system).attlm is False


def test_upstream_hostapd_refuses_link_policy_with_capability_and_platform(tmp_path):
    r = Router(tmp_path, UPSTREAM)
    with pytest.raises(Unsupported) as exc:
        probe.require(r.system, "link_policy")
    d = exc.value.as_dict()
    assert d["code"] == "unsupported" and d["capability"] == "attlm"
    assert d["platform"] == "OpenWrt 25.12.0 on Banana Pi BPI-R4 (2x SFP+)"
    assert "absent" in d["message"] and "GET_ATTLM" in d["message"]
    # the eFuse mode needs sku_idx: upstream debugfs has no sku_disable
    with pytest.raises(Unsupported) as exc:
        probe.require(r.system, "txpower_efuse")
    assert exc.value.capability == "sku_idx"


def test_mtk_hostapd_offers_link_policy(tmp_path):
    r = Router(tmp_path, MTK)
    caps = probe.require(r.system, "link_policy")
    assert caps.attlm is True and caps.neg_ttlm is True


def test_non_strict_features_refuse_only_what_is_known_absent(tmp_path):
    r = Router(tmp_path, UPSTREAM)
    caps = probe.capabilities(r.system)
    # the multi-radio capture is a two-band wiphy (radio 0: 2.4 GHz, radio 1: 5 GHz)
    assert caps.band_6g is False and caps.eht_320 is False
    with pytest.raises(Unsupported) as exc:
        probe.require(r.system, "band_6g")
    assert exc.value.capability == "band_6g"
    # unknown (a cut capture) is not refused: the configuration states the radios
    caps.band_6g, caps.eht_320 = None, None
    assert cap.missing(caps, "band_6g") == () and cap.missing(caps, "eht_320") == ()
    assert cap.features(caps)["eht_320"]["available"] is True
    # while a strict feature refuses the unknown
    caps.attlm = None
    assert cap.missing(caps, "link_policy") == ("attlm", "neg_ttlm")
    assert "not known" in cap.reason(caps, "link_policy")


def test_the_cache_round_trips_the_map(tmp_path):
    r = Router(tmp_path, MTK)
    caps = probe.capabilities(r.system)
    blob = json.loads((tmp_path / "state" / probe.CACHE_NAME).read_text())
    assert blob["boot_id"] == "b-1" and blob["version"] == probe.CACHE_VERSION
    assert cap.as_dict(cap.from_dict(blob["map"])) == cap.as_dict(caps)


#: apk-tools writes one block per package, ``P:<name>`` and ``V:<version>`` lines among others
#: (apk-tools src/database.c ``apk_db_fdb_write``); opkg's status file is RFC-822-like
#: (``Package:``/``Version:``, opkg libopkg/pkg.c ``pkg_formatted_field``). The version string
#: is the one openwrt/mt76#1109 quotes.
APK_DB = ("C:Q1abc=\nP:kmod-cfg80211\nV:6.12.80.6.18.2-r1\nA:aarch64_cortex-a53\n\n"
          "C:Q1def=\nP:kmod-mt76-core\nV:6.18.38.2026.07.01~59676919-r1\nA:aarch64_cortex-a53\n")
OPKG = ("Package: kmod-mt7996e\nVersion: 6.6.93.2025.06.30~0b5a1d3a-r1\nStatus: install user "
        "installed\n\nPackage: iw\nVersion: 6.9-r1\n")


def test_installed_version_reads_apk_and_opkg():
    assert pkgdb.installed_version(APK_DB, probe.MT76_PACKAGES) == \
        "6.18.38.2026.07.01~59676919-r1"
    assert pkgdb.installed_version(OPKG, probe.MT76_PACKAGES) == "6.6.93.2025.06.30~0b5a1d3a-r1"
    assert pkgdb.installed_version("P:iw\nV:6.9-r1\n", probe.MT76_PACKAGES) is None
