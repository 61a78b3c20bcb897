"""The steering policy's state between two steps (``PolicyState`` and its parts) and the small
helpers every part of the step shares. No logic of its own: the step (policy.py) is split into
scoring.py (readings → verdicts), voting.py (votes, vetoes, what should be off) and decisions.py
(the mask, the actions, hostapd's answers)."""

from __future__ import annotations

from ..core.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

STEERED_BANDS = ("6g", "5g")  # evaluation order: 6 GHz first
#: how many client names an event line lists before "and N more" (syslog lines stay short)
NAMES_MAX = 3


def names(items: list[str], limit: int | None = None) -> str:
    """``a; b; c; and 4 more`` — a bounded list for one log line (``NAMES_MAX`` names)."""
    limit = NAMES_MAX if limit is None else limit
    if len(items) <= limit:
        return "; ".join(items)
    return "; ".join(items[:limit]) + f"; and {len(items) - limit} more"


# -------------------------------------------------------------------------------- state
@record
class NegState:
    """What this policy did with one station's Neg-TTLM."""

    #: a map requested by this policy may be active (so it is ours to tear down)
    owned: bool = False
    requested: tuple[int, ...] | None = None
    #: hostapd accepted the request; the next readback shows whether the station took it
    awaiting: bool = False
    unanswered: int = 0
    fails: int = 0
    retry_after: float | None = None
    #: the active map as read back (None: inactive or not a full bidirectional map)
    active: tuple[int, ...] | None = None
    #: the readback showed some map
    some_active: bool = False
    last_change: float | None = None
    #: band → since when this station's map keeps it off that band
    avoid: dict[str, float] = field(default_factory=dict)
    #: it took a map once: proof that it is steerable per station
    took: bool = False


@record
class StaState:
    joined: float
    kind: str = "legacy"
    #: when it was last in the station dump, and its links then (an absent client's links stay
    #: protected by the trim while it keeps its vote)
    seen: float | None = None
    mask: int = 0
    bands: tuple[str, ...] = ()
    #: max_simul_links=1: consecutive samples on two links at once / on one link at a time, and
    #: the sustained conclusion (SIMUL_CONFIRM)
    simul_run: int = 0
    single_run: int = 0
    multi: bool = False
    pkts: int | None = None
    retries: int | None = None
    streak: dict[str, int] = field(default_factory=dict)
    #: band → the reading that made the current streak's last bad verdict (``scoring.Read``)
    reason: dict[str, Any] = field(default_factory=dict)
    #: band → (time, verdict) of its last valid reading there: its A-TTLM vote, kept for
    #: ``vote_grace``
    vote: dict[str, tuple[float, str]] = field(default_factory=dict)
    #: band → when its last valid reading there was usable (not bad), 2.4 GHz included: what a
    #: multi-radio client missing from one dump still has (its veto outlives the dump)
    usable_at: dict[str, float] = field(default_factory=dict)
    #: band → the times of the last ``bad_confirm`` bad readings: the streak confirms only when
    #: they fall inside ``confirm_window``
    bad_at: dict[str, list[float]] = field(default_factory=dict)
    #: link id → (tx packets, tx retries) of the per-link counters, when the driver prints them
    link_ctr: dict[int, tuple[int, int]] = field(default_factory=dict)
    neg: NegState = field(default_factory=NegState)


@record
class Block:
    """The A-TTLM on air: ``mask`` switched off from ``start`` until ``end`` (seconds)."""

    mask: int
    start: float
    end: float
    adopted: bool = False
    #: wall clock − policy clock when it started (the view shows wall-clock times)
    wall: float = 0.0


@record
class PolicyState:
    t: float | None = None
    steps: int = 0
    mode: str | None = None
    #: band → since when the policy wants it switched off for everyone (A-TTLM)
    wants: dict[str, float] = field(default_factory=dict)
    #: band → when the block that deferred its want expired: that want survives the expiry
    #: (and waits for 6 GHz to go off again, the order kept) for one block duration
    carried: dict[str, float] = field(default_factory=dict)
    #: band → the clients whose confirmed bad readings decided the want (who voted for it)
    voters: dict[str, list[str]] = field(default_factory=dict)
    #: the last blocks on air with who voted and who paid (``block_record``), oldest first
    blocks: list[dict[str, Any]] = field(default_factory=list)
    #: time of the last A-TTLM want change (the cooldown anchor)
    last_change: float | None = None
    block: Block | None = None
    attlm_fails: int = 0
    attlm_retry_after: float | None = None
    #: actions issued by the previous step, by key: {"action": Action, "t": float}
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: link id → (freq, active_ms, busy_ms) of the previous survey
    survey: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    stations: dict[str, StaState] = field(default_factory=dict)
    #: MAC → until when it is not asked again after unanswered Neg-TTLM requests (backoff)
    unresponsive: dict[str, float] = field(default_factory=dict)
    #: MAC → how many times it was found unresponsive (the pause doubles per time)
    refusals: dict[str, int] = field(default_factory=dict)
    #: until when a 6 GHz block waits for the 5 GHz probe of the block that just ended (the
    #: probe reads 5 GHz bad again: 6+5 GHz then go in one block)
    probe_5g: float | None = None
    #: band → when it last came back from a block (it stays on for a cooldown before it goes
    #: off again, whatever decided the next mask)
    back: dict[str, float] = field(default_factory=dict)
    #: band → when a client that kept it on left (its veto lifted): fresh confirmation first
    lifted: dict[str, float] = field(default_factory=dict)
    rtwt_off: bool = False
    rtwt_fails: int = 0


def band_name(band: str) -> str:
    return {"2g": "2.4G", "5g": "5G", "6g": "6G"}.get(band, band)


def flag(v: bool | None) -> str:
    return "-" if v is None else "1" if v else "0"
