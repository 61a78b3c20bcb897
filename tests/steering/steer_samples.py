"""Small builders of policy samples for the steering tests (scripted values, not captures)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wifimgr.core.record import replace
from wifimgr.settings.steering import DEFAULTS, SteeringConfig
from wifimgr.steering import policy
from wifimgr.steering.model import (
    AttlmState,
    LinkInfo,
    LinkReading,
    Sample,
    StationSample,
)

#: a noisy lab (spec/platform.md §d example: −76/−75/−71 dBm); quiet enough that SNRs below
#: 0 dB still have an RSSI above the −92 dBm validity floor
NOISE = {"2g": -80, "5g": -85, "6g": -88}
FREQ = {"2g": 2462, "5g": 5180, "6g": 6135}
#: the factory mapping; tests that must not depend on it use other ids
FACTORY = {0: "2g", 1: "5g", 2: "6g"}

IPHONE = {"mld": True, "max_simul_links": 1, "emlsr": False, "emlmr": False}
#: an EMLSR client (emlsr_support=1): may show readings on several links, still A-TTLM-steered
EMLSR = {"mld": True, "max_simul_links": 1, "emlsr": True, "emlmr": False}
BPI_STA = {"mld": True, "max_simul_links": 2, "emlsr": False, "emlmr": False}
LEGACY = {"mld": False}


def links(bands: dict[int, str] | None = None, busy: int | None = None) -> dict[int, LinkInfo]:
    bands = bands or FACTORY
    return {lid: LinkInfo(b, FREQ[b], NOISE[b], busy_pct=busy) for lid, b in bands.items()}


def snr_rssi(band: str, snr: int) -> int:
    """The RSSI that gives ``snr`` dB on ``band`` with the noise above."""
    return NOISE[band] + snr


def station(mac: str, caps: dict[str, Any], snr: dict[int, int | None],
            bands: dict[int, str] | None = None, pkts: int | None = None,
            retries: int | None = None) -> StationSample:
    """``snr``: link id → SNR dB (None: the link is idle, −105 dBm sentinel, 45 s inactive)."""
    bands = bands or FACTORY
    rd = {}
    for lid, s in snr.items():
        if s is None:
            rd[lid] = LinkReading(-105, 45000)
        else:
            rd[lid] = LinkReading(snr_rssi(bands[lid], s), 20)
    return StationSample(mac=mac, links=rd, tx_packets=pkts, tx_retries=retries, **{
        "mld": caps.get("mld", False), "max_simul_links": caps.get("max_simul_links"),
        "emlsr": caps.get("emlsr"), "emlmr": caps.get("emlmr")})


class Runner:
    """Feeds samples one interval apart, answers commands like hostapd would (configurable)."""

    def __init__(self, cfg: SteeringConfig = DEFAULTS, interval: float = 10.0,
                 outcome: str = "ok", answers: Iterable[str] = ()):
        self.cfg = cfg
        self.state: policy.PolicyState | None = None
        self.t = -interval
        self.interval = interval
        self.outcome = outcome
        self.outcomes: dict[str, str] = {}
        self.answers = set(answers)
        self.results: dict[str, str] = {}
        self.neg: dict[str, dict[int, tuple[int, int]]] = {}
        self.block: tuple[int, float] | None = None  # (mask, end)
        self.decisions: list = []

    def attlm(self) -> AttlmState:
        if self.block and self.t < self.block[1]:
            return AttlmState(True, self.block[0], int((self.block[1] - self.t) * 1000))
        self.block = None
        return AttlmState(False)

    def step(self, stations: list[StationSample], lk: dict[int, LinkInfo] | None = None,
             **sample_kw: Any):
        self.t += self.interval
        lk = lk or links()
        kw: dict[str, Any] = {"attlm": self.attlm(),
                              "neg_ttlm": {s.mac: self.neg.get(s.mac) for s in stations if s.mld},
                              "btwt_ids": frozenset({1, 2})}
        kw.update(sample_kw)
        s = Sample(t=self.t, links=lk, stations=tuple(stations), results=self.results, **kw)
        d = policy.step(self.cfg, self.state, s)
        self.state = d.state
        self.results = {}
        for a in d.actions:
            out = self.outcomes.get(a.kind, self.outcome)
            if out == "ok":
                if a.kind == "set_attlm":
                    self.block = (a.mask, self.t + (a.switch_time_ms + a.duration_ms) / 1000)
                    self.neg.clear()
                elif a.kind == "neg_ttlm_request" and a.mac in self.answers:
                    self.neg[a.mac] = {tid: (m, m) for tid, m in enumerate(a.tid_maps)}
                elif a.kind == "neg_ttlm_teardown":
                    self.neg.pop(a.mac, None)
            self.results[a.key] = out
        self.decisions.append(d)
        return d

    def run(self, n: int, stations, **kw: Any) -> list:
        return [self.step(stations, **kw) for _ in range(n)]


def kinds(decisions, kind: str) -> list:
    return [a for d in decisions for a in d.actions if a.kind == kind]


def texts(decision) -> list[str]:
    return [e.text for e in decision.events]


def with_cfg(**kw: Any) -> SteeringConfig:
    return DEFAULTS.replace(**kw)


# ---- replayed scenarios (tests/fixtures/steering)
def sends(steps, kind: str = "set_attlm") -> list:
    """(t, action, hostapd's answer) of every command of one kind in a replay."""
    return [(rs.decision.t, a, rs.outcomes[a.key]) for rs in steps for a in rs.decision.actions
            if a.kind == kind]


def events(steps, needle: str) -> list:
    """The times of the events and status lines that contain ``needle``."""
    return [rs.decision.t for rs in steps for e in rs.decision.events if needle in e.text]


__all__ = ["BPI_STA", "EMLSR", "FACTORY", "IPHONE", "LEGACY", "Runner", "events", "kinds", "links",
           "replace", "sends", "snr_rssi", "station", "texts", "with_cfg"]
