"""Parsers for ``iw`` output (iw 6.x with the MTK SDK patches).

Formats follow iw's own printf calls (``interface.c`` print_channel / MLD links, ``station.c``
print_sta_handler / parse_bitrate, ``survey.c``, ``info.c``, ``phy.c`` channels, ``reg.c``,
``link.c``, ``scan.c``) and real captures in ``tests/fixtures/captures/``. Indentation is
compared by width (tab = 8 columns) so both tab-exact output and captures re-indented with
spaces by forums parse the same.

Functions and their results::

    parse_dev(text)            -> list[Interface]     # `iw dev`, `iw dev X info`
    parse_station_dump(text)   -> list[Station]       # `iw dev X station dump|get`
    parse_survey(text)         -> list[SurveyEntry]   # `iw dev X survey dump`
    parse_phy(text)            -> list[Wiphy]         # `iw phy`, `iw phy phy0 info`
    parse_channels(text)       -> list[PhyChannel]    # `iw phy phy0 channels`
    parse_link(text)           -> LinkInfo            # `iw dev X link` (legacy and MLO)
    parse_reg(text)            -> list[RegDomain]     # `iw reg get`
    parse_scan(text)           -> list[ScanBss]       # `iw dev X scan [dump]`
    parse_bitrate(text)        -> Bitrate | None
    parse_signal(text)         -> Signal | None

Example (`iw dev ap-mld-1 info` on a BPI-R4)::

    Interface ap-mld-1
            ifindex 12
            wdev 0x3
            addr 00:0c:43:26:60:00
            ssid OpenWrt-MLD
            type AP
            wiphy 0
            MLD with links:
             - link ID  0 link addr 00:0c:43:26:60:00
               channel 6 (2437 MHz), width: 40 MHz, center1: 2447 MHz
               txpower 20.00 dBm
    → Interface(name='ap-mld-1', type='AP',
                links=[MldLink(link_id=0, channel=Channel(6, 2437, 40, …), …)])
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core.errors import ParseError
from ..core.record import field, record
from .common import (
    band_of,
    channel_of,
    first_int,
    guarded,
    indent_width,
    is_mac,
    is_placeholder_dbm,
    split_kv,
    to_float,
    to_int,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

# ---------------------------------------------------------------------------------------
# shared value types
# ---------------------------------------------------------------------------------------

_CHANNEL_RE = re.compile(
    r"channel (?P<ch>\d+) \((?P<freq>[\d.]+) MHz\)"
    r"(?:, width: (?P<width>[\d+]+) MHz(?: \(no HT\))?)?"
    r"(?:, center1: (?P<c1>\d+) MHz)?"
    r"(?:, center2: (?P<c2>\d+) MHz)?"
)


@record(frozen=True)
class Channel:
    channel: int
    freq_mhz: int
    width_mhz: int | None = None
    center1_mhz: int | None = None
    center2_mhz: int | None = None

    @property
    def band(self) -> str | None:
        return band_of(self.freq_mhz)


def parse_channel(text: str) -> Channel | None:
    m = _CHANNEL_RE.search(text)
    if not m:
        return None
    width = m.group("width")
    wval: int | None = None
    if width:
        wval = 160 if width == "80+80" else int(width)
    freq = to_float(m.group("freq"))
    if freq is None:
        return None
    return Channel(
        int(m.group("ch")),
        int(freq),
        wval,
        to_int(m.group("c1")),
        to_int(m.group("c2")),
    )


@record(frozen=True)
class Signal:
    dbm: int
    chains: tuple[int, ...] = ()

    @property
    def placeholder(self) -> bool:
        """0 dBm or the driver's floor (≤ −95): not a reading (see common.is_placeholder_dbm)."""
        return is_placeholder_dbm(self.dbm)


@lru_cache(maxsize=1024)  # Signal is frozen: equal texts may share one value
def parse_signal(text: str) -> Signal | None:
    """``-57 [-62, -59] dBm`` → Signal(-57, (-62, -59))."""
    text = text.strip()
    if not text:
        return None
    head, _, rest = text.partition("[")
    dbm = to_int(head.replace("dBm", "").strip())
    if dbm is None:
        return None
    chains: tuple[int, ...] = ()
    if rest:
        inner = rest.split("]", 1)[0]
        vals = [to_int(v) for v in inner.split(",")]
        chains = tuple(v for v in vals if v is not None)
    return Signal(dbm, chains)


