"""The twin's ``hostapd_cli`` (status, stations, deauth, A-TTLM, Neg-TTLM, broadcast TWT) and
``wpa_cli`` (a part of :class:`.runner.TwinRunner`)."""

from __future__ import annotations

from .. import render, render_hostapd
from .view import View

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..runtime import RBss
    from .view import TwinAccess

HOSTAPD_CONNECT_ERR = ("Failed to connect to hostapd - wpa_ctrl_open: No such file or "
                       "directory\n")

#: the MTK SDK's hostapd_cli commands (mtk-openwrt-feeds 64e34317 hostapd patches 0096 A-TTLM,
#: 0129 Neg-TTLM, 0167 get_neg_ttlm, 0184 get_attlm, 0207 broadcast TWT); upstream's
#: hostapd_cli table has none of them
MTK_CLI_COMMANDS = frozenset({"get_attlm", "set_attlm", "negotiated_ttlm", "get_neg_ttlm",
                              "neg_ttlm_teardown", "add_btwt", "del_btwt", "get_btwt"})
#: control command (what ``raw`` sends) → the twin's handler of the hostapd_cli name
RAW_MTK = {"GET_ATTLM": "get_attlm", "SET_ATTLM": "set_attlm",
           "NEGOTIATED_TTLM": "negotiated_ttlm", "NEG_TTLM_TEARDOWN": "neg_ttlm_teardown",
           "GET_NEG_TTLM": "get_neg_ttlm", "ADD_BROADCAST_TWT": "add_btwt",
           "DEL_BROADCAST_TWT": "del_btwt", "GET_BROADCAST_TWT": "get_btwt"}

#: what upstream hostapd_cli's usage() prints to stderr (hostap e4e91f53 hostapd/hostapd_cli.c,
#: VERSION_STR of src/common/version.h, CONFIG_CTRL_IFACE_DIR /var/run/hostapd). The command
#: list print_help() appends after ``commands:`` (one line per entry of its table) is left out.
UPSTREAM_USAGE = (
    "hostapd_cli v2.11-devel\n"
    "Copyright (c) 2004-2022, Jouni Malinen <j@w1.fi> and contributors\n"
    "\n"
    "usage: hostapd_cli [-p<path>] [-i<ifname>] [-hvBr] [-a<path>] \\\n"
    "                   [-P<pid file>] [-G<ping interval>] [command..]\n"
    "\n"
    "Options:\n"
    "   -h           help (show this usage text)\n"
    "   -v           shown version information\n"
    "   -p<path>     path to find control sockets (default: /var/run/hostapd)\n"
    "   -s<dir_path> dir path to open client sockets (default: /var/run/hostapd)\n"
    "   -a<file>     run in daemon mode executing the action file based on events\n"
    "                from hostapd\n"
    "   -r           try to reconnect when client socket is disconnected.\n"
    "                This is useful only when used with -a.\n"
    "   -B           run a daemon in the background\n"
    "   -i<ifname>   Interface to listen on (default: first interface found in the\n"
    "                socket path)\n"
    "\n"
    "commands:\n")


