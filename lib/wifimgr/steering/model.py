"""The steering policy's own inputs and outputs, and their JSON form (the trace format).

Inputs are gathered once per interval by whoever runs the policy (the daemon, the replay) into a
:class:`Sample`. Nothing here depends on the parsers: the daemon converts parser output into these
small dataclasses. Outputs are :class:`Action` objects that know their hostapd_cli arguments, log
:class:`Event` lines, and per-station :class:`StationView` rows.

Link ids and bands always come from the sample (``Sample.links``), never from a fixed table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..core.errors import InvalidArgument
from ..core.record import field, record
from ..parse.common import BANDS, band_of, is_mac

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

#: outcomes of one command as the daemon read them from hostapd's reply text
OUTCOMES = ("ok", "fail", "busy", "timeout")

#: TID → (uplink, downlink) link-id bitmaps, as ``get_neg_ttlm`` prints them
NegMap = dict[int, tuple[int, int]]


# ------------------------------------------------------------------------------ inputs
@record(frozen=True)
class LinkInfo:
    """One affiliated link of the AP MLD (``iw dev <mld> info`` + ``survey dump``)."""

    band: str
    freq_mhz: int
    noise_dbm: int | None = None
    #: a ready per-interval busy % (used only when the survey counters below are absent)
    busy_pct: float | None = None
    #: cumulative survey counters of the in-use channel; the policy diffs them
    active_ms: int | None = None
    busy_ms: int | None = None


@record(frozen=True)
class LinkReading:
    """One ``Link <n>:`` block of a station in ``iw dev <mld> station dump``."""

    rssi_dbm: int | None
    inactive_ms: int | None = None
    tx_packets: int | None = None
    tx_retries: int | None = None


@record(frozen=True)
class StationSample:
    mac: str
    #: hostapd printed ``max_simul_links`` for it (an MLD); legacy clients have no such line
    mld: bool
    max_simul_links: int | None = None
    emlsr: bool | None = None
    emlmr: bool | None = None
    links: dict[int, LinkReading] = field(default_factory=dict)
    #: station-level cumulative counters (preferred over the per-link ones, never added to them)
    tx_packets: int | None = None
    tx_retries: int | None = None


@record(frozen=True)
class AttlmState:
    """``get_attlm`` as read back: ``Default mapping`` → inactive."""

    active: bool
    disabled_mask: int = 0
    #: remaining switch time + expected duration in ms, when hostapd printed them
    remaining_ms: int | None = None


@record(frozen=True)
class Sample:
    t: float
    links: dict[int, LinkInfo]
    stations: tuple[StationSample, ...] = ()
    #: None: not read this interval
    attlm: AttlmState | None = None
    #: per station MLD address: the active map (``get_neg_ttlm``) or None (``inactive``);
    #: a station missing from the dict was not read this interval
    neg_ttlm: dict[str, NegMap | None] = field(default_factory=dict)
    #: ids of the broadcast TWT groups ``get_btwt`` listed; None: not read
    btwt_ids: frozenset[int] | None = None
    #: outcome of every action of the previous step, by :attr:`Action.key`
    results: dict[str, str] = field(default_factory=dict)
    #: MACs hostapd lists as associated (``all_sta``); None: not read. A client the policy knows
    #: that is missing from ``stations`` (the station dump) but still listed here is
    #: re-associating — hostapd removes and re-adds the kernel station on a re-association —
    #: and keeps its vote for ``vote_grace``; one missing here too has left.
    associated: frozenset[str] | None = None
    #: MACs hostapd reported gone since the last sample (AP-STA-DISCONNECTED, disassociation,
    #: deauthentication): they lose their vote at once
    departed: frozenset[str] = frozenset()
    #: the monotonic clock (s) when it was read; every duration of the policy runs on it, ``t``
    #: (wall clock) is only shown. None: ``t`` is used (scripted traces, tests)
    mono: float | None = None

    @property
    def clock(self) -> float:
        """The time every duration is measured on: ``mono`` when given, else ``t``."""
        return self.t if self.mono is None else self.mono


# ----------------------------------------------------------------------------- actions
def _mask_text(mask: int) -> str:
    return f"0x{mask:x}"


@record(frozen=True)
class SetAttlm:
    """Advertised TTLM: switch ``mask`` (link-id bits) off for every client of the AP MLD."""

    mask: int
    switch_time_ms: int
    duration_ms: int
    kind: ClassVar[str] = "set_attlm"

    @property
    def key(self) -> str:
        return "attlm"

    def commands(self) -> list[list[str]]:
        return [["set_attlm", f"disabled_links={self.mask}", f"switch_time={self.switch_time_ms}",
                 f"duration={self.duration_ms}", "link_mapping_size=0"]]

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "mask": self.mask, "switch_time_ms": self.switch_time_ms,
                "duration_ms": self.duration_ms}


@record(frozen=True)
class NegTtlmRequest:
    """AP-initiated Neg-TTLM: ``tid_maps[tid]`` is the link-id bitmap of TID 0..7 (both ways)."""

    mac: str
    tid_maps: tuple[int, ...]
    link_map_size: int = 0
    kind: ClassVar[str] = "neg_ttlm_request"

    @property
    def key(self) -> str:
        return f"neg_ttlm:{self.mac}"

    def commands(self) -> list[list[str]]:
        argv = ["negotiated_ttlm", "request", self.mac, "dir=2", "def_link_map=0",
                f"link_map_size={self.link_map_size}", f"num_tids={len(self.tid_maps)}"]
        for tid, m in enumerate(self.tid_maps):
            argv += [str(tid), str(m)]
        return [argv]

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "mac": self.mac, "tid_maps": list(self.tid_maps),
                "link_map_size": self.link_map_size}


@record(frozen=True)
class NegTtlmTeardown:
    mac: str
    kind: ClassVar[str] = "neg_ttlm_teardown"

    @property
    def key(self) -> str:
        return f"teardown:{self.mac}"

    def commands(self) -> list[list[str]]:
        return [["negotiated_ttlm", "teardown", self.mac]]

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "mac": self.mac}


@record(frozen=True)
class BtwtGroup:
    """A restricted/broadcast TWT group: ``add_btwt <id> <min_wake_dur> <mantissa> <exp>``
    (wake interval = mantissa · 2^exp µs)."""

    id: int
    min_wake_dur: int
    mantissa: int
    exponent: int
    tid_bitmap: int
    recommendation: int = 4

    @property
    def interval_ms(self) -> float:
        return self.mantissa * (1 << self.exponent) / 1000

    def argv(self) -> list[str]:
        return ["add_btwt", str(self.id), str(self.min_wake_dur), str(self.mantissa),
                str(self.exponent), f"recommendation={self.recommendation}",
                f"dl_tid_bitmap=0x{self.tid_bitmap:02X}", f"ul_tid_bitmap=0x{self.tid_bitmap:02X}"]


@record(frozen=True)
class EnsureBtwt:
    """Create the R-TWT groups that ``get_btwt`` did not list."""

    groups: tuple[BtwtGroup, ...]
    kind: ClassVar[str] = "ensure_btwt"

    @property
    def key(self) -> str:
        return "btwt"

    def commands(self) -> list[list[str]]:
        return [g.argv() for g in self.groups]

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "groups": [g.id for g in self.groups]}


Action = SetAttlm | NegTtlmRequest | NegTtlmTeardown | EnsureBtwt


# ----------------------------------------------------------------------------- outputs
@record(frozen=True)
class Event:
    t: float
    #: ``event`` (log file + syslog) or ``status`` (log file only), as mlo-steerd did
    kind: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"t": self.t, "kind": self.kind, "text": self.text}


@record(frozen=True)
class LinkView:
    band: str
    rssi_dbm: int | None
    snr_db: int | None
    score: int | None
    #: ``bad`` / ``neutral`` / ``good`` / ``idle`` (no valid reading) / ``off`` (disabled)
    verdict: str
    streak: int

    def as_dict(self) -> dict[str, Any]:
        return {"band": self.band, "rssi_dbm": self.rssi_dbm, "snr_db": self.snr_db,
                "score": self.score, "verdict": self.verdict, "streak": self.streak}


@record(frozen=True)
class StationView:
    mac: str
    #: ``legacy`` | ``mlsr`` | ``emlsr`` | ``emlmr`` | ``mlmr`` (see classify.py)
    kind: str
    #: how the policy steers it: ``neg_ttlm`` (per station), ``attlm`` (counts in the A-TTLM
    #: population) or ``none`` (legacy: never steered, but protects its link)
    steer: str
    #: ``n/a`` | ``eligible`` | ``requested`` | ``active`` | ``unresponsive`` | ``failing``
    neg_ttlm: str
    retry_pct: int | None
    links: dict[int, LinkView]
    #: bands steered away from this station by its Neg-TTLM map
    avoid: tuple[str, ...] = ()
    tid_maps: tuple[int, ...] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"mac": self.mac, "kind": self.kind, "steer": self.steer,
                "neg_ttlm": self.neg_ttlm, "retry_pct": self.retry_pct,
                "links": {str(k): v.as_dict() for k, v in sorted(self.links.items())},
                "avoid": list(self.avoid),
                "tid_maps": list(self.tid_maps) if self.tid_maps is not None else None}


@record
class Decision:
    t: float
    mode: str
    actions: list[Action]
    events: list[Event]
    stations: list[StationView]
    #: link-id bits switched off by the A-TTLM block on air (0: none)
    mask_on_air: int
    #: what the policy wants switched off now (may differ while a block runs)
    mask_wanted: int
    block_remaining_s: float | None
    #: the state to pass to the next step
    state: Any = None
    #: the last A-TTLM blocks, oldest first: per block who voted for it and who paid
    #: (JSON-ready dicts, see ``policy.block_record``)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    #: why each band went off, stayed on or waits this cycle: ``{band, decision (off | on |
    #: stays on | waits), rule, voted: [{mac, verdict, rule, why}], vetoed: [{mac, rule, why}]}``
    explain: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"t": self.t, "mode": self.mode, "explain": self.explain,
                "actions": [a.as_dict() for a in self.actions],
                "events": [e.as_dict() for e in self.events],
                "stations": [s.as_dict() for s in self.stations],
                "mask_on_air": self.mask_on_air, "mask_wanted": self.mask_wanted,
                "block_remaining_s": self.block_remaining_s,
                "blocks": [dict(b) for b in self.blocks]}


# ------------------------------------------------------------------------ JSON (traces)
def _err(where: str, msg: str) -> InvalidArgument:
    return InvalidArgument(f"{where}: {msg}", field=where)


def _int(d: Mapping[str, Any], key: str, where: str, *, default: Any = None,
         required: bool = False) -> int | None:
    if key not in d or d[key] is None:
        if required:
            raise _err(f"{where}.{key}", "is required")
        return default
    v = d[key]
    if isinstance(v, bool) or not isinstance(v, int | float) or \
            (isinstance(v, float) and not v.is_integer()):
        raise _err(f"{where}.{key}", f"must be an integer (got {v!r})")
    return int(v)


def _num(d: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> float | None:
    v = d.get(key)
    if v is None:
        if required:
            raise _err(f"{where}.{key}", "is required")
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise _err(f"{where}.{key}", f"must be a number (got {v!r})")
    return v


def _bool(d: Mapping[str, Any], key: str, where: str) -> bool | None:
    v = d.get(key)
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if v in (0, 1):
        return bool(v)
    raise _err(f"{where}.{key}", f"must be true/false (got {v!r})")


def _obj(v: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(v, Mapping):
        raise _err(where, f"must be an object (got {type(v).__name__})")
    return v


def _link_id(k: Any, where: str) -> int:
    try:
        lid = int(k)
    except (TypeError, ValueError):
        raise _err(where, f"link id {k!r} is not an integer") from None
    if not 0 <= lid <= 14:
        raise _err(where, f"link id {lid} out of range 0-14")
    return lid


def _mac(v: Any, where: str) -> str:
    if not isinstance(v, str) or not is_mac(v):
        raise _err(where, f"must be a MAC address (got {v!r})")
    return v.lower()


def link_info_from_dict(d: Any, where: str) -> LinkInfo:
    d = _obj(d, where)
    freq = _int(d, "freq", where, required=True)
    band = d.get("band")
    if band is None:
        band = band_of(freq or 0)
    if band not in BANDS:
        raise _err(f"{where}.band", f"must be one of {', '.join(BANDS)} (got {band!r})")
    busy = _num(d, "busy_pct", where)
    return LinkInfo(band=band, freq_mhz=freq or 0, noise_dbm=_int(d, "noise", where),
                    busy_pct=busy, active_ms=_int(d, "active_ms", where),
                    busy_ms=_int(d, "busy_ms", where))


def reading_from_dict(d: Any, where: str) -> LinkReading:
    d = _obj(d, where)
    return LinkReading(rssi_dbm=_int(d, "rssi", where), inactive_ms=_int(d, "inactive_ms", where),
                       tx_packets=_int(d, "tx_packets", where),
                       tx_retries=_int(d, "tx_retries", where))


def station_from_dict(d: Any, where: str) -> StationSample:
    d = _obj(d, where)
    mac = _mac(d.get("mac"), f"{where}.mac")
    msl = _int(d, "max_simul_links", where)
    mld = _bool(d, "mld", where)
    links_raw = _obj(d.get("links", {}), f"{where}.links")
    links = {_link_id(k, f"{where}.links"): reading_from_dict(v, f"{where}.links.{k}")
             for k, v in links_raw.items()}
    return StationSample(mac=mac, mld=(msl is not None) if mld is None else mld,
                         max_simul_links=msl, emlsr=_bool(d, "emlsr", where),
                         emlmr=_bool(d, "emlmr", where), links=links,
                         tx_packets=_int(d, "tx_packets", where),
                         tx_retries=_int(d, "tx_retries", where))


def attlm_from_dict(d: Any, where: str) -> AttlmState | None:
    if d is None:
        return None
    d = _obj(d, where)
    active = _bool(d, "active", where)
    if active is None:
        raise _err(f"{where}.active", "is required")
    return AttlmState(active=active, disabled_mask=_int(d, "disabled_mask", where, default=0) or 0,
                      remaining_ms=_int(d, "remaining_ms", where))


def negmap_from_dict(v: Any, where: str) -> NegMap | None:
    if v is None:
        return None
    out: NegMap = {}
    for k, pair in _obj(v, where).items():
        tid = _link_id(k, where)
        if tid > 7:
            raise _err(where, f"TID {tid} out of range 0-7")
        if isinstance(pair, int) and not isinstance(pair, bool):
            out[tid] = (pair, pair)
        elif (isinstance(pair, list) and len(pair) == 2
              and all(isinstance(x, int) and not isinstance(x, bool) for x in pair)):
            out[tid] = (pair[0], pair[1])
        else:
            raise _err(f"{where}.{k}", f"must be a map or [uplink, downlink] (got {pair!r})")
    return out


def sample_from_dict(d: Any, where: str = "sample") -> Sample:
    """A :class:`Sample` from its JSON form; errors name the offending field."""
    d = _obj(d, where)
    t = _num(d, "t", where, required=True)
    links_raw = _obj(d.get("links"), f"{where}.links")
    links = {_link_id(k, f"{where}.links"): link_info_from_dict(v, f"{where}.links.{k}")
             for k, v in links_raw.items()}
    if not links:
        raise _err(f"{where}.links", "needs at least one link")
    st_raw = d.get("stations", [])
    if not isinstance(st_raw, list):
        raise _err(f"{where}.stations", "must be a list")
    stations = tuple(station_from_dict(s, f"{where}.stations[{i}]") for i, s in enumerate(st_raw))
    macs = [s.mac for s in stations]
    if len(set(macs)) != len(macs):
        raise _err(f"{where}.stations", "lists a MAC twice")
    neg_raw = _obj(d.get("neg_ttlm", {}), f"{where}.neg_ttlm")
    neg = {_mac(k, f"{where}.neg_ttlm"): negmap_from_dict(v, f"{where}.neg_ttlm.{k}")
           for k, v in neg_raw.items()}
    btwt = d.get("btwt")
    if btwt is not None and (not isinstance(btwt, list) or not all(
            isinstance(x, int) and not isinstance(x, bool) for x in btwt)):
        raise _err(f"{where}.btwt", "must be a list of group ids")
    results_raw = _obj(d.get("results", {}), f"{where}.results")
    for k, v in results_raw.items():
        if v not in OUTCOMES:
            raise _err(f"{where}.results.{k}", f"must be one of {', '.join(OUTCOMES)}")
    assoc = d.get("associated")
    return Sample(t=t or 0.0, mono=_num(d, "mono", where), links=links, stations=stations,
                  attlm=attlm_from_dict(d.get("attlm"), f"{where}.attlm"), neg_ttlm=neg,
                  btwt_ids=frozenset(btwt) if btwt is not None else None,
                  results=dict(results_raw),
                  associated=None if assoc is None else _macs(assoc, f"{where}.associated"),
                  departed=_macs(d.get("departed", []), f"{where}.departed"))


def _macs(v: Any, where: str) -> frozenset[str]:
    if not isinstance(v, list):
        raise _err(where, "must be a list of MAC addresses")
    return frozenset(_mac(m, where) for m in v)


def sample_to_dict(s: Sample) -> dict[str, Any]:
    """The JSON form read by :func:`sample_from_dict` (what a recorded trace line holds)."""
    def drop_none(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v is not None}

    out: dict[str, Any] = {
        "t": s.t,
        "links": {str(k): drop_none({"band": li.band, "freq": li.freq_mhz, "noise": li.noise_dbm,
                                     "busy_pct": li.busy_pct, "active_ms": li.active_ms,
                                     "busy_ms": li.busy_ms})
                  for k, li in sorted(s.links.items())},
        "stations": [drop_none({
            "mac": st.mac, "mld": st.mld, "max_simul_links": st.max_simul_links,
            "emlsr": st.emlsr, "emlmr": st.emlmr, "tx_packets": st.tx_packets,
            "tx_retries": st.tx_retries,
            "links": {str(k): drop_none({"rssi": r.rssi_dbm, "inactive_ms": r.inactive_ms,
                                         "tx_packets": r.tx_packets,
                                         "tx_retries": r.tx_retries})
                      for k, r in sorted(st.links.items())}}) for st in s.stations],
    }
    if s.mono is not None:
        out["mono"] = s.mono
    # always present in a recorded line, also when get_attlm was unreadable (null): a line
    # without the key is a scripted one, which the replay would answer as hostapd
    out["attlm"] = None if s.attlm is None else drop_none({
        "active": s.attlm.active, "disabled_mask": s.attlm.disabled_mask,
        "remaining_ms": s.attlm.remaining_ms})
    if s.neg_ttlm:
        out["neg_ttlm"] = {mac: ({str(t): list(p) for t, p in sorted(m.items())}
                                 if m is not None else None)
                           for mac, m in sorted(s.neg_ttlm.items())}
    if s.btwt_ids is not None:
        out["btwt"] = sorted(s.btwt_ids)
    if s.results:
        out["results"] = dict(sorted(s.results.items()))
    if s.associated is not None:
        out["associated"] = sorted(s.associated)
    if s.departed:
        out["departed"] = sorted(s.departed)
    return out


def mask_text(mask: int, links: Mapping[int, LinkInfo]) -> str:
    """``0x4 (6G)``: a link-id mask with the bands it names."""
    if not mask:
        return "0"
    names = [links[lid].band.upper() for lid in sorted(links) if mask & (1 << lid)]
    extra = [f"link{i}" for i in range(15) if mask & (1 << i) and i not in links]
    return f"{_mask_text(mask)} ({'+'.join(names + extra)})"