@record(frozen=True)
class Bitrate:
    """One ``tx bitrate:`` / ``rx bitrate:`` value, e.g.
    ``1441.3 MBit/s 160MHz EHT-MCS 7 EHT-NSS 2 EHT-GI 0``."""

    mbps: float | None
    mode: str  # legacy | HT | VHT | HE | EHT
    mcs: int | None = None
    nss: int | None = None
    width_mhz: int | None = None
    short_gi: bool = False
    gi: int | None = None
    dcm: int | None = None
    ru_alloc: int | None = None
    raw: str = ""

    @property
    def generation(self) -> int | None:
        """Wi-Fi generation of the PHY mode: EHT 7, HE 6, VHT 5, HT 4, legacy None."""
        return {"EHT": 7, "HE": 6, "VHT": 5, "HT": 4}.get(self.mode)


_WIDTH_TOKENS = {
    "40MHz": 40,
    "80MHz": 80,
    "80P80MHz": 160,
    "160MHz": 160,
    "320MHz": 320,
}


@lru_cache(maxsize=1024)  # Bitrate is frozen; a dump repeats a few dozen distinct rates
def parse_bitrate(text: str) -> Bitrate | None:
    text = text.strip()
    if not text:
        return None
    toks = text.split()
    mbps: float | None = None
    i = 0
    if len(toks) >= 2 and toks[1] == "MBit/s":
        try:
            mbps = float(toks[0])
        except ValueError:
            return None
        i = 2
    elif toks[0] == "(unknown)":
        i = 1
    else:
        return None
    mode = "legacy"
    mcs = nss = gi = dcm = ru = None
    width: int | None = None
    short_gi = False
    n = len(toks)
    while i < n:
        t = toks[i]
        val = to_int(toks[i + 1]) if i + 1 < n else None
        if t in _WIDTH_TOKENS:
            width = _WIDTH_TOKENS[t]
            i += 1
            continue
        if t == "short" and i + 1 < n and toks[i + 1] == "GI":
            short_gi = True
            i += 2
            continue
        if t == "MCS":
            mode, mcs = "HT", val
        elif t.endswith("-MCS"):
            mode, mcs = t[:-4], val
        elif t.endswith("-NSS"):
            nss = val
        elif t.endswith("-GI"):
            gi = val
        elif t.endswith("-DCM"):
            dcm = val
        elif t.endswith("-RU-ALLOC"):
            ru = val
        else:
            i += 1
            continue
        i += 2
    if mode == "HT" and mcs is not None and nss is None:
        nss = mcs // 8 + 1
    if width is None and mode in ("HT", "VHT", "HE", "EHT"):
        width = 20
    return Bitrate(mbps, mode, mcs, nss, width, short_gi, gi, dcm, ru, text)


# ---------------------------------------------------------------------------------------
# iw dev / iw dev X info
# ---------------------------------------------------------------------------------------


@record
class MldLink:
    link_id: int
    addr: str | None = None
    channel: Channel | None = None
    txpower_dbm: float | None = None


@record
class Interface:
    name: str
    phy: int | None = None
    ifindex: int | None = None
    wdev: str | None = None
    addr: str | None = None
    ssid: str | None = None
    type: str | None = None
    wiphy: int | None = None
    channel: Channel | None = None
    txpower_dbm: float | None = None
    four_addr: bool = False
    radios: tuple[int, ...] = ()
    links: list[MldLink] = field(default_factory=list)

    @property
    def is_mld(self) -> bool:
        return bool(self.links)


_LINK_RE = re.compile(r"^- link(?: ID\s+(\d+))?(?: link addr ([0-9a-fA-F:]{17}))?")


def _txpower(text: str) -> float | None:
    m = re.match(r"txpower (-?[\d.]+) dBm", text)
    return to_float(m.group(1)) if m else None