class HostapdTools:
    """``hostapd_cli`` and ``wpa_cli`` against the twin's hostapd and wpa_supplicant."""

    twin: TwinAccess

    def _cmd_hostapd_cli(self, a: list[str], prog: str) -> tuple[int, str, str]:
        v = View.take(self.twin)
        prof = v.profile
        ifname, link = None, None
        rest: list[str] = []
        i = 0
        while i < len(a):
            if a[i] == "-i" and i + 1 < len(a):
                ifname, i = a[i + 1], i + 2
            elif a[i] == "-l" and i + 1 < len(a) and prof.cli_link_option:
                link, i = a[i + 1], i + 2
            elif a[i] == "-l" and not rest:
                # upstream getopt("a:BhG:i:p:P:rs:v") has no -l: musl's getopt message, then
                # usage() and `return -1` (hostapd_cli.c main, hostap e4e91f53)
                return 255, "", f"{prog}: unrecognized option: l\n" + UPSTREAM_USAGE
            elif a[i] == "-p" and i + 1 < len(a):
                i += 2
            else:
                rest.append(a[i])
                i += 1
        if ifname and "_link" in ifname:
            # a per-link control socket <mld>_link<N> (upstream hostap 14cb3906; the twin's
            # MTK hostapd_cli resolves it the same way, as it did before profiles)
            ifname, link = ifname.split("_link", 1)
        b = v.rt.by_ifname(ifname) if (v.rt and ifname) else None
        if b is None or b.mode != "ap":
            return 255, "", HOSTAPD_CONNECT_ERR
        if not rest:
            return 0, "", ""
        if rest[0].lower() == "raw":
            return self._raw(v, b, link, rest[1:])
        cmd, args = rest[0].lower(), rest[1:]
        if prof.hostapd != "mtk" and cmd in MTK_CLI_COMMANDS:
            # upstream hostapd_cli's own table has none of them (hostapd_cli.c wpa_request)
            return 0, f"Unknown command '{rest[0]}'\n", ""
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
            return 0, render_hostapd.hostapd_status(
                b, radio, v.bss_state(b, lk.radio if lk else None),
                v.txpower(radio), util, lk, v.cac_left(radio),
                self._iface_bsses(v, radio.index)), ""
        if cmd == "all_sta":
            return 0, render_hostapd.all_sta(v.assocs, b.ifname), ""
        if cmd == "sta" and args:
            out = render_hostapd.all_sta(v.assocs, b.ifname, args[0])
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
            return 0, render_hostapd.attlm_status(self._active_attlm(v, b), v.now,
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
            maps = v.st["hostapd"]["neg_ttlm"].get(args[0].lower())
            return 0, render_hostapd.neg_ttlm_status(maps), ""
        if cmd == "add_btwt":
            return 0, self._add_btwt(b, args), ""
        if cmd == "get_btwt":
            groups = v.st["hostapd"]["btwt"].get(b.ifname, {})
            return 0, render_hostapd.btwt_status(groups, b.addr), ""
        if cmd == "del_btwt" and args:
            with self.twin.edit() as st:
                ok = st["hostapd"]["btwt"].get(b.ifname, {}).pop(args[0], None) is not None
            return 0, "OK\n" if ok else "FAIL\n", ""
        return 0, "UNKNOWN COMMAND\n", ""

    def _raw(self, v: View, b: RBss, link: str | None, words: list[str]
             ) -> tuple[int, str, str]:
        """``hostapd_cli … raw CMD ARGS``: the words go to hostapd as one control command,
        matched case-sensitively as hostapd does (ctrl_iface.c
        ``hostapd_ctrl_iface_receive_process``); what the daemon lacks it answers
        ``UNKNOWN COMMAND``. The MTK SDK's commands and their hostapd_cli names (patches
        0096 0129 0167 0184 0207 of mtk-openwrt-feeds 64e34317) exist on the ``mtk`` stack
        only."""
        if (words[:1] == ["LINKID"] and len(words) > 2 and v.profile.link_sockets
                and words[1].isdigit()):
            # the MLD-level socket addresses a link by the prefix `LINKID <id>` (hostap
            # 14cb3906); without it the first link answers. An id the MLD lacks: hostapd's
            # generic failure reply (that branch of 14cb3906 was not read: unverified)
            if not any(str(ln.link_id) == words[1] for ln in b.links):
                return 0, "FAIL\n", ""
            link, words = words[1], words[2:]
        if not words:
            return 255, "", ""
        cmd, args = words[0], words[1:]
        mtk = v.profile.hostapd == "mtk"
        if cmd == "STATUS":
            return self._cmd_hostapd_cli(["-i", f"{b.ifname}_link{link}" if link is not None
                                          else b.ifname, "status"], "hostapd_cli")
        if cmd == "STA" and args:
            out = render_hostapd.all_sta(v.assocs, b.ifname, args[0])
            return 0, out or "FAIL\n", ""
        if not mtk or cmd not in RAW_MTK:
            return 0, "UNKNOWN COMMAND\n", ""
        if cmd == "GET_NEG_TTLM":
            # hostapd_ctrl_read_sta() fails for a station that is not associated (MLD):
            # -1 → FAIL (patch 0167)
            mac = args[0].lower() if args else ""
            if not any(x.mac == mac and x.bss.ifname == b.ifname and x.mld for x in v.assocs):
                return 0, "FAIL\n", ""
        named = ["-i", b.ifname, RAW_MTK[cmd], *args]
        return self._cmd_hostapd_cli(named, "hostapd_cli")

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
        # hostapd lists a radio's BSSes in the order of its config, where the SDK's
        # lib/wifi/mac80211.uc writes the MLD iface after the per-radio ones (mtk-openwrt-feeds
        # @64e34317) and wifimgr keeps the MLO section last (spec §g.7): the MLD link last
        out.sort(key=lambda t: t[0].mld)
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
                # the links in use (real: captures/mt7927-notes-mlo-sta, after ap_mld_addr)
                mask = sum(1 << int(nb_["link_id"]) for nb_ in conn["links"])
                lines.append(f"valid_links=0x{mask:x}")
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
