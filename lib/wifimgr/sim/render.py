"""Text the twin prints: the printf formats of iw (interface.c, station.c, survey.c, info.c,
phy.c, reg.c, link.c, scan.c), filled from the twin's state; hostapd_cli and wpa_cli in
:mod:`.render_hostapd`, the driver's debugfs and kernel log in :mod:`.render_driver`.

Tabs and spacing are exactly those of the tools (see the real captures in
tests/fixtures/captures/). Functions return the full stdout text.
"""

from __future__ import annotations

from .clients import CHAINS
from .runtime import center_channel, freq_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .clients import Association, LinkReading
    from .runtime import Runtime

NL_BAND = {"2g": 1, "5g": 2, "6g": 4}  # iw prints nl80211 band index + 1

# regulatory model per country group: band → list of (first, last, max dBm, radar, no_ir)
ETSI = {
    "2g": [(1, 13, 20, False, False)],
    "5g": [(36, 48, 23, False, False), (52, 64, 20, True, False),
           (100, 144, 27, True, False), (149, 177, 14, False, True)],
    "6g": [(1, 93, 23, False, False), (97, 233, 0, False, True)],
}
FCC = {
    "2g": [(1, 11, 30, False, False), (12, 13, 0, False, True)],
    "5g": [(36, 48, 23, False, False), (52, 64, 24, True, False),
           (100, 144, 24, True, False), (149, 177, 30, False, False)],
    # US 6 GHz is client-only in the regdb used by the SDK (openwrt/openwrt#18079): no IR
    "6g": [(1, 233, 12, False, True)],
}
JP = {
    "2g": [(1, 13, 20, False, False), (14, 14, 20, False, False)],
    "5g": [(36, 48, 20, False, False), (52, 64, 20, True, False),
           (100, 144, 23, True, False), (149, 177, 0, False, True)],
    "6g": [(1, 93, 23, False, False), (97, 233, 0, False, True)],
}
WORLD = {
    "2g": [(1, 11, 20, False, False), (12, 13, 20, False, True)],
    "5g": [(36, 48, 20, False, True), (52, 64, 20, True, True), (100, 144, 20, True, True),
           (149, 177, 20, False, True)],
    "6g": [(1, 233, 0, False, True)],
}
ETSI_COUNTRIES = {"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB",
                  "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO",
                  "PL", "PT", "RO", "SE", "SI", "SK", "TR"}


def regulatory(country: str) -> dict[str, list[tuple[int, int, int, bool, bool]]]:
    c = (country or "00").upper()
    if c in ETSI_COUNTRIES:
        return ETSI
    if c == "JP":
        return JP
    if c in ("US", "CA", "TW", "BR", "AU", "NZ", "KR"):
        return FCC
    return WORLD


def channel_list(band: str) -> list[int]:
    if band == "2g":
        return list(range(1, 15))
    if band == "5g":
        return [*range(36, 65, 4), *range(100, 145, 4), *range(149, 178, 4)]
    return list(range(1, 234, 4))


def chan_rule(country: str, band: str, ch: int) -> tuple[int, bool, bool] | None:
    for lo, hi, dbm, radar, no_ir in regulatory(country)[band]:
        if lo <= ch <= hi:
            return dbm, radar, no_ir
    return None


def dbm(v: float) -> str:
    """``txpower 20.00 dBm`` style (iw prints mBm/100 with two decimals)."""
    mbm = round(v * 100)
    return f"{mbm // 100}.{mbm % 100:02d}"


def _chan_text(channel: int, freq: int, width: int, center1: int) -> str:
    return f"channel {channel} ({freq} MHz), width: {width} MHz, center1: {center1} MHz"


# ------------------------------------------------------------------------------- iw dev
def ssid_escaped(ssid: str) -> str:
    """iw's print_ssid_escaped (util.c): printable bytes as they are, a space only inside the
    SSID, everything else — UTF-8 bytes, backslash, a leading/trailing space — as ``\\xNN``."""
    data = ssid.encode("utf-8", "surrogateescape")
    out = []
    for i, b in enumerate(data):
        if 0x20 < b < 0x7F and b != 0x5C:
            out.append(chr(b))
        elif b == 0x20 and 0 < i < len(data) - 1:
            out.append(" ")
        else:
            out.append(f"\\x{b:02x}")
    return "".join(out)


