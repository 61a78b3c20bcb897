"""The twin's clients: where each station is associated and what its links read now.

* MLMR stations (``max_simul_links`` 2, e.g. a BPI-R4 as MLO STA) use every link at once.
* EMLSR/MLSR stations (an iPhone 16: ``max_simul_links`` 1) use one link at a time — the
  strongest — and their other links are idle: iw reports ``0 [0, 0]`` or a sentinel around
  −105 dBm with a large inactive time (spec/platform.md §g.5).
* A legacy client on an AP MLD shows one ``Link`` block but no ``max_simul_links``.
* Links switched off by an advertised TTLM (after its switch time) carry no traffic.
* A station may follow a scripted signal trace ``[[seconds_since_added, {band: dBm}], …]``.
"""

from __future__ import annotations

import zlib
from functools import cache

from ..core.record import field, record
from .runtime import mac_add

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .runtime import RBss, Runtime

EHT_20MHZ_1SS = [8.6, 17.2, 25.8, 34.4, 51.6, 68.8, 77.4, 86.0, 103.2, 114.7, 129.0, 143.4,
                 154.9, 172.1]
WIDTH_FACTOR = {20: 1.0, 40: 2.0, 80: 4.2, 160: 8.4, 320: 16.8}
IDLE_INACTIVE_MS = 45000


@record
class LinkReading:
    link_id: int
    band: str
    freq: int
    addr: str
    signal: int | None  # None: idle (rendered as 0 or the −105 sentinel)
    chains: tuple[int, ...]
    inactive_ms: int
    active: bool
    width: int
    tx_rate: str
    rx_rate: str
    tx_packets: int
    tx_retries: int
    rx_packets: int
    sentinel: bool = False


@record
class Association:
    station: dict[str, Any]
    bss: RBss
    connected_s: int
    links: list[LinkReading] = field(default_factory=list)

    @property
    def mac(self) -> str:
        return self.station["mac"]

    @property
    def mld(self) -> bool:
        return self.station["kind"] != "legacy" and self.bss.mld


def _jitter(seed: str, spread: int) -> int:
    h = zlib.crc32(seed.encode()) & 0xFFFF
    return (h % (2 * spread + 1)) - spread


def signal_at(station: dict[str, Any], band: str, now: float) -> int | None:
    trace = station.get("trace")
    if trace:
        t = now - station["connected_at"]
        value = None
        for point_t, values in trace:
            if point_t <= t:
                value = values.get(band, value)
            else:
                break
        if value is not None:
            return int(value)
    v = station["signal"].get(band)
    return int(v) if v is not None else None


