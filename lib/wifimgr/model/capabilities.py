"""The capability map: what this router's Wi-Fi stack can do, detected from what it reports.

One record (:class:`Capabilities`) built by :func:`detect` from texts and dicts the router
printed — never from a version string, never by asking "is this the MTK SDK?". Pure: no I/O, no
imports above :mod:`wifimgr.parse` and :mod:`wifimgr.core.record`; the caller collects the inputs:

* ``board`` — ``ubus call system board`` (dict, or its JSON text);
* ``hostapd`` — hostapd's own answers to the read-only probes of :data:`HOSTAPD_PROBES`, sent
  as ``hostapd_cli -i <MLD or AP iface> raw <COMMAND>`` (``raw``: hostapd answers, not
  hostapd_cli's command table, which prints ``Unknown command '…'`` for anything it does not
  list — upstream hostapd/hostapd_cli.c ``wpa_request``). A daemon that lacks the command
  answers ``UNKNOWN COMMAND`` (upstream hostapd/ctrl_iface.c, the ``else`` of
  ``hostapd_ctrl_iface_receive_process``);
* ``iw_phy`` — ``iw phy`` / ``iw phy phy0 info`` text;
* ``debugfs`` — the file names under ``/sys/kernel/debug/ieee80211/phy0/`` (e.g.
  ``mt76/sku_disable``, ``mt76/band0/txpower_info``), as a listing reports them;
* ``mt76_version`` — the installed ``kmod-mt76`` package version (optional).

Every capability is ``True``/``False`` where the evidence decides it and ``None`` where it does
not (an input missing, or hostapd unreachable); ``evidence`` says, per capability, what decided.
Features treat ``None`` as "not known to exist". The rules and their sources are listed in
docs/capabilities.md (and /work/notes/issue23-facts.md).
"""

from __future__ import annotations

import json
import re

from ..core.errors import Unsupported
from ..core.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

#: capability → the read-only hostapd control command whose answer decides it. MTK SDK
#: hostapd (mtk-openwrt-feeds 25.12 hostapd patches): GET_ATTLM (0184), GET_NEG_TTLM <mac>
#: (0167), GET_BROADCAST_TWT (0207; R-TWT rides on the same TWT command set, 0239/0251).
#: Upstream hostapd has none of them (hostap master: no TTLM/TWT control command).
HOSTAPD_PROBES: dict[str, str] = {
    "attlm": "GET_ATTLM",
    "neg_ttlm": "GET_NEG_TTLM 00:00:00:00:00:00",
    "twt": "GET_BROADCAST_TWT",
}

#: the MLD name netifd gives an MLO ``wifi-iface`` without ``option ifname``: ``<mode>-mld<N>``,
#: N counting MLO sections per mode in file order (openwrt/netifd examples/wireless.uc
#: ``mlo_vif_create``; the MTK 25.12 feed's wireless.uc is identical)
MLD_AUTO_PATTERN = "{mode}-mld{n}"
#: the MLD of the MTK SDK factory config (its lib/wifi/mac80211.uc writes ``ifname 'ap-mld-1'``)
MTK_FACTORY_MLD = "ap-mld-1"
#: kmod-mt76 snapshot named in openwrt/mt76#1109 (MLO client → RCU stall / oops in
#: mt7996_mcu_rx_ps_sync); fixed by openwrt/mt76#1105 (commit 06b69763)
MT76_MLO_CLIENT_CRASH = "59676919"

_BAND_RANGES = {"2g": (2400, 2500), "5g": (5150, 5895), "6g": (5925, 7125)}
#: iw prints nl80211 band index + 1: NL80211_BAND_2GHZ/5GHZ/60GHZ/6GHZ = 0/1/2/3
_IW_BAND_NO = {1: "2g", 2: "5g", 4: "6g"}
_MTK_BAND_TXPOWER = re.compile(r"(?:^|/)band\d+/txpower_info$")
#: files upstream mt7996_init_debugfs creates (openwrt/mt76 59676919 mt7996/debugfs.c)
_UPSTREAM_MT7996 = ("sys_recovery", "fw_util_wa", "twt_stats", "rdd_monitor", "implicit_txbf")


@record
class Radio:
    index: int
    bands: tuple[str, ...] = ()


@record
class Capabilities:
    board_name: str | None = None
    model: str | None = None
    distribution: str | None = None
    release: str | None = None
    revision: str | None = None
    target: str | None = None
    kernel: str | None = None
    #: display only — features must ask the capabilities, never this label
    stack_hint: str = "unknown"
    attlm: bool | None = None
    neg_ttlm: bool | None = None
    twt: bool | None = None
    per_link_txpower: bool | None = None
    sku_idx: bool | None = None
    txpower_modes: tuple[str, ...] = ()
    tmac0_coldboot_bug: bool | None = None
    band_6g: bool | None = None
    eht_320: bool | None = None
    bands: tuple[str, ...] = ()
    radios: tuple[Radio, ...] = ()
    mld_auto_pattern: str = MLD_AUTO_PATTERN
    mld_factory_ifname: str | None = None
    mt76_mlo_client_crash: bool | None = None
    evidence: dict[str, str] = field(default_factory=dict)


