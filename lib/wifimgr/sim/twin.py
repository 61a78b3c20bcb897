"""The twin: a simulated BPI-R4 whose state lives in a directory.

Several processes (an rpcd plugin call, the CLI, the dev server, the steering daemon) open the
same directory and see one router. ``twin.json`` holds the chip and runtime state and is
replaced atomically under ``twin.lock``; the UCI files live in ``etc/config`` like on the board.

Modelled (spec/platform.md §g): the EDCCA crash on ``wifi reload`` (and at boot) with two or
more legacy APs on a radio of an AP MLD, and the locked MCU semaphore that survives reboots and
power cuts shorter than 15 minutes; MLO changes that only take effect after a reboot; no 6 GHz
non-MLO STA; 6 GHz channel utilisation above 100 % with MBSSID; idle MLO links reading 0 or
about −105 dBm; the cold-boot TMAC=0 TX power bug on band0/band2; DFS CAC on 5 GHz.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import os
import time

from ..platform.fs import atomic_write
from ..platform.uci import FileUciStore
from ..platform.ucitext import parse
from . import factory, faults, profiles, runtime

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from ..platform.ucitext import Package

STATE_VERSION = 1
BOOT_SECONDS = 8.0  # from power-on/reboot until the radios and hostapd are up
RELOAD_SECONDS = 3.0  # `wifi reload` takes interfaces down for this long
LOCK_CLEAR_MINUTES = 15
LOG_MAX = 600


#: the RF scene per band (noise floor, channel busy %)
RF = {"2g": {"noise": -92, "busy": 35}, "5g": {"noise": -94, "busy": 18},
      "6g": {"noise": -96, "busy": 6}}


def _default_state(now: float, profile: str = profiles.DEFAULT) -> dict[str, Any]:
    prof = profiles.get(profile)
    bands = prof.bands
    return {
        "version": STATE_VERSION,
        "profile": prof.name,
        "variant": "normal",
        "clock": {"offset": 0.0, "frozen_at": None},
        "boot": {"time": now, "cold": True, "count": 0, "ready_at": now + BOOT_SECONDS},
        "reload": {"time": None, "ready_at": None, "count": 0},
        "power_off": None,
        "chip": {"locked": False, "locked_at": None, "crashes": 0, "crash_radios": []},
        "wireless": {"booted": None, "applied": None},
        "txpower": {str(r): {"set_mbm": 2000, "auto": True,
                             "tmac_zero": prof.tmac0_bug and r in (0, 2)}
                    for r in prof.radio_indices},
        "sku_disable": 1,
        "rf": {b: dict(RF[b]) for b in bands},
        # a radio the board lacks hears nothing: the scene's 6 GHz networks are left out
        "neighbours": [copy.deepcopy(nb) for nb in factory.NEIGHBOURS if nb["band"] in bands],
        "stations": [],
        "hostapd": {"attlm": {}, "neg_ttlm": {}, "btwt": {}, "neg_ttlm_pending": {}},
        "services": [],
        "log": [],
        "kmsg": [],
    }


def _boot_id() -> str:
    """A random UUID as /proc/sys/kernel/random/boot_id prints it (new at every boot)."""
    h = bytearray(os.urandom(16))
    h[6] = (h[6] & 0x0F) | 0x40
    h[8] = (h[8] & 0x3F) | 0x80
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


class Twin:
    def __init__(self, directory: str):
        self.dir = os.path.abspath(directory)
        self.confdir = os.path.join(self.dir, "etc", "config")
        self.state_path = os.path.join(self.dir, "twin.json")
        self.lock_path = os.path.join(self.dir, "twin.lock")
        self.state_dir = os.path.join(self.dir, "tmp", "wifimgr")
        self.uci = FileUciStore(self.confdir, os.path.join(self.dir, "uci.lock"))
        self._cache: tuple[float, dict[str, Any]] | None = None
        self._parsed: dict[tuple[str, str], tuple[Package, Package]] = {}
        self._rt: tuple[tuple, runtime.Runtime] | None = None

    # ------------------------------------------------------------------ state persistence
    def exists(self) -> bool:
        return os.path.isfile(self.state_path)

    def create(self, variant: str = "normal", *, stations: bool = True,
               profile: str = profiles.DEFAULT) -> None:
        """Factory state of ``profile`` (:mod:`wifimgr.sim.profiles`; KeyError for an unknown
        name, before anything is written), chip healthy, cold boot."""
        prof = profiles.get(profile)
        os.makedirs(self.confdir, exist_ok=True)
        os.makedirs(self.state_dir, exist_ok=True)
        for name, text in {**factory.CONFIGS, "wireless": prof.factory_wireless}.items():
            atomic_write(os.path.join(self.confdir, name), text.lstrip("\n").encode())
        now = time.time()
        st = _default_state(now, prof.name)
        st["variant"] = variant
        if stations:
            for s in factory.STATIONS:
                spec = copy.deepcopy(s)
                spec["signal"] = {b: v for b, v in spec["signal"].items() if b in prof.bands}
                st["stations"].append(self._new_station(spec, now))
        with self._locked():
            self._save(st)
        with self.edit() as st:
            self._boot(st, cold=True)

    def load(self) -> dict[str, Any]:
        try:
            mtime = os.stat(self.state_path).st_mtime_ns
        except FileNotFoundError:
            raise RuntimeError(f"no twin in {self.dir} (run `wifimgr sim reset`)") from None
        if self._cache and self._cache[0] == mtime:
            return self._cache[1]
        with open(self.state_path, encoding="utf-8") as fh:
            st = json.load(fh)
        self._cache = (mtime, st)
        return st

    def profile(self, st: dict[str, Any] | None = None) -> profiles.Profile:
        """The profile this twin plays (state files older than profiles: the MTK SDK one)."""
        return profiles.of_state(st or self.load())

    def _save(self, st: dict[str, Any]) -> None:
        atomic_write(self.state_path, json.dumps(st, separators=(",", ":")).encode())
        self._cache = None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        os.makedirs(self.dir, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @contextlib.contextmanager
    def edit(self) -> Iterator[dict[str, Any]]:
        """Load, let the caller change, save — atomically with respect to other processes."""
        with self._locked():
            self._cache = None
            st = copy.deepcopy(self.load())
            yield st
            self._save(st)

    # ------------------------------------------------------------------ clock
    def now(self, st: dict[str, Any] | None = None) -> float:
        st = st or self.load()
        c = st["clock"]
        if c.get("frozen_at") is not None:
            return float(c["frozen_at"])
        return time.time() + float(c.get("offset", 0.0))

    def freeze(self, at: float | None = None) -> None:
        with self.edit() as st:
            st["clock"]["frozen_at"] = self.now(st) if at is None else at

    def unfreeze(self) -> None:
        with self.edit() as st:
            now = self.now(st)
            st["clock"]["frozen_at"] = None
            st["clock"]["offset"] = now - time.time()

    def advance(self, seconds: float) -> None:
        with self.edit() as st:
            self._advance(st, seconds)

    @staticmethod
    def _advance(st: dict[str, Any], seconds: float) -> None:
        c = st["clock"]
        if c.get("frozen_at") is not None:
            c["frozen_at"] = float(c["frozen_at"]) + seconds
        else:
            c["offset"] = float(c.get("offset", 0.0)) + seconds

    # ------------------------------------------------------------------ logging
    def _log(self, st: dict[str, Any], line: str) -> None:
        st["log"].append([self.now(st), line])
        del st["log"][:-LOG_MAX]

    def _kmsg(self, st: dict[str, Any], line: str) -> None:
        st["kmsg"].append([self.now(st) - st["boot"]["time"], line])
        del st["kmsg"][:-LOG_MAX]

    # ------------------------------------------------------------------ configs
    def disk_wireless(self) -> str:
        return self.uci.text("wireless") or ""

    def packages(self, st: dict[str, Any] | None = None) -> tuple[Package, Package]:
        """(applied, booted) wireless packages: legacy ifaces and radios run from the applied
        config, MLO ifaces from the booted one. Parsed once per process per text."""
        st = st or self.load()
        key = (st["wireless"]["applied"] or "", st["wireless"]["booted"] or "")
        cached = self._parsed.get(key)
        if cached is None:
            cached = (parse(key[0], "wireless"), parse(key[1], "wireless"))
            self._parsed = {key: cached}
        return cached

    def runtime(self, st: dict[str, Any] | None = None) -> runtime.Runtime | None:
        """What is up right now (None while the chip is locked)."""
        st = st or self.load()
        if st["chip"]["locked"]:
            return None
        broken = tuple(st["wireless"].get("broken_links") or ())
        network = self.uci.text("network") or ""
        key = (st["wireless"]["applied"] or "", st["wireless"]["booted"] or "", network,
               broken, faults.key(st))
        if self._rt is None or self._rt[0] != key:
            applied, booted = self.packages(st)
            self._rt = (key, faults.apply(runtime.build(applied, booted,
                                                        parse(network, "network"), broken,
                                                        profile=profiles.of_state(st)),
                                          st))
        return self._rt[1]

    def phase(self, st: dict[str, Any] | None = None) -> str:
        """off | locked | booting | reloading | up"""
        st = st or self.load()
        if st.get("power_off"):
            return "off"
        if st["chip"]["locked"]:
            return "locked"
        now = self.now(st)
        if now < st["boot"]["ready_at"]:
            return "booting"
        ready = st["reload"].get("ready_at")
        if ready and now < ready:
            return "reloading"
        return "up"

    def pending(self, st: dict[str, Any] | None = None) -> dict[str, bool]:
        """What on disk is not live yet: ``reload`` (any change) and ``reboot`` (an MLO change
        that only a reboot applies)."""
        st = st or self.load()
        disk = self.disk_wireless()
        applied = st["wireless"]["applied"] or ""
        booted = st["wireless"]["booted"] or ""
        disk_pkg = parse(disk, "wireless")
        return {
            "reload": disk != applied,
            "reboot": runtime.mlo_part(disk_pkg) != runtime.mlo_part(parse(booted, "wireless")),
        }

    # ------------------------------------------------------------------ boot / reload / power
    def _boot(self, st: dict[str, Any], *, cold: bool) -> None:
        now = self.now(st)
        disk = self.disk_wireless()
        st["boot"] = {"time": now, "cold": cold, "count": st["boot"].get("count", 0) + 1,
                      "ready_at": now + BOOT_SECONDS}
        st["reload"] = {"time": None, "ready_at": None, "count": 0}
        st["kmsg"] = []
        st["wireless"] = {"booted": disk, "applied": disk}
        # /tmp is a tmpfs: it is empty after every boot
        import shutil  # lazy: it pulls in bz2/lzma (start-up cost of every plugin call)

        shutil.rmtree(os.path.join(self.dir, "tmp"), ignore_errors=True)
        os.makedirs(self.state_dir, exist_ok=True)
        st["hostapd"] = {"attlm": {}, "neg_ttlm": {}, "btwt": {}, "neg_ttlm_pending": {}}
        st["sku_disable"] = 1
        prof = profiles.of_state(st)
        st["boot"]["id"] = _boot_id()
        self._kmsg(st, "Booting Linux on physical CPU 0x0000000000 [0x410fd034]")
        self._kmsg(st, f"Machine model: {prof.machine}")
        if prof.mtk_debugfs:
            # the probe as a BPI-R4 with the MTK SDK logs it (real:
            # captures/gilly1970-bpi-r4-mtk-feeds)
            probe = ("mt7996e_hif 0001:01:00.0: assign IRQ: got 124",
                     "mt7996e_hif 0001:01:00.0: enabling device (0000 -> 0002)",
                     "mt7996e_hif 0001:01:00.0: enabling bus mastering",
                     "mt7996e 0000:01:00.0: assign IRQ: got 121",
                     "mt7996e 0000:01:00.0: enabling device (0000 -> 0002)",
                     "mt7996e 0000:01:00.0: enabling bus mastering",
                     "mt7996e 0000:01:00.0: attaching wed device 0 version 3.0",
                     "mt7996e_hif 0001:01:00.0: attaching wed device 1 version 3.0")
        else:
            # mainline mt7996e (real: captures/openwrt-20276-mt7996, no WED lines)
            probe = ("mt7996e_hif 0001:01:00.0: assign IRQ: got 117",
                     "mt7996e_hif 0001:01:00.0: enabling device (0000 -> 0002)",
                     "mt7996e_hif 0001:01:00.0: enabling bus mastering",
                     "mt7996e 0000:01:00.0: assign IRQ: got 114",
                     "mt7996e 0000:01:00.0: enabling device (0000 -> 0002)",
                     "mt7996e 0000:01:00.0: enabling bus mastering")
        for line in probe:
            self._kmsg(st, line)
        if st["chip"]["locked"]:
            # the semaphore is still held: the probe times out and fails
            self._kmsg(st, "mt7996e 0000:01:00.0: Message 00000007 (seq 12) timeout")
            self._kmsg(st, "mt7996e 0000:01:00.0: Message 00000007 (seq 13) timeout")
            self._kmsg(st, "mt7996e 0000:01:00.0: Failed to start patch")
            self._kmsg(st, "mt7996e 0000:01:00.0: Failed to release patch semaphore")
            # the driver-core wording of today's kernels (spec/platform.md Addenda)
            self._kmsg(st, "mt7996e 0000:01:00.0: probe with driver mt7996e failed with "
                           "error -11")
            self._log(st, "kern.err kernel: mt7996e 0000:01:00.0: probe with driver mt7996e "
                          "failed with error -11")
            return
        # the firmware builds of the two captures (MTK SDK: gilly1970-bpi-r4-mtk-feeds;
        # mainline: openwrt-20276-mt7996)
        fw = (("20240823161246a", "20240823161319", "20240823161334", "20240823161408")
              if prof.mtk_debugfs else
              ("20250904203308a", "20250904203304", "20250904202814", "20250904203218"))
        self._kmsg(st, f"mt7996e 0000:01:00.0: HW/SW Version: 0x8a108a10, Build Time: {fw[0]}")
        self._kmsg(st, f"mt7996e 0000:01:00.0: WM Firmware Version: ____000000, Build Time: "
                       f"{fw[1]}")
        self._kmsg(st, f"mt7996e 0000:01:00.0: DSP Firmware Version: ____000000, Build Time: "
                       f"{fw[2]}")
        # the MT7996's WA firmware prints ____000000 (real: captures/gilly1970-bpi-r4-mtk-feeds;
        # DEV_000000 is the MT7915/MT7986 one)
        self._kmsg(st, f"mt7996e 0000:01:00.0: WA Firmware Version: ____000000, Build Time: "
                       f"{fw[3]}")
        if st["variant"] == "zeroed-eeprom":
            self._kmsg(st, "mt7996e 0000:01:00.0: corrupted EEPROM detected, forcing default")
        if prof.mtk_debugfs:
            self._kmsg(st, "mt7996e 0000:01:00.0: registering led 'mt76-phy0'")
            self._kmsg(st, "mt7996e 0000:01:00.0: Platform_type = 2, bypass_rro = 1, "
                           "txfree_path = 0")
        self._log(st, "daemon.notice netifd: radio0 (pid): wireless is up")
        pkg = parse(disk, "wireless")
        for r in runtime.radios_of(pkg, prof).values():
            if r.disabled:
                continue
            # each radio's first AP joins the bridge and its channel context is added
            self._kmsg(st, f"mt7996e 0000:01:00.0 phy0.{r.index}-ap0: entered allmulticast mode")
            self._kmsg(st, f"mt7996e 0000:01:00.0 phy0.{r.index}-ap0: entered promiscuous mode")
            if prof.mtk_debugfs:
                self._kmsg(st, f"mt7996e 0000:01:00.0: mt76_add_chanctx: add {r.channel} on "
                               f"mt76 band {r.index}")
        crash = runtime.edcca_crash_radios(pkg, pkg)
        if crash:
            self._crash(st, crash, "hostapd start")
            return
        # netifd's mac80211.sh sets the TX power of each radio after bringing it up
        for r in runtime.radios_of(pkg, prof).values():
            self._apply_uci_txpower(st, r.index, r.section.get_str("txpower"), cold)
        if any(r.section.get_str("sku_idx") is not None for r in runtime.radios_of(pkg).values()):
            st["sku_disable"] = 0
        for r in runtime.radios_of(pkg, prof).values():
            if r.dfs:
                self._log(st, f"daemon.notice hostapd: phy0.{r.index}: DFS-CAC-START "
                              f"freq={r.freq} chan={r.channel} cac_time={r.cac_s}s")
        self._log_problems(st)

    def _apply_uci_txpower(self, st: dict[str, Any], radio: int, txpower: str | None,
                           cold: bool) -> None:
        tp = st["txpower"].setdefault(str(radio), {"set_mbm": 2000, "auto": True,
                                                   "tmac_zero": False})
        if cold and radio in (0, 2) and profiles.of_state(st).tmac0_bug:
            # the driver sets 20 dBm at probe; mac80211 skips the MCU call when the requested
            # value equals the stored one, so TMAC stays 0 (spec/platform.md §e.4)
            tp["tmac_zero"] = True
            tp["set_mbm"] = 2000
        if txpower and txpower.isdigit():
            mbm = int(txpower) * 100
            if mbm != tp["set_mbm"]:
                tp["tmac_zero"] = False
            tp["set_mbm"], tp["auto"] = mbm, False
        else:
            tp["auto"] = True

    def _break_mld_links(self, st: dict[str, Any], old: Package, new: Package,
                         booted: Package) -> None:
        """Restarting one radio of a running AP MLD by ``wifi reload`` breaks the links of its
        sibling radios until the next boot (spec/combinations.md, deploy patch 0271)."""
        rt = runtime.build(old, booted, profile=profiles.of_state(st))
        mld = next((b for b in rt.bsses if b.mld and b.mode == "ap"), None)
        if mld is None:
            return
        hit = runtime.restarted_radios(old, new) & set(mld.radios)
        if not hit:
            return
        broken = sorted(set(st["wireless"].get("broken_links") or ()) | (set(mld.radios) - hit))
        st["wireless"]["broken_links"] = broken
        for r in sorted(hit):
            self._log(st, f"daemon.notice hostapd: {mld.ifname}: link on phy0.{r} restarted; "
                          "partner links lost (MLD reconfiguration failed)")

    def _log_problems(self, st: dict[str, Any]) -> None:
        rt = self.runtime(st)
        for p in (rt.problems if rt else []):
            if p.kind == "refused":
                self._log(st, f"daemon.err netifd: {p.section}: {p.detail}")
            elif p.code == "mld-acs-link-dropped":
                # hostapd's state change of the dropped link (openwrt/openwrt#25181)
                mld = next((b for b in rt.bsses if b.section == p.section), None)
                if mld is not None:
                    self._log(st, f"daemon.notice hostapd: {mld.ifname}: AP-DISABLED")

    def _crash(self, st: dict[str, Any], radios: list[int], when: str) -> None:
        st["chip"]["locked"] = True
        st["chip"]["locked_at"] = self.now(st)
        st["chip"]["crashes"] = st["chip"].get("crashes", 0) + 1
        st["chip"]["crash_radios"] = radios
        bands = ", ".join(f"band{r}" for r in radios)
        self._log(st, f"daemon.err hostapd: EDCCA: {bands} reconfigured while in MLD "
                      f"({when})")
        self._kmsg(st, "mt7996e 0000:01:00.0: Message 00000010 (seq 3) timeout")
        self._kmsg(st, "mt7996e 0000:01:00.0: chip reset failed")
        self._kmsg(st, "mt7996e 0000:01:00.0: Failed to release patch semaphore")

    def boot(self, *, cold: bool = False) -> None:
        with self.edit() as st:
            self._boot(st, cold=cold)

    def driver_panic(self) -> None:
        """A kernel panic in the mt7996e RX path: the console log goes to pstore (ramoops,
        kept over the warm reboot the watchdog does, lost at a power cut) and the board
        reboots."""
        from . import render_driver

        with self.edit() as st:
            st["pstore"] = render_driver.driver_oops(self.now(st) - st["boot"]["time"])
            self._boot(st, cold=False)

    def reboot(self) -> None:
        with self.edit() as st:
            self._log(st, "user.notice reboot: reboot requested")
            self._boot(st, cold=False)

    def power_off(self, minutes: float) -> None:
        """Unplug for ``minutes`` and plug in again (a cold boot)."""
        with self.edit() as st:
            self._advance(st, minutes * 60)
            st.pop("pstore", None)          # ramoops does not survive a power cut
            if minutes >= LOCK_CLEAR_MINUTES:
                st["chip"]["locked"] = False
                st["chip"]["locked_at"] = None
            self._boot(st, cold=True)

    def wifi(self, action: str) -> tuple[int, str]:
        """``wifi [up|down|reload|config|status]`` → (rc, output)."""
        with self.edit() as st:
            now = self.now(st)
            if action in ("", "up", "reload", "reconf"):
                disk = self.disk_wireless()
                if st["chip"]["locked"]:
                    st["wireless"]["applied"] = disk
                    self._log(st, "daemon.notice netifd: radio0: phy0 not found")
                    return 0, ""
                pkg = parse(disk, "wireless")
                booted = parse(st["wireless"]["booted"] or "", "wireless")
                crash = runtime.edcca_crash_radios(pkg, booted)
                old_applied = parse(st["wireless"]["applied"] or "", "wireless")
                self._break_mld_links(st, old_applied, pkg, booted)
                st["wireless"]["applied"] = disk
                st["reload"] = {"time": now, "ready_at": now + RELOAD_SECONDS,
                                "count": st["reload"].get("count", 0) + 1}
                self._log(st, "daemon.notice netifd: Network device 'phy0' reload")
                if crash:
                    self._crash(st, crash, "wifi reload")
                    return 0, ""
                if runtime.mlo_part(pkg) != runtime.mlo_part(booted):
                    self._log(st, "daemon.notice hostapd: ap-mld: Frequency set failed (EPERM)"
                                  " — MLD left as it was; MLO changes need a reboot")
                for r in runtime.radios_of(pkg).values():
                    tp = st["txpower"].get(str(r.index))
                    txp = r.section.get_str("txpower")
                    if tp is not None and txp and txp.isdigit() and int(txp) * 100 != tp["set_mbm"]:
                        tp["set_mbm"], tp["auto"], tp["tmac_zero"] = int(txp) * 100, False, False
                if any(r.section.get_str("sku_idx") is not None
                       for r in runtime.radios_of(pkg).values()):
                    st["sku_disable"] = 0
                st["hostapd"]["attlm"] = {}
                st["hostapd"]["neg_ttlm"] = {}
                self._log_problems(st)
                return 0, ""
            if action == "down":
                st["reload"] = {"time": now, "ready_at": float("inf"), "count":
                                st["reload"].get("count", 0)}
                return 0, ""
            if action == "config":
                return 0, ""
        return 1, "Usage: /sbin/wifi [config|up|down|reconf|reload|status|isup]\n"

    # ------------------------------------------------------------------ stations and RF
    @staticmethod
    def _new_station(spec: dict[str, Any], now: float) -> dict[str, Any]:
        kind = spec.get("kind", "legacy")
        if kind not in ("legacy", "emlsr", "mlmr", "mlsr"):
            raise ValueError(f"unknown station kind {kind!r}")
        spec.setdefault("name", spec["mac"])
        spec.setdefault("ssid", "*mld" if kind != "legacy" else "*5g")
        spec.setdefault("generation", 7 if kind != "legacy" else 6)
        spec.setdefault("nss", 2)
        spec.setdefault("signal", {"2g": -60, "5g": -65, "6g": -70})
        spec.setdefault("trace", None)
        spec.setdefault("pps", 40)
        spec["connected_at"] = now
        spec["answers_neg_ttlm"] = spec.get("answers_neg_ttlm", kind == "mlmr")
        spec["mac"] = spec["mac"].lower()
        return spec

    def add_station(self, **spec: Any) -> None:
        bands = self.profile().bands
        if isinstance(spec.get("signal"), dict):
            # a band the board has no radio for is never heard
            spec["signal"] = {b: v for b, v in spec["signal"].items() if b in bands}
        with self.edit() as st:
            if any(s["mac"] == spec["mac"].lower() for s in st["stations"]):
                raise ValueError(f"station {spec['mac']} exists")
            st["stations"].append(self._new_station(spec, self.now(st)))
            self._log(st, f"daemon.info hostapd: {spec['mac'].lower()}: associated")
            if spec.get("hostname"):
                # dnsmasq logs the name the client asked for, whatever it is
                self._log(st, f"daemon.info dnsmasq-dhcp[1]: DHCPACK(br-lan) "
                              f"{spec['mac'].lower()} {spec['hostname']}")

    def syslog(self, line: str) -> None:
        """Append a line to the system log (what some other program logged)."""
        with self.edit() as st:
            self._log(st, line)

    def add_neighbour(self, ssid: str, band: str, *, channel: int | None = None,
                      signal: int = -70, security: str = "wpa2-psk", width: int = 20,
                      bssid: str | None = None) -> str:
        """Another AP in radio range (what a scan finds); its SSID is whatever its owner
        typed — up to 32 bytes. Returns its BSSID."""
        if band not in runtime.BANDS:
            raise ValueError(f"band must be one of {', '.join(runtime.BANDS)}")
        if len(ssid.encode("utf-8", "surrogateescape")) > 32:
            raise ValueError("an SSID is at most 32 bytes")
        with self.edit() as st:
            n = len(st["neighbours"])
            mac = (bssid or f"0a:5e:1f:{n >> 8 & 0xff:02x}:{n & 0xff:02x}:{0x40 + n % 64:02x}")
            st["neighbours"].append({
                "bssid": mac.lower(), "ssid": ssid, "band": band,
                "channel": channel or {"2g": 6, "5g": 36, "6g": 37}[band], "width": width,
                "signal": signal, "security": security})
            return mac.lower()

    def remove_station(self, mac: str) -> bool:
        with self.edit() as st:
            before = len(st["stations"])
            st["stations"] = [s for s in st["stations"] if s["mac"] != mac.lower()]
            st["hostapd"]["neg_ttlm"].pop(mac.lower(), None)
            return len(st["stations"]) != before

    def fail_next_apply(self, network: str, link: str | None = None) -> None:
        """The next bring-up (reload or boot) leaves ``network`` down, or the MLD ``network``
        without its link on radio ``link`` (:mod:`wifimgr.sim.faults`)."""
        with self.edit() as st:
            faults.prune(st)
            faults.add(st, network, link)

    def set_rf(self, band: str, *, noise: int | None = None, busy: int | None = None,
               signal: int | None = None) -> None:
        bands = self.profile().bands
        if band not in bands:
            raise ValueError(f"band must be one of {', '.join(bands)} (this board's radios)")
        from .ports.view import busy_ms

        with self.edit() as st:
            if noise is not None:
                st["rf"][band]["noise"] = noise
            if busy is not None:
                # survey counters integrate: fold the time so far at the old rate first
                rf = st["rf"][band]
                rf["busy_base_ms"] = busy_ms(st, band, self.now(st))
                rf["busy_base_t"] = self.now(st)
                rf["busy"] = max(0, min(100, busy))
            if signal is not None:
                for s in st["stations"]:
                    s["signal"][band] = signal

    def system(self):  # -> wifimgr.platform.System
        from ..platform import System
        from .ports.bus import TwinBus
        from .ports.fs import TwinFs
        from .ports.runner import TwinRunner

        os.makedirs(self.state_dir, exist_ok=True)
        return System(uci=self.uci, bus=TwinBus(self), run=TwinRunner(self), fs=TwinFs(self),
                      clock=self.now, monotonic=self.now, state_dir=self.state_dir,
                      persist_dir=os.path.join(self.dir, "etc", "wifimgr"),
                      detach_apply=False, sim=self)


def open_twin(directory: str, *, create: bool = True) -> Twin:
    twin = Twin(directory)
    if not twin.exists() and create:
        twin.create()
    return twin
