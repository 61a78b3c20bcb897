"""One snapshot of the live system for one API call.

Every tool is run at most once per call (lazily) and parsed with :mod:`wifimgr.parse`. Missing
data never raises: a command that fails (interface down, hostapd gone, chip locked) or prints
something its parser cannot read yields ``None`` for that datum and a note in
:attr:`Live.notes`, so read methods still answer with everything else (a partial result).
Runtime names (ifnames, link ids, frequencies) come from here, never from assumptions.
"""

from __future__ import annotations

import json
import os
import time
from functools import cached_property

from ..core.errors import ParseError
from ..model.wireless import WirelessConfig
from ..parse.common import band_of
from ..platform import state
from ..platform.ubus import UbusError
from ..platform.ucitext import Package

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..model.capabilities import Capabilities
    from ..parse import dmesg, hostapd, iw_dev, iw_phy, iw_reg, iw_station, iw_survey
    from ..platform import System

CMD_TIMEOUT = 5.0


#: hostapd's control-socket directory on OpenWrt (``ctrl_interface`` netifd writes)
HOSTAPD_CTRL = "/var/run/hostapd"


class Live:
    def __init__(self, system: System):
        self.sys = system
        self.notes: list[str] = []
        self._cache: dict[tuple, Any] = {}

    # ------------------------------------------------------------------ plumbing
    def run(self, *argv: str, timeout: float = CMD_TIMEOUT) -> str | None:
        key = ("run", *argv)
        if key not in self._cache:
            try:
                res = self.sys.run.run(list(argv), timeout=timeout)
            except OSError as exc:   # a tool that cannot run (or hangs) is a missing reading
                self.notes.append(f"{' '.join(argv[:3])}: {exc}")
                self._cache[key] = None
                return None
            if res.timed_out:
                self.notes.append(f"{' '.join(argv[:3])} timed out")
                self._cache[key] = None
            elif res.rc != 0 and not res.stdout:
                self._cache[key] = None
            else:
                self._cache[key] = res.stdout
        return self._cache[key]

    def ubus(self, obj: str, method: str, args: dict | None = None) -> dict | None:
        key = ("ubus", obj, method, json.dumps(args or {}, sort_keys=True))
        if key not in self._cache:
            try:
                self._cache[key] = self.sys.bus.call(obj, method, args or {}, timeout=5)
            except UbusError as exc:
                if exc.status != 4:
                    self.notes.append(f"ubus {obj} {method}: {exc.message}")
                self._cache[key] = None
        return self._cache[key]

    def _parse(self, fn, text: str | None, what: str):
        """``fn(text)``, or None with a note when the text cannot be read. The parsers raise
        nothing but ParseError; anything else is caught too, so one unreadable reply never
        fails a whole read call."""
        if text is None:
            return None
        # the monitor's sample and the replies made from it (monitor/replies.py) share one
        # parse of each output: parsed values are read, never changed
        shared = self.sys.extra.get("parsed")
        if shared is None:
            return self._parse_now(fn, text, what)
        key = (fn, text, what)
        if key not in shared:
            n = len(self.notes)
            value = self._parse_now(fn, text, what)
            shared[key] = (value, self.notes[n:])
            return value
        value, notes = shared[key]
        self.notes.extend(notes)        # each reader says what it could not read
        return value

    def _parse_now(self, fn, text: str, what: str):
        try:
            out = fn(text)
            # a parser that reads block by block keeps what it could and notes what it dropped
            self.notes.extend(f"could not parse part of {what}: {n}"
                              for n in getattr(out, "notes", ()))
            return out
        except ParseError as exc:
            self.notes.append(f"could not parse {what}: {exc.message}")
        except Exception as exc:  # a parser bug must not fail the whole call
            self.notes.append(f"could not parse {what}: {type(exc).__name__}: {exc}"[:240])
        return None

    def read_file(self, parse, path: str):
        """Read a file (debugfs, sysfs) and parse it; None with a note when it cannot be."""
        return self._parse(parse, self.sys.fs.read_text(path), path)

    def read(self, parse, *argv: str):
        """Run ``argv`` and parse its output; None (with a note) when either fails."""
        return self._parse(parse, self.run(*argv), " ".join(argv[:4]))

    # ------------------------------------------------------------------ config
    @cached_property
    def packages(self) -> dict[str, Package]:
        out = {}
        for name in ("wireless", "network"):
            out[name] = self.sys.uci.load(name) if self.sys.uci.exists(name) else Package(name)
        return out

    @cached_property
    def config(self) -> WirelessConfig:
        return WirelessConfig(self.packages["wireless"], self.packages["network"])

    @cached_property
    def caps(self) -> Capabilities:
        """The capability map of this router (asked once per boot: :mod:`wifimgr.host.probe`)."""
        from ..host import probe

        return probe.capabilities(self.sys)

    # ------------------------------------------------------------------ radios/ifaces
    @cached_property
    def interfaces(self) -> list[iw_dev.Interface]:
        from ..parse import iw_dev

        return self._parse(iw_dev.parse_dev, self.run("iw", "dev"), "iw dev") or []

    def interface(self, ifname: str) -> iw_dev.Interface | None:
        return next((i for i in self.interfaces if i.name == ifname), None)

    @cached_property
    def wireless_status(self) -> dict[str, Any]:
        return self.ubus("network.wireless", "status") or {}

    @cached_property
    def section_ifnames(self) -> dict[str, list[str]]:
        """UCI wifi-iface section → runtime ifnames (from netifd)."""
        out: dict[str, list[str]] = {}
        for radio in self.wireless_status.values():
            for i in radio.get("interfaces", []) or []:
                sec, ifn = i.get("section"), i.get("ifname")
                if sec and ifn and ifn not in out.setdefault(sec, []):
                    out[sec].append(ifn)
        return out

    def ifname_of(self, section: str) -> str | None:
        names = self.section_ifnames.get(section) or []
        return names[0] if names else None

    def radio_up(self, radio: str) -> bool:
        return bool((self.wireless_status.get(radio) or {}).get("up"))

    def ap_interfaces(self) -> list[iw_dev.Interface]:
        return [i for i in self.interfaces if i.type == "AP"]

    def ap_mld(self) -> iw_dev.Interface | None:
        """The AP MLD that is up (the first AP listing ``MLD with links``), if any."""
        return next((i for i in self.ap_interfaces() if i.links), None)

    # ------------------------------------------------------------------ stations
    def stations(self, ifname: str) -> list[iw_station.Station]:
        from ..parse import iw_station

        return self._parse(iw_station.parse_station_dump,
                           self.run("iw", "dev", ifname, "station", "dump"),
                           f"{ifname} station dump") or []

    def station_count(self, ifname: str) -> int:
        """Stations on an interface without parsing the whole dump."""
        text = self.run("iw", "dev", ifname, "station", "dump") or ""
        return text.startswith("Station ") + text.count("\nStation ")

    def sta_info(self, ifname: str) -> dict[str, hostapd.StaInfo]:
        from ..parse import hostapd

        text = self.run("hostapd_cli", "-i", ifname, "all_sta")
        if text is None or hostapd.classify_reply(text) in ("fail", "error"):
            return {}
        parsed = self._parse(hostapd.parse_sta_list, text, f"{ifname} all_sta") or []
        return {s.mac: s for s in parsed}

    def hostapd_status(self, ifname: str, link: int | None = None) -> hostapd.Status | None:
        from ..parse import hostapd

        argv = ["hostapd_cli", "-i", ifname]
        if link is not None:
            # upstream hostapd: one control socket per link, ``<mld>_link<N>`` (hostap 14cb3906);
            # its hostapd_cli has no ``-l`` (the MTK SDK's has, and no per-link sockets)
            sock = f"{HOSTAPD_CTRL}/{ifname}_link{link}"
            argv = (["hostapd_cli", "-i", f"{ifname}_link{link}"] if self.sys.fs.exists(sock)
                    else [*argv, "-l", str(link)])
        text = self.run(*argv, "status")
        if text is None or hostapd.classify_reply(text) in ("fail", "error"):
            return None
        return self._parse(hostapd.parse_status, text, f"{ifname} status")

    def wpa_status(self, ifname: str) -> dict[str, str] | None:
        from ..parse import hostapd, wpa

        text = self.run("wpa_cli", "-i", ifname, "status")
        if text is None or hostapd.classify_reply(text) == "error":
            return None
        return self._parse(wpa.parse_status, text, f"{ifname} wpa status")

    # ------------------------------------------------------------------ survey, health
    @cached_property
    def survey(self) -> list[iw_survey.SurveyEntry]:
        """The shared wiphy's survey (one [in use] entry per running radio)."""
        from ..parse import iw_survey

        for intf in self.interfaces:
            text = self.run("iw", "dev", intf.name, "survey", "dump")
            entries = self._parse(iw_survey.parse_survey, text, "survey dump")
            if entries:
                return entries
        return []

    @cached_property
    def health(self) -> dmesg.ChipHealth:
        from ..parse import dmesg

        return self._parse(dmesg.parse, self.run("dmesg") or "", "dmesg") or \
            dmesg.ChipHealth(locked=False)

    @cached_property
    def reg(self) -> list[iw_reg.RegDomain]:
        from ..parse import iw_reg

        return self._parse(iw_reg.parse_reg, self.run("iw", "reg", "get"), "iw reg get") or []

    @cached_property
    def phy_channels(self) -> list[iw_phy.PhyChannel]:
        from ..parse import iw_phy

        chans = self._parse(iw_phy.parse_channels, self.run("iw", "phy", "phy0", "channels"),
                            "iw phy channels")
        if chans:
            return chans
        phys = self._parse(iw_phy.parse_phy, self.run("iw", "phy", "phy0", "info"), "iw phy") or []
        return [c for p in phys for c in p.channels]

    # ------------------------------------------------------------------ per-radio runtime
    def radio_runtime(self, radio: str) -> dict[str, Any]:
        """Live channel/freq/width/txpower of a radio from iw (legacy iface or MLD link)."""
        r = self.config.radios.get(radio)
        band = r.band if r else None
        out: dict[str, Any] = {"freq_mhz": None, "channel": None, "width_mhz": None,
                               "txpower_dbm": None, "ifname": None, "link_id": None}
        if band is None:
            return out
        for intf in self.interfaces:
            chans: list[tuple[Any, float | None, int | None]] = []
            if intf.links:
                chans = [(ln.channel, ln.txpower_dbm, ln.link_id) for ln in intf.links]
            elif intf.type == "AP":
                chans = [(intf.channel, intf.txpower_dbm, None)]
            for ch, txp, lid in chans:
                if ch is not None and band_of(ch.freq_mhz) == band:
                    out.update(freq_mhz=ch.freq_mhz, channel=ch.channel, width_mhz=ch.width_mhz,
                               txpower_dbm=txp, ifname=intf.name, link_id=lid)
                    return out
        return out

    def survey_for(self, freq: int | None) -> iw_survey.SurveyEntry | None:
        if freq is None:
            return None
        return next((e for e in self.survey if e.in_use and e.freq_mhz == freq), None)

    # ------------------------------------------------------------------ deltas
    def busy_pct(self, entry: iw_survey.SurveyEntry | None) -> tuple[float | None, str]:
        """Channel busy % over the interval since the previous call (counters diffed), or
        the lifetime ratio flagged as such when there is no earlier sample."""
        if entry is None or not entry.active_ms:
            return None, "none"
        path = os.path.join(self.sys.state_dir, "survey-samples.json")
        samples = state.read_json(path)
        if not isinstance(samples, dict):
            samples = {}
        key = str(entry.freq_mhz)
        prev = samples.get(key)
        now = self.sys.clock()
        result: tuple[float | None, str]
        if prev and entry.active_ms > prev["active"] and entry.busy_ms is not None:
            d_act = entry.active_ms - prev["active"]
            d_busy = (entry.busy_ms or 0) - prev["busy"]
            result = (round(max(0.0, min(100.0, 100.0 * d_busy / d_act)), 1), "delta")
        else:
            result = (round(100.0 * (entry.busy_ms or 0) / entry.active_ms, 1), "lifetime")
        if not prev or now - prev["t"] >= 2 or entry.active_ms < prev["active"]:
            samples[key] = {"t": now, "active": entry.active_ms, "busy": entry.busy_ms or 0}
            state.write_cache(path, json.dumps(samples))
        return result