def hostapd_knows(reply: str | None) -> bool | None:
    """Does the daemon know the probed command? ``UNKNOWN COMMAND`` → False; no reply or
    hostapd_cli could not reach it → None; anything else (a payload, OK, FAIL, busy) → True:
    FAIL means the command exists and refused its argument."""
    from ..parse import hostapd as _hostapd  # detection only: a cached map needs no parser

    if reply is None:
        return None
    if reply.strip().startswith("UNKNOWN COMMAND"):
        return False
    if _hostapd.classify_reply(reply) == "error":
        return None
    return True


def _board(board: Mapping[str, object] | str | None) -> dict:
    if board is None:
        return {}
    if isinstance(board, str):
        try:
            data = json.loads(board)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return dict(board)


def _bands_of_range(lo: int, hi: int) -> tuple[str, ...]:
    return tuple(b for b, (blo, bhi) in _BAND_RANGES.items() if lo < bhi and hi > blo)


def _phy_facts(text: str | None) -> tuple[set[str], list[Radio], bool, str]:
    """(bands, radios, eht_320 seen, evidence) from ``iw phy`` text."""
    from ..parse import iw_phy as _iw

    if not text:
        return set(), [], False, "no iw phy"
    phys = _iw.parse_phy(text)
    bands: set[str] = set()
    radios: list[Radio] = []
    eht_320 = False
    for phy in phys:
        eht_320 = eht_320 or phy.eht_320
        for no, chans in phy.bands.items():
            if no in _IW_BAND_NO:
                bands.add(_IW_BAND_NO[no])
            bands.update(c.band for c in chans)
        for r in phy.radios:
            rb = tuple(dict.fromkeys(b for lo, hi in r.freq_ranges
                                     for b in _bands_of_range(lo, hi)))
            radios.append(Radio(index=r.index, bands=rb))
            bands.update(rb)
        if not phy.radios:
            for n, (_, lo) in enumerate(phy.antenna_masks):
                rb = _bands_of_range(lo, lo + 1) if lo is not None else ()
                radios.append(Radio(index=n, bands=rb))
                bands.update(rb)
    how = ("wiphy radio blocks" if any(p.radios for p in phys)
           else "MTK antenna_mask/Frequency Range" if radios else "Band/Frequencies lists")
    return bands, radios, eht_320, f"iw phy: {how}"


def _debugfs(listing: Iterable[str] | None) -> tuple[set[str], bool, bool, bool]:
    """(names, MTK band txpower files, sku_disable, upstream-mt7996 markers only)."""
    if listing is None:
        return set(), False, False, False
    names = {p.strip().lstrip("./") for p in listing if p and p.strip()}
    mtk_band = any(_MTK_BAND_TXPOWER.search(n) for n in names)
    sku = any(n.rsplit("/", 1)[-1] == "sku_disable" for n in names)
    base = {n.rsplit("/", 1)[-1] for n in names}
    upstream_only = not mtk_band and not sku and any(m in base for m in _UPSTREAM_MT7996)
    return names, mtk_band, sku, upstream_only


