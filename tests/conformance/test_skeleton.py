"""The twin's key skeleton against real captures, command by command (issue 26 part 4).

A skeleton is the ordered list of keys an output prints — for iw output the key path of each
line (its nesting included, from test_conformance.shape), for hostapd/wpa_cli the ``key=``
names, for JSON the key paths, for dmesg the message templates. For every command the twin
answers, the keys only the real capture has and the keys only the twin has are listed here
with their reason, exactly: a key the twin starts or stops printing, or a key that moves
(the order of the keys both print must be the real one), fails the test until the difference
is fixed or listed with its reason. test_control_* show the comparison catching each kind of
difference.
"""

from __future__ import annotations

import json
import re

import pytest
from test_conformance import (
    ALL_STA_FROM_SOURCE,
    IW_DEV_FROM_SOURCE,
    STA_FROM_SOURCE,
    STATUS_FROM_SOURCE,
    _dsig,
    _info,
    _mld_body_as,
    _radios_ap,
    cap,
    kv_keys,
    run,
    shape,
)

# ------------------------------------------------------------------------ skeletons


def _dedup(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))


def line_keys(text: str) -> list[str]:
    return [p for p, _ in shape(text)]


def kv_skeleton(text: str) -> list[str]:
    return kv_keys(text)


def json_keys(obj, prefix: str = "") -> list[str]:
    out: list[str] = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            k = re.sub(r"\d+", "N", k) if re.fullmatch(r"[\w.-]*\d[\w.-]*", k) else k
            path = f"{prefix}/{k}" if prefix else k
            out.append(path)
            out += json_keys(v, path)
    elif isinstance(obj, list):
        for v in obj:
            out += json_keys(v, prefix + "[]")
    return out


def dmesg_keys(text: str) -> list[str]:
    """The driver's message templates (the lines of mt7996e and its second PCIe function)."""
    return [_dsig(ln) for ln in text.splitlines() if re.search(r"\bmt7996e(?:_hif)?\b", ln)]


def entries_of(keys: list[str], heads: tuple[str, ...]) -> list[list[str]]:
    """Split a key list at the entry headers (``Station``, ``phy#N/Interface`` …)."""
    out: list[list[str]] = [[]]
    for k in keys:
        if k in heads and out[-1]:
            out.append([])
        out[-1].append(k)
    return [e for e in out if e]


def order_errors(twin: list[str], real: list[str], heads: tuple[str, ...]) -> list[str]:
    """Keys both print, in a different order than the real capture (per entry)."""
    ref: dict[str, int] = {}
    for e in entries_of(real, heads):
        for k in _dedup(e):
            ref.setdefault(k, len(ref))
    errors = []
    for e in entries_of(twin, heads):
        common = [k for k in _dedup(e) if k in ref]
        if common != sorted(common, key=ref.__getitem__):
            errors.append(f"twin {common} / real {sorted(common, key=ref.__getitem__)}")
    return errors


def compare(twin: list[str], reals: list[list[str]], heads: tuple[str, ...]
            ) -> tuple[set[str], set[str], list[str]]:
    """(keys only the real captures print, keys only the twin prints, order errors)."""
    real_all = {k for r in reals for k in r}
    only_real = real_all - set(twin)
    only_twin = set(twin) - real_all
    errs = [e for r in reals for e in order_errors(twin, r, heads)]
    return only_real, only_twin, errs


def _status_keys(obj) -> list[str]:
    """netifd's own keys; the ``config`` objects only echo /etc/config/wireless (whose option
    order is what the SDK's lib/wifi/mac80211.uc wrote, not netifd's printing)."""
    return [k for k in json_keys(obj) if "/config/" not in k]


# ------------------------------------------------------------------- the commands
def _ap_info() -> str:
    """The MTK SDK listing's AP entry as an `info` body (one indentation level less)."""
    return "".join(ln[8:] + "\n" for ln in _radios_ap().splitlines()[1:])


