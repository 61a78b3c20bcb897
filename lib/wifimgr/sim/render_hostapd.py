"""Text the twin prints for ``hostapd_cli`` and ``wpa_cli`` (hostapd's ctrl_iface printf formats
and the MTK SDK's MLO vendor commands), filled from the twin's state; see the real captures in
tests/fixtures/captures/."""

from __future__ import annotations

from .runtime import center_channel

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .clients import Association
    from .runtime import RBss, RRadio


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