def detect(board: Mapping[str, object] | str | None = None,
           hostapd: Mapping[str, str | None] | None = None,
           iw_phy: str | None = None,
           debugfs: Iterable[str] | None = None,
           mt76_version: str | None = None) -> Capabilities:
    """Build the capability map. ``hostapd`` maps a capability of :data:`HOSTAPD_PROBES`
    (``attlm``, ``neg_ttlm``, ``twt``) to hostapd's reply to that probe."""
    caps = Capabilities()
    ev = caps.evidence
    b = _board(board)
    rel = b.get("release") if isinstance(b.get("release"), dict) else {}
    caps.board_name = b.get("board_name") or None
    caps.model = b.get("model") or None
    caps.kernel = b.get("kernel") or None
    caps.distribution = rel.get("distribution") or None
    caps.release = rel.get("version") or None
    caps.revision = rel.get("revision") or None
    caps.target = rel.get("target") or None

    replies = dict(hostapd or {})
    for cap, cmd in HOSTAPD_PROBES.items():
        reply = replies.get(cap)
        known = hostapd_knows(reply)
        setattr(caps, cap, known)
        first = (reply or "").strip().splitlines()[:1]
        ev[cap] = (f"hostapd: {cmd.split()[0]} not probed" if reply is None
                   else f"hostapd: {cmd.split()[0]} → {first[0][:60] if first else '(empty)'!r}")

    names, mtk_band, sku, upstream_only = _debugfs(debugfs)
    if debugfs is None:
        ev["debugfs"] = "no debugfs listing"
    else:
        ev["debugfs"] = (f"debugfs: {len(names)} entries; band*/txpower_info={mtk_band}, "
                         f"sku_disable={sku}")
    # per-link TX power: the MTK mt76 (feed patch 0014) reads the link's phy; upstream
    # mt7996_get_txpower uses the default link for every link (mt76 59676919 main.c)
    caps.per_link_txpower = True if mtk_band else (False if upstream_only else None)
    # sku_idx / eFuse modes: the MTK debug patch (0054) creates mt76/sku_disable, cleared once
    # hostapd applies sku_idx (0058/0059); upstream mt76 has no such file nor sku_idx option
    caps.sku_idx = True if sku else (False if upstream_only else None)
    caps.txpower_modes = ("regdb", "manual", "efuse_max") if caps.sku_idx else ("regdb", "manual")
    # the cold-boot TMAC=0 bug is documented on the MTK SDK mt76; its fix polls sku_disable, so
    # it can only run there. Upstream: not documented either way → None (the fix does not run)
    caps.tmac0_coldboot_bug = True if sku else None

    bands, radios, eht_320, how = _phy_facts(iw_phy)
    caps.bands = tuple(b for b in _BAND_RANGES if b in bands)
    caps.radios = tuple(radios)
    caps.band_6g = ("6g" in bands) if bands else None
    # 320 MHz exists only in 6 GHz: no 6 GHz → no 320; 6 GHz without the line → unknown
    # (a filtered or cut capture may have lost it)
    caps.eht_320 = True if eht_320 else (False if caps.band_6g is False else None)
    ev["phy"] = how

    vendor = caps.attlm is True or caps.sku_idx is True
    upstream = caps.attlm is False and caps.sku_idx is not True
    caps.stack_hint = "mtk-sdk" if vendor else ("upstream" if upstream else "unknown")
    caps.mld_factory_ifname = MTK_FACTORY_MLD if vendor else None

    if mt76_version:
        caps.mt76_mlo_client_crash = True if MT76_MLO_CLIENT_CRASH in mt76_version else None
        ev["mt76"] = f"kmod-mt76 {mt76_version}"
    return caps


# ---------------------------------------------------------------------------------------
# features: what each wifimgr feature needs from the map
# ---------------------------------------------------------------------------------------

@record(frozen=True)
class Feature:
    name: str
    #: capabilities that must all be True for the feature to be offered
    needs: tuple[str, ...]
    #: what it is, in the words the API errors and the views use
    title: str
    #: True: offered only where every capability is known True. False: refused only where one
    #: is known False (hardware facts the configuration already states: a wizard offers the
    #: radios the config has; the map only withdraws what the chip is known to lack)
    strict: bool = True
    #: what a missing feature is called where it is not a loss (a fix for a bug that is not
    #: there does not run)
    off: str = "disabled"


#: every feature that depends on the stack, in the order docs/platforms.md lists them. A
#: feature is offered only where each capability it needs is True: ``None`` (unknown) refuses
#: too, with the evidence that left it unknown.
FEATURES: tuple[Feature, ...] = (
    Feature("link_policy", ("attlm", "neg_ttlm"),
            "Link Policy: MLO link steering by A-TTLM and negotiated TTLM"),
    Feature("btwt", ("twt",), "broadcast / restricted TWT groups"),
    Feature("txpower_efuse", ("sku_idx",), "the eFuse TX power mode (sku_idx)"),
    Feature("txpower_per_link", ("per_link_txpower",), "TX power read per MLO link"),
    Feature("coldboot_fix", ("tmac0_coldboot_bug",), "the cold-boot TX power fix",
            off="not run"),
    Feature("band_6g", ("band_6g",), "the 6 GHz band", strict=False),
    Feature("eht_320", ("eht_320",), "320 MHz channels", strict=False),
)
FEATURE_BY_NAME: dict[str, Feature] = {f.name: f for f in FEATURES}

#: what each capability is called when a feature is refused for its lack
CAPABILITY_TITLES: dict[str, str] = {
    "attlm": "advertised TID-to-link mapping (hostapd GET_ATTLM)",
    "neg_ttlm": "negotiated TID-to-link mapping (hostapd GET_NEG_TTLM)",
    "twt": "broadcast TWT control (hostapd GET_BROADCAST_TWT)",
    "per_link_txpower": "per-link TX power in the driver",
    "sku_idx": "the driver's sku_idx / eFuse power tables",
    "tmac0_coldboot_bug": "the cold-boot TMAC=0 TX power bug",
    "band_6g": "a 6 GHz radio",
    "eht_320": "320 MHz (EHT in 6 GHz)",
    "mt76_mlo_client_crash": "the kmod-mt76 that crashes on MLO clients (openwrt/mt76#1109)",
}


