"""The twin behind the platform ports: a command runner, a ubus bus and a filesystem.

Everything above the ports sees the same text and JSON as on a BPI-R4: ``iw``, ``hostapd_cli``,
``wpa_cli``, ``wifi``, ``reboot``, ``dmesg``, ``logread``, ``/etc/init.d/*``, ``ubus``;
``network.wireless``, ``hostapd.*``, ``iwinfo``, ``network.interface.*``, ``system``; debugfs,
hwmon, thermal zones, interface statistics, ``/proc/version``, ``/etc/board.json``.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import math
import os
import time
import zlib

from ..platform.run import CmdResult, _check_argv
from ..platform.ubus import BusEvent, UbusError
from ..record import record
from . import render
from .clients import associations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, ClassVar

    from .clients import Association
    from .runtime import RBss, RRadio, Runtime
    from .twin import Twin

HWMON_BASE = ("/sys/devices/platform/soc/11300000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0/"
              "ieee80211/phy0")
EFUSE_DBM = {"2g": 25.0, "5g": 27.0, "6g": 26.0}
ZEROED_DBM = {"2g": 6.0, "5g": 7.0}
HOSTAPD_CONNECT_ERR = ("Failed to connect to hostapd - wpa_ctrl_open: No such file or "
                       "directory\n")


@record
class View:
    """One consistent look at the twin for a single command or call."""

    twin: Twin
    st: dict[str, Any]
    now: float
    phase: str
    rt: Runtime | None  # None unless the phase is "up"
    assocs: list[Association]

    #: the last view per twin directory: the commands of one API call (often several ``iw``
    #: and ``hostapd_cli`` runs within milliseconds) share it while the state file is unchanged
    #: and the clock has not moved on by half a second — a tool samples, so does the twin
    _last: ClassVar[dict[str, tuple[int, int, View]]] = {}

    @classmethod
    def take(cls, twin: Twin) -> View:
        st = twin.load()
        now = twin.now(st)
        hit = cls._last.get(twin.dir)
        if hit and hit[0] == id(st) and hit[1] == int(now * 2) and hit[2].now <= now:
            return hit[2]
        view = cls._build(twin, st, now)
        cls._last[twin.dir] = (id(st), int(now * 2), view)
        return view

    @classmethod
    def _build(cls, twin: Twin, st: dict[str, Any], now: float) -> View:
        phase = twin.phase(st)
        rt = twin.runtime(st) if phase == "up" else None
        assocs: list[Association] = []
        if rt is not None:
            up_since = max(st["boot"]["ready_at"], st["reload"].get("ready_at") or 0)
            assocs = associations(st, rt, now, up_since)
            deauth = st.get("deauth", {})
            assocs = [a for a in assocs if deauth.get(a.mac, 0) <= now]
        return cls(twin, st, now, phase, rt, assocs)

    # ---------------------------------------------------------------- derived values
    def radio_sku(self, r: RRadio) -> bool:
        return r.section.get_str("sku_idx") is not None and self.st["sku_disable"] == 0

    def txpower(self, r: RRadio, *, target: bool = False) -> float:
        """What the radio transmits; ``target`` = what the firmware aims for (the TMAC=0 bug
        makes the two differ: the target is right, the radio sends ~3 dBm)."""
        tp = self.st["txpower"].get(str(r.index), {})
        if tp.get("tmac_zero") and not target:
            return 3.0
        if self.st["variant"] == "zeroed-eeprom" and r.band in ZEROED_DBM:
            return ZEROED_DBM[r.band]
        efuse = EFUSE_DBM[r.band]
        if not self.radio_sku(r):
            return efuse  # no SKU table: eFuse targets, iw txpower ignored (platform.md §e.1)
        rule = render.chan_rule(r.country, r.band, r.channel)
        cap = min(efuse, float(rule[0]) if rule else 0.0)
        if not tp.get("auto", True):
            cap = min(cap, tp.get("set_mbm", 2000) / 100)
        return cap

    def eeprom_max(self, r: RRadio) -> float:
        """The band's EEPROM maximum (``txpower_sku``): the eFuse target, or the 6–7 dBm of a
        BE14 card with a zeroed EEPROM on 2.4/5 GHz (platform.md §e.3)."""
        if self.st["variant"] == "zeroed-eeprom" and r.band in ZEROED_DBM:
            return ZEROED_DBM[r.band]
        return EFUSE_DBM[r.band]

    def txpowers(self) -> dict[int, float]:
        return {} if self.rt is None else {i: self.txpower(r) for i, r in self.rt.radios.items()}

    def up_for(self) -> float:
        return max(0.0, self.now - max(self.st["boot"]["ready_at"],
                                       self.st["reload"].get("ready_at") or 0))

    def cac_left(self, r: RRadio) -> int:
        if not r.dfs:
            return 0
        return max(0, int(r.cac_s - self.up_for()))

    def bss_state(self, b: RBss, link_radio: int | None = None) -> str:
        """hostapd's interface state; for one link of an AP MLD (``-l N``) that link's own
        state — a 5 GHz link sits in ``DFS`` during its CAC while the other links beacon."""
        if self.rt is None:
            return "DISABLED"
        if b.mode != "ap":
            return "ENABLED"
        radio = link_radio if b.mld else b.radio
        if radio is not None and self.cac_left(self.rt.radios[radio]) > 0:
            return "DFS"
        return "ENABLED"

    def chan_util(self, r: RRadio) -> int:
        busy = int(self.st["rf"][r.band]["busy"])
        if r.band == "6g" and r.section.get_bool("mbssid"):
            return 126  # hostapd's 6 GHz average with MBSSID (platform.md §g.4)
        return busy

    def sta_connection(self, b: RBss) -> dict[str, Any] | None:
        """Upstream association of a STA interface (None: not connected)."""
        if self.rt is None or b.mode != "sta":
            return None
        st = self.st
        bssid_lock = (b.options.get("bssid") or "").lower()
        if b.mld:
            links = [nb for nb in st["neighbours"] if nb.get("mld") and nb["ssid"] == b.ssid
                     and any(self.rt.radios[r].band == nb["band"] for r in b.radios
                             if r in self.rt.radios)]
            if not links or not self._key_ok(b, links[0]):
                return None
            return {"bssid": links[0]["bssid"], "mld": links[0]["mld"], "ssid": b.ssid,
                    "links": links, "freq": render.freq_of(links[0]["channel"],
                                                           links[0]["band"]),
                    "signal": max(nb["signal"] for nb in links), "nb": links[0]}
        band = self.rt.radios[b.radio].band
        if band == "6g":
            return None  # a standalone 6 GHz STA finds nothing (platform.md §g.3)
        for nb in st["neighbours"]:
            if nb["band"] != band or nb["ssid"] != b.ssid or not nb["ssid"]:
                continue
            if bssid_lock and nb["bssid"] != bssid_lock:
                continue
            if b.wds and not nb.get("wds"):
                continue
            if not self._key_ok(b, nb):
                return None
            return {"bssid": nb["bssid"], "mld": None, "ssid": nb["ssid"], "links": [nb],
                    "freq": render.freq_of(nb["channel"], band), "signal": nb["signal"],
                    "nb": nb}
        return None

    @staticmethod
    def _key_ok(b: RBss, nb: dict[str, Any]) -> bool:
        if nb["security"] in ("open", "owe"):
            return True
        return bool(nb.get("key")) and b.key == nb.get("key")


def procd_instance(twin: Twin, service: str = "wifimgr", instance: str = "steerd"
                   ) -> dict[str, Any] | None:
    """The twin's running ``wifimgr/steerd`` (or another) instance (None when stopped or the
    process died)."""
    inst = (twin.load().get("procd") or {}).get(service, {}).get(instance)
    if not inst:
        return None
    try:
        with open(f"/proc/{inst['pid']}/stat", encoding="ascii") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None
    return None if state in ("Z", "X") else inst


class TwinRunner:
    """argv → the stdout/stderr/rc the real tool prints."""

    def __init__(self, twin: Twin):
        self.twin = twin

    def run(self, argv: Sequence[str], *, timeout: float = 10.0, input: str | None = None
            ) -> CmdResult:
        args = _check_argv(argv)
        tool = args[0].rsplit("/", 1)[-1] if not args[0].startswith("/etc/init.d/") else "init.d"
        handler = getattr(self, f"_cmd_{tool.replace('-', '_').replace('.', '_')}", None)
        if handler is None:
            return CmdResult(args, 127, "", f"{args[0]}: not found\n")
        rc, out, err = handler(list(args[1:]), args[0])
        return CmdResult(args, rc, out, err)

    def spawn_detached(self, argv: Sequence[str], *, env: Mapping[str, str] | None = None
                       ) -> int:
        from ..platform.run import spawn_detached

        return spawn_detached(argv, env=env)

    # ---------------------------------------------------------------- iw
    def _cmd_iw(self, a: list[str], _: str) -> tuple[int, str, str]:
        v = View.take(self.twin)
        if a[:1] == ["dev"] and len(a) == 1:
            return 0, render.iw_dev(v.rt, v.txpowers(), None, self._sta_ssids(v)), ""
        if a[:1] == ["dev"] and len(a) >= 3:
            ifname, sub = a[1], a[2:]
            b = v.rt.by_ifname(ifname) if v.rt else None
            if b is None:
                return 237, "", "command failed: No such device (-19)\n"
            if sub == ["info"]:
                return 0, render.iw_dev(v.rt, v.txpowers(), ifname, self._sta_ssids(v)), ""
            if sub == ["station", "dump"]:
                return 0, render.station_dump(v.assocs, ifname, v.now), ""
            if sub[:2] == ["station", "get"] and len(sub) == 3:
                out = render.station_dump(v.assocs, ifname, v.now, sub[2])
                return (0, out, "") if out else (254, "", "command failed: No such file or "
                                                          "directory (-2)\n")
            if sub == ["survey", "dump"]:
                return 0, self._survey(v, ifname), ""
            if sub[:1] == ["scan"]:
                return self._scan(v, b, sub)
            if sub == ["link"]:
                return 0, self._link(v, b), ""
            return 1, "", self._usage()
        if a[:1] == ["phy"] and (len(a) == 1 or a[1:] in (["phy0"], ["phy0", "info"],
                                                       ["phy", "phy0", "info"])):
            return (0, self._phy(v), "") if v.phase != "locked" else (0, "", "")
        if a[:2] == ["phy", "phy0"] and a[2:] == ["channels"]:
            return 0, self._channels(v), ""
        if a[:2] == ["phy", "phy0"] and a[2:3] == ["survey"]:
            return 0, self._survey(v, "phy0"), ""
        if a[:3] == ["phy", "phy0", "set"] and a[3:4] == ["txpower"]:
            return self._set_txpower(a[4:])
        if a == ["reg", "get"]:
            return 0, render.iw_reg(self._country(v)), ""
        return 1, "", self._usage()

    @staticmethod
    def _usage() -> str:
        return "Usage:\tiw [options] command\n"

    @staticmethod
    def _country(v: View) -> str:
        if v.rt and v.rt.radios:
            return v.rt.radios[min(v.rt.radios)].country
        applied, _ = v.twin.packages(v.st)
        for sec in applied.of_type("wifi-device"):
            return sec.get_str("country") or "00"
        return "00"

    def _sta_ssids(self, v: View) -> dict[str, tuple[str, int]]:
        out: dict[str, tuple[str, int]] = {}
        if v.rt is None:
            return out
        for b in v.rt.bsses:
            if b.mode == "sta":
                c = v.sta_connection(b)
                if c:
                    out[b.ifname] = (c["ssid"], c["freq"])
        return out

    def _survey(self, v: View, ifname: str) -> str:
        if v.rt is None:
            return ""
        from .twin import busy_ms

        busy = {b: busy_ms(v.st, b, v.now) for b in ("2g", "5g", "6g")}
        return render.survey_dump(v.rt, v.st["rf"], ifname, v.up_for(), busy)

    def _phy(self, v: View) -> str:
        return render.iw_phy(self._country(v), ["2g", "5g", "6g"])

    def _channels(self, v: View) -> str:
        dfs: dict[int, tuple[str, int]] = {}
        if v.rt:
            for r in v.rt.radios.values():
                if r.band == "5g" and r.dfs:
                    left = v.cac_left(r)
                    dfs[r.channel] = ("usable" if left else "available", int(v.up_for()))
        return render.iw_channels(self._country(v), ["2g", "5g", "6g"], dfs)

    def _scan(self, v: View, b: RBss, sub: list[str]) -> tuple[int, str, str]:
        assert v.rt is not None
        if sub not in (["scan"], ["scan", "dump"], ["scan", "trigger"]):
            return 1, "", self._usage()
        if sub == ["scan", "trigger"]:
            return 0, "", ""
        bands = {v.rt.radios[r].band for r in b.radios if r in v.rt.radios}
        if not b.mld and bands == {"6g"} and b.mode == "sta":
            return 0, "", ""  # the 6 GHz standalone STA scan returns nothing (§g.3)
        nbs = [nb for nb in v.st["neighbours"] if nb["band"] in bands]
        conn = v.sta_connection(b) if b.mode == "sta" else None
        return 0, render.iw_scan(nbs, b.ifname, v.now, conn["bssid"] if conn else None), ""

    def _link(self, v: View, b: RBss) -> str:
        conn = v.sta_connection(b)
        if not conn:
            return "Not connected.\n"
        sig = conn["signal"]
        lines = []
        if b.mld:
            lines.append(f"Connected to {conn['mld']} (on {b.ifname})")
            lines.append(f"\tSSID: {conn['ssid']}")
            for nb in conn["links"]:
                lines.append(f"\tLink {nb['link_id']} BSSID {nb['bssid']}")
                lines.append(f"\t\tfreq: {render.freq_of(nb['channel'], nb['band'])}.0")
            lines.append(f"MLD {conn['mld']} stats:")
        else:
            lines.append(f"Connected to {conn['bssid']} (on {b.ifname})")
            lines.append(f"\tSSID: {conn['ssid']}")
            lines.append(f"\tfreq: {conn['freq']}.0")
        from .clients import bitrate_text

        w = int(conn["nb"].get("width", 20))
        if b.mld:
            # the MLD stats of a real MLO STA (tests/fixtures/captures/mt7927-dkms-8): signal,
            # tx bitrate, rx bitrate; the MT7996 reports 0 dBm at MLD level (spec Addenda)
            lines.append("\tsignal: 0 dBm")
            lines.append(f"\ttx bitrate: {bitrate_text(sig - 3, w, 2, 'EHT')}")
            lines.append(f"\trx bitrate: {bitrate_text(sig, w, 2, 'EHT')}")
            return "\n".join(lines) + "\n"
        # a single-link STA: iw link.c's station part, then the BSS part
        lines.append(f"\tRX: {int(v.up_for() * 52000)} bytes ({int(v.up_for() * 40)} packets)")
        lines.append(f"\tTX: {int(v.up_for() * 21000)} bytes ({int(v.up_for() * 30)} packets)")
        lines.append(f"\tsignal: {sig} dBm")
        lines.append(f"\trx bitrate: {bitrate_text(sig, w, 2, 'EHT')}")
        lines.append(f"\ttx bitrate: {bitrate_text(sig - 3, w, 2, 'EHT')}")
        lines.append("")
        lines.append("\tbss flags: short-slot-time")
        lines.append("\tdtim period: 2")
        lines.append("\tbeacon int: 100")
        return "\n".join(lines) + "\n"

    def _set_txpower(self, a: list[str]) -> tuple[int, str, str]:
        # iw phy phy0 set txpower <auto|fixed|limit> [<mBm>] [radio <n>]  (MTK iw patch)
        radio: int | None = None
        if len(a) >= 2 and a[-2] == "radio" and a[-1].isdigit():
            radio, a = int(a[-1]), a[:-2]
        if not a or a[0] not in ("auto", "fixed", "limit") or (a[0] != "auto" and (
                len(a) != 2 or not a[1].lstrip("-").isdigit())):
            return 1, "", "Usage:\tiw [options] phy <phyname> set txpower <auto|fixed|limit> " \
                          "[<tx power in mBm>] [radio <radio index>]\n"
        with self.twin.edit() as st:
            targets = [str(radio)] if radio is not None else list(st["txpower"])
            for r in targets:
                tp = st["txpower"].setdefault(r, {"set_mbm": 2000, "auto": True,
                                                  "tmac_zero": False})
                if a[0] == "auto":
                    tp["auto"] = True
                else:
                    mbm = int(a[1])
                    if mbm != tp["set_mbm"]:
                        tp["tmac_zero"] = False  # a changed value reaches the MCU
                    tp["set_mbm"], tp["auto"] = mbm, False
        return 0, "", ""

    # ---------------------------------------------------------------- hostapd_cli
    def _cmd_hostapd_cli(self, a: list[str], _: str) -> tuple[int, str, str]:
        ifname, link = None, None
        rest: list[str] = []
        i = 0
        while i < len(a):
            if a[i] == "-i" and i + 1 < len(a):
                ifname, i = a[i + 1], i + 2
            elif a[i] == "-l" and i + 1 < len(a):
                link, i = a[i + 1], i + 2
            elif a[i] == "-p" and i + 1 < len(a):
                i += 2
            else:
                rest.append(a[i])
                i += 1
        v = View.take(self.twin)
        if ifname and "_link" in ifname:
            ifname, link = ifname.split("_link", 1)
        b = v.rt.by_ifname(ifname) if (v.rt and ifname) else None
        if b is None or b.mode != "ap":
            return 255, "", HOSTAPD_CONNECT_ERR
        if not rest:
            return 0, "", ""
        cmd, args = rest[0].lower(), rest[1:]
        lk = None
        if link is not None:
            lk = next((ln for ln in b.links if str(ln.link_id) == link), None)
            if lk is None:
                return 255, "", HOSTAPD_CONNECT_ERR
        if cmd in ("status", "stat"):
            assert v.rt is not None
            radio = v.rt.radios[lk.radio if lk else b.radio]
            if b.mld and lk is None:
                lk = next((ln for ln in b.links if ln.radio == radio.index), b.links[0])
            util = v.chan_util(radio)
            return 0, render.hostapd_status(b, radio, v.bss_state(b, lk.radio if lk else None),
                                            v.txpower(radio), util, lk, v.cac_left(radio),
                                            self._iface_bsses(v, radio.index)), ""
        if cmd == "all_sta":
            return 0, render.all_sta(v.assocs, b.ifname), ""
        if cmd == "sta" and args:
            out = render.all_sta(v.assocs, b.ifname, args[0])
            return 0, out or "FAIL\n", ""
        if cmd == "deauthenticate" and args:
            if not any(x.mac == args[0].lower() and x.bss.ifname == b.ifname for x in v.assocs):
                return 0, "FAIL\n", ""
            with self.twin.edit() as st:
                st.setdefault("deauth", {})[args[0].lower()] = v.now + 30
                self.twin._log(st, f"daemon.info hostapd: {b.ifname}: AP-STA-DISCONNECTED "
                                   f"{args[0].lower()}")
            return 0, "OK\n", ""
        if not b.mld and cmd in ("get_attlm", "set_attlm", "negotiated_ttlm", "get_neg_ttlm",
                                 "neg_ttlm_teardown"):
            return 0, "FAIL\n", ""
        if cmd == "get_attlm":
            return 0, render.attlm_status(self._active_attlm(v, b), v.now,
                                          self._all_links(b)), ""
        if cmd == "set_attlm":
            return 0, self._set_attlm(v, b, args), ""
        if cmd == "negotiated_ttlm":
            return 0, self._neg_ttlm(v, b, args), ""
        if cmd == "neg_ttlm_teardown":
            return 0, self._neg_ttlm(v, b, ["teardown", *args]), ""
        if cmd == "get_neg_ttlm":
            if not args:
                return 0, "FAIL\n", ""
            return 0, render.neg_ttlm_status(v.st["hostapd"]["neg_ttlm"].get(args[0].lower())), ""
        if cmd == "add_btwt":
            return 0, self._add_btwt(b, args), ""
        if cmd == "get_btwt":
            return 0, render.btwt_status(v.st["hostapd"]["btwt"].get(b.ifname, {}), b.addr), ""
        if cmd == "del_btwt" and args:
            with self.twin.edit() as st:
                ok = st["hostapd"]["btwt"].get(b.ifname, {}).pop(args[0], None) is not None
            return 0, "OK\n" if ok else "FAIL\n", ""
        return 0, "UNKNOWN COMMAND\n", ""

    @staticmethod
    def _iface_bsses(v: View, radio: int) -> list[tuple[RBss, Any, int]]:
        """Every BSS of one radio's hostapd iface, as STATUS lists them: the legacy APs and
        the AP MLD's link on that radio, with their station counts."""
        assert v.rt is not None
        out: list[tuple[RBss, Any, int]] = []
        for b in v.rt.aps():
            if radio not in b.radios:
                continue
            ln = next((x for x in b.links if x.radio == radio), None) if b.mld else None
            out.append((b, ln, sum(1 for a in v.assocs if a.bss.ifname == b.ifname)))
        return out

    @staticmethod
    def _all_links(b: RBss) -> int:
        m = 0
        for ln in b.links:
            m |= 1 << ln.link_id
        return m

    @staticmethod
    def _active_attlm(v: View, b: RBss) -> dict[str, Any] | None:
        a = v.st["hostapd"]["attlm"].get(b.ifname)
        if not a:
            return None
        if v.now >= a["start"] + (a["switch_ms"] + a["duration_ms"]) / 1000:
            return None
        return a

    def _set_attlm(self, v: View, b: RBss, args: list[str]) -> str:
        vals: dict[str, int] = {}
        for tok in args:
            k, sep, val = tok.partition("=")
            if not sep or k not in ("disabled_links", "switch_time", "duration",
                                    "link_mapping_size") or not val.isdigit():
                return "FAIL\n"
            vals[k] = int(val)
        dis = vals.get("disabled_links", 0)
        sw, dur = vals.get("switch_time", 0), vals.get("duration", 0)
        all_links = self._all_links(b)
        if (not dis or dis & ~all_links or dis == all_links or not 1 <= sw <= 30000
                or not 1 <= dur <= 16000000 or vals.get("link_mapping_size", 0) not in (0, 1)):
            return "FAIL\n"
        if self._active_attlm(v, b):
            with self.twin.edit() as st:
                self.twin._log(st, f"daemon.err hostapd: {b.ifname}: Busy: A-TTLM is on-going")
            return "FAIL\n"
        with self.twin.edit() as st:
            st["hostapd"]["attlm"][b.ifname] = {"start": v.now, "switch_ms": sw,
                                                "duration_ms": dur, "disabled": dis}
            # conflicting per-STA Neg-TTLMs are torn down when an A-TTLM starts (patch 0129)
            st["hostapd"]["neg_ttlm"] = {}
            self.twin._log(st, f"daemon.notice hostapd: {b.ifname}: A-TTLM disabled_links="
                               f"{dis} switch_time={sw} duration={dur}")
        return "OK\n"

    def _neg_ttlm(self, v: View, b: RBss, args: list[str]) -> str:
        if not args:
            return "FAIL\n"
        op = args[0]
        if op == "teardown":
            if len(args) < 2:
                return "FAIL\n"
            mac = args[1].lower()
            with self.twin.edit() as st:
                st["hostapd"]["neg_ttlm"].pop(mac, None)
            return "OK\n"
        if op != "request" or len(args) < 2:
            return "FAIL\n"
        mac = args[1].lower()
        kv = {}
        pos: list[str] = []
        for tok in args[2:]:
            k, sep, val = tok.partition("=")
            if sep:
                kv[k] = val
            else:
                pos.append(tok)
        if kv.get("dir") != "2":
            return "FAIL\n"
        try:
            n = int(kv.get("num_tids", "0"))
            pairs = [(int(pos[i], 0), int(pos[i + 1], 0)) for i in range(0, 2 * n, 2)]
        except (ValueError, IndexError):
            return "FAIL\n"
        if self._active_attlm(v, b):
            with self.twin.edit() as st:
                self.twin._log(st, f"daemon.err hostapd: {b.ifname}: Busy: A-TTLM is on-going")
            return "FAIL\n"
        a = next((x for x in v.assocs if x.mac == mac and x.bss.ifname == b.ifname), None)
        if a is None or not a.mld:
            return "FAIL\n"
        all_links = self._all_links(b)
        maps = {str(t): m & all_links for t, m in pairs if 0 <= t <= 7}
        with self.twin.edit() as st:
            if a.station.get("answers_neg_ttlm"):
                st["hostapd"]["neg_ttlm"][mac] = maps
                self.twin._log(st, f"daemon.notice hostapd: {b.ifname}: Neg-TTLM with {mac} "
                                   "established")
            else:
                self.twin._log(st, f"daemon.notice hostapd: {b.ifname}: Neg-TTLM request to "
                                   f"{mac}: no response")
        return "OK\n"

    def _add_btwt(self, b: RBss, args: list[str]) -> str:
        if len(args) < 4 or not all(x.isdigit() for x in args[:4]):
            return "FAIL\n"
        bid, dur, mant, exp = args[:4]
        if int(bid) > 31 or int(exp) > 31:
            return "FAIL\n"
        extra = dict(t.partition("=")[::2] for t in args[4:] if "=" in t)
        with self.twin.edit() as st:
            sets = st["hostapd"]["btwt"].setdefault(b.ifname, {})
            if bid in sets:
                return "FAIL\n"
            sets[bid] = {"min_wake_dur": int(dur), "mantissa": int(mant), "exp": int(exp),
                         "recommendation": int(extra.get("recommendation", 0) or 0),
                         "trigger": int(extra.get("trigger", 0) or 0),
                         "flow_type": int(extra.get("flow_type", 0) or 0)}
        return "OK\n"

    # ---------------------------------------------------------------- wpa_cli
    def _cmd_wpa_cli(self, a: list[str], _: str) -> tuple[int, str, str]:
        ifname = a[a.index("-i") + 1] if "-i" in a and a.index("-i") + 1 < len(a) else None
        rest = [x for i, x in enumerate(a) if not (x == "-i" or (i > 0 and a[i - 1] == "-i"))]
        v = View.take(self.twin)
        b = v.rt.by_ifname(ifname) if (v.rt and ifname) else None
        if b is None or b.mode != "sta":
            return 255, "", (f"Failed to connect to non-global ctrl_ifname: {ifname}  error: "
                             "No such file or directory\n")
        cmd = rest[0].upper() if rest else "STATUS"
        conn = v.sta_connection(b)
        if cmd == "STATUS":
            if not conn:
                return 0, f"wpa_state=SCANNING\naddress={b.addr}\n", ""
            nb = conn["nb"]
            key_mgmt = {"wpa2-psk": "WPA2-PSK", "wpa3-sae": "SAE", "sae-mixed": "SAE",
                        "owe": "OWE", "open": "NONE"}.get(nb["security"], "WPA2-PSK")
            lines = [f"bssid={nb['bssid']}", f"freq={conn['freq']}", f"ssid={conn['ssid']}",
                     "id=0", "mode=station", f"wifi_generation={7 if b.mld else 6}",
                     "pairwise_cipher=CCMP", "group_cipher=CCMP", f"key_mgmt={key_mgmt}",
                     "wpa_state=COMPLETED", "ip_address=192.168.50.23", f"address={b.addr}"]
            if conn["mld"]:
                lines.append(f"ap_mld_addr={conn['mld']}")
            return 0, "\n".join(lines) + "\n", ""
        if cmd == "MLO_STATUS":
            if not conn or not b.mld:
                return 0, "FAIL\n", ""
            lines = []
            for n, nb in enumerate(conn["links"]):
                lines += [f"link_id={nb['link_id']}",
                          f"freq={render.freq_of(nb['channel'], nb['band'])}",
                          f"ap_link_addr={nb['bssid']}",
                          f"sta_link_addr={b.links[n].addr if n < len(b.links) else b.addr}"]
            return 0, "\n".join(lines) + "\n", ""
        if cmd == "SCAN":
            return 0, "OK\n", ""
        if cmd == "SCAN_RESULTS":
            assert v.rt is not None
            bands = {v.rt.radios[r].band for r in b.radios}
            if not b.mld and bands == {"6g"}:
                return 0, "bssid / frequency / signal level / flags / ssid\n", ""
            lines = ["bssid / frequency / signal level / flags / ssid"]
            for nb in v.st["neighbours"]:
                if nb["band"] in bands:
                    flags = {"wpa2-psk": "[WPA2-PSK-CCMP][ESS]", "wpa3-sae": "[WPA2-SAE-CCMP][ESS]",
                             "sae-mixed": "[WPA2-PSK+SAE-CCMP][ESS]", "owe": "[WPA2-OWE-CCMP][ESS]",
                             "open": "[ESS]"}.get(nb["security"], "[ESS]")
                    lines.append(f"{nb['bssid']}\t{render.freq_of(nb['channel'], nb['band'])}\t"
                                 f"{nb['signal']}\t{flags}\t{nb['ssid']}")
            return 0, "\n".join(lines) + "\n", ""
        if cmd == "BSS" and len(rest) > 1:
            nb = next((x for x in v.st["neighbours"] if x["bssid"] == rest[1].lower()), None)
            if nb is None:
                return 0, "", ""
            lines = [f"bssid={nb['bssid']}", f"freq={render.freq_of(nb['channel'], nb['band'])}",
                     f"ssid={nb['ssid']}", f"level={nb['signal']}"]
            if nb.get("mld"):
                lines.append(f"ap_mld_addr={nb['mld']}")
            return 0, "\n".join(lines) + "\n", ""
        return 0, "UNKNOWN COMMAND\n", ""

    # ---------------------------------------------------------------- system tools
    def _cmd_wifi(self, a: list[str], _: str) -> tuple[int, str, str]:
        action = a[0] if a else ""
        if action == "status":
            return 0, json.dumps(TwinBus(self.twin).call("network.wireless", "status"),
                                 indent=1) + "\n", ""
        if action == "isup":
            return (0 if self.twin.phase() == "up" else 1), "", ""
        rc, err = self.twin.wifi(action)
        return rc, "", err

    def _cmd_rmmod(self, a: list[str], _: str) -> tuple[int, str, str]:
        return (0, "", "") if a == ["mt7996e"] else (1, "", f"rmmod: {' '.join(a)}: not found\n")

    def _cmd_modprobe(self, a: list[str], _: str) -> tuple[int, str, str]:
        """A re-probe of the driver. With the semaphore held the driver logs only the
        re-probe lines (spec/platform.md Addenda) and the chip stays locked; a free chip
        loads as at boot (the twin keeps its running state)."""
        if a != ["mt7996e"]:
            return 1, "", f"modprobe: {' '.join(a)}: not found\n"
        with self.twin.edit() as st:
            if not st["chip"]["locked"]:
                return 0, "", ""
            self.twin._kmsg(st, "mt7996e 0000:01:00.0: enabling device (0000 -> 0002)")
            self.twin._kmsg(st, "mt7996e 0000:01:00.0: Failed to get patch semaphore")
            self.twin._kmsg(st, "mt7996e 0000:01:00.0: failed to load patch: -11")
            self.twin._log(st, "kern.err kernel: mt7996e 0000:01:00.0: failed to load patch: -11")
        return 1, "", ""   # the module loader's own wording is not modelled

    def _cmd_reboot(self, a: list[str], _: str) -> tuple[int, str, str]:
        self.twin.reboot()
        return 0, "", ""

    def _cmd_dmesg(self, a: list[str], _: str) -> tuple[int, str, str]:
        st = self.twin.load()
        lines = [f"[{t:12.6f}] {line}" for t, line in st["kmsg"]]
        return 0, "\n".join(lines) + ("\n" if lines else ""), ""

    def _cmd_logread(self, a: list[str], _: str) -> tuple[int, str, str]:
        st = self.twin.load()
        lines = [time.strftime("%a %b %e %H:%M:%S %Y ", time.gmtime(t)) + line
                 for t, line in st["log"]]
        if "-e" in a and a.index("-e") + 1 < len(a):
            pat = a[a.index("-e") + 1]
            lines = [ln for ln in lines if pat in ln]
        if "-l" in a and a.index("-l") + 1 < len(a) and a[a.index("-l") + 1].isdigit():
            lines = lines[-int(a[a.index("-l") + 1]):]
        return 0, "\n".join(lines) + ("\n" if lines else ""), ""

    def _cmd_init_d(self, a: list[str], path: str) -> tuple[int, str, str]:
        svc = path.rsplit("/", 1)[-1]
        known = {"network", "firewall", "dnsmasq", "rpcd", "wifimgr", "wifimgr-monitor",
                 "relayd", "odhcpd", "uhttpd", "system"}
        if svc not in known:
            return 127, "", f"/bin/sh: {path}: not found\n"
        action = a[0] if a else ""
        with self.twin.edit() as st:
            st["services"].append([self.twin.now(st), svc, action])
            del st["services"][:-200]
            self.twin._log(st, f"user.notice init: {svc} {action}")
        if svc == "wifimgr" and action in ("start", "stop", "restart", "reload"):
            self._procd_wifimgr(action)
        if svc == "wifimgr-monitor" and action in ("start", "stop", "restart", "reload"):
            self._procd_monitor(action)
        return 0, "", ""

    def _steering_enabled(self) -> bool:
        if not self.twin.uci.exists("wifimgr"):
            return False
        sec = self.twin.uci.load("wifimgr").get("steering")
        return bool(sec and sec.get_str("enabled") in ("1", "on", "true", "yes"))

    def _procd_wifimgr(self, action: str) -> None:
        """What procd does with init.d/wifimgr: the ``steerd`` instance runs only while
        ``wifimgr.steering.enabled=1`` (start_service returns early otherwise). The twin runs
        the real daemon as a real process against itself."""
        self._procd("wifimgr", "steerd", action, self._steering_enabled())

    def _procd_monitor(self, action: str) -> None:
        """init.d/wifimgr-monitor under procd: the ``monitor`` instance runs unless
        ``wifimgr.monitor.enabled=0``; the twin runs the real monitor against itself."""
        sec = (self.twin.uci.load("wifimgr").get("monitor")
               if self.twin.uci.exists("wifimgr") else None)
        enabled = sec is None or sec.get_str("enabled", "1") not in ("0", "off", "false", "no")
        self._procd("wifimgr-monitor", "monitor", action, enabled)

    def _procd(self, service: str, instance: str, action: str, enabled: bool) -> None:
        """procd's start/stop/restart/reload of one instance ``wifimgr <instance>``."""
        import signal
        import sys

        running = procd_instance(self.twin, service, instance)
        if action in ("stop", "restart", "reload") and running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(running["pid"], signal.SIGTERM)
            with self.twin.edit() as st:
                st.get("procd", {}).pop(service, None)
            running = None
        if action == "stop" or running or not enabled:
            return
        lib = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = {"WIFIMGR_SIM": self.twin.dir,
               "PYTHONPATH": os.pathsep.join(p for p in (lib, os.environ.get("PYTHONPATH"))
                                             if p)}
        pid = self.spawn_detached([sys.executable, "-m", "wifimgr", instance], env=env)
        with self.twin.edit() as st:
            st.setdefault("procd", {})[service] = {
                instance: {"pid": pid, "command": ["/usr/bin/wifimgr", instance],
                           "started": self.twin.now(st)}}

    def _cmd_logger(self, a: list[str], _: str) -> tuple[int, str, str]:
        tag = a[a.index("-t") + 1] if "-t" in a and a.index("-t") + 1 < len(a) else "root"
        msg = " ".join(x for i, x in enumerate(a) if not (x.startswith("-") or (
            i > 0 and a[i - 1] in ("-t", "-p"))))
        prio = a[a.index("-p") + 1] if "-p" in a and a.index("-p") + 1 < len(a) else "user.notice"
        with self.twin.edit() as st:      # logread prints facility.level as logger -p set it
            self.twin._log(st, f"{prio} {tag}: {msg}")
        return 0, "", ""

    def _cmd_ubus(self, a: list[str], _: str) -> tuple[int, str, str]:
        args = [x for x in a if x != "-S"]
        while args and args[0] == "-t":
            args = args[2:]
        bus = TwinBus(self.twin)
        if args[:1] == ["list"]:
            return 0, "\n".join(bus.objects(args[1] if len(args) > 1 else None)) + "\n", ""
        if args[:1] == ["call"] and len(args) >= 3:
            try:
                params = json.loads(args[3]) if len(args) > 3 else {}
                reply = bus.call(args[1], args[2], params)
            except UbusError as exc:
                text = exc.status_name.replace("_", " ").title()
                return exc.status, "", f"Command failed: {text}\n"
            except ValueError:
                return 2, "", "Command failed: Invalid argument\n"
            return 0, json.dumps(reply, indent="\t") + "\n" if reply else "", ""
        return 1, "", "Usage: ubus [<options>] <command> [arguments...]\n"