@guarded("iw dev")
def parse_dev(text: str) -> list[Interface]:
    """``iw dev`` (with ``phy#N`` headers) or ``iw dev X info`` (a single interface)."""
    out: list[Interface] = []
    phy: int | None = None
    cur: Interface | None = None
    link: MldLink | None = None
    in_links = False
    links_indent = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        s = raw.strip()
        if s.startswith("phy#"):
            phy = to_int(s[4:])
            cur, link, in_links = None, None, False
            continue
        if s.startswith("Interface "):
            cur = Interface(name=s.split(None, 1)[1], phy=phy)
            out.append(cur)
            link, in_links = None, False
            continue
        if s == "Unnamed/non-netdev interface":
            cur = Interface(name="", phy=phy)
            out.append(cur)
            link, in_links = None, False
            continue
        if cur is None:
            if not out and s.startswith(("ifindex", "type", "wiphy", "addr", "MLD with links")):
                # `iw dev X info` body without its header (as some captures are posted)
                cur = Interface(name="", phy=phy)
                out.append(cur)
            else:
                raise ParseError(f"unexpected line before any interface: {s!r}", line=lineno,
                                 source="iw dev")
        ind = indent_width(raw)
        if in_links and ind > links_indent:
            if s.startswith("- link"):
                m = _LINK_RE.match(s)
                link = MldLink(link_id=int(m.group(1)) if m and m.group(1) else -1,
                               addr=m.group(2) if m else None)
                cur.links.append(link)
            elif link is not None and s.startswith("channel "):
                link.channel = parse_channel(s)
            elif link is not None and s.startswith("txpower "):
                link.txpower_dbm = _txpower(s)
            continue
        in_links = False
        link = None
        if s == "MLD with links:":
            in_links, links_indent = True, ind
            continue
        key, _, val = s.partition(" ")
        if key == "ifindex":
            cur.ifindex = to_int(val)
        elif key == "wdev":
            cur.wdev = val
        elif key == "addr":
            cur.addr = val
        elif key == "ssid":
            cur.ssid = _unescape_ssid(val)
        elif key == "type":
            cur.type = val
        elif key == "wiphy":
            cur.wiphy = to_int(val)
        elif key == "channel":
            cur.channel = parse_channel(s)
        elif key == "txpower":
            cur.txpower_dbm = _txpower(s)
        elif s.startswith("4addr: on"):
            cur.four_addr = True
        elif s.startswith("Radios:"):
            cur.radios = tuple(int(x) for x in re.findall(r"\d+", s[7:]))
        # multicast TXQ tables and unknown lines are ignored on purpose
    return out


# ---------------------------------------------------------------------------------------
# station dump
# ---------------------------------------------------------------------------------------


@record
class StationLink:
    link_id: int
    address: str | None = None
    inactive_ms: int | None = None
    signal: Signal | None = None
    signal_avg: Signal | None = None
    tx_bitrate: Bitrate | None = None
    rx_bitrate: Bitrate | None = None
    rx_bytes: int | None = None
    tx_bytes: int | None = None
    rx_packets: int | None = None
    tx_packets: int | None = None
    tx_retries: int | None = None
    tx_failed: int | None = None
    fields: dict[str, str] = field(default_factory=dict)


@record
class Station:
    mac: str
    ifname: str | None = None
    inactive_ms: int | None = None
    rx_bytes: int | None = None
    tx_bytes: int | None = None
    rx_packets: int | None = None
    tx_packets: int | None = None
    tx_retries: int | None = None
    tx_failed: int | None = None
    signal: Signal | None = None
    signal_avg: Signal | None = None
    tx_bitrate: Bitrate | None = None
    rx_bitrate: Bitrate | None = None
    connected_s: int | None = None
    authorized: bool | None = None
    authenticated: bool | None = None
    associated: bool | None = None
    mfp: bool | None = None
    links: list[StationLink] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def _yes(val: str) -> bool:
    return val == "yes"


def _text(val: str) -> str:
    return val


#: station dump key → (attribute, converter, where it applies: "both", "station" or "link");
#: any other key (or one in the wrong block) is kept in ``.fields``
_STA_FIELDS: dict[str, tuple[str, Callable[[str], object], str]] = {
    "inactive time": ("inactive_ms", first_int, "both"),
    "signal": ("signal", parse_signal, "both"),
    "signal avg": ("signal_avg", parse_signal, "both"),
    "tx bitrate": ("tx_bitrate", parse_bitrate, "both"),
    "rx bitrate": ("rx_bitrate", parse_bitrate, "both"),
    "rx bytes": ("rx_bytes", to_int, "both"),
    "tx bytes": ("tx_bytes", to_int, "both"),
    "rx packets": ("rx_packets", to_int, "both"),
    "tx packets": ("tx_packets", to_int, "both"),
    "tx retries": ("tx_retries", to_int, "both"),
    "tx failed": ("tx_failed", to_int, "both"),
    "address": ("address", _text, "link"),
    "connected time": ("connected_s", first_int, "station"),
    "authorized": ("authorized", _yes, "station"),
    "authenticated": ("authenticated", _yes, "station"),
    "associated": ("associated", _yes, "station"),
    "MFP": ("mfp", _yes, "station"),
}


def _apply_sta_field(obj: Station | StationLink, where: str, key: str, val: str) -> None:
    spec = _STA_FIELDS.get(key)
    if spec is not None and spec[2] in ("both", where):
        value = spec[1](val)
        if where == "station" and isinstance(value, Signal) and value.placeholder:
            # the station-level value of an MLD client (0) or a non-MLD client's −95 floor:
            # a placeholder, kept as text but not read as a signal (per-link values are kept
            # as printed: their consumers check inactive time and the floor themselves)
            obj.fields[key] = val
            value = None
        setattr(obj, spec[0], value)
    else:
        obj.fields[key] = val


