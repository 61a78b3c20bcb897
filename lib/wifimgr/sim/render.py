"""Text the twin prints: the printf formats of iw (interface.c, station.c, survey.c, info.c,
phy.c, reg.c, link.c, scan.c), hostapd_cli and wpa_cli, filled from the twin's state.

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
    from .runtime import RBss, RRadio, Runtime

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


def iw_dev(rt: Runtime | None, txpower: dict[int, float], ifname: str | None = None,
           assoc_sta: dict[str, tuple[str, int]] | None = None) -> str:
    """``iw dev`` (``ifname`` None) or ``iw dev X info``."""
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
            for ln in b.links:
                lines.append(f"{ind}\t - link ID {ln.link_id:2d} link addr {ln.addr}")
                lines.append(f"{ind}\t   " + _chan_text(ln.channel, ln.freq, ln.width,
                                                        ln.center1))
                lines.append(f"{ind}\t   txpower {dbm(txpower.get(ln.radio, 20))} dBm")
        else:
            r = rt.radios[b.radio]
            if b.mode == "ap" or connected:
                lines.append(f"{ind}\t" + _chan_text(r.channel, r.freq, r.width, r.center1))
            lines.append(f"{ind}\ttxpower {dbm(txpower.get(b.radio, 20))} dBm")
            lines += _txq(ind, n)
        if b.wds and b.mode == "sta":
            lines.append(f"{ind}\t4addr: on")
        # the vif's radio mask, last (iw interface.c; real: captures/mtk-feeds-hostapd-0150)
        radios = sorted({ln.radio for ln in b.links}) if b.mld else [b.radio]
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


# ------------------------------------------------------------- mt76 debugfs txpower_info
def txpower_info(band_idx: int, band: str, *, sku: bool, auto_half_db: int, sku_idx: int) -> str:
    """``phy0/mt76/band<N>/txpower_info`` in the MTK SDK mt7996 driver's format
    (mt7996_get_txpower_info, mtk_debugfs.c): the BASIC INFO block, powers in 0.5 dBm."""
    band_code = {"2g": 0, "5g": 1, "6g": 2}[band]
    return "".join([
        "======================== BASIC INFO ========================\n",
        f"    Band Index: {band_idx}, Channel Band: {band_code}\n",
        "    PA Type: iPA\n",
        "    LNA Type: iLNA\n",
        "------------------------------------------------------------\n",
        f"    SKU: {'enable' if sku else 'disable'}\n",
        "    Percentage Control: disable\n",
        "    Power Drop: 0 [dBm]\n",
        "    Backoff: enable\n",
        "    TX Front-end Loss:  0, 0, 0, 0\n",
        "    RX Front-end Loss:  0, 0, 0, 0\n",
        "    MU TX Power Mode:  auto\n",
        f"    MU TX Power (Auto / Manual): {auto_half_db} / 0 [0.5 dBm]\n",
        "    Thermal Compensation:  disable\n",
        "    Theraml Compensation Value: 0\n",
        "    RegDB:  enable\n",
        f"    sku_index:  {sku_idx}\n",
        "    lpi:  disable\n",
    ])


def txpower_sku(band_idx: int, channel: int, *, target_half_db: int, regdb_dbm: int,
                eeprom_dbm: int, path_delta_half_db: int = 8) -> str:
    """``phy0/mt76/band<N>/txpower_sku`` in the MTK SDK driver's format
    (mt7996_get_txpower_sku, mtk_debugfs.c): the table header, the first rate groups and the
    summary lines the parser reads. The twin leaves out the HT/VHT/HE/EHT rate rows after
    OFDM (the real file has some 40 of them). No public capture of this file exists."""
    def row(name: str, vals: list[int]) -> str:
        return f"{name + ' (TMAC)':<21}:" + "".join(f" {v:6d}" for v in vals) + "\n"

    top = target_half_db
    return "".join([
        f"\nPhy {band_idx} TX Power Table (Channel {channel})\n",
        f"{' ':<21}  " + " ".join(f"{h:>6}" for h in ("1m", "2m", "5m", "11m")) + "\n",
        row("CCK", [top] * 4 if band_idx == 0 else [0] * 4),
        f"{' ':<21}  " + " ".join(f"{h:>6}" for h in ("6m", "9m", "12m", "18m", "24m", "36m",
                                                      "48m", "54m")) + "\n",
        row("OFDM", [top] * 6 + [top - 2, top - 4]),
        "\nePA Gain: 0\n", f"Max Power Bound: {top}\n", "Min Power Bound: -64\n",
        f"\nBBP TX Power (target power from TMAC)  : {top:6d} [0.5 dBm]\n",
        f"RegDB maximum power:\t{regdb_dbm} [dBm]\n",
        f"eeprom maximum power:\t{eeprom_dbm} [dBm]\n",
        f"path_delta:\t{path_delta_half_db} [0.5 dBm]\n",
    ])


# ------------------------------------------------------------------------- iw phy
def iw_phy(country: str, bands: list[str]) -> str:
    # iw info.c's order: the wiphy's own lines and antennas, then the bands
    lines = ["Wiphy phy0", "\twiphy index: 0", "\tmax # scan SSIDs: 4",
             "\tmax scan IEs length: 482 bytes", "\tAvailable Antennas: TX 0xff RX 0xff",
             "\tConfigured Antennas: TX 0xff RX 0xff"]
    for band in ("2g", "5g", "6g"):
        if band not in bands:
            continue
        lines.append(f"\tBand {NL_BAND[band]}:")
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
    return "\n".join(lines) + "\n"


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


# ----------------------------------------------------------------------- hostapd_cli
def hostapd_status(bss: RBss, radio: RRadio, state: str, txpower: float, chan_util: int | None,
                   link: Any = None, cac_left: int | None = None,
                   iface_bsses: list[tuple[RBss, Any, int]] | None = None) -> str:
    """``hostapd_cli status`` in the order of hostapd's ``hostapd_ctrl_iface_status``
    (src/ap/ctrl_iface_ap.c; real capture tests/fixtures/captures/tiiuae-mesh-com-438): the
    iface block, the EHT block with the MLD lines (``num_links``, ``link_id``, ``link_addr``,
    ``partner_link[N]``; ``ap_mld_type`` as the trees that print it), HE/VHT/HT, rates,
    ``max_txpower``, then one ``bss[i]`` group per BSS of this radio — the MT7996 lists the
    legacy AP and the MLD link of the same radio — and ``chan_util_avg``. ``cac_time_left_seconds``
    is a number only while the CAC runs, else ``N/A``. ``iface_bsses``: (bss, link of this radio
    or None, stations) of every BSS on the radio (default: just ``bss``)."""
    width = link.width if link is not None else radio.width
    ch = link.channel if link is not None else radio.channel
    f = link.freq if link is not None else radio.freq
    band = radio.band
    code = {20: 0, 40: 0, 80: 1, 160: 2, 320: 9}[width]
    seg0 = center_channel(ch, band, width)
    cac = radio.cac_s if radio.dfs else 0
    lines = [f"state={state}", "phy=phy0", f"freq={f}", "num_sta_non_erp=0",
             "num_sta_no_short_slot_time=0", "num_sta_no_short_preamble=0", "olbc=0",
             "num_sta_ht_no_gf=0", "num_sta_no_ht=0", "num_sta_ht_20_mhz=0",
             "num_sta_ht40_intolerant=0", "olbc_ht=0", "ht_op_mode=0x0",
             f"hw_mode={'g' if band == '2g' else 'a'}",
             f"country_code={radio.country}", "country3=0x20",
             f"cac_time_seconds={cac}",
             "cac_time_left_seconds="
             + (str(cac_left) if state == "DFS" and cac_left is not None else "N/A"),
             f"channel={ch}", "edmg_enable=0", "edmg_channel=0",
             f"secondary_channel={1 if width >= 40 else 0}", "ieee80211n=1",
             f"ieee80211ac={1 if band != '2g' else 0}", "ieee80211ax=1",
             "ieee80211be=1", "beacon_int=100", "dtim_period=2",
             f"eht_oper_chwidth={code}", f"eht_oper_centr_freq_seg0_idx={seg0}"]
    if band == "6g" and width == 320:
        lines.append("eht_bw320_offset=0")
    if bss.mld:
        own = link if link is not None else bss.links[0]
        lines += [f"num_links={len(bss.links)}", f"link_id={own.link_id}",
                  f"link_addr={own.addr}"]
        lines += [f"partner_link[{ln.link_id}]={ln.addr}" for ln in bss.links
                  if ln.link_id != own.link_id]
        lines.append("ap_mld_type=STR")
    he_seg0 = center_channel(ch, band, min(width, 160))
    lines += [f"he_oper_chwidth={min(code, 2)}", f"he_oper_centr_freq_seg0_idx={he_seg0}",
              "he_oper_centr_freq_seg1_idx=0"]
    if band != "2g":
        lines += [f"vht_oper_chwidth={min(code, 2)}",
                  f"vht_oper_centr_freq_seg0_idx={he_seg0 if band == '5g' else 0}",
                  "vht_oper_centr_freq_seg1_idx=0", "vht_caps_info=339071b2",
                  "rx_vht_mcs_map=fffa", "tx_vht_mcs_map=fffa"]
    lines += ["ht_caps_info=09ef", "ht_mcs_bitmask=ffff0000000000000000",
              "supported_rates=" + ("02 04 0b 16 0c 12 18 24 30 48 60 6c" if band == "2g"
                                    else "0c 12 18 24 30 48 60 6c"),
              f"max_txpower={int(txpower)}"]
    for i, (b, ln, n_sta) in enumerate(iface_bsses or [(bss, link, 0)]):
        lines += [f"bss[{i}]={b.ifname}", f"bssid[{i}]={ln.addr if ln is not None else b.addr}",
                  f"ssid[{i}]={b.ssid}", f"num_sta[{i}]={n_sta}"]
        if b.mld:
            lines += [f"mld_addr[{i}]={b.addr}", f"mld_id[{i}]=0",
                      f"mld_link_id[{i}]={ln.link_id if ln is not None else b.links[0].link_id}"]
    if chan_util is not None:
        lines.append(f"chan_util_avg={chan_util}")
    return "\n".join(lines) + "\n"


def _hex(seed: str, n: int) -> str:
    """``n`` bytes of capability blob (hostapd prints them with wpa_snprintf_hex)."""
    import zlib

    out, i = [], 0
    while len(out) < n:
        out.extend(zlib.crc32(f"{seed}{i}".encode()).to_bytes(4, "little"))
        i += 1
    return bytes(out[:n]).hex()


def _rate_info(rate: str) -> str:
    """``rx_rate_info``/``tx_rate_info``: the driver's bitrate in 100 kbit/s (hostapd prints
    ``current_rx_rate / 100`` of kbit/s); no MCS suffix for HE/EHT rates."""
    try:
        return str(int(float(rate.split()[0]) * 10))
    except (ValueError, IndexError):
        return "0"


def all_sta(assocs: list[Association], ifname: str, mac: str | None = None) -> str:
    """``hostapd_cli all_sta`` / ``sta <mac>`` in the order of hostapd_ctrl_iface_sta_mib
    (src/ap/ctrl_iface_ap.c): MAC, flags, aid … timeout_next, the WPA MIB, the driver's
    counters (hostapd_get_sta_info), SAE group, capability blobs, then per MLD link
    ``peer_addr[N]`` followed by that link's ``nstr_bitmap`` and ``max_simul_links``,
    ``emlsr_support``, ``emlmr_support`` (MTK SDK patch 0162; spec/platform.md §c.2, Addenda).
    A non-MLD client has none of the MLD lines."""
    out: list[str] = []
    for a in assocs:
        if a.bss.ifname != ifname or (mac and a.mac != mac.lower()):
            continue
        gen = int(a.station.get("generation", 7))
        band = a.links[0].band if a.links else "5g"
        flags = "[AUTH][ASSOC][AUTHORIZED][WMM][MFP]"
        flags += "[HT]" if gen >= 4 else ""
        flags += "[VHT]" if gen >= 5 and band != "2g" else ""
        flags += "[HE]" if gen >= 6 else ""
        flags += "[EHT]" if gen >= 7 else ""
        act = [ln for ln in a.links if ln.active]
        best = max(act, key=lambda ln: ln.signal or -999) if act else None
        rx_p = sum(ln.rx_packets for ln in a.links)
        tx_p = sum(ln.tx_packets for ln in a.links)
        sae = a.bss.encryption.startswith("sae") or "sae" in a.bss.encryption
        lines = [a.mac, f"flags={flags}", "aid=1", "capability=0x1111", "listen_interval=1",
                 "supported_rates=" + ("82 84 8b 96 0c 12 18 24 30 48 60 6c" if band == "2g"
                                       else "8c 12 98 24 b0 48 60 6c"),
                 "timeout_next=NULLFUNC POLL",
                 f"dot11RSNAStatsSTAAddress={a.mac}", "dot11RSNAStatsVersion=1",
                 "dot11RSNAStatsSelectedPairwiseCipher=00-0f-ac-4",
                 "dot11RSNAStatsTKIPLocalMICFailures=0", "dot11RSNAStatsTKIPRemoteMICFailures=0",
                 "wpa=2", "AKMSuiteSelector=" + ("00-0f-ac-8" if sae else "00-0f-ac-2"),
                 "hostapdWPAPTKState=11", "hostapdWPAPTKGroupState=0",
                 f"hostapdMFPR={1 if sae else 0}",
                 f"rx_packets={rx_p}", f"tx_packets={tx_p}", f"rx_bytes={rx_p * 900}",
                 f"tx_bytes={tx_p * 1200}",
                 f"inactive_msec={min((ln.inactive_ms for ln in a.links), default=0)}",
                 f"signal={best.signal if best and best.signal is not None else 0}",
                 f"rx_rate_info={_rate_info(best.rx_rate) if best else 0}",
                 f"tx_rate_info={_rate_info(best.tx_rate) if best else 0}"]
        if gen >= 5 and band != "2g":
            lines += ["rx_vht_mcs_map=fffa", "tx_vht_mcs_map=fffa"]
        lines.append("ht_mcs_bitmask=ffff0000000000000000")
        if best:
            # the driver's ACK signal (the station dump's `last ack signal`), as hostapd reads it
            lines.append(f"last_ack_signal={best.signal - 2}")
        lines.append(f"connected_time={a.connected_s}")
        if sae:
            lines += ["sae_group=19", "sae_rejected_groups="]
        lines += ["supp_op_classes=" + _hex(a.mac + "op", 6), "min_txpower=-8",
                  "max_txpower=20"]
        if gen >= 6:
            lines.append("he_capab=" + _hex(a.mac + "he", 26))
        if gen >= 7:
            lines.append("eht_capab=" + _hex(a.mac + "eht", 18))
        if gen >= 5 and band != "2g":
            lines += ["vht_caps_info=0x339071b2", "vht_capab=" + _hex(a.mac + "vht", 12)]
        lines += ["ht_caps_info=0x09ef", "ext_capab=" + _hex(a.mac + "ext", 10)]
        if a.mld:
            kind = a.station["kind"]
            ids = [ln.link_id for ln in a.links]
            for n, ln in enumerate(a.links):
                lines.append(f"peer_addr[{ln.link_id}]={ln.addr}")
                # MTK patch 0162: one `nstr_bitmap=0x%02x` per NSTR bitmap byte of the link's
                # per-STA profile — none for the association link (the first), none for a
                # client without NSTR pairs (EMLSR/MLSR); an MLMR client as in the patch's
                # own example (captures/mtk-feeds-hostapd-0162): the other links' bits
                if kind == "mlmr" and n > 0:
                    other = sum(1 << i for i in ids if i != ln.link_id)
                    lines.append(f"nstr_bitmap=0x{other:02x}")
            lines.append(f"max_simul_links={2 if kind == 'mlmr' else 1}")
            lines.append(f"emlsr_support={1 if kind == 'emlsr' else 0}")
            lines.append("emlmr_support=0")
        out.append("\n".join(lines))
    return "\n".join(out) + ("\n" if out else "")


def attlm_status(attlm: dict[str, Any] | None, now: float, all_links: int) -> str:
    """``get_attlm``: ``Default mapping`` or the active block in the spelling a live MTK SDK
    MT7996 prints (spec/platform.md §c.3: ``Mapping Switch Time: <n> (ms)`` and ``Expected
    Duration: <n> (ms)``, the values as set; FEED patch 0184's ``Remaining …`` lines are the
    other spelling, which the parser reads as well)."""
    if not attlm:
        return "Default mapping\n"
    elapsed_ms = (now - attlm["start"]) * 1000
    if elapsed_ms >= attlm["switch_ms"] + attlm["duration_ms"]:
        return "Default mapping\n"
    return ("Adv-TTLM Status:\nDirection: bi-direction\n"
            f"Mapping Switch Time: {attlm['switch_ms']} (ms)\n"
            f"Expected Duration: {attlm['duration_ms']} (ms)\n"
            f"Link Mapping: 0x{all_links & ~attlm['disabled']:04x}\n")


def neg_ttlm_status(maps: dict[str, int] | None) -> str:
    if not maps:
        return "Neg-TTLM is inactive\n"
    lines = ["Link Mapping:\tuplink\tdownlink"]
    for tid in range(8):
        m = int(maps.get(str(tid), 0))
        lines.append(f"TID {tid}:\t\t0x{m:04x}\t0x{m:04x}")
    return "\n".join(lines) + "\n"


def btwt_status(btwt: dict[str, dict[str, Any]], bssid: str) -> str:
    lines = [f"broadcast_twt: {len(btwt)} set(s) of broadcast twt"]
    for bid in sorted(btwt, key=int):
        b = btwt[bid]
        lines.append(f"id={bid} min_wake_dur={b['min_wake_dur']} "
                     f"wake_intv_mantissa={b['mantissa']} wake_intv_exp={b['exp']} "
                     f"trigger={b.get('trigger', 0)} flow_type={b.get('flow_type', 0)} "
                     f"recommendation={b.get('recommendation', 0)} in bssid={bssid}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------ pstore
def driver_oops(t: float) -> str:
    """The tail of ``/sys/fs/pstore/console-ramoops-0`` after a kernel panic in the mt7996e RX
    path, in the shape of the real one (captures/openwrt-18750-mt7996-oops: the call trace
    through mt7996_mcu_rx_event, the fatal-exception panic line); ``t`` is the uptime."""
    lines = [(7, "Call trace:"),
             (7, " mt7996_mcu_rx_event+0x238/0x5c8 [mt7996e]"),
             (7, " mt7996_queue_rx_skb+0x468/0xd38 [mt7996e]"),
             (7, " mt76_dma_rx_poll+0x4ec/0xc78 [mt76]"),
             (7, " __napi_poll+0x34/0x174"),
             (7, " napi_threaded_poll_loop+0xa0/0x1a4"),
             (7, " napi_threaded_poll+0x70/0x7c"),
             (7, " kthread+0xd8/0xdc"),
             (7, " ret_from_fork+0x10/0x20"),
             (0, "Code: 12001c21 7100083f 54001ae8 39405c01 (79413860)"),
             (4, "---[ end trace 0000000000000000 ]---"),
             (0, "Kernel panic - not syncing: Oops: Fatal exception in interrupt"),
             (2, "SMP: stopping secondary CPUs"),
             (0, "Kernel Offset: disabled"),
             (0, "CPU features: 0x00,00000002,00000000,4200400b"),
             (0, "Memory Limit: none")]
    return "".join(f"<{lvl}>[{t + n * 0.005:12.6f}] {text}\n" for n, (lvl, text) in
                   enumerate(lines))

