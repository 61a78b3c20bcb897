"""The twin held to real output: per command, a structural comparison of what the twin prints
with the real captures in tests/fixtures/captures/ (MT7996 / MTK SDK first where they exist).

Compared: the line keys and where they sit (the key path built from the indentation, so a key
nested under the wrong line or at the wrong depth is a different key), the order of keys that
the twin and a real capture share, which keys appear on which entries (the key set of each
entry), and value formats (digits and MACs abstracted). Every key the twin prints must occur in
a real capture; where no real capture exists the key is listed in ``FROM_SOURCE`` with the
source it follows, and every difference that is kept is listed in ``KEPT`` with its reason.
"""

from __future__ import annotations

import json
import re

import pytest

from support import FIXTURES
from wifimgr.parse.common import indent_width

CAP = FIXTURES / "captures"
MAC = re.compile(r"(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}")
_PLAIN_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9 /\-\[\]()#.]*$")


def cap(rel: str) -> str:
    return (CAP / rel).read_text(encoding="utf-8")


def run(system, *argv: str) -> str:
    return system.run.run(list(argv)).stdout


# ------------------------------------------------------------------------ shapes
def _key(s: str) -> str | None:
    s = MAC.sub("M", s)
    if s.startswith("* "):
        return "*"
    if s.startswith("- link"):
        return "- link"
    head, sep, _ = s.partition(":")
    key = head.strip() if sep and _PLAIN_KEY.match(head.strip()) else s.split()[0]
    if key.isdigit():
        return None                       # a table row (TXQ, MSDU)
    return re.sub(r"\d+", "N", key)


def _sig(value: str) -> str:
    v = MAC.sub("M", value)
    v = re.sub(r"\d+", "9", v)
    return re.sub(r"\s+", " ", v).strip()


def shape(text: str) -> list[tuple[str, str]]:
    """(key path, value signature) per line; the path is built from relative indentation."""
    out: list[tuple[str, str]] = []
    stack: list[tuple[int, str]] = []
    for raw in text.replace("\r", "").splitlines():
        if not raw.strip():
            continue
        s = MAC.sub("M", raw.strip())
        key = _key(s)
        if key is None:
            continue
        w = indent_width(raw)
        while stack and stack[-1][0] >= w:
            stack.pop()
        path = "/".join([k for _, k in stack] + [key])
        head = s.split(":", 1)[0]
        if key not in ("*", "- link") and ":" in s and _PLAIN_KEY.match(head.strip()):
            rest = s[len(head) + 1:]
        else:
            rest = s[len(s.split()[0]):] if key not in ("*", "- link") else s
        out.append((path, _sig(rest)))
        stack.append((w, key))
    return out


def paths(text: str) -> list[str]:
    return [p for p, _ in shape(text)]


def entries(text: str, header: str) -> list[frozenset[str]]:
    """The key set of each top-level entry that starts with ``header``."""
    out: list[set[str]] = []
    for p, _ in shape(text):
        top, _, rest = p.partition("/")
        if top == header and not rest:
            out.append(set())
        elif top == header and out:
            out[-1].add(rest)
    return [frozenset(e) for e in out]


def assert_keys_known(twin: str, reals: list[str], from_source: dict[str, str]) -> None:
    known = {p for r in reals for p in paths(r)}
    unknown = sorted({p for p in paths(twin) if p not in known and p not in from_source})
    assert not unknown, f"the twin prints keys no real capture has: {unknown}"


def _blocks(text: str, scope: str) -> list[dict[str, int]]:
    """First position of each key per entry: an entry starts at a line whose path is the
    scope's own (``Station``, ``phy#N/Interface``); keys are those under it."""
    head = scope.rstrip("/")
    out: list[dict[str, int]] = []
    for n, p in enumerate(paths(text)):
        if p == head:
            out.append({})
        if out and p.startswith(head):
            out[-1].setdefault(p, n)
    return out or [{}]


def assert_order(twin: str, real: str, *, scope: str = "") -> None:
    """Within each entry, the keys that the twin and the real capture both print keep the
    real capture's order."""
    r = {}
    for blk in _blocks(real, scope):
        for k in blk:
            r.setdefault(k, len(r))
    compared = 0
    for t in _blocks(twin, scope):
        common = sorted(set(t) & set(r), key=r.__getitem__)
        if len(common) < 2:
            continue
        compared += 1
        got = sorted(common, key=t.__getitem__)
        assert got == common, f"order differs from the real capture:\n twin {got}\n real {common}"
    assert compared, f"nothing to compare in {scope!r}"


#: keys iw prints with the same printf (station.c print_sta_handler: chain_signal() for both)
SAME_FORM = {"signal avg": "signal"}


def assert_formats(twin: str, reals: list[str], keys: set[str]) -> None:
    real_sigs: dict[str, set[str]] = {}
    for r in reals:
        for p, sig in shape(r):
            real_sigs.setdefault(p.rsplit("/", 1)[-1], set()).add(sig)
    for k, same in SAME_FORM.items():
        if k in real_sigs:
            real_sigs[k] |= real_sigs.get(same, set())
    checked = 0
    for p, sig in shape(twin):
        k = p.rsplit("/", 1)[-1]
        if k in keys and k in real_sigs:
            checked += 1
            assert sig in real_sigs[k], f"{p}: twin value {sig!r} not of a real form " \
                                        f"{sorted(real_sigs[k])}"
    assert checked, "no value compared"


# --------------------------------------------------------------------------- iw dev
IW_DEV_REAL = ["xiaomi-ax6000-owrt2512/iw-dev.out", "mtk-feeds-hostapd-0150/iw-dev-radios.out"]
IW_INFO_REAL = ["apdata-iw5/iw-dev-info.out"]


def _info(rel: str) -> str:
    # the paste's quirk: its first body line is indented with a tab and four spaces
    return cap(rel).replace("\t    ifindex", "\t\tifindex")


def _as_info(rel: str) -> str:
    """An `iw dev` listing read as `iw dev X info` bodies: without the phy#N line and one
    indentation level less (interface.c prints the same lines with one tab less)."""
    out = []
    for ln in cap(rel).splitlines():
        if ln.startswith("phy#"):
            continue
        w = indent_width(ln)
        out.append(" " * max(0, w - 8) + ln.lstrip(" \t"))
    return "\n".join(out) + "\n"