def now_iso(t: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t if t is not None else time.time()))


def networks_running(lv: Live) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every wifi-iface the configuration wants running, with what runs; the AP MLDs."""
    w = lv.config
    nets: dict[str, Any] = {}
    mlds: dict[str, Any] = {}
    for i in w.ifaces:
        wanted = not i.disabled and any(w.radio_enabled(d) for d in i.devices)
        ifname = lv.ifname_of(i.name)
        intf = lv.interface(ifname) if ifname else None
        state = None
        if ifname and i.is_ap:
            st = lv.ubus(f"hostapd.{ifname}", "get_status")
            state = str((st or {}).get("status", "")).upper() or None
        up = state == "ENABLED" if i.is_ap else intf is not None
        nets[i.name] = {"ifname": ifname, "ssid": i.ssid, "mode": "ap" if i.is_ap else "sta",
                        "mlo": bool(i.mlo), "radios": list(i.devices), "wanted": wanted,
                        "up": up, "state": state}
        if i.mlo and i.is_ap:
            expected = sorted(w.mld_radios(i))
            links: dict[str, Any] = {}
            for ln in (intf.links if intf else []):
                if ln.channel is None:
                    continue
                radio = next((r.name for r in w.radios.values()
                              if r.band == ln.channel.band), None)
                links[str(ln.link_id)] = {"band": ln.channel.band, "freq_mhz": ln.channel.freq_mhz,
                                          "channel": ln.channel.channel, "radio": radio,
                                          "txpower_dbm": ln.txpower_dbm}
            mlds[i.name] = {"ifname": ifname, "ssid": i.ssid, "wanted": wanted,
                            "expected": expected, "links": links,
                            "links_up": len(links), "links_expected": len(expected)}
    return nets, mlds