def _locked_dmesg(system) -> str:
    """A boot with the MCU semaphore held (what the forum post shows), then a re-probe."""
    with system.sim.edit() as st:
        st["chip"]["locked"] = True
    system.sim.reboot()
    return run(system, "dmesg")


def _clients_keys(obj) -> list[str]:
    """get_clients with the client MACs as one key (``clients/M/…``)."""
    return [re.sub(r"^clients/[0-9a-fA-F:]{17}", "clients/M", k) for k in json_keys(obj)]


def _pstore(system) -> str:
    system.sim.driver_panic()
    return system.fs.read_text("/sys/fs/pstore/console-ramoops-0") or ""


def _scan(system) -> str:
    from wifimgr.sim import open_twin  # noqa: F401  (the twin behind `system`)

    with system.sim.edit() as st:
        st["neighbours"] = [
            {"bssid": "02:11:22:33:44:55", "ssid": "Neighbour", "band": "2g", "channel": 1,
             "width": 20, "signal": -64, "security": "wpa2-psk", "key": "k"}]
    return run(system, "iw", "dev", "phy0.0-ap0", "scan")


def _wireless_status(system) -> str:
    return json.dumps(system.bus.call("network.wireless", "status", {}))


#: command → (how the twin is asked, the real captures, the skeleton function, entry headers)
COMMANDS = {
    "iw dev": (lambda s: run(s, "iw", "dev"),
               lambda: [_radios_ap(), "phy#0\n" + _mld_body_as("\t")],
               line_keys, ("phy#N/Interface",)),
    "iw dev X station dump": (lambda s: run(s, "iw", "dev", "ap-mld-1", "station", "dump"),
                              lambda: [cap("linux-wireless-iw-link-stats/station-dump-mlo-v.out"),
                                       cap("wozi-notes-bpi-r4/station-dump-ap-mld-1-excerpt.out")],
                              line_keys, ("Station",)),
    "iw dev X survey dump": (lambda s: run(s, "iw", "dev", "ap-mld-1", "survey", "dump"),
                             lambda: [cap("openwrt-17489-bpi-r4/survey-dump-truncated.out"),
                                      cap("flint2-go-survey/survey-dump-bss-rx.out")],
                             line_keys, ("Survey",)),
    "iw reg get": (lambda s: run(s, "iw", "reg", "get"),
                   lambda: [cap("xiaomi-ax6000-owrt2512/reg-get-self-managed.out")],
                   line_keys, ("global",)),
    "hostapd_cli status": (lambda s: run(s, "hostapd_cli", "-i", "ap-mld-1", "status"),
                           lambda: [cap("firewalla-wlan/hostapd-status-eht.out")],
                           kv_skeleton, ("state",)),
    "hostapd_cli all_sta": (lambda s: run(s, "hostapd_cli", "-i", "ap-mld-1", "all_sta"),
                            lambda: [cap("js-wifi-sta-he/hostapd-all-sta.out"),
                                     cap("mtk-feeds-hostapd-0162/hostapd-sta-mld-excerpt.out")],
                            kv_skeleton, ("flags",)),
    "iw dev X info (legacy AP)": (lambda s: run(s, "iw", "dev", "phy0.0-ap0", "info"),
                                  lambda: [_info("apdata-iw5/iw-dev-info.out"), _ap_info()],
                                  line_keys, ("Interface",)),
    "iw dev X info (AP MLD)": (lambda s: run(s, "iw", "dev", "ap-mld-1", "info"),
                               lambda: [_mld_body_as(""), _ap_info()],
                               line_keys, ("Interface",)),
    "iw phy": (lambda s: run(s, "iw", "phy", "phy0", "info"),
               lambda: [cap("openwrt-mt76-216-mt7610/iw-phy.out"),
                        cap("openwrt-mt76-689-mt7921/iw-list-head.out")],
               line_keys, ("Wiphy",)),
    "iw dev X scan": (_scan, lambda: [cap("centaurus-rpi-scan/scan.out")], line_keys, ("BSS",)),
    "hostapd get_status": (lambda s: json.dumps(s.bus.call("hostapd.ap-mld-1", "get_status", {})),
                           lambda: [cap("openwrt-hostapd-ubus-doc/get-status.json")],
                           lambda t: json_keys(json.loads(t)), ()),
    "hostapd get_clients": (lambda s: json.dumps(s.bus.call("hostapd.ap-mld-1", "get_clients",
                                                            {})),
                            lambda: [cap("openwrt-hostapd-ubus-doc/get-clients.json")],
                            lambda t: _clients_keys(json.loads(t)), ()),
    "dmesg": (lambda s: run(s, "dmesg"),
              lambda: [cap("gilly1970-bpi-r4-mtk-feeds/dmesg-boot-mt7996.out")],
              dmesg_keys, ()),
    "dmesg (locked chip)": (_locked_dmesg,
                            lambda: [cap("wozi-forum-bpi-r4/dmesg-semaphore-locked.out")],
                            dmesg_keys, ()),
    "pstore console-ramoops": (_pstore,
                               lambda: [cap("openwrt-18750-mt7996-oops/dmesg-ramoops-oops-tail.out")],
                               lambda t: [_dsig(re.sub(r"^<\d+>", "", ln))
                                          for ln in t.splitlines()], ()),
    "network.wireless status": (_wireless_status,
                                lambda: [cap("xiaomi-ax6000-owrt2512/wifi-status.json")],
                                lambda t: _status_keys(json.loads(t)), ()),
}