def vif_radios(b: Any, all_radios: tuple[int, ...] = (), mode: str = "own") -> list[int]:
    """The radios ``iw`` lists on a vif's ``Radios:`` line (its radio mask). An MLD: its links'
    radios (openwrt/openwrt#25181 logs ``radio mask: 6`` for an MLD on radios 1 and 2). A
    single-band vif: its own radio (``own``, the MTK SDK listing of mtk-feeds-hostapd-0150),
    or as the mainline BPI-R4 shows it (``capture-18487``: ``Radios: 0`` on the 2.4 GHz vif,
    every radio on the 5 and 6 GHz vifs)."""
    if b.mld:
        return sorted({ln.radio for ln in b.links})
    if mode == "capture-18487" and b.radio != 0 and all_radios:
        return sorted(all_radios)
    return [b.radio]


def iw_dev(rt: Runtime | None, txpower: dict[int, float], ifname: str | None = None,
           assoc_sta: dict[str, tuple[str, int]] | None = None, *,
           link_txpower: Any = None, radio_line: str = "own",
           all_radios: tuple[int, ...] = ()) -> str:
    """``iw dev`` (``ifname`` None) or ``iw dev X info``. ``link_txpower(bss)`` gives the TX
    power ``iw`` prints per MLD link (default: each link's radio); ``radio_line`` and
    ``all_radios`` choose the ``Radios:`` reading (:func:`vif_radios`)."""
    if rt is None:
        return ""
    lines: list[str] = []
    ind = "" if ifname else "\t"
    if not ifname:
        lines.append("phy#0")
    for n, b in enumerate(rt.bsses):
        if ifname and b.ifname != ifname:
            continue
        lines.append(f"{ind}Interface {b.ifname}")
        lines.append(f"{ind}\tifindex {20 + n}")
        lines.append(f"{ind}\twdev 0x{n + 1:x}")
        lines.append(f"{ind}\taddr {b.addr}")
        connected = (assoc_sta or {}).get(b.ifname)
        if b.mode == "ap":
            lines.append(f"{ind}\tssid {ssid_escaped(b.ssid)}")
        elif connected:
            lines.append(f"{ind}\tssid {ssid_escaped(connected[0])}")
        lines.append(f"{ind}\ttype {'AP' if b.mode == 'ap' else 'managed'}")
        if ifname:
            lines.append(f"{ind}\twiphy 0")   # `iw dev` lists it in the phy#0 header instead
        if b.mld:
            lines += _txq(ind, n)
            lines.append(f"{ind}\tMLD with links:")
            per_link = link_txpower(b) if link_txpower is not None else txpower
            for ln in b.links:
                lines.append(f"{ind}\t - link ID {ln.link_id:2d} link addr {ln.addr}")
                lines.append(f"{ind}\t   " + _chan_text(ln.channel, ln.freq, ln.width,
                                                        ln.center1))
                lines.append(f"{ind}\t   txpower {dbm(per_link.get(ln.radio, 20))} dBm")
        else:
            r = rt.radios[b.radio]
            if b.mode == "ap" or connected:
                lines.append(f"{ind}\t" + _chan_text(r.channel, r.freq, r.width, r.center1))
            lines.append(f"{ind}\ttxpower {dbm(txpower.get(b.radio, 20))} dBm")
            lines += _txq(ind, n)
        if b.wds and b.mode == "sta":
            lines.append(f"{ind}\t4addr: on")
        # the vif's radio mask, last (iw interface.c; real: captures/mtk-feeds-hostapd-0150)
        radios = vif_radios(b, all_radios, radio_line)
        lines.append(f"{ind}\tRadios: " + " ".join(str(r) for r in radios))
    if ifname and len(lines) == 0:
        return ""
    return "\n".join(lines) + "\n"


def _txq(ind: str, n: int) -> list[str]:
    """iw's ``multicast TXQ`` table (interface.c; real captures xiaomi-ax6000, apdata-iw5)."""
    flows = 40 + 7 * n
    return [f"{ind}\tmulticast TXQ:",
            f"{ind}\t\tqsz-byt\tqsz-pkt\tflows\tdrops\tmarks\toverlmt\thashcol\ttx-bytes\ttx-packets",
            f"{ind}\t\t0\t0\t{flows}\t0\t0\t0\t0\t{flows * 97}\t\t{flows}"]