def platform_label(caps: Capabilities) -> str:
    """``OpenWrt 25.12.0 on Banana Pi BPI-R4`` — what the user calls this router."""
    dist = " ".join(x for x in (caps.distribution, caps.release) if x) or "unknown firmware"
    board = caps.model or caps.board_name or "unknown board"
    return f"{dist} on {board}"


def missing(caps: Capabilities, name: str) -> tuple[str, ...]:
    """The capabilities feature ``name`` needs that this map does not show as True (for a
    feature that is not ``strict``: that it shows as False)."""
    f = FEATURE_BY_NAME[name]
    if f.strict:
        return tuple(c for c in f.needs if getattr(caps, c) is not True)
    return tuple(c for c in f.needs if getattr(caps, c) is False)


def reason(caps: Capabilities, name: str) -> str | None:
    """Why feature ``name`` is not offered here, or None when it is."""
    lack = missing(caps, name)
    if not lack:
        return None
    parts = []
    for c in lack:
        state = "not known" if getattr(caps, c) is None else "absent"
        parts.append(f"{CAPABILITY_TITLES.get(c, c)} is {state}")
    return f"{'; '.join(parts)} on {platform_label(caps)}"


def require(caps: Capabilities, feature: str) -> Capabilities:
    """``caps``, when ``feature`` is offered on it; :class:`Unsupported` (naming the first missing
    capability and the platform) otherwise."""
    lack = missing(caps, feature)
    if lack:
        raise Unsupported(f"{FEATURE_BY_NAME[feature].title} is not available: "
                          f"{reason(caps, feature)}",
                          capability=lack[0], platform=platform_label(caps))
    return caps


def sku_option(caps: Capabilities) -> bool:
    """Write ``sku_idx`` (the MTK SDK's power-table option)? Yes unless the map shows the stack
    has none (upstream mt76): unknown keeps what wifimgr always wrote."""
    return caps.sku_idx is not False


def features(caps: Capabilities) -> dict[str, dict[str, object]]:
    """Every feature of :data:`FEATURES` with ``available``, ``needs`` and ``reason``."""
    return {f.name: {"available": not missing(caps, f.name), "needs": list(f.needs),
                     "title": f.title, "reason": reason(caps, f.name)} for f in FEATURES}


#: the capability fields, in the order the API and docs show them
CAPABILITY_FIELDS: tuple[str, ...] = (
    "attlm", "neg_ttlm", "twt", "per_link_txpower", "sku_idx", "tmac0_coldboot_bug",
    "band_6g", "eht_320", "mt76_mlo_client_crash")


def as_dict(caps: Capabilities) -> dict[str, object]:
    """The map as the API returns it (``status.platform``, ``diagnostics.platform``)."""
    return {
        "label": platform_label(caps),
        "board_name": caps.board_name, "model": caps.model,
        "distribution": caps.distribution, "release": caps.release,
        "revision": caps.revision, "target": caps.target, "kernel": caps.kernel,
        "stack": caps.stack_hint,
        "capabilities": {c: getattr(caps, c) for c in CAPABILITY_FIELDS},
        "txpower_modes": list(caps.txpower_modes),
        "bands": list(caps.bands),
        "radios": [{"index": r.index, "bands": list(r.bands)} for r in caps.radios],
        "mld_auto_pattern": caps.mld_auto_pattern,
        "mld_factory_ifname": caps.mld_factory_ifname,
        "evidence": dict(caps.evidence),
        "features": features(caps),
    }


def from_dict(d: Mapping[str, object]) -> Capabilities:
    """Inverse of :func:`as_dict` (the per-boot cache)."""
    caps = Capabilities()
    for k in ("board_name", "model", "distribution", "release", "revision", "target", "kernel"):
        setattr(caps, k, d.get(k))
    caps.stack_hint = str(d.get("stack") or "unknown")
    for c, v in dict(d.get("capabilities") or {}).items():  # type: ignore[call-overload]
        if c in CAPABILITY_FIELDS and v in (True, False, None):
            setattr(caps, c, v)
    caps.txpower_modes = tuple(str(m) for m in d.get("txpower_modes") or ())  # type: ignore[union-attr]
    caps.bands = tuple(str(b) for b in d.get("bands") or ())  # type: ignore[union-attr]
    caps.radios = tuple(Radio(index=int(r["index"]), bands=tuple(r["bands"]))
                        for r in d.get("radios") or ())  # type: ignore[union-attr]
    caps.mld_auto_pattern = str(d.get("mld_auto_pattern") or MLD_AUTO_PATTERN)
    caps.mld_factory_ifname = d.get("mld_factory_ifname")  # type: ignore[assignment]
    caps.evidence = dict(d.get("evidence") or {})  # type: ignore[call-overload]
    return caps