@guarded("station dump")
def parse_station_dump(text: str) -> list[Station]:
    """All stations of ``iw dev X station dump`` (or the one of ``station get``).

    Station-level lines are indented once; ``Link <n>:`` blocks (MTK iw, MLO stations) hold
    more-indented per-link lines. A truncated dump yields the stations read so far."""
    out: list[Station] = []
    sta: Station | None = None
    link: StationLink | None = None
    link_indent = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw or raw.isspace():
            continue
        if raw.startswith("Station "):
            parts = raw.split()
            if len(parts) < 2 or not is_mac(parts[1]):
                raise ParseError(f"bad station header {raw!r}", line=lineno, source="station dump")
            ifname = None
            if len(parts) >= 4 and parts[2] == "(on":
                ifname = parts[3].rstrip(")")
            sta = Station(mac=parts[1].lower(), ifname=ifname)
            out.append(sta)
            link = None
            continue
        if sta is None:
            raise ParseError(f"line outside a station block: {raw.strip()!r}", line=lineno,
                             source="station dump")
        s = raw.strip()
        if link is not None and indent_width(raw) <= link_indent:
            link = None
        if s.startswith("Link ") and s.endswith(":"):
            lid = to_int(s[5:-1])
            if lid is None:
                raise ParseError(f"bad link header {s!r}", line=lineno, source="station dump")
            link = StationLink(link_id=lid)
            link_indent = indent_width(raw)
            sta.links.append(link)
            continue
        kv = split_kv(s)
        if kv is None:
            continue
        if link is not None:
            _apply_sta_field(link, "link", kv[0], kv[1])
        else:
            _apply_sta_field(sta, "station", kv[0], kv[1])
    return out


# ---------------------------------------------------------------------------------------
# survey dump
# ---------------------------------------------------------------------------------------


@record
class SurveyEntry:
    freq_mhz: int
    in_use: bool = False
    noise_dbm: int | None = None
    active_ms: int | None = None
    busy_ms: int | None = None
    ext_busy_ms: int | None = None
    rx_ms: int | None = None
    tx_ms: int | None = None
    scan_ms: int | None = None
    ifname: str | None = None

    @property
    def band(self) -> str | None:
        return band_of(self.freq_mhz)

    @property
    def channel(self) -> int | None:
        return channel_of(self.freq_mhz)


_SURVEY_KEYS = {
    "noise": "noise_dbm",
    "channel active time": "active_ms",
    "channel busy time": "busy_ms",
    "extension channel busy time": "ext_busy_ms",
    "channel receive time": "rx_ms",
    "channel transmit time": "tx_ms",
    "channel scan time": "scan_ms",
}


@guarded("survey dump")
def parse_survey(text: str) -> list[SurveyEntry]:
    out: list[SurveyEntry] = []
    ifname: str | None = None
    cur: SurveyEntry | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        s = raw.strip()
        if not s:
            continue
        if s.startswith("Survey data from "):
            ifname = s[len("Survey data from ") :].strip()
            cur = None
            continue
        kv = split_kv(s)
        if kv is None:
            # the last line of a truncated dump ("\tcha")
            continue
        key, val = kv
        if key == "frequency":
            m = re.match(r"([\d.]+) MHz(.*)", val)
            freq = to_float(m.group(1)) if m else None
            if freq is None:
                raise ParseError(f"bad frequency {val!r}", line=lineno, source="survey dump")
            cur = SurveyEntry(int(freq), "[in use]" in m.group(2), ifname=ifname)
            out.append(cur)
            continue
        if cur is None:
            raise ParseError(f"{key!r} before any frequency", line=lineno, source="survey dump")
        attr = _SURVEY_KEYS.get(key)
        if attr:
            setattr(cur, attr, first_int(val))
    return out


def in_use_by_freq(entries: list[SurveyEntry]) -> dict[int, SurveyEntry]:
    """The ``[in use]`` entries keyed by frequency (one per band on the shared wiphy)."""
    return {e.freq_mhz: e for e in entries if e.in_use}


# ---------------------------------------------------------------------------------------
# iw phy / iw phy phy0 info / iw phy phy0 channels
# ---------------------------------------------------------------------------------------


@record
class PhyChannel:
    """One channel of the wiphy. Other modules rely on ``channel``, ``band``, ``freq_mhz``,
    ``disabled`` and ``radar``."""

    freq_mhz: int
    channel: int
    band: str
    disabled: bool = False
    radar: bool = False
    no_ir: bool = False
    max_power_dbm: float | None = None
    dfs_state: str | None = None
    dfs_state_s: int | None = None
    cac_ms: int | None = None
    widths: tuple[str, ...] = ()
    #: the line was cut before its flags (a truncated capture): not usable, whatever it says
    truncated: bool = False