_NB = "the twin's neighbours carry no BSS Load element (its scene has no station counts)"
_PHY_ONLY_REAL = (
    "Wiphy/Band N/Capabilities", "Wiphy/Band N/Capabilities/HTN/HTN",
    "Wiphy/Band N/Capabilities/Max AMSDU length", "Wiphy/Band N/Capabilities/No",
    "Wiphy/Band N/Capabilities/RX", "Wiphy/Band N/Capabilities/SM",
    "Wiphy/Band N/Capabilities/TX", "Wiphy/Band N/HT TX/RX MCS rate indexes supported",
    "Wiphy/Band N/Maximum RX AMPDU length N bytes (exponent",
    "Wiphy/Band N/Minimum RX AMPDU time spacing", "Wiphy/Coverage class", "Wiphy/Device",
    "Wiphy/Retry long limit", "Wiphy/Retry short limit", "Wiphy/Retry short long limit",
    "Wiphy/Supported interface modes", "Wiphy/Supported interface modes/*",
    "Wiphy/max # match sets", "Wiphy/max # scan plans", "Wiphy/max # sched scan SSIDs",
    "Wiphy/max scan plan interval", "Wiphy/max scan plan iterations")
_VHT = "the MLD's first link (what `-i ap-mld-1` answers for) is 2.4 GHz: hostapd prints " \
       "the VHT lines only for a VHT (5 GHz) BSS/station; the real capture is a 5/6 GHz one"