RADIOS_REAL = "mtk-feeds-hostapd-0150/iw-dev-radios.out"


def _radios_ap() -> str:
    """The AP entry of the MTK listing (its first entry is an AP/VLAN without ssid/txpower,
    whose key order would interleave with the AP's)."""
    text = cap(RADIOS_REAL)
    return "phy#0\n" + text[text.index("        Interface phy0.2-ap1\n"):]
#: the MLD part of `iw dev`: the only real MLD listing is an MT7925 client's info body
MLD_REAL = "linux-wireless-mt7925-mlo/iw-dev-info-mld-body.out"
IW_DEV_FROM_SOURCE = {
    # no public `iw dev` of an MT7996 AP MLD: iw interface.c prints the links of an MLD
    # under "MLD with links:" (the MT7925 capture shows them under an `info` body)
    "phy#N/Interface/MLD with links": "iw interface.c (MT7925 capture: same line in info)",
    "phy#N/Interface/MLD with links/- link": "iw interface.c",
    "phy#N/Interface/MLD with links/- link/channel": "iw interface.c",
    "phy#N/Interface/MLD with links/- link/txpower": "iw interface.c (MT7927 capture: value form)",
    "Interface/MLD with links": "iw interface.c",
    "Interface/MLD with links/- link": "iw interface.c",
    "Interface/MLD with links/- link/channel": "iw interface.c",
    "Interface/MLD with links/- link/txpower": "iw interface.c",
}


def _mld_body_as(prefix: str) -> str:
    # the MT7925 body, re-rooted under an Interface line so its paths compare
    body = cap(MLD_REAL)
    return f"{prefix}Interface x\n" + "".join(prefix + ln + "\n" for ln in body.splitlines())


def test_iw_dev_listing(system):
    twin = run(system, "iw", "dev")
    reals = [cap(r) for r in IW_DEV_REAL] + [_mld_body_as("\t")]
    reals[-1] = "phy#0\n" + reals[-1]
    assert_keys_known(twin, reals, IW_DEV_FROM_SOURCE)
    assert_order(twin, cap(IW_DEV_REAL[0]), scope="phy#N/Interface")
    # Radios: last, after the TXQ table (the MTK SDK's own listing)
    assert_order(twin, _radios_ap(), scope="phy#N/Interface")
    assert "phy#N/Interface/wiphy" not in paths(twin)        # the listing has no wiphy line
    assert_formats(twin, reals, {"ifindex", "wdev", "addr", "type", "channel", "txpower"})


def test_iw_dev_info_of_a_legacy_ap_and_the_mld(system):
    legacy = run(system, "iw", "dev", "phy0.0-ap0", "info")
    assert_keys_known(legacy, [_info(r) for r in IW_INFO_REAL] + [_as_info(RADIOS_REAL)], {})
    ap_info = "".join(ln[8:] + "\n" for ln in _radios_ap().splitlines()[1:])
    assert_order(legacy, ap_info, scope="Interface")
    assert_order(legacy, _info(IW_INFO_REAL[0]), scope="Interface")
    assert_formats(legacy, [_info(r) for r in IW_INFO_REAL],
                   {"ifindex", "wdev", "addr", "type", "wiphy", "channel", "txpower"})
    mld = run(system, "iw", "dev", "ap-mld-1", "info")
    assert_keys_known(mld, [_info(IW_INFO_REAL[0]), _mld_body_as(""), _as_info(RADIOS_REAL)],
                      IW_DEV_FROM_SOURCE)
    assert_order(mld, _mld_body_as(""), scope="Interface")
    assert_formats(mld, [_mld_body_as(""), cap("mt7927-dkms-46/iw-dev-info-excerpt.out")],
                   {"channel", "txpower"})


# --------------------------------------------------------------------- station dump
MODERN = ["linux-wireless-iw-link-stats/station-dump-mlo-v.out",
          "linux-wireless-iw-link-stats/station-dump-non-ml.out"]
STA_REAL = [*MODERN, "apdata-iw5/station-dump.out", "openwrt-mt76-17-mt76x2/station-get.out",
            "wozi-notes-bpi-r4/station-dump-ap-mld-1-excerpt.out"]
STA_FROM_SOURCE = {
    # iw station.c prints short slot time with the BSS parameters; the modern sample's AP did
    # not report it, the iw 5.x capture has it
    "Station/short slot time": "iw station.c parse_bss_param (apdata-iw5 capture)",
}


def test_station_dump_modern_fields_order_and_links(system):
    twin = run(system, "iw", "dev", "ap-mld-1", "station", "dump")
    reals = [cap(r) for r in STA_REAL]
    assert_keys_known(twin, reals, STA_FROM_SOURCE)
    assert_order(twin, cap(MODERN[0]), scope="Station")
    assert_order(twin, cap(MODERN[0]), scope="Station/Link N")
    # the modern fields are there, station and link level
    ps = set(paths(twin))
    for k in ("tx duration", "rx duration", "last ack signal", "avg ack signal", "DTIM period",
              "beacon interval", "associated at [boottime]", "associated at", "current time"):
        assert f"Station/{k}" in ps, k
    for k in ("address", "rx bytes", "tx bytes", "tx failed", "rx drop misc", "DTIM period"):
        assert f"Station/Link N/{k}" in ps, k
    # an idle MT7996 link with three chains: `0 [0, 0, 0] dBm` (spec/platform.md §d quotes it;
    # the real two-chain form is in openwrt-mt76-17)
    idle3 = "Station 02:00:00:00:00:09 (on x)\n\tLink 0:\n\t\tsignal:  \t0 [0, 0, 0] dBm\n"
    chain_avg = [cap("openwrt-packages-16471/station-dump-qca9563.out")]   # avg per chain
    assert_formats(twin, [*reals, idle3, *chain_avg], {"inactive time", "rx bytes", "signal",
                                           "signal avg", "connected time",
                                 "associated at [boottime]", "associated at", "current time",
                                 "DTIM period", "beacon interval", "tx duration", "address"})


def test_station_dump_link_keys_are_real_link_keys(system):
    twin = run(system, "iw", "dev", "ap-mld-1", "station", "dump")
    real_link = {p for p in paths(cap(MODERN[0])) if "/Link N/" in p} | \
        {p for p in paths(cap(STA_REAL[-1])) if "/Link N/" in p}
    twin_link = {p for p in paths(twin) if "/Link N/" in p}
    assert twin_link <= real_link, sorted(twin_link - real_link)