@record
class WiphyRadio:
    """One ``wiphy radio N:`` block of a multi-radio wiphy (iw's ``freq range:`` lines)."""

    index: int
    freq_ranges: list[tuple[int, int]] = field(default_factory=list)


@record
class Wiphy:
    name: str
    index: int | None = None
    bands: dict[int, list[PhyChannel]] = field(default_factory=dict)
    antenna_masks: list[tuple[int, int | None]] = field(default_factory=list)
    #: upstream iw's ``wiphy radio N:`` blocks (one wiphy, several radios)
    radios: list[WiphyRadio] = field(default_factory=list)
    #: an EHT PHY capability block says ``320MHz in 6GHz Supported``
    eht_320: bool = False

    @property
    def channels(self) -> list[PhyChannel]:
        return [c for chans in self.bands.values() for c in chans]


_FREQ_LINE_RE = re.compile(
    r"^\* (?P<freq>\d+)(?:\.\d+)? MHz(?: \[(?P<ch>\d+)\])?(?: \((?P<pwr>-?[\d.]+) dBm\))?"
    r"(?: \((?P<flags>[^)]*)\))?"
)


def _channel_from_freq(freq: int, ch: int | None) -> PhyChannel | None:
    band = band_of(freq)
    if band is None:
        return None
    number = ch if ch is not None else channel_of(freq)
    if number is None:
        return None
    return PhyChannel(freq_mhz=freq, channel=number, band=band)


@guarded("iw phy")
def parse_phy(text: str) -> list[Wiphy]:
    """``iw phy`` / ``iw phy phy0 info``: per band the ``Frequencies:`` list with flags, the
    MTK per-radio ``antenna_mask`` + ``Frequency Range`` lines, upstream iw's ``wiphy radio N:``
    blocks with their ``freq range:`` lines and the EHT ``320MHz in 6GHz Supported`` line."""
    out: list[Wiphy] = []
    phy: Wiphy | None = None
    band_no: int | None = None
    in_freqs = False
    freqs_indent = 0
    pending_mask: int | None = None
    lines = text.splitlines()
    cut_last = bool(text) and not text.endswith(("\n", "\r"))
    for n, raw in enumerate(lines):
        s = raw.strip()
        if not s:
            continue
        if raw.startswith("Wiphy "):
            phy = Wiphy(name=s[6:].strip())
            out.append(phy)
            band_no, in_freqs = None, False
            continue
        if phy is None:
            if s.startswith(("Frequencies:", "Band ", "* ", "wiphy radio ",
                             "320MHz in 6GHz Supported")):
                phy = Wiphy(name="")
                out.append(phy)
            else:
                continue
        ind = indent_width(raw)
        if in_freqs and ind <= freqs_indent:
            in_freqs = False
        if s.startswith("wiphy index:"):
            phy.index = to_int(s.split(":", 1)[1])
        elif re.match(r"^Band \d+:$", s):
            band_no = int(s[5:-1])
            phy.bands.setdefault(band_no, [])
        elif s == "Frequencies:":
            in_freqs, freqs_indent = True, ind
            if band_no is None:
                band_no = 0
                phy.bands.setdefault(band_no, [])
        elif s.startswith("* ") and (m := _FREQ_LINE_RE.match(s)):
            # a frequency line is unambiguous (no other list of iw phy has "<n> MHz" items),
            # so excerpts that start inside the Frequencies list are read too
            pc = _channel_from_freq(int(m.group("freq")), to_int(m.group("ch")))
            if pc is None:
                continue
            pc.max_power_dbm = to_float(m.group("pwr"))
            flags = [f.strip() for f in (m.group("flags") or "").split(",") if f.strip()]
            pc.disabled = "disabled" in flags
            pc.no_ir = "no IR" in flags or "passive scan" in flags
            pc.radar = "radar detection" in flags
            if not s.endswith(")") or (cut_last and n == len(lines) - 1):
                # iw ends every frequency line with ")" — "(dBm)", "(disabled)" or the
                # flags: this one lost its end, so its no-IR/radar/disabled flags are unknown
                pc.truncated = pc.disabled = pc.no_ir = True
            phy.bands.setdefault(band_no if band_no is not None else 0, []).append(pc)
        elif m_radio := re.match(r"^wiphy radio (\d+):$", s):
            phy.radios.append(WiphyRadio(index=int(m_radio.group(1))))
        elif s.startswith("freq range:") and phy.radios:
            lo_hi = re.findall(r"(\d+)(?:\.\d+)? MHz", s)
            if len(lo_hi) == 2:
                phy.radios[-1].freq_ranges.append((int(lo_hi[0]), int(lo_hi[1])))
        elif s == "320MHz in 6GHz Supported":
            phy.eht_320 = True
        elif s.startswith("antenna_mask:"):
            pending_mask = first_int(s.split(":", 1)[1])
            phy.antenna_masks.append((pending_mask or 0, None))
        elif s.startswith("Frequency Range:") and phy.antenna_masks:
            lo = first_int(s.split(":", 1)[1])
            mask, _ = phy.antenna_masks[-1]
            phy.antenna_masks[-1] = (mask, lo)
    return out


