"""Replay a trace through the policy and print the decisions timeline (docs/steering.md).

A trace is a JSON-lines file. An optional first line without ``t`` is the header::

    {"trace": "walk-away", "description": "...", "ifname": "ap-mld-1",
     "config": {"population": "all"}, "outcomes": {"set_attlm": "fail"}, "btwt": [1, 2]}

Every other line is one sample in the JSON form of :func:`.model.sample_from_dict`, plus:

* ``"config": {...}`` — steering options changed from this cycle on (like a ``uci commit``
  between two cycles: the policy picks it up without a restart);
* ``"outcomes": {kind-or-key: ok|fail|busy|timeout}`` — what hostapd answers to the commands
  issued at this cycle (default: the header's, else ``ok``); keys are action kinds
  (``set_attlm``, ``neg_ttlm_request``, ``neg_ttlm_teardown``, ``ensure_btwt``) or action keys
  (``neg_ttlm:<mac>``).

A *recorded* line carries ``attlm`` (what the daemon read back); it is fed to the policy as it
is. A *scripted* line has no ``attlm``: the replay then plays hostapd — an accepted ``set_attlm``
puts a block on air for its duration (and tears down Neg-TTLMs, as MTK hostapd does), a Neg-TTLM
request is taken up only by stations that answer (``"answers_neg_ttlm"``, default: stations with
``max_simul_links`` ≥ 2), and readings on links that are switched off or mapped away go idle
(``-105`` dBm, 45 s inactive). A single-link station (EMLSR/MLSR) whose link goes off moves to
the enabled link with the best ``"rf"`` (the signal a link entry would read if used), or to the
first band of its ``"prefers"`` list (e.g. ``["6g", "5g", "2g"]``: an iPhone stays on 5 GHz
rather than 2.4 GHz as long as it hears it) that is on air.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ..core.errors import InvalidArgument
from ..core.record import field, record, replace
from ..platform import state
from ..settings.steering import DEFAULTS
from .model import (
    OUTCOMES,
    AttlmState,
    EnsureBtwt,
    NegTtlmRequest,
    NegTtlmTeardown,
    SetAttlm,
    mask_text,
    sample_from_dict,
)
from .policy import step
from .state import names

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

    from ..settings.steering import SteeringConfig
    from .model import (
        Action,
        Decision,
        Sample,
        StationSample,
    )
    from .policy import PolicyState

IDLE_RSSI = -105
IDLE_INACTIVE_MS = 45000


@record
class TraceLine:
    lineno: int
    raw: dict[str, Any]
    sample: Sample
    recorded: bool
    config: dict[str, Any]
    outcomes: dict[str, str]


@record
class Trace:
    name: str
    description: str = ""
    ifname: str = "ap-mld-1"
    config: dict[str, Any] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    btwt: list[int] = field(default_factory=list)
    lines: list[TraceLine] = field(default_factory=list)


def _outcomes(v: Any, where: str) -> dict[str, str]:
    if v is None:
        return {}
    if not isinstance(v, Mapping):
        raise InvalidArgument(f"{where}.outcomes must be an object", field="outcomes")
    for k, o in v.items():
        if o not in OUTCOMES:
            raise InvalidArgument(f"{where}.outcomes.{k} must be one of {', '.join(OUTCOMES)} "
                                  f"(got {o!r})", field="outcomes")
    return dict(v)


def _config(v: Any, where: str) -> dict[str, Any]:
    if v is None:
        return {}
    if not isinstance(v, Mapping):
        raise InvalidArgument(f"{where}.config must be an object", field="config")
    return dict(v)


def parse_trace(lines: Iterable[str], name: str = "trace") -> Trace:
    """A :class:`Trace` from JSON lines; errors name the line and the field."""
    trace = Trace(name=name)
    prev_t: float | None = None
    for lineno, text in enumerate(lines, 1):
        s = text.strip()
        if not s or s.startswith("#"):
            continue
        where = f"{name} line {lineno}"
        try:
            obj = json.loads(s)
        except ValueError as exc:
            raise InvalidArgument(f"{where}: not JSON ({exc})", field="trace") from None
        if not isinstance(obj, dict):
            raise InvalidArgument(f"{where}: a trace line must be a JSON object", field="trace")
        if "t" not in obj:
            if trace.lines:
                raise InvalidArgument(f"{where}: a line without 't' (a header) must come first",
                                      field="t")
            trace.name = str(obj.get("trace", name))
            trace.description = str(obj.get("description", ""))
            trace.ifname = str(obj.get("ifname", "ap-mld-1"))
            trace.config = _config(obj.get("config"), where)
            trace.outcomes = _outcomes(obj.get("outcomes"), where)
            btwt = obj.get("btwt", [])
            if not isinstance(btwt, list) or not all(isinstance(x, int) for x in btwt):
                raise InvalidArgument(f"{where}: btwt must be a list of group ids", field="btwt")
            trace.btwt = btwt
            continue
        try:
            sample = sample_from_dict(obj, "sample")
        except InvalidArgument as exc:
            raise InvalidArgument(f"{where}: {exc.message}", field=exc.field) from None
        # samples are ordered by the clock durations run on: "mono" when the line has it (a
        # recorded line: the wall clock "t" may step back with NTP), else "t"
        if prev_t is not None and sample.clock <= prev_t:
            what = "mono" if sample.mono is not None else "t"
            raise InvalidArgument(f"{where}: {what}={sample.clock:g} is not after "
                                  f"{what}={prev_t:g}", field=what)
        prev_t = sample.clock
        trace.lines.append(TraceLine(lineno, obj, sample, "attlm" in obj,
                                     _config(obj.get("config"), where),
                                     _outcomes(obj.get("outcomes"), where)))
    if not trace.lines:
        raise InvalidArgument(f"{name}: no samples", field="trace")
    return trace


def load_trace(path: str) -> Trace:
    try:
        text = state.read_text(path)
    except OSError as exc:
        raise InvalidArgument(f"cannot read {path}: {exc.strerror}", field="trace") from None
    if text is None:
        raise InvalidArgument(f"cannot read {path}: No such file or directory", field="trace")
    return parse_trace(text.splitlines(keepends=True), name=path)


# ------------------------------------------------------------------ simulated hostapd
@record
class _Block:
    mask: int
    start: float
    switch_s: float
    end: float


class SimHostapd:
    """Just enough of MTK hostapd's TTLM behaviour to close the loop for scripted traces
    (spec/platform.md §c.3, §c.4): one A-TTLM at a time, no cancel, Neg-TTLMs torn down when an
    A-TTLM starts, Neg-TTLM refused while an A-TTLM runs."""

    def __init__(self, btwt: Iterable[int] = ()):
        self.block: _Block | None = None
        self.neg: dict[str, tuple[int, ...]] = {}
        self.btwt: set[int] = set(btwt)

    def attlm_active(self, t: float) -> bool:
        if self.block is not None and t >= self.block.end:
            self.block = None
        return self.block is not None

    def execute(self, action: Action, outcome: str, t: float, sample: Sample,
                answers: Mapping[str, bool]) -> str:
        """Run one action with the scripted outcome; returns what hostapd answered."""
        if outcome != "ok":
            return outcome
        all_links = sum(1 << lid for lid in sample.links)
        if isinstance(action, SetAttlm):
            m = action.mask
            if self.attlm_active(t) or not m or m & ~all_links or m == all_links:
                return "fail"
            self.block = _Block(m, t, action.switch_time_ms / 1000,
                                t + (action.switch_time_ms + action.duration_ms) / 1000)
            self.neg.clear()
            return "ok"
        if isinstance(action, NegTtlmRequest):
            st = next((s for s in sample.stations if s.mac == action.mac), None)
            if self.attlm_active(t) or st is None or not st.mld:
                return "fail"
            if answers.get(action.mac, False):
                self.neg[action.mac] = tuple(m & all_links for m in action.tid_maps)
            return "ok"
        if isinstance(action, NegTtlmTeardown):
            self.neg.pop(action.mac, None)
            return "ok"
        if isinstance(action, EnsureBtwt):
            self.btwt |= {g.id for g in action.groups}
            return "ok"
        raise AssertionError(f"unknown action {action!r}")

    def observe(self, sample: Sample, raw: Mapping[str, Any]) -> Sample:
        """The sample as the daemon would read it with this hostapd state: readback of A-TTLM,
        Neg-TTLM and R-TWT, and readings on switched-off links idle."""
        t = sample.clock
        active = self.attlm_active(t)
        b = self.block
        off = b.mask if b is not None and t >= b.start + b.switch_s else 0
        attlm = AttlmState(True, b.mask, int((b.end - t) * 1000)) if active and b else \
            AttlmState(False)
        rf = _rf_hints(raw)
        prefs = _prefers(raw)
        stations = []
        neg: dict[str, dict[int, tuple[int, int]] | None] = {}
        for st in sample.stations:
            unused = off
            if st.mac in self.neg:
                used = 0
                for m in self.neg[st.mac]:
                    used |= m
                unused |= ~used & sum(1 << lid for lid in sample.links)
            stations.append(_idle_links(st, unused, off, rf.get(st.mac, {}),
                                        _order(prefs.get(st.mac), sample)))
            if st.mld:
                maps = self.neg.get(st.mac)
                neg[st.mac] = {tid: (m, m) for tid, m in enumerate(maps)} if maps else None
        return replace(sample, stations=tuple(stations), attlm=attlm, neg_ttlm=neg,
                       btwt_ids=frozenset(self.btwt))


def _rf_hints(raw: Mapping[str, Any]) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = {}
    for st in raw.get("stations", []):
        links = st.get("links", {}) if isinstance(st, Mapping) else {}
        hints = {int(k): v["rf"] for k, v in links.items()
                 if isinstance(v, Mapping) and isinstance(v.get("rf"), int)}
        if hints:
            out[str(st.get("mac", "")).lower()] = hints
    return out


def _prefers(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for st in raw.get("stations", []):
        if isinstance(st, Mapping) and isinstance(st.get("prefers"), list):
            out[str(st.get("mac", "")).lower()] = [str(b) for b in st["prefers"]]
    return out


def _order(prefs: list[str] | None, sample: Sample) -> dict[int, int] | None:
    """link id → rank (0 = most preferred) from a band preference list; None: by rf."""
    if not prefs:
        return None
    return {lid: prefs.index(li.band) for lid, li in sample.links.items() if li.band in prefs}


def _single_link(st: StationSample) -> bool:
    return st.mld and not st.emlmr and (st.max_simul_links or 0) <= 1


def _idle_links(st: StationSample, unused: int, off: int, rf: Mapping[int, int],
                rank: Mapping[int, int] | None = None) -> StationSample:
    if not unused & sum(1 << lid for lid in st.links):
        return st
    links = dict(st.links)
    moved = False
    for lid, r in st.links.items():
        if unused & (1 << lid) and r.rssi_dbm not in (None, 0, IDLE_RSSI):
            links[lid] = replace(r, rssi_dbm=IDLE_RSSI, inactive_ms=IDLE_INACTIVE_MS)
            moved = True
    if moved and _single_link(st):
        # one link at a time: it carries on over the best link still on air
        cands = [(rf[lid] if rank is None else -rank.get(lid, 99), lid)
                 for lid in links if lid in rf and not off & (1 << lid)]
        if cands and not any(r.rssi_dbm not in (None, 0, IDLE_RSSI) and
                             not unused & (1 << lid) for lid, r in links.items()):
            _, best = max(cands)
            best_rf = rf[best]
            links[best] = replace(links[best], rssi_dbm=best_rf, inactive_ms=20)
    return replace(st, links=links)


def _answers(raw: Mapping[str, Any], sample: Sample) -> dict[str, bool]:
    out = {st.mac: (st.max_simul_links or 0) >= 2 for st in sample.stations}
    for st in raw.get("stations", []):
        if isinstance(st, Mapping) and isinstance(st.get("answers_neg_ttlm"), bool):
            out[str(st.get("mac", "")).lower()] = st["answers_neg_ttlm"]
    return out


# ------------------------------------------------------------------------------ replay
@record
class ReplayStep:
    line: int
    sample: Sample
    decision: Decision
    #: what hostapd answered to each action of this step, by action key
    outcomes: dict[str, str]
    config: SteeringConfig


def _outcome_for(action: Action, line: TraceLine, trace: Trace) -> str:
    for table in (line.outcomes, trace.outcomes):
        for k in (action.key, action.kind):
            if k in table:
                return table[k]
    return "ok"


def replay(trace: Trace, overrides: Mapping[str, Any] | None = None,
           base: SteeringConfig = DEFAULTS, *, detail: bool = True) -> list[ReplayStep]:
    """Run the policy over every sample of ``trace``; ``overrides`` win over the trace's own
    config (``--set`` on the command line). ``detail=False``: no per-client status lines and
    views (``policy.step``) — what the plain timeline does not print."""
    return list(replay_iter(trace, overrides, base, detail=detail))


def replay_iter(trace: Trace, overrides: Mapping[str, Any] | None = None,
                base: SteeringConfig = DEFAULTS, *, detail: bool = True
                ) -> Iterator[ReplayStep]:
    """:func:`replay`, one step at a time: a day of samples is replayed without keeping every
    decision (the state is updated in place; a step's ``decision.state`` is the live one)."""
    overrides = dict(overrides or {})
    values: dict[str, Any] = dict(trace.config)
    cfg = base.replace(**values, **overrides) if values or overrides else base
    hostapd = SimHostapd(trace.btwt)
    state: PolicyState | None = None
    prev_results: dict[str, str] = {}
    for line in trace.lines:
        if line.config:
            values.update(line.config)
            try:
                cfg = base.replace(**{**values, **overrides})
            except InvalidArgument as exc:
                raise InvalidArgument(f"{trace.name} line {line.lineno}: {exc.message}",
                                      field=exc.field) from None
        sample = line.sample
        if not line.recorded:
            sample = hostapd.observe(replace(sample, results=prev_results), line.raw)
        try:
            decision = step(cfg, state, sample, in_place=True, detail=detail)
        except InvalidArgument as exc:
            raise InvalidArgument(f"{trace.name} line {line.lineno}: {exc.message}",
                                  field=exc.field) from None
        state = decision.state
        answers = _answers(line.raw, line.sample)
        outcomes: dict[str, str] = {}
        for action in decision.actions:
            scripted = _outcome_for(action, line, trace)
            outcomes[action.key] = scripted if line.recorded else \
                hostapd.execute(action, scripted, sample.clock, line.sample, answers)
        prev_results = outcomes
        yield ReplayStep(line.lineno, sample, decision, outcomes, cfg)


# ------------------------------------------------------------------------------ output
def _fmt_t(t: float) -> str:
    return f"{t:>6.0f}s" if float(t).is_integer() else f"{t:>7.1f}s"


def timeline(trace: Trace, steps: list[ReplayStep], *, verbose: bool = False) -> str:
    """The decisions timeline: events and commands (with hostapd's answer) per cycle; with
    ``verbose`` also the status and per-client lines."""
    out = [f"# {trace.name}" + (f" — {trace.description}" if trace.description else "")]
    if steps:
        cfg = steps[0].config
        changed = {k: v for k, v in cfg.as_dict().items() if DEFAULTS.as_dict()[k] != v}
        out.append("# config: mode=" + cfg.mode + " population=" + cfg.population
                   + "".join(f" {k}={v}" for k, v in changed.items()
                             if k not in ("mode", "population")))
    n = {"set_attlm": 0, "neg_ttlm_request": 0, "neg_ttlm_teardown": 0, "ensure_btwt": 0}
    for rs in steps:
        d = rs.decision
        stamp = f"[{_fmt_t(d.t)}]"
        for e in d.events:
            if e.kind == "event" or verbose:
                out.append(f"{stamp} {'' if e.kind == 'event' else '· '}{e.text}")
        if verbose:
            out += [f"{stamp} ? {line}" for line in explain_lines(d.explain)]
        for a in d.actions:
            n[a.kind] += 1
            answer = rs.outcomes.get(a.key, "?").upper()
            for argv in a.commands():
                out.append(f"{stamp} → hostapd_cli -i {trace.ifname} {' '.join(argv)}  "
                           f"[{answer}]")
    last = steps[-1].decision if steps else None
    out.append(f"# {len(steps)} cycles; set_attlm {n['set_attlm']}, Neg-TTLM requests "
               f"{n['neg_ttlm_request']}, teardowns {n['neg_ttlm_teardown']}, R-TWT "
               f"{n['ensure_btwt']}"
               + (f"; at the end: on air {mask_text(last.mask_on_air, steps[-1].sample.links)}"
                  if last else ""))
    return "\n".join(out) + "\n"


def explain_lines(explain: list[dict[str, Any]]) -> list[str]:
    """One line per band: what was decided, by which rule, who voted (with the reading and
    its rule), who vetoed and why — at most ``NAMES_MAX`` names each."""
    out = []
    for ex in explain:
        voted = [f"{v['mac']} {v['verdict']}: {v['why']}" for v in ex.get("voted", [])]
        vetoed = [f"{v['mac']} ({v['rule'] or v.get('verdict', '')}: {v['why']})"
                  for v in ex.get("vetoed", [])]
        out.append(f"why {ex['band'].upper().replace('2G', '2.4G')} {ex['decision'] or '—'}: "
                   f"rule {ex['rule'] or '—'}; voted: {names(voted) or 'nobody'}; "
                   f"vetoed: {names(vetoed) or 'nobody'}")
    return out


def as_json_lines(steps: list[ReplayStep]) -> str:
    rows = []
    for rs in steps:
        d = rs.decision.as_dict()
        d["line"] = rs.line
        d["outcomes"] = rs.outcomes
        rows.append(json.dumps(d, ensure_ascii=False, sort_keys=False))
    return "\n".join(rows) + "\n"