# ---------------------------------------------------------------------- survey dump
SURVEY_REAL = ["openwrt-17489-bpi-r4/survey-dump-truncated.out",
               "xiaomi-ax6000-owrt2512/survey-dump-phy1-ap0.out",
               "xiaomi-ax6000-owrt2512/survey-dump-phy2-ap0.out",
               "freifunk-dresden-62/survey-dump-in-use.out",
               "flint2-go-survey/survey-dump-bss-rx.out"]


def _survey_shapes() -> set[frozenset[str]]:
    """Entry shapes of the real surveys; the last entry of a post that ends mid-entry (the
    BPI-R4 post, the AX6000 report's phy1 list) is not a shape."""
    out: set[frozenset[str]] = set()
    for rel in SURVEY_REAL:
        es = entries(cap(rel), "Survey")
        if rel.startswith(("openwrt-17489", "xiaomi-ax6000-owrt2512/survey-dump-phy1")):
            es = es[:-1]
        out |= set(es)
    return out


def test_survey_entries_have_real_shapes(system):
    twin = run(system, "iw", "dev", "ap-mld-1", "survey", "dump")
    reals = [cap(r) for r in SURVEY_REAL]
    assert_keys_known(twin, reals, {})
    assert_order(twin, cap(SURVEY_REAL[0]), scope="Survey")
    real_sets = _survey_shapes()
    twin_sets = entries(twin, "Survey")
    assert set(twin_sets) <= real_sets, set(twin_sets) - real_sets
    # off-channel entries without noise exist, as on real devices
    assert frozenset({"frequency"}) in twin_sets
    assert_formats(twin, reals, {"frequency", "noise", "channel active time",
                                 "channel busy time", "channel receive time",
                                 "channel transmit time"})


# --------------------------------------------------------------------------- iw phy
PHY_REAL = ["openwrt-mt76-216-mt7610/iw-phy.out", "openwrt-mt76-992-mt7996/iw-list-6g-tail.out",
            "openwrt-18079-bpi-r4/iw-phy-6g-frequencies-excerpt.out",
            "openwrt-mt76-689-mt7921/iw-list-head.out", "xiaomi-ax6000-owrt2512/iw-phy0-filtered.out"]


def test_iw_phy_frequency_lines(system):
    twin = run(system, "iw", "phy", "phy0", "info")
    reals = [cap(r) for r in PHY_REAL]
    assert_keys_known(twin, [reals[0], reals[3]], {})
    assert_order(twin, reals[0], scope="Wiphy")
    assert_order(twin, reals[3], scope="Wiphy")
    freq_sigs = {sig for r in reals for p, sig in shape(r) if p.endswith("*")}
    twin_freqs = {sig for p, sig in shape(twin) if p.endswith("Frequencies/*")}
    assert twin_freqs, "no frequency lines"
    # "(disabled)" lines: iw's form for a disabled channel (info.c), no capture has one
    assert twin_freqs - freq_sigs <= {"* 9.9 MHz [9] (disabled)"}, twin_freqs - freq_sigs


# -------------------------------------------------------------------------- iw reg
def test_iw_reg_get(system):
    twin = run(system, "iw", "reg", "get")
    real = cap("xiaomi-ax6000-owrt2512/reg-get-self-managed.out")
    assert_keys_known(twin, [real], {})
    rule_re = re.compile(r"^\t\(\d+ - \d+ @ \d+\), \((?:N/A|\d+), \d+\), \((?:N/A|\d+ ms)\)"
                         r"((?:, [A-Z][A-Z0-9-]+)*)$")
    real_flags = {f.strip(", ") for ln in real.splitlines() if (m := rule_re.match(ln))
                  for f in m.group(1).split(",") if f.strip()}
    twin_rules = [ln for ln in twin.splitlines() if ln.startswith("\t(")]
    assert twin_rules and all(rule_re.match(ln) for ln in twin_rules), twin_rules
    twin_flags = {f.strip() for ln in twin_rules for f in rule_re.match(ln).group(1).split(",")
                  if f.strip()}
    assert twin_flags <= real_flags, twin_flags - real_flags      # PASSIVE-SCAN, not NO-IR


# ---------------------------------------------------------------------------- scan
def test_scan(system, twin):
    with twin.edit() as st:
        st["neighbours"] = [
            {"bssid": "02:11:22:33:44:55", "ssid": "Neighbour", "band": "2g", "channel": 1,
             "width": 20, "signal": -64, "security": "wpa2-psk", "key": "k"}]
    out = run(system, "iw", "dev", "phy0.0-ap0", "scan")
    real = cap("centaurus-rpi-scan/scan.out")
    kept = {"BSS/VHT operation", "BSS/VHT operation/*"}   # 5 GHz only; not in the 2.4 capture
    assert_keys_known(out, [real, cap("xiaomi-ax6000-owrt2512/scan-filtered.out")], {
        **{k: "5 GHz VHT block, iw scan.c" for k in kept}})
    assert_order(out, real, scope="BSS")
    assert_formats(out, [real, cap("xiaomi-ax6000-owrt2512/scan-filtered.out")],
                   {"signal", "TSF", "beacon interval", "capability", "last seen"})


# ------------------------------------------------------------------------- iw link
def test_iw_link_mlo_stats(system, monkeypatch):
    from wifimgr.sim.ports.runner import TwinRunner
    from wifimgr.sim.ports.view import View

    runner = TwinRunner(system.sim) if hasattr(system, "sim") else system.run
    v = View.take(runner.twin)
    nb = [{"bssid": "02:00:00:00:10:02", "link_id": 2, "channel": 1, "band": "2g", "width": 20},
          {"bssid": "02:00:00:00:10:00", "link_id": 0, "channel": 37, "band": "6g",
           "width": 160}]
    conn = {"bssid": nb[0]["bssid"], "mld": "02:00:00:00:10:00", "ssid": "Up-MLD",
            "links": nb, "freq": 2412, "signal": -60, "nb": nb[0]}
    monkeypatch.setattr(View, "sta_connection", lambda self, b: conn)

    class Sta:
        mld, ifname = True, "sta-mld0"

    out = runner._link(v, Sta())
    real = cap("mt7927-dkms-8/iw-link-mlo.out")
    assert paths(out) == paths(real), (paths(out), paths(real))
    assert_formats(out, [real], {"freq", "tx bitrate", "rx bitrate"})
    assert "\tsignal: 0 dBm" in out          # the MT7996's MLD-level placeholder (spec Addenda)


