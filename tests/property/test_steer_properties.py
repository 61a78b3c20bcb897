"""Invariants of the policy over random clients, readings, modes and hostapd answers."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from steer_samples import BPI_STA, EMLSR, IPHONE, LEGACY, Runner, station, with_cfg

CAPS = {"iphone": IPHONE, "emlsr": EMLSR, "bpi": BPI_STA, "legacy": LEGACY}
ALL = 0b111

snr = st.one_of(st.none(), st.integers(-5, 35))


@st.composite
def scenario(draw):
    n = draw(st.integers(1, 4))
    clients = []
    for i in range(n):
        kind = draw(st.sampled_from(sorted(CAPS)))
        if kind == "legacy":
            lids = [draw(st.sampled_from([0, 1, 2]))]
        else:
            lids = sorted(draw(st.sets(st.sampled_from([0, 1, 2]), min_size=1)))
        clients.append((f"02:00:00:00:00:{i:02x}", kind, lids))
    steps = draw(st.integers(5, 40))
    width = sum(len(lids) for _, _, lids in clients)
    flat = iter(draw(st.lists(snr, min_size=steps * width, max_size=steps * width)))
    readings = [[{lid: next(flat) for lid in lids} for _, _, lids in clients]
                for _ in range(steps)]
    modes = draw(st.lists(st.sampled_from(["auto"] * 6 + ["all_on", "5g_only", "off"]),
                          min_size=steps, max_size=steps))
    outcomes = draw(st.lists(st.sampled_from(["ok"] * 4 + ["fail", "timeout"]),
                             min_size=steps, max_size=steps))
    answers = draw(st.sets(st.sampled_from([c[0] for c in clients])))
    population = draw(st.sampled_from(["all", "majority", "none"]))
    return clients, readings, modes, outcomes, answers, population


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario())
def test_invariants(sc):
    clients, readings, modes, outcomes, answers, population = sc
    cfg = with_cfg(population=population, cooldown=10, attlm_duration=60000, neg_ttlm_hold=40)
    r = Runner(cfg, answers=answers)
    for i, rows in enumerate(readings):
        r.cfg = cfg.replace(mode=modes[i])
        r.outcome = outcomes[i]
        stations = [station(mac, CAPS[kind], rd) for (mac, kind, _), rd in
                    zip(clients, rows, strict=True)]
        # what hostapd has on air at this sample's time (the runner advances by one interval)
        on_air_before = r.block is not None and r.t + r.interval < r.block[1]
        # MAC → until when it is not asked (unanswered requests: a pause, then once more)
        paused = dict(r.state.unresponsive) if r.state is not None else {}
        d = r.step(stations)
        masks = [a.mask for a in d.actions if a.kind == "set_attlm"]
        # one A-TTLM at a time: nothing is sent while a block runs
        assert not (masks and on_air_before)
        # A-TTLM and Neg-TTLM never at the same time
        if on_air_before:
            assert not [a for a in d.actions if a.kind == "neg_ttlm_request"]
        for m in [*masks, d.mask_wanted]:
            assert m != ALL
            for s in stations:
                sl = sum(1 << lid for lid in s.links)
                if s.mld:
                    assert sl & ~m, (s.mac, m)      # never zero links
                else:
                    assert not sl & m, (s.mac, m)   # a legacy client's link stays on
        for a in d.actions:
            if a.kind == "neg_ttlm_request":
                s = next(x for x in stations if x.mac == a.mac)
                sl = sum(1 << lid for lid in s.links)
                assert len(a.tid_maps) == 8
                assert all(mp and not mp & ~sl for mp in a.tid_maps)
                assert d.t >= paused.get(a.mac, -1.0)   # not asked during its pause
        if modes[i] == "off":
            assert all(a.kind == "neg_ttlm_teardown" for a in d.actions)
        if modes[i] == "all_on":
            assert not masks and d.mask_wanted == 0