#: what the twin leaves out, per command, with the reason (exact: a new omission fails)
ONLY_REAL: dict[str, dict[str, str]] = {
    "hostapd get_clients": {
        **{k: "VHT capabilities: the MLD answers for its 2.4 GHz link (no VHT); the recorded "
              "reply is a 5 GHz VHT client"
           for k in ("clients/M/capabilities", "clients/M/capabilities/vht",
                     "clients/M/capabilities/vht/mcs_map", "clients/M/capabilities/vht/mcs_map/rx",
                     "clients/M/capabilities/vht/mcs_map/rx/Nss",
                     "clients/M/capabilities/vht/mcs_map/tx",
                     "clients/M/capabilities/vht/mcs_map/tx/Nss",
                     "clients/M/capabilities/vht/mu_beamformee",
                     "clients/M/capabilities/vht/su_beamformee")},
        "clients/M/signature": "printed only by a hostapd built with taxonomy; the twin models "
                               "a build without it (optional in test_conformance too)"},
    "pstore console-ramoops": {
        "x9 : 9 x9 : 9 x9 : 9": "the register dump above the trace: the capture starts at its "
                                   "last line; the twin's log starts at the call trace",
        "pstore: backend (ramoops) writing error (-9)": "that board's ramoops ran full; the "
                                                           "twin's does not"},
    "dmesg (locked chip)": {"DRV: probe of DEV failed with error -9":
                            "the older kernel's wording; the twin prints today's "
                            "`probe with driver … failed` (spec/platform.md Addenda)"},
    "dmesg": {"DRV DEV: corrupted EEPROM detected, forcing default":
              "the capture's card has a zeroed EEPROM; the twin prints it for its "
              "zeroed-eeprom variant only (test_diagnostics_sku)"},
    "hostapd_cli all_sta": {"rx_vht_mcs_map": _VHT, "tx_vht_mcs_map": _VHT, "vht_capab": _VHT,
                            "vht_caps_info": _VHT},
    "hostapd_cli status": {k: _VHT for k in (
        "rx_vht_mcs_map", "tx_vht_mcs_map", "vht_caps_info", "vht_oper_centr_freq_seg0_idx",
        "vht_oper_centr_freq_seg1_idx", "vht_oper_chwidth")},
    "iw dev": {"phy#N/Interface/wiphy": "from the MT7925 `info` body; the listing names the "
                                        "wiphy in its phy#N header instead (interface.c)"},
    "iw dev X station dump": {
        **{k: "the real sample is `station dump -v` (iw prints the MSDU/TXQ tables only "
              "verbose); wifimgr runs it without -v"
           for k in ("Station/MSDU", "Station/TID", "Station/TXQs", "Station/TXQs/TID",
                     "Station/Link N/MSDU", "Station/Link N/TID")},
        **{k: "per-link ACK signals come from ath12k in the sample; no MT7996 capture "
              "shows them per link (the BE14 excerpt has none), so the twin prints them "
              "at the station level only"
           for k in ("Station/Link N/last ack signal", "Station/Link N/avg ack signal")}},
    "iw dev X survey dump": {"Survey/cha": "the BPI-R4 post is cut inside a line"},
    "iw dev X info (AP MLD)": {k: "an AP MLD has no channel/txpower of its own: iw prints "
                                  "them per link under `MLD with links` (the MTK AP entry "
                                  "is a single-link AP)"
                               for k in ("Interface/channel", "Interface/txpower")},
    "iw dev X scan": {"BSS/BSS Load": _NB, "BSS/BSS Load/*": _NB,
                      "BSS/Country/Channels": "the twin's neighbours advertise no per-channel "
                                              "Country triplets"},
    "iw phy": {k: "the twin's iw phy prints the wiphy's frequencies and antennas only — "
                  "capabilities are not modelled (no full MT7996 `iw phy` is in the corpus; "
                  "captures/README.md says where one was searched)"
               for k in _PHY_ONLY_REAL},
    "iw reg get": {"phy#N": "the AX6000's ath11k phys are self-managed; mt76 is not (one "
                            "global domain)"},
}
#: what the twin prints that the captures do not, with its source (exact: a new key fails)
_PRELUDE = ("the forum post starts at the first MCU timeout; the lines before it are those of "
            "every probe (captures/gilly1970-bpi-r4-mtk-feeds)")