@guarded("iw phy channels")
def parse_channels(text: str) -> list[PhyChannel]:
    """``iw phy phy0 channels``: channels with TX power, radar, DFS state and CAC time."""
    out: list[PhyChannel] = []
    cur: PhyChannel | None = None
    for raw in text.splitlines():
        s = raw.strip()
        if not s or s.startswith("Band "):
            continue
        if s.startswith("* "):
            m = re.match(r"\* (\d+)(?:\.\d+)? MHz \[(\d+)\]\s*(\(disabled\))?", s)
            if not m:
                cur = None
                continue
            cur = _channel_from_freq(int(m.group(1)), int(m.group(2)))
            if cur is None:
                continue
            cur.disabled = bool(m.group(3))
            out.append(cur)
            continue
        if cur is None:
            continue
        if s.startswith("Maximum TX power:"):
            cur.max_power_dbm = to_float((s.split(":", 1)[1].split() or [""])[0])
        elif s == "No IR" or s == "Passive scan":
            cur.no_ir = True
        elif s == "Radar detection":
            cur.radar = True
        elif s.startswith("Channel widths:"):
            cur.widths = tuple(s.split(":", 1)[1].split())
        elif s.startswith("DFS state:"):
            m = re.match(r"DFS state: (\S+)(?: \(for (\d+) sec\))?", s)
            if m:
                cur.dfs_state, cur.dfs_state_s = m.group(1), to_int(m.group(2))
        elif s.startswith("DFS CAC time:"):
            cur.cac_ms = first_int(s.split(":", 1)[1])
    return out


# ---------------------------------------------------------------------------------------
# iw dev X link
# ---------------------------------------------------------------------------------------


@record
class LinkedBss:
    link_id: int | None
    bssid: str
    freq_mhz: int | None = None


@record
class LinkInfo:
    connected: bool
    bssid: str | None = None
    ifname: str | None = None
    ssid: str | None = None
    freq_mhz: int | None = None
    signal_dbm: int | None = None
    tx_bitrate: Bitrate | None = None
    rx_bitrate: Bitrate | None = None
    links: list[LinkedBss] = field(default_factory=list)
    mld_addr: str | None = None
    #: the printed signal was a placeholder (the MLD-level ``signal: 0 dBm`` of an MLO STA)
    signal_placeholder: bool = False

    @property
    def is_mlo(self) -> bool:
        return bool(self.links)


@guarded("iw link")
def parse_link(text: str) -> LinkInfo:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines or lines[0].strip() == "Not connected.":
        return LinkInfo(connected=False)
    m = re.match(r"Connected to ([0-9a-fA-F:]{17}) \(on (\S+)\)", lines[0].strip())
    if not m:
        raise ParseError(f"unexpected first line {lines[0]!r}", line=1, source="iw link")
    info = LinkInfo(connected=True, bssid=m.group(1).lower(), ifname=m.group(2))
    cur: LinkedBss | None = None
    for raw in lines[1:]:
        s = raw.strip()
        lm = re.match(r"Link (\d+) BSSID ([0-9a-fA-F:]{17})", s)
        if lm:
            cur = LinkedBss(int(lm.group(1)), lm.group(2).lower())
            info.links.append(cur)
            continue
        mm = re.match(r"MLD ([0-9a-fA-F:]{17}) stats:", s)
        if mm:
            info.mld_addr = mm.group(1).lower()
            cur = None
            continue
        kv = split_kv(s)
        if kv is None:
            continue
        key, val = kv
        if key == "freq":
            fv = to_float((val.split() or [""])[0])
            f = int(fv) if fv is not None else None
            if cur is not None:
                cur.freq_mhz = f
            else:
                info.freq_mhz = f
        elif key == "SSID":
            info.ssid = val
        elif key == "signal":
            dbm = first_int(val)
            info.signal_placeholder = is_placeholder_dbm(dbm)
            info.signal_dbm = None if info.signal_placeholder else dbm
        elif key == "tx bitrate":
            info.tx_bitrate = parse_bitrate(val)
        elif key == "rx bitrate":
            info.rx_bitrate = parse_bitrate(val)
    return info


# ---------------------------------------------------------------------------------------
# iw reg get
# ---------------------------------------------------------------------------------------


@record
class RegRule:
    start_mhz: int
    end_mhz: int
    max_bw_mhz: int
    max_eirp_dbm: int | None
    flags: tuple[str, ...] = ()


