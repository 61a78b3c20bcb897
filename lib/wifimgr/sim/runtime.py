"""The twin's netifd + hostapd emulation: from a wireless UCI package to what runs.

This is the twin's own reading of the configuration, written from the MTK SDK behaviour in
spec/platform.md (§a.1 MLO ifaces and the EHT filter, §b interface naming, §g quirks). It must
not import ``wifimgr.model.configset`` or ``wifimgr.rules.safety``: the twin is the system
those are tested on.

Per stack (the profile's facts, :mod:`wifimgr.sim.profiles`): the MTK SDK reading above is the
default. On the upstream (mainline 25.12) profiles:

* the EDCCA crash (two or more legacy APs on a radio of an AP MLD) is kept: nobody has shown
  whether upstream mt76 crashes the same way, so the twin keeps the stricter model;
* the locked MCU patch semaphore is the same path upstream (mt7996/mcu.c
  ``mt76_connac_mcu_patch_sem_ctrl`` → ``-EAGAIN``, openwrt/mt76 59676919), kept;
* ``macaddr random`` on an MLD is mainline's own bug (openwrt/openwrt PR #24955: hostapd's
  ``mld_add_bss()`` takes the string verbatim), kept;
* a non-EHT radio is still no link of the AP MLD (``mld-link-not-eht``), for another reason:
  mainline netifd (openwrt/netifd e97e36f9 examples/wireless.uc ``config_init``) gives the
  MLO vif to every enabled listed device, EHT or not, but upstream hostapd joins a BSS to an
  MLD only with 802.11be on (``hostapd_bss_setup_multi_link`` returns early without
  ``ieee80211be``, hostap e4e91f53 src/ap/hostapd.c; wifi-scripts' hostapd.uc sets
  ``ieee80211be`` only for an ``EHT*`` htmode). The MTK netifd drops it before hostapd;
* ACS (``channel auto``) on two or more links of an AP MLD: the scans collide and hostapd
  disables all but one link (openwrt/openwrt#25181, ``ap-mld0: AP-DISABLED``), the
  ``mld-acs-link-dropped`` degradation.
"""

from __future__ import annotations

import zlib

from ..core.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..platform.ucitext import Package, Section
    from .profiles import Profile

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


#: what the twin's netifd/hostapd/driver do with an iface they cannot run, in the twin's own
#: words (spec/platform.md §g and the hardware-tested table of the original app). ``refused``:
#: the iface does not come up; ``degraded``: it comes up, but not as configured; ``ignored``:
#: netifd skips it as it would any misconfiguration (not a limit of the chip).
PROBLEMS: dict[str, tuple[str, str]] = {
    "one-mld-per-chip": ("refused", "the chip has one wiphy and runs one MLD (AP or STA); "
                                    "this one finds its radios taken"),
    "mld-random-mac": ("refused", "hostapd: invalid MAC address 'random': the MLD is never "
                                  "created"),
    "mld-no-radio": ("ignored", "no usable radio for the MLD"),
    "mld-link-not-eht": ("degraded", "a non-EHT radio is no link of the AP MLD (MTK netifd "
                                     "drops it; upstream hostapd does not join a BSS without "
                                     "802.11be to the MLD)"),
    "mld-link-broken-by-reload": ("degraded", "a sibling radio was restarted by wifi reload; "
                                              "this link stays down until the next boot"),
    "mld-acs-link-dropped": ("degraded", "ACS on two or more links of the AP MLD: the scans "
                                         "collide and hostapd disables all but one link "
                                         "(AP-DISABLED)"),
    "sta-6g-scan-empty": ("refused", "a standalone STA on 6 GHz: the interface comes up but "
                                     "its scan returns nothing, it never associates"),
    "standalone-sta-on-mld-radio": ("refused", "a WDS/relayd/repeater STA cannot run on a "
                                               "radio that carries an MLO link"),
    "repeater-ap-on-uplink-radio": ("refused", "the repeater's local AP cannot run on the radio "
                                               "of its own uplink"),
    "second-uplink": ("refused", "wpa_supplicant runs the MLO STA; a second uplink session "
                                 "does not start"),
    "bss-limit": ("refused", "hostapd: no free BSS on this radio (4 APs per radio)"),
    "device-not-found": ("ignored", "device not found"),
    "mode-not-emulated": ("ignored", "mode not emulated by the twin"),
}