# ----------------------------------------------------------------- hostapd STATUS
STATUS_REAL = ["firewalla-wlan/hostapd-status-eht.out", "tiiuae-mesh-com-438/hostapd-status.out"]
#: keys no public STATUS has (no MLO AP, no 320 MHz, no channel-utilisation averaging among
#: them): from hostapd_ctrl_iface_status (src/ap/ctrl_iface_ap.c), in its order
STATUS_FROM_SOURCE = {k: "hostapd ctrl_iface_ap.c hostapd_ctrl_iface_status" for k in (
    "eht_bw320_offset", "num_links", "link_id", "link_addr", "partner_link[]", "ap_mld_type",
    "mld_addr[]", "mld_id[]", "mld_link_id[]", "chan_util_avg")}
#: the order of hostapd_ctrl_iface_status (source), for the keys the capture lacks
STATUS_SOURCE_ORDER = [
    "state", "phy", "freq", "num_sta_non_erp", "num_sta_no_short_slot_time",
    "num_sta_no_short_preamble", "olbc", "num_sta_ht_no_gf", "num_sta_no_ht",
    "num_sta_ht_20_mhz", "num_sta_ht40_intolerant", "olbc_ht", "ht_op_mode", "hw_mode",
    "country_code", "country3", "cac_time_seconds", "cac_time_left_seconds", "channel",
    "edmg_enable", "edmg_channel", "secondary_channel", "ieee80211n", "ieee80211ac",
    "ieee80211ax", "ieee80211be", "beacon_int", "dtim_period", "eht_oper_chwidth",
    "eht_oper_centr_freq_seg0_idx", "eht_bw320_offset", "num_links", "link_id", "link_addr",
    "partner_link[]", "ap_mld_type", "he_oper_chwidth", "he_oper_centr_freq_seg0_idx",
    "he_oper_centr_freq_seg1_idx", "vht_oper_chwidth", "vht_oper_centr_freq_seg0_idx",
    "vht_oper_centr_freq_seg1_idx", "vht_caps_info", "rx_vht_mcs_map", "tx_vht_mcs_map",
    "ht_caps_info", "ht_mcs_bitmask",
    "supported_rates", "max_txpower", "bss[]", "bssid[]", "ssid[]", "num_sta[]", "mld_addr[]",
    "mld_id[]", "mld_link_id[]", "chan_util_avg"]


def kv_keys(text: str) -> list[str]:
    return [re.sub(r"\[\d+\]", "[]", ln.split("=", 1)[0]) for ln in text.splitlines() if "=" in ln]


@pytest.mark.parametrize("argv", [("-i", "ap-mld-1", "-l", "1"), ("-i", "ap-mld-1"),
                                  ("-i", "phy0.0-ap0")])
def test_hostapd_status(system, argv):
    twin = run(system, "hostapd_cli", *argv, "status")
    keys = kv_keys(twin)
    real = [k for r in STATUS_REAL for k in kv_keys(cap(r))]
    unknown = [k for k in keys if k not in real and k not in STATUS_FROM_SOURCE]
    assert not unknown, unknown
    for r in STATUS_REAL:
        common = [k for k in dict.fromkeys(kv_keys(cap(r))) if k in keys]
        assert [k for k in dict.fromkeys(keys) if k in common] == common, (keys, common)
    order = [k for k in dict.fromkeys(keys)]
    assert order == sorted(order, key=STATUS_SOURCE_ORDER.index), order
    if "ap-mld-1" in argv:
        for k in ("num_links", "link_id", "link_addr", "partner_link[]", "mld_addr[]"):
            assert k in keys, k
        # the radio's legacy AP and the MLD link: two BSSes, as the MT7996 lists them
        assert keys.count("bss[]") == 2
        assert len(re.findall(r"^partner_link\[\d\]=" + MAC.pattern + "$", twin, re.M)) == 2


# -------------------------------------------------------------------- hostapd all_sta
#: three real non-MLO replies exist (captures/README.md); for the rest the twin is held to the
#: order of hostapd_ctrl_iface_sta_mib + hostapd_get_sta_info (ctrl_iface_ap.c) and the MTK SDK
#: lines of patch 0162 (spec/platform.md §c.2 and Addenda)
ALL_STA_REAL = ["js-wifi-sta-he/hostapd-all-sta.out", "rdkb-wifi-hal-sta/hostapd-sta.out",
                "opensync-osw-hostap/hostapd-sta.out"]
ALL_STA_FROM_SOURCE = {k: "ctrl_iface_ap.c / MTK SDK patch 0162 (no public MLD station)"
                       for k in ("peer_addr[]", "nstr_bitmap", "max_simul_links", "emlsr_support",
                                 "emlmr_support", "eht_capab", "sae_group",
                                 "sae_rejected_groups")}
ALL_STA_SOURCE_ORDER = [
    "flags", "aid", "capability", "listen_interval", "supported_rates", "timeout_next",
    "dot11RSNAStatsSTAAddress", "dot11RSNAStatsVersion", "dot11RSNAStatsSelectedPairwiseCipher",
    "dot11RSNAStatsTKIPLocalMICFailures", "dot11RSNAStatsTKIPRemoteMICFailures", "wpa",
    "AKMSuiteSelector", "hostapdWPAPTKState", "hostapdWPAPTKGroupState", "hostapdMFPR",
    "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "inactive_msec", "signal",
    "rx_rate_info", "tx_rate_info", "rx_vht_mcs_map", "tx_vht_mcs_map", "ht_mcs_bitmask",
    "last_ack_signal", "connected_time", "sae_group", "sae_rejected_groups", "supp_op_classes", "min_txpower",
    "max_txpower", "he_capab", "eht_capab", "vht_caps_info", "vht_capab", "ht_caps_info",
    "ext_capab", "peer_addr[]", "nstr_bitmap", "max_simul_links", "emlsr_support",
    "emlmr_support"]