class TwinBus:
    def __init__(self, twin: Twin):
        self.twin = twin

    def objects(self, pattern: str | None = None) -> list[str]:
        v = View.take(self.twin)
        names = ["iwinfo", "network", "network.wireless", "network.interface",
                 "network.interface.lan", "network.interface.wan", "network.interface.wan6",
                 "network.interface.loopback", "service", "system", "hostapd"]
        if v.rt is not None:
            names += [f"hostapd.{b.ifname}" for b in v.rt.aps()]
        names.sort()
        return [n for n in names if pattern is None or fnmatch.fnmatchcase(n, pattern)]

    def listen(self, events: Sequence[str] = (), subscribe: Sequence[str] = ()
               ) -> TwinListener:
        """``ubus listen`` / ``ubus subscribe`` on the twin (:class:`TwinListener`)."""
        return TwinListener(self.twin, events, subscribe)

    def call(self, obj: str, method: str, args: dict[str, Any] | None = None, *,
             timeout: float = 5.0) -> dict[str, Any]:
        args = args or {}
        v = View.take(self.twin)
        if obj == "network.wireless" and method == "status":
            return self._wireless_status(v)
        if obj == "network" and method == "reload":
            return {}
        if obj.startswith("hostapd.") and obj != "hostapd":
            b = v.rt.by_ifname(obj[8:]) if v.rt else None
            if b is None or b.mode != "ap":
                raise UbusError(4, f"Object '{obj}' not found")
            if method == "get_status":
                assert v.rt is not None
                r = v.rt.radios[b.radio]
                # the reply of OpenWrt's hostapd ubus (real captures openwrt-hostapd-ubus-doc,
                # netifyd-hwsim-ubus, homeassistant-openwrt-clients)
                lk = b.links[0] if b.mld else None
                width = lk.width if lk else r.width
                band = lk.band if lk else r.band
                up_ms = int(v.up_for() * 1000)
                util = v.chan_util(v.rt.radios[lk.radio] if lk else r)
                return {"status": v.bss_state(b), "bssid": lk.addr if lk else b.addr,
                        "ssid": b.ssid, "freq": lk.freq if lk else r.freq,
                        "channel": lk.channel if lk else r.channel,
                        "op_class": _OP_CLASS.get((band, width), 0), "beacon_interval": 100,
                        "bss_color": -1, "phy": "phy0", "rrm": {"neighbor_report_tx": 0},
                        "wnm": {"bss_transition_query_rx": 0, "bss_transition_request_tx": 0,
                                "bss_transition_response_rx": 0},
                        "airtime": {"time": up_ms, "time_busy": up_ms * min(util, 100) // 100,
                                    "utilization": min(util, 100)},
                        "dfs": {"cac_seconds": r.cac_s, "cac_active": v.bss_state(b) == "DFS",
                                "cac_seconds_left": v.cac_left(r)}}
            if method == "get_clients":
                return {"freq": b.links[0].freq if b.mld else v.rt.radios[b.radio].freq,
                        "clients": {a.mac: _client(a) for a in v.assocs
                                    if a.bss.ifname == b.ifname}}
            raise UbusError(3, "Method not found")
        if obj == "iwinfo":
            return self._iwinfo(v, method, args)
        if obj.startswith("network.interface.") and method == "status":
            return self._iface_status(v, obj.split(".", 2)[2])
        if obj == "system" and method == "board":
            return {"kernel": "6.12.28", "hostname": "OpenWrt", "system": "ARMv8 Processor rev 4",
                    "model": "Bananapi BPI-R4", "board_name": "bananapi,bpi-r4",
                    "rootfs_type": "squashfs",
                    "release": {"distribution": "OpenWrt", "version": "25.12-SNAPSHOT",
                                "revision": "r30152-13ff2256", "target": "mediatek/filogic",
                                "description": "OpenWrt 25.12-SNAPSHOT r30152-13ff2256 "
                                               "(MTK SDK)"}}
        if obj == "system" and method == "info":
            up = int(v.now - v.st["boot"]["time"])
            return {"localtime": int(v.now), "uptime": up, "load": [8192, 4096, 2048],
                    "memory": {"total": 4123000832, "free": 3501000704, "shared": 12001280,
                               "buffered": 0, "available": 3590000640, "cached": 210763776}}
        if obj == "service" and method == "list":
            name = (args or {}).get("name")
            inst = procd_instance(self.twin)
            if inst is None or (name and name != "wifimgr"):
                return {}
            return {"wifimgr": {"instances": {"steerd": {
                "running": True, "pid": inst["pid"], "command": inst["command"],
                "term_timeout": 5, "respawn": {"threshold": 3600, "timeout": 5, "retry": 5},
                "stdout": False, "stderr": True}}}}
        raise UbusError(4, f"Object '{obj}' not found")

    def _wireless_status(self, v: View) -> dict[str, Any]:
        applied, _booted = v.twin.packages(v.st)
        from .runtime import radios_of

        out: dict[str, Any] = {}
        rt = v.rt
        for r in radios_of(applied).values():
            up = rt is not None and not r.disabled
            ifaces = []
            if rt is not None:
                for b in rt.bsses:
                    if r.index in b.radios:
                        ifaces.append({"section": b.section, "config": _iface_cfg(b.options),
                                       "ifname": b.ifname, "vlans": [], "stations": []})
            out[r.name] = {"up": up, "pending": v.phase in ("booting", "reloading"),
                           "autostart": True, "disabled": r.disabled,
                           "retry_setup_failed": v.phase == "locked",
                           "config": _radio_cfg(r.section.options), "interfaces": ifaces}
        return out

    def _iwinfo(self, v: View, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "devices":
            return {"devices": [b.ifname for b in v.rt.bsses] if v.rt else []}
        dev = args.get("device")
        b = v.rt.by_ifname(dev) if (v.rt and dev) else None
        if method == "scan":
            if b is None:
                raise UbusError(4, "device not found")
            assert v.rt is not None
            bands = {v.rt.radios[r].band for r in b.radios if r in v.rt.radios}
            if not b.mld and bands == {"6g"} and b.mode == "sta":
                return {"results": []}
            return {"results": [render.iwinfo_scan_entry(nb) for nb in v.st["neighbours"]
                                if nb["band"] in bands]}
        if b is None:
            raise UbusError(4, "device not found")
        assert v.rt is not None
        if method == "info":
            r = v.rt.radios[b.radio]
            return {"phy": "phy0", "ssid": b.ssid, "bssid": b.addr.upper(),
                    "country": r.country, "mode": "Master" if b.mode == "ap" else "Client",
                    "channel": r.channel, "center_chan1": render.center_channel(
                        r.channel, r.band, r.width), "frequency": r.freq,
                    "txpower": int(v.txpower(r)), "quality": 0, "quality_max": 70,
                    "signal": 0, "noise": int(v.st["rf"][r.band]["noise"]),
                    "bitrate": 0, "htmode": r.htmode,
                    "hardware": {"name": "MediaTek MT7996E"}}
        if method == "assoclist":
            out = []
            for a in v.assocs:
                if a.bss.ifname == b.ifname:
                    sig = max((ln.signal for ln in a.links if ln.signal is not None),
                              default=0)
                    out.append({"mac": a.mac.upper(), "signal": sig, "inactive":
                                min(ln.inactive_ms for ln in a.links),
                                "connected_time": a.connected_s})
            return {"results": out}
        raise UbusError(3, "Method not found")

    def _iface_status(self, v: View, name: str) -> dict[str, Any]:
        pkg = v.twin.uci.load("network")
        sec = pkg.get(name)
        if sec is None or sec.type != "interface":
            raise UbusError(4, f"Object 'network.interface.{name}' not found")
        proto = sec.get_str("proto", "none")
        st: dict[str, Any] = {"up": True, "pending": False, "available": True,
                              "autostart": True, "dynamic": False, "proto": proto,
                              "device": sec.get_str("device", ""), "ipv4-address": []}
        if proto == "static" and sec.get_str("ipaddr"):
            mask = sec.get_str("netmask", "255.255.255.0") or "255.255.255.0"
            bits = sum(bin(int(x)).count("1") for x in mask.split("."))
            st["ipv4-address"] = [{"address": sec.get_str("ipaddr"), "mask": bits}]
        elif proto == "dhcp":
            # a STA uplink gets an address only when its STA is connected
            connected = False
            if v.rt is not None:
                for b in v.rt.bsses:
                    if b.mode == "sta" and b.network == name and v.sta_connection(b):
                        connected = True
            if name == "wan" or connected:
                st["ipv4-address"] = [{"address": "192.168.50.23" if connected else
                                       "10.0.0.23", "mask": 24}]
            else:
                st["up"] = False
        return st


def _client(a: Association) -> dict[str, Any]:
    """One client of ``ubus call hostapd.<if> get_clients``, with the fields and order of the
    real reply (tests/fixtures/captures/dawn-139)."""
    gen = int(a.station.get("generation", 7))
    band = a.links[0].band if a.links else "5g"
    act = [ln for ln in a.links if ln.active]
    best = max(act, key=lambda ln: ln.signal or -999) if act else None
    rx_p = sum(ln.rx_packets for ln in a.links)
    tx_p = sum(ln.tx_packets for ln in a.links)

    def kbps(rate: str) -> int:
        try:
            return int(float(rate.split()[0]) * 1000)
        except (ValueError, IndexError):
            return 0

    mcs = {f"{n}ss": (9 if n <= int(a.station.get("nss", 2)) else -1) for n in range(1, 9)}
    out: dict[str, Any] = {
        "auth": True, "assoc": True, "authorized": True, "preauth": False, "wds": False,
        "wmm": True, "ht": gen >= 4, "vht": gen >= 5 and band != "2g", "he": gen >= 6,
        "wps": False, "mfp": True, "rrm": [0, 0, 0, 0, 0],
        "extended_capabilities": [0, 0, 0, 0, 0, 0, 0, 64], "aid": 1,
        "bytes": {"rx": rx_p * 900, "tx": tx_p * 1200},
        "airtime": {"rx": rx_p * 150, "tx": tx_p * 310},
        "packets": {"rx": rx_p, "tx": tx_p},
        "rate": {"rx": kbps(best.rx_rate) if best else 0,
                 "tx": kbps(best.tx_rate) if best else 0},
        "signal": best.signal if best and best.signal is not None else 0}
    if out["vht"]:
        out["capabilities"] = {"vht": {"su_beamformee": True, "mu_beamformee": False,
                                       "mcs_map": {"rx": dict(mcs), "tx": dict(mcs)}}}
    return out


#: global operating class by band and width (IEEE 802.11 Annex E; what hostapd reports)
_OP_CLASS = {("2g", 20): 81, ("2g", 40): 83, ("5g", 20): 115, ("5g", 40): 116, ("5g", 80): 128,
             ("5g", 160): 129, ("6g", 20): 131, ("6g", 40): 132, ("6g", 80): 133,
             ("6g", 160): 134, ("6g", 320): 137}


#: options netifd's wireless schema types (booleans and numbers in its status reply)
_BOOL_OPTS = {"disabled", "hidden", "isolate"}
_INT_OPTS = {"cell_density", "txpower"}


def _typed(k: str, v: Any) -> Any:
    if k in _BOOL_OPTS and v in ("0", "1"):
        return v == "1"
    if k in _INT_OPTS and isinstance(v, str) and v.lstrip("-").isdigit():
        return int(v)
    return v


def _radio_cfg(options: dict[str, Any]) -> dict[str, Any]:
    return {k: _typed(k, v) for k, v in options.items()}


def _iface_cfg(options: dict[str, Any]) -> dict[str, Any]:
    """A wifi-iface's config as netifd 25.12 reports it: ``network`` and ``device`` as arrays,
    a ``radios`` array, typed booleans (real capture xiaomi-ax6000-owrt2512/wifi-status.json)."""
    out: dict[str, Any] = {}
    for k, v in options.items():
        if k in ("network", "device") and not isinstance(v, list):
            v = str(v).split()
        out[k] = _typed(k, v)
    out.setdefault("radios", [])
    return out


class TwinFs:
    """Files rendered from the twin state on read (router paths)."""

    def __init__(self, twin: Twin):
        self.twin = twin

    def _files(self, v: View) -> dict[str, Any]:
        files: dict[str, Any] = {
            "/proc/version": "Linux version 6.12.28 (builder@buildhost) (aarch64-openwrt-linux-"
                             "musl-gcc (OpenWrt GCC 14.3.0 r30152-13ff2256) 14.3.0, GNU ld (GNU "
                             "Binutils) 2.44) #0 SMP Mon Nov 16 09:12:03 2026\n",
            "/sys/firmware/devicetree/base/model": "Bananapi BPI-R4\0",
            "/etc/board.json": json.dumps({"model": {"id": "bananapi,bpi-r4",
                                                     "name": "Bananapi BPI-R4"},
                                           "wlan": {"phy0": {"path": "soc/11300000.pcie/"
                                                             "pci0000:00/0000:00:00.0/"
                                                             "0000:01:00.0"}}}, indent="\t")
                               + "\n",
            "/sys/class/thermal/thermal_zone0/type": "cpu-thermal\n",
            "/sys/class/thermal/thermal_zone0/temp": f"{self._temp(v, 51.0, 0)}\n",
            "/sys/class/thermal/thermal_zone1/type": "eth2p5g-thermal\n",
            "/sys/class/thermal/thermal_zone1/temp": f"{self._temp(v, 58.0, 1)}\n",
        }
        if v.phase == "locked" or v.phase == "off":
            return files
        files["/sys/kernel/debug/ieee80211/phy0/mt76/sku_disable"] = f"{v.st['sku_disable']}\n"
        if v.st["variant"] == "zeroed-eeprom":
            files["/sys/kernel/debug/ieee80211/phy0/mt76/eeprom_mode"] = "efuse mode\n"
        for i in range(3):
            d = f"{HWMON_BASE}/hwmon{i + 1}"
            files[f"{d}/name"] = f"mt7996_phy0.{i}\n"
            files[f"{d}/temp1_input"] = f"{self._temp(v, 47.0 + 4 * i, 10 + i)}\n"
        if v.rt is not None:
            lines = []
            for r in v.rt.radios.values():
                if r.band == "5g" and r.dfs:
                    state = "Unavailable" if v.cac_left(r) else "Available"
                    lines.append(f"Channel = {r.channel}, DFS_state = {state}")
            files["/sys/kernel/debug/ieee80211/phy0/dfs_status"] = "\n".join(lines) + "\n"
            for r in v.rt.radios.values():
                files[f"/sys/kernel/debug/ieee80211/phy0/mt76/band{r.index}/txpower_info"] = \
                    render.txpower_info(r.index, r.band, sku=v.radio_sku(r),
                                        auto_half_db=int(v.txpower(r, target=True) * 2),
                                        sku_idx=int(r.section.get_str("sku_idx") or 0))
                rule = render.chan_rule(r.country, r.band, r.channel)
                files[f"/sys/kernel/debug/ieee80211/phy0/mt76/band{r.index}/txpower_sku"] = \
                    render.txpower_sku(r.index, r.channel,
                                       target_half_db=int(v.txpower(r, target=True) * 2),
                                       regdb_dbm=rule[0] if rule else 0,
                                       eeprom_dbm=int(v.eeprom_max(r)))
            for b in v.rt.bsses:
                rx = sum(ln.rx_packets for a in v.assocs if a.bss.ifname == b.ifname
                         for ln in a.links) * 900
                tx = sum(ln.tx_packets for a in v.assocs if a.bss.ifname == b.ifname
                         for ln in a.links) * 1200
                files[f"/sys/class/net/{b.ifname}/statistics/rx_bytes"] = f"{rx}\n"
                files[f"/sys/class/net/{b.ifname}/statistics/tx_bytes"] = f"{tx}\n"
        return files

    @staticmethod
    def _temp(v: View, base: float, seed: int) -> int:
        load = 3.0 * len(v.assocs) if v.rt else 0.0
        wobble = 1.5 * math.sin(v.now / 47.0 + seed)
        return int((base + load + wobble) * 1000)

    def _leases(self, v: View) -> dict[str, str]:
        """dnsmasq's lease file at the path(s) the twin's `dhcp` config names (default
        /tmp/dhcp.leases): one line per associated station that asked for a host name, as
        dnsmasq writes it (``<expiry> <mac> <ip> <hostname|*> <client-id>``), and
        /etc/ethers when the twin directory holds one."""
        out: dict[str, str] = {}
        ethers = os.path.join(self.twin.dir, "etc", "ethers")
        if os.path.isfile(ethers):
            with open(ethers, encoding="utf-8", errors="surrogateescape") as fh:
                out["/etc/ethers"] = fh.read()
        if v.rt is None:
            return out
        lines = []
        for a in v.assocs:
            sta = a.station
            h = zlib.crc32(sta["mac"].encode()) % 150 + 100
            lines.append(f"{int(v.now - a.connected_s) + 43200} {sta['mac']} 192.168.1.{h} "
                         f"{sta.get('hostname') or '*'} 01:{sta['mac']}")
        paths = []
        with contextlib.suppress(Exception):
            dhcp = self.twin.uci.load("dhcp")
            paths = [p for p in (s.get_str("leasefile") for s in dhcp.of_type("dnsmasq")) if p]
        for p in paths or ["/tmp/dhcp.leases"]:  # noqa: S108 — dnsmasq's default
            out[p] = "".join(line + "\n" for line in lines)
        return out

    def read_text(self, path: str) -> str | None:
        v = View.take(self.twin)
        if path == "/etc/ethers" or path.startswith("/tmp/"):  # noqa: S108 — router paths
            hit = self._leases(v).get(path)
            if hit is not None:
                return hit
        return self._files(v).get(path)

    def exists(self, path: str) -> bool:
        files = self._files(View.take(self.twin))
        if path in files:
            return True
        prefix = path.rstrip("/") + "/"
        return any(p.startswith(prefix) for p in files)

    def glob(self, pattern: str) -> list[str]:
        files = self._files(View.take(self.twin))
        dirs = {p.rsplit("/", k)[0] for p in files for k in range(1, p.count("/"))}
        return sorted(p for p in set(files) | dirs if fnmatch.fnmatchcase(p, pattern))

    def write_text(self, path: str, text: str) -> None:
        raise PermissionError(f"{path}: read-only in the twin")



class TwinListener:
    """The twin's ``ubus listen`` / ``ubus subscribe``: it watches the twin's state and emits
    what hostapd and ubusd would — to subscribers of ``hostapd.<ifname>`` a ``sta-authorized``
    when a station joins (with ``ap_mld_address``, ``assoc_link_id`` and ``links`` for an MLD
    station, as hostapd's ubus.c adds them) and a ``disassoc`` when it leaves; to listeners of
    ``ubus.object.add`` / ``ubus.object.remove`` the hostapd objects that appear and go (a
    reload, a boot). Stations present when the subscription starts send nothing, as on the
    router. Works across processes: any process that changes the twin changes its state file."""

    #: real seconds between two looks at an unchanged twin (its clock still moves on)
    IDLE_CHECK_S = 1.0

    def __init__(self, twin: Twin, events: Sequence[str], subscribe: Sequence[str]):
        self.twin = twin
        self.events = list(events)
        self.subscribe = set(subscribe)
        self._mtime = -1
        self._checked = 0.0
        self._objects, self._stations = self._look()

    def _look(self) -> tuple[set[str], dict[str, dict[str, Any]]]:
        v = View.take(self.twin)
        objects = set(TwinBus(self.twin).objects("hostapd.*")) - {"hostapd"}
        stations: dict[str, dict[str, Any]] = {}
        for a in v.assocs:
            stations[f"{a.bss.ifname}\0{a.mac}"] = {"ifname": a.bss.ifname, "mac": a.mac,
                                                    "assoc": a}
        return objects, stations

    @staticmethod
    def _authorized(a: Association) -> dict[str, Any]:
        data: dict[str, Any] = {"address": a.mac, "ifname": a.bss.ifname,
                                "auth-alg": "open" if a.bss.encryption == "none" else "sae"}
        if a.mld:
            data["ap_mld_address"] = a.bss.addr
            data["assoc_link_id"] = a.links[0].link_id if a.links else 0
            data["links"] = [{"link_id": ln.link_id, "address": ln.addr,
                              "bssid": next((bl.addr for bl in a.bss.links
                                             if bl.link_id == ln.link_id), a.bss.addr)}
                             for ln in a.links]
        return data

    def _events(self) -> list[BusEvent]:
        objects, stations = self._look()
        out: list[BusEvent] = []

        def wants(pattern_list: list[str], name: str) -> bool:
            return any(fnmatch.fnmatchcase(name, p) for p in pattern_list)

        for path in sorted(objects - self._objects):
            if wants(self.events, "ubus.object.add"):
                out.append(BusEvent("", "ubus.object.add", {"id": abs(hash(path)) % 2**31,
                                                            "path": path}))
        for key in sorted(set(self._stations) - set(stations)):
            old = self._stations[key]
            obj = f"hostapd.{old['ifname']}"
            if obj in self.subscribe:
                out.append(BusEvent(obj, "disassoc", {"address": old["mac"],
                                                      "ifname": old["ifname"]}))
        for key in sorted(set(stations) - set(self._stations)):
            new = stations[key]
            obj = f"hostapd.{new['ifname']}"
            if obj in self.subscribe:
                out.append(BusEvent(obj, "sta-authorized", self._authorized(new["assoc"])))
        for path in sorted(self._objects - objects):
            if wants(self.events, "ubus.object.remove"):
                out.append(BusEvent("", "ubus.object.remove", {"id": abs(hash(path)) % 2**31,
                                                               "path": path}))
        self._objects, self._stations = objects, stations
        return out

    def poll(self, timeout: float) -> list[BusEvent]:
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                mtime = os.stat(self.twin.state_path).st_mtime_ns
            except FileNotFoundError:
                return []
            now = time.monotonic()
            if mtime != self._mtime or now - self._checked >= self.IDLE_CHECK_S:
                self._mtime, self._checked = mtime, now
                found = self._events()
                if found:
                    return found
            left = deadline - time.monotonic()
            if left <= 0:
                return []
            time.sleep(min(0.1, left))

    def dead(self) -> list[str]:
        return []

    def close(self) -> None:
        self._stations = {}