# ---------------------------------------------------------------------- station dump
def _signal(sig: int | None, chains: tuple[int, ...], sentinel: bool, nss: int) -> str:
    if sig is None:
        v = -105 if sentinel else 0
        chains = tuple(v for _ in range(nss))
        sig = v
    ch = "[" + ", ".join(str(c) for c in chains) + "] " if chains else ""
    return f"{sig} {ch}dBm"


_FLAGS = ("\tauthorized:\tyes", "\tauthenticated:\tyes", "\tassociated:\tyes",
          "\tpreamble:\tlong", "\tWMM/WME:\tyes", "\tMFP:\t\tyes", "\tTDLS peer:\tno")


def _counters(ind: str, inactive: int, rx_p: int, tx_p: int, tx_r: int) -> list[str]:
    return [f"{ind}inactive time:\t{inactive} ms", f"{ind}rx bytes:\t{rx_p * 900}",
            f"{ind}rx packets:\t{rx_p}", f"{ind}tx bytes:\t{tx_p * 1200}",
            f"{ind}tx packets:\t{tx_p}", f"{ind}tx retries:\t{tx_r}",
            f"{ind}tx failed:\t{tx_r // 50}", f"{ind}rx drop misc:\t0"]


def station_dump(assocs: list[Association], ifname: str, now: float, mac: str | None = None
                 ) -> str:
    """``iw dev X station dump`` in the order of iw's print_sta_handler with per-link stats
    (iw commit c5bfa2a3; real sample tests/fixtures/captures/linux-wireless-iw-link-stats):
    the flags, the station's counters, signal (an MLD client's is the driver's own value,
    without chains), bitrates with durations, the ack signals, the BSS parameters, the times,
    then one ``Link N:`` block per link (a legacy client on an AP MLD shows one, spec §d)."""
    out: list[str] = []
    for a in assocs:
        if a.bss.ifname != ifname or (mac and a.mac != mac.lower()):
            continue
        nss = int(a.station.get("nss", 2))
        act = [ln for ln in a.links if ln.active]
        best = max(act, key=lambda ln: ln.signal or -999) if act else None
        tx_p = sum(ln.tx_packets for ln in a.links)
        tx_r = sum(ln.tx_retries for ln in a.links)
        rx_p = sum(ln.rx_packets for ln in a.links)
        lines = [f"Station {a.mac} (on {ifname})", *_FLAGS]
        lines += _counters("\t", min((ln.inactive_ms for ln in a.links), default=0), rx_p, tx_p,
                           tx_r)
        if a.bss.mld:
            # station-level signal of an MLD client is not per chain (spec §d), and it has an
            # average like every station (real: captures/linux-wireless-iw-link-stats)
            lines.append(f"\tsignal:  \t{best.signal if best else 0} dBm")
            lines.append(f"\tsignal avg:\t{best.signal - 1 if best else 0} dBm")
        elif best:
            lines.append(f"\tsignal:  \t{_signal(best.signal, best.chains, False, nss)}")
            avg = _signal(best.signal - 1, tuple(c - 1 for c in best.chains), False, nss)
            lines.append(f"\tsignal avg:\t{avg}")
        if best:
            lines += [f"\ttx bitrate:\t{best.tx_rate}", f"\ttx duration:\t{tx_p * 310} us",
                      f"\trx bitrate:\t{best.rx_rate}", f"\trx duration:\t{rx_p * 150} us",
                      f"\tlast ack signal:{best.signal - 2} dBm",
                      f"\tavg ack signal:\t{best.signal - 1} dBm"]
        boot = max(0.0, now - a.connected_s)
        lines += ["\tDTIM period:\t2", "\tbeacon interval:100", "\tshort slot time:yes",
                  f"\tconnected time:\t{a.connected_s} seconds",
                  f"\tassociated at [boottime]:\t{boot:.3f}s",
                  f"\tassociated at:\t{int(boot * 1000)} ms",
                  f"\tcurrent time:\t{int(now * 1000)} ms"]
        if a.bss.mld:
            for ln in a.links:
                lines.extend(_link_block(ln, nss))
        out.append("\n".join(lines))
    return "\n".join(out) + ("\n" if out else "")