def test_all_sta_follows_hostapd_and_the_mtk_sdk(system):
    twin = run(system, "hostapd_cli", "-i", "ap-mld-1", "all_sta")
    blocks = re.split(r"(?m)^(?=" + MAC.pattern + r"$)", twin)
    blocks = [b for b in blocks if b.strip()]
    assert len(blocks) >= 2
    for b in blocks:
        keys = [k for k in dict.fromkeys(kv_keys(b))]
        assert all(k in ALL_STA_SOURCE_ORDER for k in keys), \
            [k for k in keys if k not in ALL_STA_SOURCE_ORDER]
        assert keys == sorted(keys, key=ALL_STA_SOURCE_ORDER.index), keys
        real_keys = [k for r in ALL_STA_REAL for k in kv_keys(cap(r))]
        unknown = [k for k in keys if k not in real_keys and k not in ALL_STA_FROM_SOURCE]
        assert not unknown, unknown
        ref = [k for k in dict.fromkeys(kv_keys(cap(ALL_STA_REAL[0])))]
        common = [k for k in ref if k in keys]
        assert len(common) > 20 and [k for k in keys if k in common] == common
        for k in ("he_capab", "vht_capab", "supp_op_classes", "ext_capab"):   # hex blobs
            vals = [ln.split("=", 1)[1] for ln in b.splitlines() if ln.startswith(k + "=")]
            assert all(re.fullmatch(r"(?:[0-9a-f]{2})+", v) for v in vals), (k, vals)
        lines = b.splitlines()
        # MTK patch 0162: nstr_bitmap=0x%02x only right after a peer_addr that is not the
        # first (the association link has no per-STA profile)
        for n, ln in enumerate(lines):
            if ln.startswith("nstr_bitmap="):
                assert re.fullmatch(r"nstr_bitmap=0x[0-9a-f]{2}", ln), ln
                assert lines[n - 1].startswith("peer_addr[") and \
                    [x for x in lines[:n - 1] if x.startswith("peer_addr[")], lines[:n + 1]
        # values no real hostapd prints as such (they are hex blobs)
        assert "he_capab=1" not in lines and "eht_capab=1" not in lines


# ---------------------------------------------------------------------- A-TTLM, TTLM
def test_attlm_active_block_in_the_live_spelling(system):
    from support import SPEC_ATTLM_LIVE as LIVE_ATTLM

    run(system, "hostapd_cli", "-i", "ap-mld-1", "set_attlm", "disabled_links=4",
        "switch_time=200", "duration=300000", "link_mapping_size=0")
    twin = run(system, "hostapd_cli", "-i", "ap-mld-1", "get_attlm")
    assert [_sig(x) for x in twin.splitlines()] == [_sig(x) for x in LIVE_ATTLM.splitlines()]


def test_get_neg_ttlm_forms(system, twin):
    real = cap("wozi-forum-bpi-r4/get-neg-ttlm.out")
    with twin.edit() as st:
        st["hostapd"]["neg_ttlm"]["3e:35:54:dc:99:02"] = {str(t): m for t, m in enumerate(
            (7, 3, 3, 7, 6, 6, 2, 2))}
    out = run(system, "hostapd_cli", "-i", "ap-mld-1", "get_neg_ttlm", "3e:35:54:dc:99:02")
    assert out == real
    none = run(system, "hostapd_cli", "-i", "ap-mld-1", "get_neg_ttlm", "d2:43:8f:7b:e6:eb")
    assert none == cap("wozi-notes-bpi-r4/get-neg-ttlm-inactive.out")
    run(system, "hostapd_cli", "-i", "ap-mld-1", "get_attlm")
    assert run(system, "hostapd_cli", "-i", "ap-mld-1", "get_attlm") == \
        cap("wozi-notes-bpi-r4/get-attlm-inactive.out")


# ---------------------------------------------------------------------------- dmesg
#: real lines (captures) generalised over the device and driver, plus the two wordings of
#: today's kernels that spec/platform.md Addenda quotes (no public capture)
DMESG_SPEC = [r"mt7996e \S+: probe with driver mt7996e failed with error -11",
              r"mt7996e \S+: failed to load patch: -11"]


def _dsig(line: str) -> str:
    """A kernel line with timestamp, driver, device and numbers abstracted."""
    body = re.sub(r"^(?:\[[^\]]*\]\s*)+", "", line).strip()
    body = re.sub(r"\bmt7\d{3}(?:e|-wmac)\b", "DRV", body)
    body = re.sub(r"\b[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.\d\b|\b[0-9a-f]{8}\.wmac\b", "DEV",
                  body)
    return re.sub(r"[0-9a-fA-F]*\d[0-9a-fA-F]*", "9", body)


def _templates() -> set[str]:
    out = {_dsig(p.replace("\\S+", "0000:01:00.0")) for p in DMESG_SPEC}
    for rel in ("wozi-forum-bpi-r4/dmesg-semaphore-locked.out",
                "gilly1970-bpi-r4-mtk-feeds/dmesg-boot-mt7996.out",
                "linux-wireless-mt7996-w1701k/dmesg-eeprom-default-bin.out",
                "openwrt-mt76-688-mt7915/dmesg-patch-semaphore.out",
                "openwrt-mt76-688-mt7915/dmesg-firmware-then-22.out",
                "openwrt-mt76-702-mt7986/dmesg-wa-timeout.out"):
        out |= {_dsig(ln) for ln in cap(rel).splitlines() if "mt7" in ln}
    return out


def _mt_lines(text: str) -> list[str]:
    return [re.sub(r"^\[[^\]]*\]\s*", "", ln) for ln in text.splitlines()
            if "mt7996e " in ln or "mt7996e:" in ln]


def test_dmesg_of_a_locked_chip(system, twin):
    with twin.edit() as st:
        st["chip"]["locked"] = True
    twin.reboot()
    lines = _mt_lines(run(system, "dmesg"))
    pats = _templates()
    unmatched = [ln for ln in lines if _dsig(ln) not in pats]
    assert not unmatched, unmatched
    assert any("probe with driver mt7996e failed with error -11" in ln for ln in lines)
    assert not any("probe of" in ln for ln in lines)
    # a re-probe while locked: only the two re-probe lines
    system.run.run(["rmmod", "mt7996e"])
    system.run.run(["modprobe", "mt7996e"])
    new = _mt_lines(run(system, "dmesg"))[len(lines):]
    assert [ln.split(": ", 1)[1] for ln in new if "patch" in ln] == [
        "Failed to get patch semaphore", "failed to load patch: -11"]


