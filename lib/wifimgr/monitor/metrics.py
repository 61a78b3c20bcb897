"""A sample → the Prometheus text exposition format (version 0.0.4).

As the Prometheus documentation defines it: per metric family one ``# HELP`` and one ``# TYPE``
line before its samples, all samples of a family together, ``name{label="value",…} value``.
Label values escape ``\\`` as ``\\\\``, ``"`` as ``\\"`` and a line feed as ``\\n``; HELP text
escapes ``\\`` and line feeds. Names are ``wifimgr_…`` with the unit last (Prometheus naming
conventions: ``_dbm``, ``_celsius``, ``_ratio`` for 0–1 fractions, ``_hertz``, ``_seconds``,
``_bits_per_second``, ``_total`` for counters). SSIDs, host names and interface names come from
outside and are label *values* only, escaped — a hostile SSID cannot end a line or a label.

Labels: ``radio``, ``band``, ``ssid``, ``mld`` (the MLD's UCI section), ``link`` (link id),
``mac`` (the client), ``ifname``, ``network`` (UCI section).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def escape_label(value: Any) -> str:
    s = value if isinstance(value, str) else str(value)
    if s.isascii():
        if "\\" not in s and '"' not in s and "\n" not in s:
            return s
    else:
        # bytes that were not UTF-8 (surrogate escapes) cannot be encoded: the text is UTF-8
        s = s.encode("utf-8", "replace").decode("utf-8")
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def labels(**kv: Any) -> str:
    """``k="v",…`` with every value escaped — rendered once per entity, shared by families."""
    return ",".join(f'{k}="{escape_label(v)}"' for k, v in kv.items())


def escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def fmt_value(v: float | int | bool) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "+Inf" if v > 0 else "-Inf"
    r = repr(float(v))
    return r[:-2] if r.endswith(".0") else r


class Family:
    __slots__ = ("help", "kind", "name", "samples")

    def __init__(self, name: str, kind: str, help: str):
        self.name, self.kind, self.help = name, kind, help
        self.samples: list[tuple[str, Any]] = []

    def add(self, value: Any, lab: str = "") -> None:
        """One series; ``lab`` comes from :func:`labels`."""
        if value is not None:
            self.samples.append((lab, value))

    def render(self, out: list[str]) -> None:
        if not self.samples:
            return
        out.append(f"# HELP {self.name} {escape_help(self.help)}")
        out.append(f"# TYPE {self.name} {self.kind}")
        seen = set()
        name = self.name
        for lab, value in self.samples:
            if lab in seen:   # one series per label set (a duplicate is dropped, not sent)
                continue
            seen.add(lab)
            out.append(f"{name}{{{lab}}} {fmt_value(value)}" if lab
                       else f"{name} {fmt_value(value)}")


def _ratio(pct: float | None) -> float | None:
    return None if pct is None else round(pct / 100.0, 4)


def _bps(mbps: float | None) -> float | None:
    return None if mbps is None else round(mbps * 1e6)


def _secs(ms: int | None) -> float | None:
    return None if ms is None else ms / 1000.0


def render(sample: dict[str, Any]) -> str:
    """The exposition text of one sample (ends with a line feed)."""
    fams: list[Family] = []

    def fam(name: str, kind: str, help: str) -> Family:
        f = Family(f"wifimgr_{name}", kind, help)
        fams.append(f)
        return f

    up = fam("monitor_last_sample_timestamp_seconds", "gauge",
             "Unix time of the sample these metrics come from")
    up.add(round(sample["t"], 3))
    fam("monitor_sample_duration_seconds", "gauge",
        "How long reading the sample took").add(sample.get("read_seconds"))
    chip = sample.get("chip")
    if chip is not None:
        fam("chip_locked", "gauge",
            "1 when the MT7996 is locked (unplug the router for at least 15 minutes)").add(
            bool(chip.get("locked")))

    r_info = fam("radio_info", "gauge", "Radio configuration and state (value always 1)")
    r_up = fam("radio_up", "gauge", "1 when netifd reports the radio up")
    r_freq = fam("radio_frequency_hertz", "gauge", "Operating frequency of the radio")
    r_width = fam("radio_channel_width_hertz", "gauge", "Channel width of the radio")
    r_util = fam("radio_channel_utilization_ratio", "gauge",
                 "hostapd's average channel utilisation (0-1; the 6 GHz MBSSID reading above "
                 "100 % is left out)")
    r_busy = fam("radio_channel_busy_ratio", "gauge",
                 "Channel busy time over the last interval (survey counters diffed, 0-1)")
    r_noise = fam("radio_noise_dbm", "gauge", "Noise floor of the in-use channel")
    r_temp = fam("radio_temperature_celsius", "gauge", "Temperature of the radio (hwmon)")
    r_txp = fam("radio_txpower_dbm", "gauge", "TX power the radio uses (iw)")
    for name, r in sorted(sample["radios"].items()):
        lab = labels(radio=name, band=r.get("band") or "")
        r_info.add(1, lab + "," + labels(
            channel=r.get("channel") if r.get("channel") is not None else "",
            ifname=r.get("ifname") or ""))
        r_up.add(bool(r.get("up")), lab)
        r_freq.add(None if r.get("freq_mhz") is None else r["freq_mhz"] * 1_000_000, lab)
        r_width.add(None if r.get("width_mhz") is None else r["width_mhz"] * 1_000_000, lab)
        r_util.add(_ratio(r.get("util_pct")), lab)
        r_busy.add(_ratio(r.get("busy_pct")), lab)
        r_noise.add(r.get("noise_dbm"), lab)
        r_temp.add(r.get("temp_c"), lab)
        r_txp.add(r.get("txpower_dbm"), lab)

    n_up = fam("network_up", "gauge",
               "1 when an enabled network runs (AP: hostapd ENABLED; STA: interface exists)")
    n_cl = fam("network_clients", "gauge", "Clients associated with the network")
    counts: dict[str, int] = {}
    for c in sample["clients"].values():
        counts[c.get("section") or ""] = counts.get(c.get("section") or "", 0) + 1
    for name, n in sorted(sample["networks"].items()):
        if not n.get("wanted"):
            continue
        lab = labels(network=name, ssid=n.get("ssid") or "", ifname=n.get("ifname") or "",
                     mld=name if n.get("mlo") else "")
        n_up.add(bool(n.get("up")), lab)
        if n.get("mode") == "ap":
            n_cl.add(counts.get(name, 0), lab)

    m_links = fam("mld_links", "gauge", "Links the AP MLD should have (enabled EHT radios)")
    m_up = fam("mld_links_up", "gauge", "Links of the AP MLD that are on a channel")
    m_link = fam("mld_link_up", "gauge", "1 for each link of the AP MLD that is up")
    for name, m in sorted(sample["mlds"].items()):
        lab = labels(mld=name, ssid=m.get("ssid") or "")
        m_links.add(m.get("links_expected"), lab)
        m_up.add(m.get("links_up"), lab)
        for lid, ln in sorted(m.get("links", {}).items(), key=lambda kv: int(kv[0])):
            m_link.add(1, lab + "," + labels(link=lid, band=ln.get("band") or "",
                                             radio=ln.get("radio") or ""))
    attlm = fam("mld_attlm_disabled_links", "gauge",
                "Bitmask of the links an advertised TTLM (A-TTLM) switches off for every "
                "client (0: none)")
    for name, m in sorted(sample["mlds"].items()):
        st = (sample.get("attlm") or {}).get(m.get("ifname") or "")
        if st is not None:
            attlm.add(st["disabled_mask"] if st["active"] else 0,
                      labels(mld=name, ssid=m.get("ssid") or ""))

    c_info = fam("client_info", "gauge", "A connected client (value always 1)")
    c_sig = fam("client_signal_dbm", "gauge",
                "Signal of the client (MLO: its best link with a valid reading)")
    c_tx = fam("client_transmit_bits_per_second", "gauge", "TX bitrate towards the client")
    c_rx = fam("client_receive_bits_per_second", "gauge", "RX bitrate from the client")
    c_inact = fam("client_inactive_seconds", "gauge", "Time since the client was last active")
    c_conn = fam("client_connected_seconds", "gauge", "Time since the client associated")
    c_pkts = fam("client_transmit_packets_total", "counter", "Packets sent to the client")
    c_retr = fam("client_transmit_retries_total", "counter", "Retries sending to the client")
    l_sig = fam("client_link_signal_dbm", "gauge",
                "Signal of one link of an MLO client (idle links: no sample)")
    l_tx = fam("client_link_transmit_bits_per_second", "gauge", "TX bitrate on one link")
    l_rx = fam("client_link_receive_bits_per_second", "gauge", "RX bitrate on one link")
    l_inact = fam("client_link_inactive_seconds", "gauge", "Time since the link carried traffic")
    l_pkts = fam("client_link_transmit_packets_total", "counter", "Packets sent on one link")
    l_retr = fam("client_link_transmit_retries_total", "counter", "Retries on one link")
    for mac, c in sorted(sample["clients"].items()):
        mld = c.get("section") if c.get("mlo_iface") else ""
        lab = labels(mac=mac, ssid=c.get("ssid") or "", network=c.get("section") or "",
                     mld=mld or "")
        c_info.add(1, lab + "," + labels(type=c.get("type") or "",
                                         hostname=c.get("hostname") or ""))
        c_sig.add(c.get("signal_dbm"), lab)
        c_tx.add(_bps(c.get("tx_mbps")), lab)
        c_rx.add(_bps(c.get("rx_mbps")), lab)
        c_inact.add(_secs(c.get("inactive_ms")), lab)
        c_conn.add(c.get("connected_s"), lab)
        c_pkts.add(c.get("tx_packets"), lab)
        c_retr.add(c.get("tx_retries"), lab)
        if not c.get("mlo_iface"):
            continue
        for lid, ln in sorted(c["links"].items(), key=lambda kv: int(kv[0])):
            llab = f'{lab},link="{escape_label(lid)}",band="{escape_label(ln.get("band") or "")}"'
            if ln.get("active"):
                l_sig.add(ln.get("signal_dbm"), llab)
            l_tx.add(_bps(ln.get("tx_mbps")), llab)
            l_rx.add(_bps(ln.get("rx_mbps")), llab)
            l_inact.add(_secs(ln.get("inactive_ms")), llab)
            l_pkts.add(ln.get("tx_packets"), llab)
            l_retr.add(ln.get("tx_retries"), llab)
    out: list[str] = []
    for f in fams:
        f.render(out)
    return "\n".join(out) + "\n"


def names(text: str) -> Iterable[str]:
    """Metric family names in an exposition text (docs and tests)."""
    return [line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")]
