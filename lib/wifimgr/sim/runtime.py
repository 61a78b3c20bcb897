"""The twin's netifd + hostapd emulation: from a wireless UCI package to what runs.

This is the twin's own reading of the configuration, written from the MTK SDK behaviour in
spec/platform.md (§a.1 MLO ifaces and the EHT filter, §b interface naming, §g quirks). It must
not import ``wifimgr.model`` or ``wifimgr.safety``: the twin is the system those are tested on.
"""

from __future__ import annotations

import zlib

from ..record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..platform.uci import Package, Section

BANDS = ("2g", "5g", "6g")
DFS_5G = set(range(52, 145, 4))
WEATHER_5G = {120, 124, 128}
CAC_S = 60
WEATHER_CAC_S = 600


def freq_of(channel: int, band: str) -> int:
    if band == "2g":
        return 2484 if channel == 14 else 2407 + 5 * channel
    if band == "5g":
        return 5000 + 5 * channel
    return 5935 if channel == 2 else 5950 + 5 * channel


def width_of(htmode: str | None, band: str) -> int:
    digits = "".join(ch for ch in (htmode or "") if ch.isdigit())
    w = int(digits) if digits else 20
    if htmode and htmode.startswith("HT40"):
        w = 40
    if band == "2g":
        w = min(w, 40)
    if band == "5g":
        w = min(w, 160)
    return w