def test_dmesg_of_a_good_boot(system):
    lines = _mt_lines(run(system, "dmesg"))
    pats = _templates()
    # the DSP firmware line of the MT7996 (spec/platform.md §e.2 quotes it); the MT7915/MT7986
    # captures have no DSP
    unmatched = [ln for ln in lines if _dsig(ln) not in pats and "DSP Firmware" not in ln]
    assert not unmatched, unmatched


# ------------------------------------------------------------- network.wireless status
def test_network_wireless_status_25_12_shape(system):
    twin = system.bus.call("network.wireless", "status", {})
    real = json.loads(cap("xiaomi-ax6000-owrt2512/wifi-status.json"))
    r_radio = next(iter(real.values()))
    t_radio = twin["radio0"]
    assert list(t_radio) == list(r_radio)
    r_if = real["radio0"]["interfaces"][0]
    for radio in twin.values():
        for i in radio["interfaces"]:
            assert list(i) == list(r_if), list(i)
            assert isinstance(i["config"]["network"], list)
            assert isinstance(i["config"]["device"], list)
            assert i["config"]["radios"] == []
            assert all(isinstance(v, list) for v in (i["vlans"], i["stations"]))
    # booleans and numbers typed as netifd types them (both real captures)
    gl = json.loads(cap("glinet-mt3000-mtk-sdk/network-wireless-status.json"))
    assert isinstance(next(iter(gl.values()))["config"]["disabled"], bool)
    assert isinstance(t_radio["config"].get("disabled", False), bool)


GET_CLIENTS_REAL = ["openwrt-hostapd-ubus-doc/get-clients.json",
                    "homeassistant-openwrt-clients/get-clients.json"]
GET_STATUS_REAL = ["openwrt-hostapd-ubus-doc/get-status.json", "netifyd-hwsim-ubus/get-status.json",
                   "homeassistant-openwrt-clients/get-status.json"]


def _keys_in_order(got: list[str], refs: list[list[str]], optional: set[str]) -> None:
    known = {k for r in refs for k in r}
    assert set(got) <= known, set(got) - known
    for r in refs:
        common = [k for k in r if k in got]
        assert [k for k in got if k in common] == common, (got, r)
        assert not [k for k in r if k not in got and k not in optional], (got, r)


def test_hostapd_get_clients_fields(system):
    twin = system.bus.call("hostapd.ap-mld-1", "get_clients", {})
    assert twin["freq"] > 0 and list(twin) == ["freq", "clients"]
    real = [next(iter(json.loads(cap(r))["clients"].values())) for r in GET_CLIENTS_REAL]
    # the cut DAWN reply: its client keys up to the cut
    dawn = re.findall(r'^ {24}"(\w+)"', cap("dawn-139/hostapd-get-clients-cut.json"), re.M)
    for client in twin["clients"].values():
        _keys_in_order(list(client), [list(r) for r in real] + [dawn],
                       # signature needs hostapd's taxonomy; capabilities only for VHT clients
                       optional={"signature", "capabilities", "he"})
        for k in ("bytes", "airtime", "packets", "rate"):
            assert list(client[k]) == ["rx", "tx"]
        if "capabilities" in client:
            assert list(client["capabilities"]["vht"]) == list(real[0]["capabilities"]["vht"])


@pytest.mark.parametrize("obj", ["hostapd.ap-mld-1", "hostapd.phy0.1-ap0"])
def test_hostapd_get_status_fields(system, obj):
    twin = system.bus.call(obj, "get_status", {})
    real = [json.loads(cap(r)) for r in GET_STATUS_REAL]
    _keys_in_order(list(twin), [list(r) for r in real], optional={"bss_color"})
    for k in ("rrm", "wnm", "airtime", "dfs"):
        assert list(twin[k]) == list(real[0][k]), k
    assert twin["op_class"] in (115, 116, 128, 129, 81, 83, 131, 132, 133, 134, 137)


# -------------------------------------------------------------------- wpa_cli status
WPA_REAL = ["firewalla-wlan/wpa-cli-status.out", "android-logcat-wpa-status/wpa-cli-status.out",
            "wpa-supplicant-readme-status/wpa-cli-status-verbose.out"]
#: an MLO STA's own keys: one real capture (an excerpt, keys only — captures/README.md)
WPA_MLO_REAL = "mt7927-notes-mlo-sta/wpa-cli-status-excerpt.out"
WPA_FROM_SOURCE = set(kv_keys(cap(WPA_MLO_REAL)))


LINK_REAL = ["wext-guide-iw-link/iw-link.out", "linux-notes-iw-link/iw-link.out",
             "vht-laptop-iw-link/iw-link.out"]


def test_sta_interface_wpa_cli_status_and_iw_link(system):
    from wifimgr.lifecycle.defaults import run_first_boot
    from wifimgr.surface.api import dispatch

    run_first_boot(system)
    system.sim.advance(90)
    assert dispatch("station", {"radio": "radio1", "ssid": "Upstream-WiFi",
                                "encryption": "psk2", "key": "upstream-pass"})["ok"]
    system.sim.advance(30)
    twin = kv_keys(run(system, "wpa_cli", "-i", "phy0.1-sta0", "status"))
    real = [k for r in WPA_REAL for k in kv_keys(cap(r))]
    assert [k for k in twin if k not in real and k not in WPA_FROM_SOURCE] == []
    for r in WPA_REAL:
        ref = [k for k in kv_keys(cap(r)) if k in twin]
        assert [k for k in twin if k in ref] == ref, (twin, ref)
    # the single-link `iw dev X link`: the keys and order of the three real STAs
    link = run(system, "iw", "dev", "phy0.1-sta0", "link")
    assert_keys_known(link, [cap(r) for r in LINK_REAL], {})
    for r in LINK_REAL:
        assert_order(link, cap(r), scope="Connected")
    # "freq: 2412.0" is iw 6.x's form (the MLO capture); the single-link posts are older iw
    assert_formats(link, [cap(r) for r in [*LINK_REAL, "mt7927-dkms-8/iw-link-mlo.out"]],
                   {"freq", "RX", "TX", "signal", "bss flags", "dtim period", "beacon int"})