@record
class RegDomain:
    scope: str  # "global" or "phy#0"
    country: str | None
    dfs_region: str | None = None
    rules: list[RegRule] = field(default_factory=list)
    self_managed: bool = False


@guarded("iw reg get")
def parse_reg(text: str) -> list[RegDomain]:
    out: list[RegDomain] = []
    scope = "global"
    self_managed = False
    cur: RegDomain | None = None
    for raw in text.splitlines():
        s = raw.strip()
        if not s:
            continue
        if s == "global" or s.startswith("phy#"):
            scope = s.split()[0]
            self_managed = "self-managed" in s
            continue
        m = re.match(r"country (\S\S): ?(\S*)", s)
        if m:
            cur = RegDomain(scope, m.group(1), m.group(2) or None, self_managed=self_managed)
            out.append(cur)
            continue
        rm = re.match(r"\((\d+) - (\d+) @ (\d+)\), \(([^,]+), ([^)]+)\)(.*)", s)
        if rm and cur is not None:
            flags = tuple(f.strip() for f in rm.group(6).split(",") if f.strip()
                          and not f.strip().startswith("("))
            cur.rules.append(RegRule(int(rm.group(1)), int(rm.group(2)), int(rm.group(3)),
                                     to_int(rm.group(5)), flags))
    return out


# ---------------------------------------------------------------------------------------
# iw dev X scan
# ---------------------------------------------------------------------------------------


@record
class ScanBss:
    bssid: str
    ifname: str | None = None
    associated: bool = False
    freq_mhz: int | None = None
    signal_dbm: float | None = None
    ssid: str | None = None
    ssid_raw: str | None = None
    last_seen_ms: int | None = None
    capability: str | None = None
    privacy: bool = False
    rsn_akm: tuple[str, ...] = ()
    wpa_akm: tuple[str, ...] = ()
    country: str | None = None
    ht_secondary: str | None = None
    vht_width: int | None = None
    vht_center1: int | None = None
    vht_center2: int | None = None
    he_6g_width: int | None = None
    eht_width: int | None = None
    mld_addr: str | None = None
    mld_link_id: int | None = None
    station_count: int | None = None
    utilisation: int | None = None

    @property
    def band(self) -> str | None:
        return band_of(self.freq_mhz) if self.freq_mhz else None

    @property
    def channel(self) -> int | None:
        return channel_of(self.freq_mhz) if self.freq_mhz else None

    @property
    def hidden(self) -> bool:
        return not self.ssid

    @property
    def width_mhz(self) -> int:
        """Operating width from EHT/HE/VHT/HT operation elements (20 when none says more)."""
        if self.eht_width:
            return self.eht_width
        if self.he_6g_width:
            return self.he_6g_width
        if self.vht_width:
            return self.vht_width
        if self.ht_secondary in ("above", "below"):
            return 40
        return 20

    @property
    def security(self) -> str:
        """open | owe | wep | wpa-psk | wpa2-psk | wpa3-sae | wpa3-sae-ext | sae-mixed |
        wpa-enterprise | wpa2-other"""
        akm = set(self.rsn_akm)
        if akm:
            if "IEEE 802.1X" in akm or "802.1X/SHA-256" in akm or "802.1X/SuiteB" in akm:
                return "wpa-enterprise"
            if "OWE" in akm:
                return "owe"
            has_sae = bool({"SAE", "SAE-EXT-KEY", "FT/SAE"} & akm)
            has_psk = bool({"PSK", "PSK/SHA-256", "FT/PSK"} & akm)
            if has_sae and has_psk:
                return "sae-mixed"
            if "SAE-EXT-KEY" in akm and "SAE" not in akm:
                return "wpa3-sae-ext"
            if has_sae:
                return "wpa3-sae"
            if has_psk:
                return "wpa2-psk"
            return "wpa2-other"
        if self.wpa_akm:
            return "wpa-psk" if "PSK" in self.wpa_akm else "wpa-enterprise"
        return "wep" if self.privacy else "open"


def _unescape_ssid(text: str) -> str:
    """iw prints non-printable SSID bytes as ``\\xNN``; turn them back into the string."""
    if "\\x" not in text:
        return text
    data = bytearray()
    i = 0
    raw = text.encode("utf-8", "surrogateescape")
    while i < len(raw):
        if raw[i : i + 2] == b"\\x" and i + 4 <= len(raw):
            try:
                data.append(int(raw[i + 2 : i + 4], 16))
                i += 4
                continue
            except ValueError:
                pass
        data.append(raw[i])
        i += 1
    return data.decode("utf-8", "surrogateescape")


_MBM_RE = re.compile(r"^(-?)(\d+)\.(-?)(\d+)$")