BSS_PER_RADIO = 4


@record
class Problem:
    section: str
    code: str
    radio: int | None = None

    @property
    def kind(self) -> str:
        return PROBLEMS[self.code][0]

    @property
    def detail(self) -> str:
        return PROBLEMS[self.code][1]


@record
class Runtime:
    radios: dict[int, RRadio]
    bsses: list[RBss]
    #: ifaces netifd/hostapd did not bring up (or not as configured)
    problems: list[Problem] = field(default_factory=list)

    @property
    def dropped(self) -> list[tuple[str, str]]:
        return [(p.section, p.detail) for p in self.problems]

    def by_ifname(self, ifname: str) -> RBss | None:
        return next((b for b in self.bsses if b.ifname == ifname), None)

    def aps(self) -> list[RBss]:
        return [b for b in self.bsses if b.mode == "ap"]


def _acs_channel(band: str) -> int:
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
    channel = _acs_channel(band) if ch_opt == "auto" or not ch_opt.isdigit() else int(ch_opt)
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


def radios_of(pkg: Package, profile: Profile | None = None) -> dict[int, RRadio]:
    """The radios a config names; with ``profile``, only those the board has (a
    ``wifi-device`` for a radio the wiphy lacks finds no phy and never comes up)."""
    out: dict[int, RRadio] = {}
    for sec in pkg.of_type("wifi-device"):
        r = _radio(sec)
        if r is not None and (profile is None or (r.index, r.band) in profile.radios):
            out[r.index] = r
    return out


def _devices(sec: Section) -> list[str]:
    """netifd's device list: a scalar is split on whitespace, a name listed twice is one
    radio."""
    out: list[str] = []
    for d in sec.get_list("device"):
        if d not in out:
            out.append(d)
    return out


def _mode(sec: Section) -> str:
    return sec.get_str("mode", "ap") or "ap"


def _relay_members(network: Package | None) -> set[str]:
    """Logical networks a relayd (``proto relay``) interface bridges."""
    out: set[str] = set()
    for s in (network.of_type("interface") if network is not None else []):
        if s.get_str("proto") == "relay":
            out.update(s.get_list("network"))
    return out


def _acs(sec: Section) -> bool:
    ch = sec.get_str("channel", "auto") or "auto"
    return ch == "auto" or not ch.isdigit()


