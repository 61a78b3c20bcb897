"""Parsed command output → a policy :class:`~.model.Sample`, and hostapd replies → outcomes.

Pure conversion for the daemon (it runs the commands, the parsers read the text, this module
builds the sample); the policy itself never sees parser types. What goes where (docs/steering.md,
"Contract for gather()"):

* ``iw dev <mld> info``           → link ids and their channel frequency and band
* ``iw dev <mld> survey dump``    → per link the ``[in use]`` entry of its frequency: noise and
  the cumulative active/busy counters (the shared wiphy lists every band's in-use channel)
* ``iw dev <mld> station dump``   → per station its ``Link <n>:`` blocks (RSSI, inactive time)
  and the station-level tx packets/retries
* ``hostapd_cli all_sta``         → MLD or not (``max_simul_links``), EMLSR/EMLMR flags, and
  which stations hostapd lists at all (``associated``: a client missing from the station dump
  but still listed is re-associating and keeps its vote)
* hostapd events (``AP-STA-DISCONNECTED``), when whoever gathers listens to them → ``departed``
* ``get_attlm`` / ``get_neg_ttlm`` / ``get_btwt`` → the read-back
"""

from __future__ import annotations

from ..parse import hostapd as hp
from ..parse import iw_survey
from .model import (
    AttlmState,
    LinkInfo,
    LinkReading,
    Sample,
    StationSample,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ..parse import iw_dev, iw_station
    from .model import (
        NegMap,
    )


def links_from(iface: iw_dev.Interface, survey: Iterable[iw_survey.SurveyEntry]
               ) -> dict[int, LinkInfo]:
    """Affiliated links that are on a channel (a link listed without a channel line is not on
    air and is left out)."""
    by_freq = iw_survey.in_use_by_freq(list(survey))
    out: dict[int, LinkInfo] = {}
    for ln in iface.links:
        ch = ln.channel
        if ch is None or ch.band is None:
            continue
        e = by_freq.get(ch.freq_mhz)
        out[ln.link_id] = LinkInfo(band=ch.band, freq_mhz=ch.freq_mhz,
                                   noise_dbm=e.noise_dbm if e else None,
                                   active_ms=e.active_ms if e else None,
                                   busy_ms=e.busy_ms if e else None)
    return out


def stations_from(dump: Iterable[iw_station.Station], sta_info: Iterable[hp.StaInfo]
                  ) -> tuple[StationSample, ...]:
    """Stations of the station dump with their hostapd capabilities. Station-level ``signal``
    is ignored (0 for MLD clients); the per-link value is the leading one of the bracketed line."""
    info = {s.mac.lower(): s for s in sta_info}
    out = []
    for st in dump:
        mac = st.mac.lower()
        hi = info.get(mac)
        links = {ln.link_id: LinkReading(ln.signal.dbm if ln.signal else None, ln.inactive_ms,
                                         ln.tx_packets, ln.tx_retries)
                 for ln in st.links if ln.link_id >= 0}
        out.append(StationSample(
            mac=mac, mld=bool(hi and hi.is_mld),
            max_simul_links=hi.max_simul_links if hi else None,
            emlsr=hi.emlsr if hi else None, emlmr=hi.emlmr if hi else None, links=links,
            tx_packets=st.tx_packets, tx_retries=st.tx_retries))
    return tuple(out)


def attlm_from(state: hp.AttlmState | None, all_links: int,
               remaining_ms: int | None = None) -> AttlmState | None:
    """``remaining_ms``: what is left of the block, tracked by the caller from when it was set
    (:mod:`wifimgr.attlm_block`). Used when hostapd prints the values as set (``remaining``
    False): their sum is the block's length and never moves. The ``Remaining …`` spelling
    counts down itself (``remaining`` True)."""
    if state is None:
        return None
    if not state.active:
        return AttlmState(False)
    left = remaining_ms
    if state.remaining and (state.switch_ms is not None or state.duration_ms is not None):
        left = (state.switch_ms or 0) + (state.duration_ms or 0)
    return AttlmState(True, state.disabled_mask(all_links), left)


def neg_from(state: hp.NegTtlm | None) -> NegMap | None:
    return dict(state.tids) if state is not None and state.active else None


def outcome(reply: str | None) -> str:
    """A hostapd_cli reply → ``ok`` | ``fail`` | ``busy`` | ``timeout`` (None: no reply).
    Only the text counts — hostapd_cli's exit status does not tell ``FAIL`` apart (§c)."""
    if reply is None:
        return "timeout"
    kind = hp.classify_reply(reply)
    return {"ok": "ok", "busy": "busy"}.get(kind, "fail")


def sample(t: float, iface: iw_dev.Interface, dump: Iterable[iw_station.Station],
           survey: Iterable[iw_survey.SurveyEntry], sta_info: Iterable[hp.StaInfo], *,
           attlm: hp.AttlmState | None = None,
           attlm_remaining_ms: int | None = None,
           neg_ttlm: Mapping[str, hp.NegTtlm | None] | None = None,
           btwt: Iterable[hp.Btwt] | None = None,
           results: Mapping[str, str] | None = None,
           associated: Iterable[str] | None = None,
           departed: Iterable[str] = ()) -> Sample:
    """``associated``: the MACs of a successful ``all_sta`` (None when it could not be read —
    not the same as an empty list); ``departed``: MACs hostapd reported gone since the last
    sample."""
    links = links_from(iface, survey)
    all_links = sum(1 << lid for lid in links)
    return Sample(t=t, links=links, stations=stations_from(dump, sta_info),
                  attlm=attlm_from(attlm, all_links, attlm_remaining_ms),
                  neg_ttlm={mac.lower(): neg_from(v) for mac, v in (neg_ttlm or {}).items()},
                  btwt_ids=frozenset(b.id for b in btwt) if btwt is not None else None,
                  results=dict(results or {}),
                  associated=None if associated is None
                  else frozenset(m.lower() for m in associated),
                  departed=frozenset(m.lower() for m in departed))