ONLY_TWIN: dict[str, dict[str, str]] = {
    "dmesg (locked chip)": {
        **{k: _PRELUDE for k in (
            "DRV DEV: assign IRQ: got 9", "DRV DEV: attaching wed device 9 version 9.9",
            "DRV DEV: enabling bus mastering", "DRV DEV: enabling device (9 -> 9)",
            "mt9_hif DEV: assign IRQ: got 9", "mt9_hif DEV: attaching wed device 9 version 9.9",
            "mt9_hif DEV: enabling bus mastering", "mt9_hif DEV: enabling device (9 -> 9)")},
        "DRV DEV: probe with driver DRV failed with error -9":
            "today's driver-core wording of the failed probe (spec/platform.md Addenda); the "
            "forum's older kernel printed `probe of … failed`"},
    "hostapd get_status": {"bss_color": "newer hostapd's get_status (captures/netifyd-hwsim-ubus "
                                        "prints it; the doc's recorded reply predates it)"},
    "hostapd_cli all_sta": {k: ALL_STA_FROM_SOURCE[k]
                            for k in ("eht_capab", "sae_group", "sae_rejected_groups")},
    "hostapd_cli status": {k: STATUS_FROM_SOURCE[k] for k in (
        "ap_mld_type", "chan_util_avg", "link_addr", "link_id", "mld_addr[]", "mld_id[]",
        "mld_link_id[]", "num_links", "partner_link[]")},
    "iw dev X info (AP MLD)": {"Interface/MLD with links/- link/txpower":
                               IW_DEV_FROM_SOURCE["Interface/MLD with links/- link/txpower"]
                               + " — a link's txpower; the MT7925 body has none"},
    "iw dev": {"phy#N/Interface/MLD with links/- link/txpower":
               IW_DEV_FROM_SOURCE["phy#N/Interface/MLD with links/- link/txpower"]},
    "iw dev X station dump": {"Station/short slot time": STA_FROM_SOURCE["Station/short slot time"]},
}


def check(cmd: str, twin_text: str) -> None:
    _ask, reals, keys_of, heads = COMMANDS[cmd]
    twin = keys_of(twin_text)
    real = [keys_of(r) for r in reals()]
    only_real, only_twin, errs = compare(twin, real, heads)
    assert not errs, f"{cmd}: order differs from the real capture: {errs}"
    assert only_real == set(ONLY_REAL.get(cmd, {})), \
        f"{cmd}: keys only the real capture prints changed: {sorted(only_real)}"
    assert only_twin == set(ONLY_TWIN.get(cmd, {})), \
        f"{cmd}: keys only the twin prints changed: {sorted(only_twin)}"


@pytest.mark.parametrize("cmd", sorted(COMMANDS))
def test_skeleton_matches_the_real_capture(system, cmd):
    check(cmd, COMMANDS[cmd][0](system))


def test_every_listed_difference_names_a_command_and_a_reason():
    for table in (ONLY_REAL, ONLY_TWIN):
        for cmd, keys in table.items():
            assert cmd in COMMANDS and keys and all(len(why) > 20 for why in keys.values())


# ------------------------------------------------------------------------- controls
def test_control_a_dropped_line_fails(system):
    # the twin stops printing `channel BSS receive time` (as before issue 26)
    out = COMMANDS["iw dev X survey dump"][0](system)
    old = "\n".join(ln for ln in out.splitlines() if "BSS receive" not in ln) + "\n"
    with pytest.raises(AssertionError, match="only the real capture prints changed"):
        check("iw dev X survey dump", old)


def test_control_an_added_line_fails(system):
    out = COMMANDS["iw dev X station dump"][0](system)
    new = out.replace("\tDTIM period:", "\tbogus key:\t1\n\tDTIM period:", 1)
    with pytest.raises(AssertionError, match="only the twin prints changed"):
        check("iw dev X station dump", new)


def test_control_a_moved_line_fails(system):
    # Radios: before `type` (where the spec's field list put it) instead of last
    out = COMMANDS["iw dev"][0](system)
    lines = out.splitlines()
    i = next(n for n, ln in enumerate(lines) if "Radios:" in ln)
    radios = lines.pop(i)
    j = next(n for n, ln in enumerate(lines) if ln.strip().startswith("type "))
    lines.insert(j, radios)
    with pytest.raises(AssertionError, match="order differs"):
        check("iw dev", "\n".join(lines) + "\n")


def test_control_the_old_twin_dmesg_fails(system):
    # the WA firmware line of the MT7915/MT7986 (DEV_000000) the twin printed before
    out = COMMANDS["dmesg"][0](system).replace("WA Firmware Version: ____000000",
                                               "WA Firmware Version: DEV_000000")
    with pytest.raises(AssertionError, match="WA Firmware Version: ____9"):
        check("dmesg", out)