def build(pkg_legacy: Package, pkg_mlo: Package, network: Package | None = None,
          broken_links: list[int] | tuple[int, ...] = (), *,
          profile: Profile | None = None) -> Runtime:
    """What netifd/hostapd bring up: legacy ifaces (and the radios) from ``pkg_legacy`` (the
    config applied by the last reload), MLO ifaces from ``pkg_mlo`` (the config the chip booted
    with — MLO changes only take effect after a reboot on this platform). A non-MLO iface whose
    ``device`` is a list is one BSS on every listed radio (netifd 25.12 multi-radio ifaces).
    ``broken_links``: radio indices whose MLD link a ``wifi reload`` broke. ``profile``: the
    stack whose netifd/hostapd reading applies (default: the MTK SDK BPI-R4)."""
    if profile is None:
        from .profiles import DEFAULT, get

        profile = get(DEFAULT)
    radios = radios_of(pkg_legacy, profile)
    by_name = {r.name: r for r in radios.values()}
    bsses: list[RBss] = []
    problems: list[Problem] = []
    counters: dict[tuple[int, str], int] = {}
    mld_counter = {"ap": 0, "sta": 0}
    legacy_seq = 0

    # MLO ifaces of the booted config; the first that comes up owns the chip's MLD
    mld_radios = radios_of(pkg_mlo, profile)
    mld_by_name = {r.name: r for r in mld_radios.values()}
    mld_up: RBss | None = None
    for sec in pkg_mlo.of_type("wifi-iface"):
        if not sec.get_bool("mlo") or sec.get_bool("disabled"):
            continue
        mode = _mode(sec)
        if mode not in ("ap", "sta"):
            problems.append(Problem(sec.name, "mode-not-emulated"))
            continue
        listed = [mld_by_name[d] for d in _devices(sec) if d in mld_by_name]
        enabled = [r for r in listed if not r.disabled]
        if mode == "ap":
            # MTK netifd drops disabled and non-EHT radios from an AP MLD silently; upstream
            # hostapd leaves a BSS without 802.11be out of the MLD (profile.non_eht_link_drop)
            devs = [r for r in enabled if r.eht]
            for r in enabled:
                if not r.eht:
                    problems.append(Problem(sec.name, "mld-link-not-eht", r.index))
        else:
            devs = enabled
        if not devs:
            problems.append(Problem(sec.name, "mld-no-radio"))
            continue
        if mld_up is not None:
            problems.append(Problem(sec.name, "one-mld-per-chip"))
            continue
        if any((sec.get_str(o) or "").strip().lower() == "random"
               for o in ("macaddr", "mld_addr")):
            problems.append(Problem(sec.name, "mld-random-mac"))
            continue
        ifname = sec.get_str("ifname") or f"{mode}-mld{mld_counter[mode]}"
        if not sec.get_str("ifname"):
            mld_counter[mode] += 1
        base = sec.get_str("mld_addr") or (BASE_MAC if ifname == "ap-mld-1" else
                                           stable_mac("mld:" + sec.name))
        devs.sort(key=lambda r: r.index)
        if mode == "ap":
            for r in devs:
                if r.index in broken_links:
                    problems.append(Problem(sec.name, "mld-link-broken-by-reload", r.index))
            devs = [r for r in devs if r.index not in broken_links] or devs[:1]
            auto = [r for r in devs if _acs(r.section)]
            if profile.acs_mld_drop and len(auto) >= 2:
                # openwrt/openwrt#25181: the first link's ACS wins, the others are disabled
                for r in auto[1:]:
                    problems.append(Problem(sec.name, "mld-acs-link-dropped", r.index))
                dropped = {r.index for r in auto[1:]}
                devs = [r for r in devs if r.index not in dropped]
        pinned = sec.get_bool("assign_link_id")
        links = []
        for n, r in enumerate(devs):
            links.append(RLink(link_id=r.index if pinned else n, radio=r.index, band=r.band,
                               freq=r.freq, channel=r.channel, width=r.width,
                               center1=r.center1, addr=mac_add(base, 0x10 * (n + 1)) if n
                               else base))
        mld_up = RBss(
            section=sec.name, ifname=ifname, mode=mode, mld=True,
            radios=[r.index for r in devs], ssid=sec.get_str("ssid", "") or "",
            encryption=sec.get_str("encryption", "none") or "none",
            key=sec.get_str("key", "") or "", network=sec.get_str("network", "lan") or "lan",
            addr=base, links=links, hidden=sec.get_bool("hidden"),
            options=dict(sec.options))
        bsses.append(mld_up)

    mld_link_radios = set(mld_up.radios) if mld_up is not None else set()
    relay = _relay_members(network)
    ap_count: dict[int, int] = {}
    # repeater uplinks first: their radio decides where the repeater's AP may run
    legacy = [s for s in pkg_legacy.of_type("wifi-iface")
              if not s.get_bool("mlo") and not s.get_bool("disabled")]
    repeater_sta_radios = {by_name[d].index for s in legacy
                           if _mode(s) == "sta" and s.get_bool("repeater")
                           for d in _devices(s) if d in by_name}
    for sec in legacy:
        devs = [by_name[d] for d in _devices(sec) if d in by_name]
        if not devs:
            problems.append(Problem(sec.name, "device-not-found"))
            continue
        mode = _mode(sec)
        if mode not in ("ap", "sta"):
            problems.append(Problem(sec.name, "mode-not-emulated"))
            continue
        for r in devs:
            if r.disabled:
                continue
            code = None
            if mode == "sta":
                standalone = (sec.get_bool("wds") or sec.get_bool("repeater")
                              or any(n in relay for n in sec.get_list("network")))
                if r.band == "6g":
                    code = "sta-6g-scan-empty"
                elif standalone and r.index in mld_link_radios:
                    code = "standalone-sta-on-mld-radio"
                elif mld_up is not None and mld_up.mode == "sta":
                    code = "second-uplink"
            else:
                if sec.get_bool("repeater") and r.index in repeater_sta_radios:
                    code = "repeater-ap-on-uplink-radio"
                elif ap_count.get(r.index, 0) >= BSS_PER_RADIO:
                    code = "bss-limit"
                else:
                    ap_count[r.index] = ap_count.get(r.index, 0) + 1
            if code:
                problems.append(Problem(sec.name, code, r.index))
                if code != "sta-6g-scan-empty":   # that interface exists, scanning forever
                    continue
            key = (r.index, mode)
            k = counters.get(key, 0)
            counters[key] = k + 1
            ifname = (sec.get_str("ifname") if len(devs) == 1 else None) \
                or f"phy0.{r.index}-{mode}{k}"
            legacy_seq += 1
            addr = sec.get_str("macaddr") or mac_add(BASE_MAC,
                                                     0x100 * (r.index + 1) + legacy_seq)
            bsses.append(RBss(
                section=sec.name, ifname=ifname, mode=mode, mld=False, radios=[r.index],
                ssid=sec.get_str("ssid", "") or "",
                encryption=sec.get_str("encryption", "none") or "none",
                key=sec.get_str("key", "") or "",
                network=sec.get_str("network", "lan" if mode == "ap" else "wwan") or "",
                addr=addr, hidden=sec.get_bool("hidden"), wds=sec.get_bool("wds"),
                options=dict(sec.options)))
    return Runtime(radios=radios, bsses=bsses, problems=problems)


