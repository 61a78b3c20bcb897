"""``iw phy`` / ``iw phy phy0 info`` (iw info.c: bands, ``Frequencies:``, the MTK per-radio
``antenna_mask``) and ``iw phy phy0 channels`` (iw phy.c)."""

from __future__ import annotations

import re

from ..core.record import field, record
from .common import band_of, channel_of, first_int, guarded, indent_width, to_float, to_int


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