def _link_block(ln: LinkReading, nss: int) -> list[str]:
    n = CHAINS[ln.band]
    avg = _signal(ln.signal - 1, tuple(c - 1 for c in ln.chains), False, n) \
        if ln.signal is not None else _signal(None, (), ln.sentinel, n)
    lines = [f"\tLink {ln.link_id}:", f"\t\taddress:\t{ln.addr}",
             *_counters("\t\t", ln.inactive_ms, ln.rx_packets, ln.tx_packets, ln.tx_retries),
             f"\t\tsignal:  \t{_signal(ln.signal, ln.chains, ln.sentinel, n)}",
             f"\t\tsignal avg:\t{avg}"]
    if ln.active:
        lines += [f"\t\ttx bitrate:\t{ln.tx_rate}", f"\t\ttx duration:\t{ln.tx_packets * 310} us",
                  f"\t\trx bitrate:\t{ln.rx_rate}",
                  f"\t\trx duration:\t{ln.rx_packets * 150} us"]
    lines += ["\t\tDTIM period:\t2", "\t\tbeacon interval:100"]
    return lines


# ------------------------------------------------------------------------- survey dump
def survey_dump(rt: Runtime, rf: dict[str, Any], ifname: str, up_for_s: float,
                 busy_by_band: dict[str, int]) -> str:
    """Every channel of the shared wiphy, one ``[in use]`` entry per running radio. The entry
    shapes are those of the real captures (tests/fixtures/captures/): the in-use entry and
    surveyed off-channel entries print noise and the four times (openwrt-17489, a BPI-R4);
    channels never visited print only their frequency (xiaomi-ax6000 phy2) — here the radar
    channels and those past the twin's scan list (the first 8 channels of 2.4/5 GHz, 12 of
    6 GHz: what the twin's neighbour scene covers)."""
    out: list[str] = []
    active = max(0, int(up_for_s * 1000))
    country = next((r.country for r in rt.radios.values()), "00")
    for idx in sorted(rt.radios):
        r = rt.radios[idx]
        if r.disabled:
            continue
        noise = int(rf[r.band]["noise"])
        visited = set(channel_list(r.band)[:12 if r.band == "6g" else 8])
        for ch in channel_list(r.band):
            f = freq_of(ch, r.band)
            rule = chan_rule(country, r.band, ch)
            if rule is None:
                continue                      # disabled channels are not surveyed at all
            in_use = f == r.freq
            out.append(f"Survey data from {ifname}")
            out.append(f"\tfrequency:\t\t\t{f} MHz{' [in use]' if in_use else ''}")
            if not in_use and (rule[1] or ch not in visited or r.band == "5g"):
                # never visited: the frequency line only — radar channels, those past the
                # scene, and every off-channel 5 GHz entry (an AP on a fixed 5 GHz channel does
                # not scan; real: captures/xiaomi-ax6000-owrt2512/survey-dump-phy2-ap0.out)
                continue
            out.append(f"\tnoise:\t\t\t\t{noise + (ch % 3) - 1 if not in_use else noise} dBm")
            if in_use:
                busy = min(active, busy_by_band.get(r.band, 0))
                out.append(f"\tchannel active time:\t\t{active} ms")
                out.append(f"\tchannel busy time:\t\t{busy} ms")
                out.append(f"\tchannel receive time:\t\t{int(busy * 0.75)} ms")
                # the own BSS's share of receive (iw survey.c; real: captures/flint2-go-survey)
                out.append(f"\tchannel BSS receive time:\t{int(busy * 0.5)} ms")
                out.append(f"\tchannel transmit time:\t\t{int(busy * 0.2)} ms")
            else:
                scan = 110 + ch % 40
                out.append(f"\tchannel active time:\t\t{scan} ms")
                out.append(f"\tchannel busy time:\t\t{(scan * (ch % 7)) // 10} ms")
                out.append(f"\tchannel receive time:\t\t{(scan * (ch % 5)) // 10} ms")
                out.append("\tchannel transmit time:\t\t0 ms")
    return "\n".join(out) + ("\n" if out else "")