@cache  # a few dozen distinct values, asked for hundreds of times with many stations
def bitrate_text(signal: int, width: int, nss: int, mode: str) -> str:
    mcs = max(0, min(13, (signal + 92) // 3))
    if mode == "HE":
        mcs = min(mcs, 11)
    rate = EHT_20MHZ_1SS[mcs] * WIDTH_FACTOR.get(width, 1.0) * nss
    wtxt = f" {width}MHz" if width > 20 else ""
    return f"{rate:.1f} MBit/s{wtxt} {mode}-MCS {mcs} {mode}-NSS {nss} {mode}-GI 0"


def retry_fraction(signal: int) -> float:
    return max(0.01, min(0.6, (-signal - 55) * 0.015))


def _target(station: dict[str, Any], rt: Runtime, all_aps: list[RBss]) -> RBss | None:
    want = station["ssid"]
    aps = [b for b in all_aps if b.ssid or want.startswith("*")]
    mld_kind = station["kind"] != "legacy"
    if want == "*mld":
        return next((b for b in aps if b.mld), None)
    if want.startswith("*"):
        band = want[1:]
        return next((b for b in aps if not b.mld and rt.radios[b.radio].band == band), None)
    matches = [b for b in aps if b.ssid == want]
    if mld_kind:
        matches.sort(key=lambda b: not b.mld)
    else:
        pref = station.get("band", "5g")
        matches.sort(key=lambda b: (b.mld, rt.radios[b.radio].band != pref))
    return matches[0] if matches else None


def associations(st: dict[str, Any], rt: Runtime, now: float, up_since: float
                 ) -> list[Association]:
    """Every station that is associated right now, with its per-link readings."""
    out: list[Association] = []
    attlm = st["hostapd"].get("attlm") or {}
    aps = rt.aps()
    for sta in st["stations"]:
        bss = _target(sta, rt, aps)
        if bss is None:
            continue
        since = max(sta["connected_at"], up_since)
        connected_s = max(0, int(now - since))
        assoc = Association(sta, bss, connected_s)
        disabled = 0
        a = attlm.get(bss.ifname)
        if a and now >= a["start"] + a["switch_ms"] / 1000 and \
                now < a["start"] + (a["switch_ms"] + a["duration_ms"]) / 1000:
            disabled = a["disabled"]
        mode = "EHT" if sta.get("generation", 7) >= 7 else "HE"
        if bss.mld:
            links = bss.links
            if sta["kind"] == "legacy":
                pref = sta.get("band", "5g")
                links = sorted(links, key=lambda ln: ln.band != pref)[:1]
            readings: list[tuple[Any, int | None]] = []
            for ln in links:
                sig = signal_at(sta, ln.band, now)
                if disabled & (1 << ln.link_id):
                    sig = None
                readings.append((ln, sig))
            active_ids = {ln.link_id for ln, s in readings if s is not None}
            if sta["kind"] in ("emlsr", "mlsr") and active_ids:
                best = max((x for x in readings if x[1] is not None), key=lambda x: x[1])
                active_ids = {best[0].link_id}
            for n, (ln, sig) in enumerate(readings):
                active = ln.link_id in active_ids and sig is not None
                assoc.links.append(_reading(sta, ln.link_id, ln.band, ln.freq,
                                            mac_add(sta["mac"], n + 1) if sta["kind"] != "legacy"
                                            else sta["mac"], sig if active else None, ln.width,
                                            connected_s, mode, now))
        else:
            r = rt.radios[bss.radio]
            sig = signal_at(sta, r.band, now)
            assoc.links.append(_reading(sta, -1, r.band, r.freq, sta["mac"], sig, r.width,
                                        connected_s, mode if r.band != "2g" or mode == "EHT"
                                        else "HE", now))
        out.append(assoc)
    return out


#: receive chains the BE14 reports per band: two on 2.4 GHz, three on 5 and 6 GHz (a live
#: BPI-R4's station dump, captures/wozi-notes-bpi-r4/station-dump-ap-mld-1-excerpt.out)
CHAINS = {"2g": 2, "5g": 3, "6g": 3}


def _reading(sta: dict[str, Any], link_id: int, band: str, freq: int, addr: str,
             signal: int | None, width: int, connected_s: int, mode: str, now: float
             ) -> LinkReading:
    nss = int(sta.get("nss", 2))
    pps = int(sta.get("pps", 40))
    seed = f"{sta['mac']}{link_id}{int(now) // 10}"
    if signal is None:
        sentinel = (int(now) // 10 + link_id) % 2 == 0
        return LinkReading(link_id, band, freq, addr, None, (), IDLE_INACTIVE_MS + link_id * 1000,
                           False, width, "", "", 0, 0, 0, sentinel)
    chains = tuple(signal - 3 + _jitter(seed + str(i), 2) for i in range(CHAINS[band]))
    sent = pps * connected_s
    retries = int(sent * retry_fraction(signal))
    return LinkReading(
        link_id, band, freq, addr, signal, chains, 20 + abs(_jitter(seed, 180)), True, width,
        bitrate_text(signal, width, nss, mode), bitrate_text(signal - 4, width, nss, mode),
        sent, retries, sent * 2)