# ------------------------------------------------------------------- debugfs txpower
def test_txpower_info_mu_line_is_the_real_form(system):
    real = cap("wozi-wm-bpi-r4/txpower-info-mu-line.out").strip()
    twin = system.fs.read_text("/sys/kernel/debug/ieee80211/phy0/mt76/band1/txpower_info")
    mu = [ln.strip() for ln in twin.splitlines() if ln.strip().startswith("MU TX Power (Auto")]
    assert [_sig(x) for x in mu] == [_sig(real)]


# ------------------------------------------------------------------ what has no capture
#: commands the project reads for which no public capture exists (captures/README.md): the
#: twin follows the source named here, and the parser tests use the source's lines
NO_CAPTURE = {
    "hostapd_cli get_btwt": "MTK SDK hostapd patches 0207/0245 (spec/platform.md §c.5)",
    "wpa_cli MLO_STATUS": "wpa_supplicant ctrl_iface.c; the spec's [NOTE1] fields",
    "debugfs txpower_info / txpower_sku": "mtk_debugfs.c mt7996_get_txpower_info/_sku",
    "hwmon temp1_input": "the kernel hwmon ABI (m°C)",
}


def test_the_list_of_missing_captures_matches_the_readme():
    readme = (CAP / "README.md").read_text(encoding="utf-8")
    for cmd in ("get_btwt", "MLO_STATUS", "txpower_sku", "hwmon"):
        assert cmd in readme, cmd
    assert len(NO_CAPTURE) == 4


# ------------------------------------------------------------------------- controls
def test_control_the_comparison_catches_the_old_twin_formats():
    # the formats the twin printed before issue 15 fail these checks
    old_status = "state=ENABLED\nfreq=5180\nhe_oper_chwidth=2\neht_oper_chwidth=2\n" \
                 "dfs_active=0\nmax_txpower=23\nbss[0]=ap-mld-1\nnum_links=3\n"
    real = [k for r in STATUS_REAL for k in kv_keys(cap(r))]
    assert [k for k in kv_keys(old_status) if k not in real
            and k not in STATUS_FROM_SOURCE] == ["dfs_active"]
    order = [k for k in kv_keys(old_status) if k in STATUS_SOURCE_ORDER]
    assert order != sorted(order, key=STATUS_SOURCE_ORDER.index)
    old_dump = ("Station 02:00:00:00:00:09 (on ap-mld-1)\n\tinactive time:\t5 ms\n"
                "\tsignal:  \t-60 dBm\n\tauthorized:\tyes\n\tconnected time:\t9 seconds\n")
    with pytest.raises(AssertionError, match="order differs"):
        assert_order(old_dump, cap(MODERN[0]), scope="Station")
    old_survey = "Survey data from x\n\tfrequency:\t\t\t5260 MHz\n\tnoise:\t\t\t\t-90 dBm\n"
    real_sets = _survey_shapes()
    assert entries(old_survey, "Survey")[0] not in real_sets
    with pytest.raises(AssertionError, match="keys no real capture has"):
        assert_keys_known("Station 02:00:00:00:00:09 (on x)\n\tLink 0:\n\tsignal:  \t-60 dBm\n"
                          "\t\tbogus key:\t1\n", [cap(r) for r in STA_REAL], {})


# ============================================================ per profile (issue 23)
# Each twin profile is held to the captures of its own stack: the MTK SDK profile to the
# MTK/BE14 captures above, the mainline profiles to the mainline ones (openwrt#18487 `iw dev`
# with `Radios:`, luci#7483 `wiphy radio N:`, mt76#961 / mt76#1078 EHT, hostap 8d434bf6 MLD
# STATUS lines, openwrt#21083 25.12 `wifi status`, openwrt#22447 `system board`, openwrt#20276
# mainline mt7996e dmesg). The twins are the owners' setups of tests/twin_profiles.py.
from twin_profiles import ALL, MLD, make_twin  # noqa: E402
from wifimgr.sim import profiles  # noqa: E402

#: `iw dev X info` of a single-band AP per stack
IW_INFO_BY_STACK = {
    "mtk": ["apdata-iw5/iw-dev-info.out"],
    "upstream": ["openwrt-18487-bpi-r4/iw-dev-info-phy0.0-ap0.out",
                 "openwrt-18487-bpi-r4/iw-dev-info-phy0.1-ap0.out",
                 "openwrt-18487-bpi-r4/iw-dev-info-phy0.2-ap0.out"],
}
DMESG_BY_STACK = {"mtk": "gilly1970-bpi-r4-mtk-feeds/dmesg-boot-mt7996.out",
                  "upstream": "openwrt-20276-mt7996/dmesg-grep-mt7996.out"}


@pytest.fixture(params=ALL)
def profiled(request, tmp_path, monkeypatch):
    twin, system = make_twin(tmp_path, monkeypatch, request.param)
    return request.param, profiles.get(request.param), twin, system


def test_profile_iw_dev_info_of_a_legacy_ap(profiled):
    _name, prof, _twin, system = profiled
    reals = [_info(r) for r in IW_INFO_BY_STACK[prof.hostapd]]
    info = run(system, "iw", "dev", "phy0.1-ap0", "info")
    assert_keys_known(info, [*reals, _as_info(RADIOS_REAL)], {})
    for r in reals:
        assert_order(info, r, scope="Interface")
    assert_formats(info, reals, {"ifindex", "wdev", "type", "wiphy", "channel", "txpower"})
    # the `Radios:` line as the stack's capture prints it, last
    radios = [ln for ln in info.splitlines() if ln.startswith("\tRadios:")]
    assert info.splitlines()[-1] == radios[0]
    if prof.hostapd == "upstream":
        real = cap("openwrt-18487-bpi-r4/iw-dev-info-phy0.1-ap0.out").splitlines()[-1]
        n = len(prof.radios)
        assert radios[0].strip() == " ".join(real.split()[:n + 1])  # `Radios: 0 1 [2]`


def test_profile_iw_dev_mld(profiled):
    name, _prof, _twin, system = profiled
    mld = run(system, "iw", "dev", MLD[name], "info")
    assert_keys_known(mld, [_info(IW_INFO_REAL[0]), _mld_body_as(""), _as_info(RADIOS_REAL)],
                      IW_DEV_FROM_SOURCE)
    assert_order(mld, _mld_body_as(""), scope="Interface")
    assert_formats(mld, [_mld_body_as(""), cap("mt7927-dkms-46/iw-dev-info-excerpt.out")],
                   {"channel", "txpower"})