def center_channel(channel: int, band: str, width: int) -> int:
    """Centre channel index of the ``width`` block containing ``channel``."""
    if width <= 20:
        return channel
    if band == "2g":
        return channel + 2 if channel <= 7 else channel - 2
    if band == "6g":
        span = width // 5  # channel numbers per block
        return ((channel - 1) // span) * span + 1 + (span // 2 - 2)
    blocks = {
        40: [(36, 40), (44, 48), (52, 56), (60, 64), (100, 104), (108, 112), (116, 120),
             (124, 128), (132, 136), (140, 144), (149, 153), (157, 161), (165, 169)],
        80: [(36, 48), (52, 64), (100, 112), (116, 128), (132, 144), (149, 161), (165, 177)],
        160: [(36, 64), (100, 128), (149, 177)],
    }
    for lo, hi in blocks.get(width, []):
        if lo <= channel <= hi:
            return (lo + hi) // 2
    return channel


def mac_add(base: str, n: int) -> str:
    v = (int(base.replace(":", ""), 16) + n) & 0xFFFFFFFFFFFF
    return v.to_bytes(6, "big").hex(":")


def stable_mac(seed: str) -> str:
    """A locally administered unicast MAC derived from ``seed`` (stable across runs)."""
    v = zlib.crc32(seed.encode()) | (zlib.crc32(seed[::-1].encode()) << 32)
    d = bytearray(v.to_bytes(8, "big")[:6])
    d[0] = (d[0] & 0xFC) | 0x02
    return ":".join(f"{b:02x}" for b in d)


BASE_MAC = "00:0c:43:26:60:00"  # every MT7996 ships this factory address (platform.md §g.15)


@record
class RRadio:
    name: str
    index: int
    band: str
    channel: int
    freq: int
    width: int
    center1: int
    htmode: str
    country: str
    disabled: bool
    section: Section
    dfs: bool = False
    cac_s: int = 0

    @property
    def eht(self) -> bool:
        return self.htmode.startswith("EHT")


@record
class RLink:
    link_id: int
    radio: int
    band: str
    freq: int
    channel: int
    width: int
    center1: int
    addr: str


@record
class RBss:
    section: str
    ifname: str
    mode: str  # ap | sta
    mld: bool
    radios: list[int]
    ssid: str
    encryption: str
    key: str
    network: str
    addr: str
    links: list[RLink] = field(default_factory=list)
    hidden: bool = False
    wds: bool = False
    options: dict = field(default_factory=dict)

    @property
    def radio(self) -> int:
        return self.radios[0]


@record
class Runtime:
    radios: dict[int, RRadio]
    bsses: list[RBss]
    #: (section, reason) of ifaces netifd did not bring up
    dropped: list[tuple[str, str]] = field(default_factory=list)

    def by_ifname(self, ifname: str) -> RBss | None:
        return next((b for b in self.bsses if b.ifname == ifname), None)

    def aps(self) -> list[RBss]:
        return [b for b in self.bsses if b.mode == "ap"]


def _acs(band: str) -> int:
    # the twin's ACS: the channel the default RF scene leaves the quietest
    return {"2g": 6, "5g": 36, "6g": 37}[band]


def _radio(sec: Section) -> RRadio | None:
    band = sec.get_str("band")
    if band not in BANDS:
        return None
    idx = sec.get_str("radio")
    index = int(idx) if idx and idx.isdigit() else int("".join(c for c in sec.name if c.isdigit())
                                                        or 0)
    ch_opt = sec.get_str("channel", "auto") or "auto"
    channel = _acs(band) if ch_opt == "auto" or not ch_opt.isdigit() else int(ch_opt)
    htmode = sec.get_str("htmode") or ("EHT320" if band == "6g" else "EHT80")
    width = width_of(htmode, band)
    center = center_channel(channel, band, width)
    dfs = band == "5g" and (channel in DFS_5G or any(
        c in DFS_5G for c in range(center - width // 10 + 2, center + width // 10 - 1, 4)))
    return RRadio(
        name=sec.name, index=index, band=band, channel=channel, freq=freq_of(channel, band),
        width=width, center1=freq_of(center, band), htmode=htmode,
        country=sec.get_str("country") or "00", disabled=sec.get_bool("disabled"), section=sec,
        dfs=dfs, cac_s=(WEATHER_CAC_S if channel in WEATHER_5G else CAC_S) if dfs else 0,
    )


def radios_of(pkg: Package) -> dict[int, RRadio]:
    out: dict[int, RRadio] = {}
    for sec in pkg.of_type("wifi-device"):
        r = _radio(sec)
        if r is not None:
            out[r.index] = r
    return out


def _devices(sec: Section) -> list[str]:
    return sec.get_list("device")


def build(pkg_legacy: Package, pkg_mlo: Package) -> Runtime:
    """What netifd/hostapd bring up: legacy ifaces (and the radios) from ``pkg_legacy`` (the
    config applied by the last reload), MLO ifaces from ``pkg_mlo`` (the config the chip booted
    with — MLO changes only take effect after a reboot on this platform)."""
    radios = radios_of(pkg_legacy)
    by_name = {r.name: r for r in radios.values()}
    bsses: list[RBss] = []
    dropped: list[tuple[str, str]] = []
    counters: dict[tuple[int, str], int] = {}
    mld_counter = {"ap": 0, "sta": 0}
    legacy_seq = 0

    # MLO ifaces of the booted config
    mld_radios = radios_of(pkg_mlo)
    mld_by_name = {r.name: r for r in mld_radios.values()}
    for sec in pkg_mlo.of_type("wifi-iface"):
        if not sec.get_bool("mlo") or sec.get_bool("disabled"):
            continue
        mode = sec.get_str("mode", "ap") or "ap"
        devs = [mld_by_name[d] for d in _devices(sec) if d in mld_by_name]
        if mode == "ap":
            # MTK netifd: disabled and non-EHT radios are dropped from an AP MLD silently
            devs = [r for r in devs if not r.disabled and r.eht]
        else:
            devs = [r for r in devs if not r.disabled]
        if not devs:
            dropped.append((sec.name, "no usable radio for the MLD"))
            continue
        ifname = sec.get_str("ifname") or f"{mode}-mld{mld_counter[mode]}"
        if not sec.get_str("ifname"):
            mld_counter[mode] += 1
        base = sec.get_str("mld_addr") or (BASE_MAC if ifname == "ap-mld-1" else
                                           stable_mac("mld:" + sec.name))
        devs.sort(key=lambda r: r.index)
        pinned = sec.get_bool("assign_link_id")
        links = []
        for n, r in enumerate(devs):
            links.append(RLink(link_id=r.index if pinned else n, radio=r.index, band=r.band,
                               freq=r.freq, channel=r.channel, width=r.width,
                               center1=r.center1, addr=mac_add(base, 0x10 * (n + 1)) if n
                               else base))
        bsses.append(RBss(
            section=sec.name, ifname=ifname, mode=mode, mld=True,
            radios=[r.index for r in devs], ssid=sec.get_str("ssid", "") or "",
            encryption=sec.get_str("encryption", "none") or "none",
            key=sec.get_str("key", "") or "", network=sec.get_str("network", "lan") or "lan",
            addr=base, links=links, hidden=sec.get_bool("hidden"),
            options=dict(sec.options)))

    for sec in pkg_legacy.of_type("wifi-iface"):
        if sec.get_bool("mlo"):
            continue
        if sec.get_bool("disabled"):
            continue
        devs = [by_name[d] for d in _devices(sec) if d in by_name]
        if not devs:
            dropped.append((sec.name, "device not found"))
            continue
        r = devs[0]
        if r.disabled:
            continue
        mode = sec.get_str("mode", "ap") or "ap"
        if mode not in ("ap", "sta"):
            dropped.append((sec.name, f"mode {mode} not emulated"))
            continue
        key = (r.index, mode)
        k = counters.get(key, 0)
        counters[key] = k + 1
        ifname = sec.get_str("ifname") or f"phy0.{r.index}-{mode}{k}"
        legacy_seq += 1
        addr = sec.get_str("macaddr") or mac_add(BASE_MAC, 0x100 * (r.index + 1) + legacy_seq)
        bsses.append(RBss(
            section=sec.name, ifname=ifname, mode=mode, mld=False, radios=[r.index],
            ssid=sec.get_str("ssid", "") or "",
            encryption=sec.get_str("encryption", "none") or "none",
            key=sec.get_str("key", "") or "",
            network=sec.get_str("network", "lan" if mode == "ap" else "wwan") or "",
            addr=addr, hidden=sec.get_bool("hidden"), wds=sec.get_bool("wds"),
            options=dict(sec.options)))
    return Runtime(radios=radios, bsses=bsses, dropped=dropped)


def edcca_crash_radios(new_pkg: Package, running_mlo_pkg: Package) -> list[int]:
    """Radios where bringing up ``new_pkg`` would crash the MT7996 (the "EDCCA crash"): two or
    more enabled legacy APs on a radio that is part of an AP MLD (running or in ``new_pkg``)."""
    mlo_radio_names: set[str] = set()
    for pkg in (new_pkg, running_mlo_pkg):
        for sec in pkg.of_type("wifi-iface"):
            if (sec.get_bool("mlo") and not sec.get_bool("disabled")
                    and (sec.get_str("mode", "ap") or "ap") == "ap"):
                mlo_radio_names.update(_devices(sec))
    count: dict[str, int] = {}
    for sec in new_pkg.of_type("wifi-iface"):
        if sec.get_bool("mlo") or sec.get_bool("disabled"):
            continue
        if (sec.get_str("mode", "ap") or "ap") != "ap":
            continue
        for d in _devices(sec)[:1]:
            count[d] = count.get(d, 0) + 1
    radios = radios_of(new_pkg)
    idx = {r.name: r.index for r in radios.values()}
    return sorted(idx.get(n, -1) for n, c in count.items() if c >= 2 and n in mlo_radio_names)


def mlo_part(pkg: Package) -> list[tuple[str, dict]]:
    """The MLO-relevant part of a config (MLO ifaces and the radios they use): a change here
    only takes effect after a reboot."""
    out: list[tuple[str, dict]] = []
    for sec in pkg.of_type("wifi-iface"):
        if sec.get_bool("mlo"):
            out.append((sec.name, dict(sec.options)))
    return out