# ------------------------------------------------------------------------- iw phy
#: the 6 GHz EHT PHY block of a mainline MT7996 (real: captures/openwrt-mt76-961-mt7996)
EHT_PHY_6G_MT7996 = (
    "EHT PHY Capabilities: (0xea6d927e2860087e):", "\t320MHz in 6GHz Supported",
    "\tNDP With  EHT-LTF And 3.2 \u00b5s GI", "\tSU Beamformer", "\tSU Beamformee",
    "\tBeamformee SS (80MHz): 3", "\tBeamformee SS (160MHz): 3", "\tBeamformee SS (320MHz): 3",
    "\tNumber Of Sounding Dimensions (80MHz): 2", "\tNumber Of Sounding Dimensions (160MHz): 2",
    "\tNumber Of Sounding Dimensions (320MHz): 2", "\tNg = 16 SU Feedback",
    "\tNg = 16 MU Feedback", "\tCodebook size (4, 2) SU Feedback",
    "\tCodebook size (7, 5) MU Feedback", "\tTriggered SU Beamforming Feedback",
    "\tTriggered MU Beamforming Partial BW Feedback",
    "\tEHT MU PPDU With 4 EHT-LTF And 0.8 \u00b5s GI", "\tMax Nc: 2",
    "\tCommon Nominal Packet Padding: 2", "\tMaximum Number Of Supported EHT-LTFs: 1",
    "\tSupport of MCS 15: 1")

#: ``wiphy radio N:`` freq ranges of mt7996_init_wiphy_band (openwrt/mt76 59676919
#: mt7996/init.c; captures/openwrt-luci-7483-multi-radio prints the first two)
RADIO_FREQ = {"2g": (2400, 2500), "5g": (5000, 5900), "6g": (5900, 7200)}
#: a radio's interface combination as iw prints it (captures/openwrt-luci-7483-multi-radio)
RADIO_COMB = ("\t\t\t * #{ AP, mesh point } <= 16, #{ managed } <= 19,",
              "\t\t\t   total <= 19, #channels <= 1, STA/AP BI must match, radar detect "
              "widths: { 20 MHz (no HT), 20 MHz, 40 MHz, 80 MHz, 160 MHz }")