#: the `wiphy radio N:` block keys (captures/openwrt-luci-7483-multi-radio)
RADIO_BLOCK_REAL = "openwrt-luci-7483-multi-radio/iw-phy-radios-excerpt.out"


def test_profile_iw_phy(profiled):
    _name, prof, _twin, system = profiled
    twin_text = run(system, "iw", "phy")
    reals = [cap(r) for r in PHY_REAL]
    freq_sigs = {sig for r in reals for p, sig in shape(r) if p.endswith("*")}
    twin_freqs = {sig for p, sig in shape(twin_text) if p.endswith("Frequencies/*")}
    assert twin_freqs and twin_freqs - freq_sigs <= {"* 9.9 MHz [9] (disabled)"}
    bands = sorted(int(ln.split()[1].rstrip(":")) for ln in twin_text.splitlines()
                   if ln.startswith("\tBand "))
    assert bands == [{"2g": 1, "5g": 2, "6g": 4}[b] for b in prof.bands]
    if not prof.iw_radio_blocks:
        assert "wiphy radio" not in twin_text
        return
    # the author's own `Wiphy phy0:` and `[...snip...]` lines (captures/README.md) left out
    real = cap(RADIO_BLOCK_REAL).replace("Wiphy phy0:", "Wiphy phy0").replace(
        "[...snip...]\n", "")
    real_radio = {p for p in paths(real) if "/wiphy radio N" in p}
    twin_radio = [p for p in paths(twin_text) if "/wiphy radio N" in p]
    assert twin_radio and set(twin_radio) <= real_radio, set(twin_radio) - real_radio
    # the first two blocks are the capture's, line for line (its cut line excepted)
    blocks = twin_text[twin_text.index("\twiphy radio 0:"):].splitlines()
    assert blocks[:10] == real.splitlines()[1:11]
    if prof.eht_320:
        eht = [ln.strip() for ln in cap("openwrt-mt76-961-mt7996/iw-phy-eht-6g-excerpt.out")
               .splitlines()]
        got = [ln.strip() for ln in twin_text.splitlines()]
        start = got.index(eht[0])
        assert got[start:start + len(eht)] == eht
    else:
        # the MT7992E (mt76#1078): 2.4 + 5 GHz, EHT at most 160 MHz
        assert "320MHz" not in twin_text and "Band 4:" not in twin_text
        head = cap("openwrt-mt76-1078-mt7992e/iw-phy0-info-head.out")
        assert paths(twin_text)[:2] == paths(head)[:2]          # Wiphy, wiphy index


def test_profile_hostapd_status_mld_lines(profiled):
    name, prof, _twin, system = profiled
    argv = ["-i", f"{MLD[name]}_link1"] if prof.link_sockets else ["-i", MLD[name], "-l", "1"]
    twin_text = run(system, "hostapd_cli", *argv, "status")
    keys = kv_keys(twin_text)
    real = [k for r in STATUS_REAL for k in kv_keys(cap(r))]
    assert not [k for k in keys if k not in real and k not in STATUS_FROM_SOURCE]
    order = list(dict.fromkeys(keys))
    assert order == sorted(order, key=STATUS_SOURCE_ORDER.index)
    # `hostapd_cli status | grep link` of hostap 8d434bf6, for the stack's link count
    link_lines = [ln for ln in twin_text.splitlines() if "link" in ln and "mld" not in ln]
    n = twin_text.count("partner_link[") + 1
    if n == 2:
        sample = cap("hostap-8d434bf6-mld-status/hostapd-status-wlan1-grep-link.out")
        assert kv_keys("\n".join(link_lines)) == kv_keys(sample)
    assert [k for k in kv_keys("\n".join(link_lines))][:3] == ["num_links", "link_id",
                                                               "link_addr"]
    assert all(re.fullmatch(r"(num_links|link_id)=\d+|(link_addr|partner_link\[\d\])="
                            + MAC.pattern, ln) for ln in link_lines), link_lines


def test_profile_network_wireless_status(profiled):
    _name, prof, _twin, system = profiled
    twin_status = system.bus.call("network.wireless", "status", {})
    if prof.status_radios:
        real_text = cap("openwrt-21083-bpi-r4-pro-8x/wifi-status-cut.json")
        real = json.loads(real_text[:real_text.index('\t"radio1"')].rstrip().rstrip(",") + "}")
    else:
        real = json.loads(cap("xiaomi-ax6000-owrt2512/wifi-status.json"))
    r_radio = real["radio0"]
    for radio in twin_status.values():
        assert list(radio) == list(r_radio)
        for i in radio["interfaces"]:
            assert list(i) == list(r_radio["interfaces"][0])
            assert list(i["config"])[-1] in ("radios", "ifname")
            if prof.status_radios:
                assert all(isinstance(x, int) for x in i["config"]["radios"])
    if prof.status_radios:
        assert type(twin_status["radio0"]["config"]["radio"]) is type(r_radio["config"]["radio"])


def test_profile_system_board(profiled):
    _name, prof, _twin, system = profiled
    board = system.bus.call("system", "board", {})
    if prof.hostapd == "upstream":     # posted without its braces (captures/README.md)
        real = json.loads("{" + cap("openwrt-22447-bpi-r4/system-board-excerpt.txt") + "}}")
    else:
        real = json.loads(cap("openwrt-luci-7584-bpi-r4/system-board.json"))
    assert list(board) == list(real)
    if prof.hostapd == "upstream":
        assert list(board["release"]) == list(real["release"])
    else:
        # the MTK profile's board has no capture; it lacks the `builddate` of real boards
        assert set(board["release"]) == set(real["release"]) - {"builddate"}


def test_profile_dmesg(profiled):
    _name, prof, _twin, system = profiled
    lines = _mt_lines(run(system, "dmesg"))
    pats = _templates() | {_dsig(ln) for ln in cap(DMESG_BY_STACK[prof.hostapd]).splitlines()}
    unmatched = [ln for ln in lines if _dsig(ln) not in pats and "DSP Firmware" not in ln]
    assert not unmatched, unmatched
    if prof.hostapd == "upstream":
        assert not any("wed device" in ln or "mt76_add_chanctx" in ln for ln in lines)