def edcca_crash_radios(new_pkg: Package, running_mlo_pkg: Package) -> list[int]:
    """Radios where bringing up ``new_pkg`` would crash the MT7996 (the "EDCCA crash"): two or
    more enabled legacy AP BSSes on a radio that is part of an AP MLD (running or in
    ``new_pkg``). A legacy AP with a device list has a BSS on every listed radio; the radio's
    own ``disabled`` does not save it (the MLD keeps the radio in its group)."""
    mlo_radio_names: set[str] = set()
    for pkg in (new_pkg, running_mlo_pkg):
        for sec in pkg.of_type("wifi-iface"):
            if sec.get_bool("mlo") and not sec.get_bool("disabled") and _mode(sec) == "ap":
                mlo_radio_names.update(_devices(sec))
    count: dict[str, int] = {}
    for sec in new_pkg.of_type("wifi-iface"):
        if sec.get_bool("mlo") or sec.get_bool("disabled") or _mode(sec) != "ap":
            continue
        for d in _devices(sec):
            count[d] = count.get(d, 0) + 1
    radios = radios_of(new_pkg)
    idx = {r.name: r.index for r in radios.values()}
    return sorted(idx[n] for n, c in count.items()
                  if c >= 2 and n in mlo_radio_names and n in idx)


def restarted_radios(old: Package, new: Package) -> set[int]:
    """Radios a ``wifi reload`` from ``old`` to ``new`` restarts in the twin's reading: the
    radio's own options changed, or a legacy AP on it was added, removed or changed (STA
    uplinks beside an MLO AP reload without touching it: C3–C5 of the tested table)."""
    def view(pkg: Package) -> dict[int, tuple]:
        out: dict[int, tuple] = {}
        rs = radios_of(pkg)
        names = {r.name: r.index for r in rs.values()}
        aps: dict[int, list] = {i: [] for i in rs}
        for sec in pkg.of_type("wifi-iface"):
            if sec.get_bool("mlo") or _mode(sec) != "ap":
                continue
            for d in _devices(sec):
                if d in names:
                    aps[names[d]].append((sec.name, sorted(sec.options.items(),
                                                           key=lambda kv: kv[0])))
        for i, r in rs.items():
            out[i] = (sorted(((k, str(v)) for k, v in r.section.options.items())),
                      sorted(aps[i], key=lambda x: x[0]))
        return out

    a, b = view(old), view(new)
    return {i for i in set(a) | set(b) if a.get(i) != b.get(i)}


def mlo_part(pkg: Package) -> list[tuple[str, dict]]:
    """The MLO-relevant part of a config (MLO ifaces and the radios they use): a change here
    only takes effect after a reboot."""
    out: list[tuple[str, dict]] = []
    for sec in pkg.of_type("wifi-iface"):
        if sec.get_bool("mlo"):
            out.append((sec.name, dict(sec.options)))
    return out