def iw_phy(country: str, bands: list[str] | tuple[str, ...],
           radios: tuple[tuple[int, str], ...] = (), eht_320: bool = False) -> str:
    """``iw phy``: the wiphy's own lines and antennas, then the bands (iw info.c's order);
    ``radios``: the ``wiphy radio N:`` blocks of a multi-radio wiphy (upstream iw with
    NL80211_ATTR_WIPHY_RADIOS), printed last; ``eht_320``: the 6 GHz band's EHT PHY block of
    the mainline MT7996 capture."""
    lines = ["Wiphy phy0", "\twiphy index: 0", "\tmax # scan SSIDs: 4",
             "\tmax scan IEs length: 482 bytes", "\tAvailable Antennas: TX 0xff RX 0xff",
             "\tConfigured Antennas: TX 0xff RX 0xff"]
    for band in ("2g", "5g", "6g"):
        if band not in bands:
            continue
        lines.append(f"\tBand {NL_BAND[band]}:")
        if eht_320 and band == "6g":
            lines.append("\t\tEHT Iftypes: AP")
            lines += ["\t\t\t" + x for x in EHT_PHY_6G_MT7996]
        lines.append("\t\tFrequencies:")
        for ch in channel_list(band):
            f = freq_of(ch, band)
            rule = chan_rule(country, band, ch)
            if rule is None:
                lines.append(f"\t\t\t* {f}.0 MHz [{ch}] (disabled)")
                continue
            pwr, radar, no_ir = rule
            flags = []
            if no_ir:
                flags.append("no IR")
            if radar:
                flags.append("radar detection")
            ftxt = f" ({', '.join(flags)})" if flags else ""
            lines.append(f"\t\t\t* {f}.0 MHz [{ch}] ({pwr:.1f} dBm){ftxt}")
    for idx, band in radios:
        lo, hi = RADIO_FREQ[band]
        lines += [f"\twiphy radio {idx}:", f"\t\tfreq range: {lo}.0 MHz - {hi}.0 MHz",
                  "\t\tvalid interface combinations:", *RADIO_COMB, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def iw_channels(country: str, bands: list[str], dfs: dict[int, tuple[str, int]]) -> str:
    """``iw phy phy0 channels``; ``dfs`` maps 5 GHz channel → (state, seconds in state)."""
    lines: list[str] = []
    for band in ("2g", "5g", "6g"):
        if band not in bands:
            continue
        lines.append(f"Band {NL_BAND[band]}:")
        for ch in channel_list(band):
            f = freq_of(ch, band)
            rule = chan_rule(country, band, ch)
            if rule is None:
                lines.append(f"\t* {f} MHz [{ch}] (disabled)")
                continue
            pwr, radar, no_ir = rule
            lines.append(f"\t* {f} MHz [{ch}] ")
            lines.append(f"\t  Maximum TX power: {pwr:.1f} dBm")
            if no_ir:
                lines.append("\t  No IR")
            if radar:
                lines.append("\t  Radar detection")
            widths = "20MHz" + (" HT40- HT40+" if band != "2g" or ch <= 9 else " HT40-")
            if band != "2g":
                widths += " VHT80 VHT160"
            lines.append(f"\t  Channel widths: {widths}")
            if radar:
                state, secs = dfs.get(ch, ("usable", 0))
                lines.append(f"\t  DFS state: {state} (for {secs} sec)")
                lines.append(f"\t  DFS CAC time: {600000 if ch in (120, 124, 128) else 60000} ms")
    return "\n".join(lines) + "\n"


def iw_reg(country: str) -> str:
    c = (country or "00").upper()
    reg = regulatory(c)
    domain = {id(ETSI): "DFS-ETSI", id(FCC): "DFS-FCC", id(JP): "DFS-JP"}.get(id(reg),
                                                                              "DFS-UNSET")
    lines = ["global", f"country {c}: {domain}"]
    for band in ("2g", "5g", "6g"):
        for lo, hi, pwr, radar, no_ir in reg[band]:
            if pwr == 0:
                continue
            f1 = freq_of(lo, band) - 10
            f2 = freq_of(hi, band) + 10
            bw = 40 if band == "2g" else (160 if band == "5g" else 320)
            flags = ""
            if radar:
                flags += ", DFS"
            if no_ir:
                flags += ", PASSIVE-SCAN"   # iw prints NL80211_RRF_NO_IR under its old name
            cac = ", (0 ms)" if radar else ", (N/A)"
            lines.append(f"\t({f1} - {f2} @ {bw}), (N/A, {pwr}){cac}{flags}")
    return "\n".join(lines) + "\n\n"


# ------------------------------------------------------------------------------ scan
def _rsn(security: str) -> list[str]:
    akm = {"wpa2-psk": "PSK", "wpa3-sae": "SAE", "sae-mixed": "PSK SAE", "owe": "OWE",
           "wpa-enterprise": "IEEE 802.1X"}.get(security)
    if akm is None:
        return []
    return ["\tRSN:\t * Version: 1", "\t\t * Group cipher: CCMP", "\t\t * Pairwise ciphers: CCMP",
            f"\t\t * Authentication suites: {akm}",
            "\t\t * Capabilities: 16-PTKSA-RC 1-GTKSA-RC MFP-capable (0x00a8)"]


def iw_scan(neighbours: list[dict[str, Any]], ifname: str, now: float,
            associated: str | None = None) -> str:
    out: list[str] = []
    for nb in neighbours:
        f = freq_of(nb["channel"], nb["band"])
        # ESS, Privacy, ShortPreamble (2.4 GHz), ShortSlotTime, RadioMeasure (scan.c bits)
        cap = 0x1401 | (0x10 if nb["security"] != "open" else 0) | \
            (0x20 if nb["band"] == "2g" else 0)
        assoc = " -- associated" if associated and nb["bssid"] == associated else ""
        lines = [f"BSS {nb['bssid']}(on {ifname}){assoc}",
                 f"\tlast seen: {now % 100000:.3f}s [boottime]",
                 "\tTSF: 0 usec (0d, 00:00:00)",
                 f"\tfreq: {f}.0",
                 "\tbeacon interval: 100 TUs",
                 "\tcapability: ESS " + ("Privacy " if nb["security"] != "open" else "")
                 + ("ShortPreamble " if nb["band"] == "2g" else "")
                 + "ShortSlotTime RadioMeasure "
                 + f"(0x{cap:04x})",
                 f"\tsignal: {nb['signal']:.2f} dBm",
                 "\tlast seen: 120 ms ago",
                 f"\tSSID: {ssid_escaped(nb['ssid'])}"]
        if nb["band"] == "2g":
            lines.append(f"\tDS Parameter set: channel {nb['channel']}")
        lines.append("\tCountry: DE\tEnvironment: Indoor/Outdoor")
        lines.extend(_rsn(nb["security"]))
        width = int(nb.get("width", 20))
        if nb["band"] != "6g":
            sec = "no secondary"
            if width >= 40:
                center = center_channel(nb["channel"], nb["band"], 40)
                sec = "above" if center > nb["channel"] else "below"
            lines += ["\tHT operation:", f"\t\t * primary channel: {nb['channel']}",
                      f"\t\t * secondary channel offset: {sec}",
                      f"\t\t * STA channel width: {'any' if width >= 40 else '20 MHz'}"]
        if nb["band"] == "5g" and width >= 80:
            code = 1 if width == 80 else 2
            c1 = center_channel(nb["channel"], "5g", 80)
            c2 = center_channel(nb["channel"], "5g", 160) if width == 160 else 0
            lines += ["\tVHT operation:", f"\t\t * channel width: {code} ({width} MHz)",
                      f"\t\t * center freq segment 1: {c1}",
                      f"\t\t * center freq segment 2: {c2}"]
        out.append("\n".join(lines))
    return "\n".join(out) + ("\n" if out else "")


def iwinfo_scan_entry(nb: dict[str, Any]) -> dict[str, Any]:
    """One result of ``ubus call iwinfo scan`` (rpcd-mod-iwinfo field names)."""
    band, ch, width = nb["band"], nb["channel"], int(nb.get("width", 20))
    sig = int(nb["signal"])
    quality = max(0, min(70, sig + 110))
    entry: dict[str, Any] = {
        "bssid": nb["bssid"].upper(), "mode": "Master", "band": {"2g": 2, "5g": 5, "6g": 6}[band],
        "channel": ch, "mhz": freq_of(ch, band), "signal": sig, "quality": quality,
        "quality_max": 70,
    }
    if nb["ssid"]:
        entry["ssid"] = nb["ssid"]
    sec = nb["security"]
    enc: dict[str, Any] = {"enabled": sec != "open"}
    if sec not in ("open", "wep"):
        enc["wpa"] = [2] if sec in ("wpa2-psk", "wpa-enterprise") else [3] if sec in (
            "wpa3-sae", "owe") else [2, 3]
        enc["authentication"] = {"wpa2-psk": ["psk"], "wpa3-sae": ["sae"],
                                 "sae-mixed": ["psk", "sae"], "owe": ["owe"],
                                 "wpa-enterprise": ["802.1x"]}[sec]
        enc["ciphers"] = ["ccmp"]
    entry["encryption"] = enc
    if band != "6g":
        off = "no secondary"
        if width >= 40:
            off = "above" if center_channel(ch, band, 40) > ch else "below"
        entry["ht_operation"] = {"primary_channel": ch, "secondary_channel_offset": off,
                                 "channel_width": 2040 if width >= 40 else 20}
    if band == "5g" and width >= 80:
        entry["vht_operation"] = {"channel_width": 160 if width == 160 else 80,
                                  "center_freq_1": center_channel(ch, band, 80),
                                  "center_freq_2": center_channel(ch, band, 160)
                                  if width == 160 else 0}
    if band != "2g" or width > 20:
        entry["he_operation"] = {"channel_width": min(width, 160),
                                 "center_freq_1": center_channel(ch, band, min(width, 160)),
                                 "center_freq_2": 0}
    if nb.get("mld") or width == 320:
        entry["eht_operation"] = {"channel_width": width,
                                  "center_freq_1": center_channel(ch, band, width),
                                  "center_freq_2": 0}
    return entry