def _scan_signal(val: str) -> float | None:
    """iw prints ``%d.%.2d`` of mBm/100 and mBm%100, so −0.55 dBm comes out as ``0.-55`` and
    −55.5 as ``-55.-50`` (scan.c); an empty value is no reading."""
    tok = (val.split() or [""])[0]
    m = _MBM_RE.match(tok)
    if not m:
        return to_float(tok)
    neg = bool(m.group(1) or m.group(3))
    v = int(m.group(2)) + int(m.group(4)) / 100
    return -v if neg else v


_VHT_WIDTH = {"0": None, "1": 80, "2": 160, "3": 160}


@guarded("iw scan")
def parse_scan(text: str) -> list[ScanBss]:
    out: list[ScanBss] = []
    cur: ScanBss | None = None
    section: str | None = None
    section_indent = 0
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        if raw.startswith("BSS "):
            m = re.match(r"BSS ([0-9a-fA-F:]{17})\s*(?:\(on (\S+)\))?(.*)", raw)
            if not m:
                raise ParseError(f"bad BSS header {raw!r}", line=lineno, source="iw scan")
            cur = ScanBss(bssid=m.group(1).lower(), ifname=m.group(2),
                          associated="associated" in m.group(3))
            out.append(cur)
            section = None
            continue
        if cur is None:
            raise ParseError(f"line outside a BSS block: {raw.strip()!r}", line=lineno,
                             source="iw scan")
        ind = indent_width(raw)
        s = raw.strip()
        if section and ind <= section_indent and not s.startswith("*"):
            section = None
        if s.startswith("* ") and section:
            item = s[2:]
            kv = split_kv(item)
            if kv is None:
                continue
            k, v = kv
            if section in ("RSN", "WPA") and k == "Authentication suites":
                akms = tuple(v.split())
                if section == "RSN":
                    cur.rsn_akm = akms
                else:
                    cur.wpa_akm = akms
            elif section == "HT operation" and k == "secondary channel offset":
                cur.ht_secondary = v.split()[0] if v else None
            elif section == "VHT operation":
                if k == "channel width":
                    cur.vht_width = _VHT_WIDTH.get(v.split()[0])
                elif k == "center freq segment 1":
                    cur.vht_center1 = to_int(v)
                elif k == "center freq segment 2":
                    cur.vht_center2 = to_int(v)
            elif section == "HE Operation" and k == "6 GHz Operation Information":
                pass
            elif section == "BSS Load":
                if k == "station count":
                    cur.station_count = to_int(v)
                elif k == "channel utilisation":
                    cur.utilisation = to_int(v.split("/")[0])
            continue
        if section == "HE Operation" and ind > section_indent:
            cm = re.match(r"Channel Width: (\d+)", s)
            if cm:
                cur.he_6g_width = {0: 20, 1: 40, 2: 80, 3: 160}.get(int(cm.group(1)))
            continue
        if section == "EHT Operation" and ind > section_indent:
            cm = re.search(r"[Cc]hannel [Ww]idth:? (\d+)", s)
            if cm:
                code = int(cm.group(1))
                cur.eht_width = {0: 20, 1: 40, 2: 80, 3: 160, 4: 320}.get(code, code if code > 4
                                                                          else None)
            continue
        if section == "Multi-Link" and ind > section_indent:
            mm = re.search(r"MLD MAC [Aa]ddress:? ([0-9a-fA-F:]{17})", s)
            if mm:
                cur.mld_addr = mm.group(1).lower()
            lm = re.search(r"[Ll]ink ID:? (\d+)", s)
            if lm and cur.mld_link_id is None:
                cur.mld_link_id = int(lm.group(1))
            continue
        kv = split_kv(s)
        if kv is None:
            continue
        key, val = kv
        if key in ("RSN", "WPA", "HT operation", "VHT operation", "HE Operation",
                   "EHT Operation", "BSS Load") or key.startswith("Multi-Link"):
            section = "Multi-Link" if key.startswith("Multi-Link") else key
            section_indent = ind
            if val.startswith("* "):  # "RSN:\t * Version: 1" on the same line
                continue
            continue
        if key == "freq":
            fv = to_float(val)
            cur.freq_mhz = int(fv) if fv is not None else None
        elif key == "signal":
            cur.signal_dbm = _scan_signal(val)
        elif key == "SSID":
            cur.ssid_raw = val
            cur.ssid = _unescape_ssid(val)
        elif key == "last seen" and val.endswith("ms ago"):
            cur.last_seen_ms = first_int(val)
        elif key == "capability":
            cur.capability = val
            cur.privacy = "Privacy" in val.split()
        elif key == "Country":
            cur.country = val.split()[0] if val else None
    return out
