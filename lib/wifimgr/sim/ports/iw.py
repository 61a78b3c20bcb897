"""The twin's ``iw`` (a part of :class:`.runner.TwinRunner`): ``dev``, ``dev <if> info``,
``station dump|get``, ``survey dump``, ``scan``, ``link``; ``phy``, ``phy phy0 channels|survey|set
txpower``; ``reg get``."""

from __future__ import annotations

from .. import render
from .view import View, busy_ms

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..runtime import RBss
    from .view import TwinAccess


class IwTool:
    """``iw`` as the MT7996 build prints it."""

    twin: TwinAccess

    def _cmd_iw(self, a: list[str], _: str) -> tuple[int, str, str]:
        v = View.take(self.twin)
        if a[:1] == ["dev"] and len(a) == 1:
            return 0, self._dev(v, None), ""
        if a[:1] == ["dev"] and len(a) >= 3:
            ifname, sub = a[1], a[2:]
            b = v.rt.by_ifname(ifname) if v.rt else None
            if b is None:
                return 237, "", "command failed: No such device (-19)\n"
            if sub == ["info"]:
                return 0, self._dev(v, ifname), ""
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

    def _dev(self, v: View, ifname: str | None) -> str:
        prof = v.profile
        return render.iw_dev(v.rt, v.txpowers(), ifname, self._sta_ssids(v),
                             link_txpower=v.link_txpowers, radio_line=prof.vif_radio_line,
                             all_radios=prof.radio_indices)

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
        busy = {b: busy_ms(v.st, b, v.now) for b in v.profile.bands}
        return render.survey_dump(v.rt, v.st["rf"], ifname, v.up_for(), busy)

    def _phy(self, v: View) -> str:
        prof = v.profile
        return render.iw_phy(self._country(v), prof.bands,
                             prof.radios if prof.iw_radio_blocks else (),
                             eht_320=prof.eht_320 and prof.iw_radio_blocks)

    def _channels(self, v: View) -> str:
        dfs: dict[int, tuple[str, int]] = {}
        if v.rt:
            for r in v.rt.radios.values():
                if r.band == "5g" and r.dfs:
                    left = v.cac_left(r)
                    dfs[r.channel] = ("usable" if left else "available", int(v.up_for()))
        return render.iw_channels(self._country(v), list(v.profile.bands), dfs)

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
        from ..clients import bitrate_text

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
        if radio is not None and radio not in View.take(self.twin).profile.radio_indices:
            # the wiphy has no such radio: nl80211 refuses it, iw exits with -EINVAL
            return 234, "", "command failed: Invalid argument (-22)\n"
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
