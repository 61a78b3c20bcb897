"""The policy step by step: gates, hysteresis, confirmation, cooldown, A-TTLM blocks, never zero
links, 6 GHz before 5 GHz, modes, population rules, Neg-TTLM per station."""

from __future__ import annotations

import copy

import pytest
from steer_samples import (
    BPI_STA,
    EMLSR,
    IPHONE,
    LEGACY,
    Runner,
    kinds,
    links,
    station,
    texts,
    with_cfg,
)

from wifimgr.core.errors import InvalidArgument
from wifimgr.settings.steering import DEFAULTS
from wifimgr.steering import policy
from wifimgr.steering.model import AttlmState, LinkInfo, Sample

PHONE = "02:00:00:00:16:01"
PHONE2 = "02:00:00:00:16:02"
PHONE3 = "02:00:00:00:16:03"
BPI = "02:00:00:00:b4:01"
LAPTOP = "02:00:00:00:1a:01"


def phone(snr6: int | None, snr5: int | None = None, mac: str = PHONE, **kw):
    """A client A-TTLM steers: iPhone 16 capabilities when it uses one link, an EMLSR client
    (emlsr_support=1) when readings on 5 and 6 GHz are both given; 5 GHz idle unless given."""
    caps = EMLSR if snr5 is not None and snr6 is not None else IPHONE
    return station(mac, caps, {0: None, 1: snr5, 2: snr6}, **kw)


def verdict(d, mac: str, lid: int) -> str:
    return next(s for s in d.stations if s.mac == mac).links[lid].verdict


# ------------------------------------------------------------------- gates and score
@pytest.mark.parametrize(("snr", "busy", "expect"), [
    (1, None, "bad"),       # below the 6 GHz hard low gate (2 dB), whatever the rest says
    (21, None, "good"),     # above the hard high gate (20 dB) with no retries
    (3, 100, "bad"),        # score 300 + 3000 + 0 = 3300 < 4000
    (8, None, "neutral"),   # score 5980: inside the 4000-6000 hysteresis
    (9, None, "good"),      # score 6280 > 6000
])
def test_6g_gates_and_score(snr, busy, expect):
    r = Runner()
    d = r.step([phone(snr)], lk=links(busy=busy))
    assert verdict(d, PHONE, 2) == expect


def test_5g_uses_its_own_gates():
    r = Runner()
    d = r.step([phone(30, snr5=-1)])
    assert verdict(d, PHONE, 1) == "bad"        # 5 GHz hard low is 0 dB
    d = r.step([phone(30, snr5=16)])
    assert verdict(d, PHONE, 1) == "good"       # 5 GHz hard high is 15 dB


def test_hard_enable_gate_needs_low_retries():
    # SNR 25 dB is above the hard high gate, but with 100 % retries on a 100 % busy channel
    # the gate does not apply and the score (6000 + 0 + 0) is not above 6000: with retries_bad
    # out of the way (100 %: only every frame retried) that is neutral
    r = Runner(with_cfg(retries_bad=100))
    r.step([phone(25, pkts=1000, retries=0)], lk=links(busy=100))
    d = r.step([phone(25, pkts=2000, retries=990)], lk=links(busy=100))
    s = d.stations[0]
    assert (s.retry_pct, s.links[2].score, s.links[2].verdict) == (99, 6030, "neutral")
    d = r.step([phone(25, pkts=3000, retries=1000)], lk=links(busy=100))
    assert (d.stations[0].retry_pct, d.stations[0].links[2].verdict) == (1, "good")


def test_snr_alone_never_makes_a_link_good():
    # issue 24: SNR 28 dB, 60 % retries on a 90 % busy channel (a hidden neighbour) scored 7300
    # and was "good". A link that retries most of its frames is bad (retries_bad = 50 %), and
    # good needs few retries on the score path too
    r = Runner()
    r.step([phone(28, pkts=1000, retries=0)], lk=links(busy=90))
    d = r.step([phone(28, pkts=2000, retries=600)], lk=links(busy=90))
    lv = d.stations[0].links[2]
    assert (d.stations[0].retry_pct, lv.score, lv.verdict) == (60, 7300, "bad")
    # 30 % retries at SNR 28 dB scores 8200 (> 6000) but is not good: neutral
    d = r.step([phone(28, pkts=3000, retries=900)], lk=links(busy=10))
    assert (d.stations[0].retry_pct, d.stations[0].links[2].verdict) == (30, "neutral")
    # the control: the score alone (the old rule) called it good
    old = Runner(with_cfg(retries_bad=100, retries_confirm=99))
    old.step([phone(28, pkts=1000, retries=0)], lk=links(busy=90))
    d = old.step([phone(28, pkts=2000, retries=600)], lk=links(busy=90))
    assert d.stations[0].links[2].verdict == "good"


# ------------------------------------------------------------- confirmation / hysteresis
def test_three_consecutive_bad_readings_confirm_a_disable():
    r = Runner()
    d1, d2 = r.step([phone(1)]), r.step([phone(1)])
    assert not d1.actions and not d2.actions
    d3 = r.step([phone(1)])
    assert [a.kind for a in d3.actions] == ["set_attlm"]
    a = d3.actions[0]
    assert (a.mask, a.switch_time_ms, a.duration_ms) == (0b100, 200, 300000)
    assert a.commands() == [["set_attlm", "disabled_links=4", "switch_time=200",
                             "duration=300000", "link_mapping_size=0"]]
    assert any("confirmed bad 3x (population all) → DISABLE" in t for t in texts(d3))


@pytest.mark.parametrize("pattern", [
    [1, 1, 30] * 6,                 # bad, bad, good
    [1, 1, None] * 6,               # bad, bad, idle: an invalid reading breaks the streak
    [1, 1, 8] * 6,                  # bad, bad, neutral
    [5, 6, 4, 7, 8, 5] * 3,         # always inside the hysteresis (score 4000..6000)
])
def test_flapping_at_the_threshold_never_disables(pattern):
    r = Runner()
    for snr in pattern:
        r.step([phone(snr)])
    assert kinds(r.decisions, "set_attlm") == []
    assert max(s.links[2].streak for d in r.decisions for s in d.stations) <= 2


def test_bad_confirm_is_configurable():
    r = Runner(with_cfg(bad_confirm=1))
    assert kinds([r.step([phone(1)])], "set_attlm")


# ------------------------------------------------------------------------- cooldown
def test_cooldown_holds_the_want_before_it_can_be_cleared():
    # hostapd refuses the block, so the want stays pending and enable is reachable
    r = Runner(outcome="fail")
    for _ in range(3):
        r.step([phone(1)])                      # t=0,10,20 → want 6G at t=20
    assert r.decisions[-1].mask_wanted == 0b100
    ds, wants = [], []
    for _ in range(4):                          # t=30..60
        ds.append(r.step([phone(30)]))
        wants.append(sorted(r.state.wants))
    # good readings at t=30, 40 are inside the 30 s cooldown: the want stands; at t=50 it is
    # cleared
    assert wants == [["6g"], ["6g"], [], []]
    assert any("→ ENABLE" in t for t in texts(r.decisions[-2]))
    # and while it stands no block takes 6 GHz from the client that reads it good again
    assert [d.mask_wanted for d in ds] == [0, 0, 0, 0]
    assert not [a for d in ds for a in d.actions if a.kind == "set_attlm"]
    assert any("read it good again — not switched off while they do" in t
               for t in texts(ds[0]))


def test_cooldown_delays_a_new_disable_after_an_enable():
    r = Runner(outcome="fail")
    for _ in range(3):
        r.step([phone(1)])                      # want at t=20
    for _ in range(3):
        r.step([phone(30)])                     # enable at t=50
    masks = [r.step([phone(1)]).mask_wanted for _ in range(5)]  # t=60..100
    # three bad readings are there at t=80, but the cooldown since t=50 ends at t=80
    assert masks == [0, 0, 0b100, 0b100, 0b100]


# --------------------------------------------------------------------- A-TTLM blocks
def test_one_set_attlm_per_block_and_expiry_is_the_probe():
    r = Runner()
    for _ in range(3):
        r.step([phone(1)])                      # set_attlm at t=20, on air until 320.2
    for _ in range(30):                         # t=30..320: the link is off, readings idle
        d = r.step([phone(None, snr5=25)])
        assert not d.actions
        assert d.mask_on_air == 0b100
    d = r.step([phone(1)])                      # t=330: expired, 6G back, first bad reading
    assert d.mask_on_air == 0
    assert any("expired — links re-enabled, probing" in t for t in texts(d))
    assert not kinds([d], "set_attlm")          # the probe needs fresh confirmation
    d2, d3 = r.step([phone(1)]), r.step([phone(1)])
    assert not d2.actions and kinds([d3], "set_attlm")


def test_probe_with_good_readings_leaves_the_link_on():
    r = Runner()
    for _ in range(3):
        r.step([phone(1)])
    r.run(30, [phone(None, snr5=25)])
    r.run(10, [phone(25)])                      # the client came back
    assert len(kinds(r.decisions, "set_attlm")) == 1
    assert r.decisions[-1].mask_on_air == 0


def test_a_failed_set_attlm_is_not_taken_for_a_block_on_air():
    r = Runner(outcome="fail")
    r.run(3, [phone(1)])                        # sent at t=20
    d = r.step([phone(1)])                      # t=30
    assert d.mask_on_air == 0 and d.mask_wanted == 0b100
    assert any("NOT on air (1 in a row)" in t for t in texts(d))
    r.run(10, [phone(1)])
    sent = [d.t for d in r.decisions if kinds([d], "set_attlm")]
    assert sent == [20, 50, 80]                 # retried after the cooldown, then paused
    assert any("paused for 300s" in t for t in texts(r.decisions[9]))
    r.outcome = "ok"
    r.run(30, [phone(1)])
    sent = [d.t for d in r.decisions if kinds([d], "set_attlm")]
    assert sent[3] == 390                       # paused from t=90 for one block
    assert r.decisions[-1].mask_on_air == 0b100


def test_a_block_on_air_that_we_did_not_send_is_adopted():
    r = Runner()
    r.block = (0b010, 100.0)                    # something else switched 5G off
    d = r.step([phone(1)])
    assert d.mask_on_air == 0b010
    assert any("adopted" in t for t in texts(d))
    r.run(4, [phone(1)])                        # 6G confirmed bad, mask 0b110 ≠ 0b010
    assert kinds(r.decisions, "set_attlm") == []
    assert any("deferred until the current block expires" in e.text
               for e in r.decisions[-1].events)


def test_mask_change_during_a_block_is_deferred():
    r = Runner()
    r.run(3, [station(PHONE, EMLSR, {0: None, 1: 25, 2: 1})])      # 6G off (t=20)
    r.run(3, [station(PHONE, EMLSR, {0: None, 1: -3, 2: None})])   # 5G bad during the block
    d = r.decisions[-1]
    assert d.mask_wanted == 0b110 and d.mask_on_air == 0b100
    assert len(kinds(r.decisions, "set_attlm")) == 1


# ------------------------------------------------------------ 6 GHz first, never zero
def test_5g_is_never_switched_off_while_6g_is_good():
    r = Runner()
    r.run(10, [phone(30, snr5=-5)])
    assert kinds(r.decisions, "set_attlm") == []


def test_6g_and_5g_bad_disable_6g_first_and_keep_2g():
    r = Runner()
    client = station(PHONE, EMLSR, {0: 25, 1: -3, 2: -3})
    r.run(3, [client])
    d = r.decisions[-1]
    (a,) = kinds([d], "set_attlm")
    assert a.mask == 0b110                      # 2.4 GHz stays on
    order = [t for t in texts(d) if "DISABLE" in t]
    assert order[0].startswith("6G") and order[1].startswith("5G")


def test_a_client_without_2g_keeps_5g():
    r = Runner()
    client = station(PHONE, EMLSR, {1: -3, 2: -3})
    r.run(3, [client])
    (a,) = kinds(r.decisions, "set_attlm")
    assert a.mask == 0b100
    assert any("5G stays on" in e.text and "no link left" in e.text
               for e in r.decisions[-1].events)


def test_a_legacy_client_keeps_its_link_on():
    r = Runner()
    laptop = station(LAPTOP, LEGACY, {2: 30})
    r.run(5, [phone(1), laptop])
    assert kinds(r.decisions, "set_attlm") == []
    assert any("legacy client" in e.text for e in r.decisions[-1].events)
    assert next(s for s in r.decisions[-1].stations if s.mac == LAPTOP).steer == "none"


def test_mld_without_6g_steers_5g_directly():
    bands = {0: "2g", 1: "5g"}
    r = Runner()
    r.run(3, [station(PHONE, EMLSR, {0: 20, 1: -3}, bands=bands)], lk=links(bands))
    (a,) = kinds(r.decisions, "set_attlm")
    assert a.mask == 0b010


def test_link_ids_come_from_the_sample():
    bands = {0: "6g", 1: "2g", 2: "5g"}        # 6 GHz is link 0 on this MLD
    r = Runner()
    client = station(PHONE, IPHONE, {0: 1, 1: None, 2: None}, bands=bands)
    r.run(3, [client], lk=links(bands))
    (a,) = kinds(r.decisions, "set_attlm")
    assert a.mask == 0b001


# ----------------------------------------------------------------------------- modes
def test_5g_only_switches_off_2g_and_6g_at_once():
    r = Runner(with_cfg(mode="5g_only"))
    d = r.step([phone(30, snr5=25)])
    (a,) = kinds([d], "set_attlm")
    assert a.mask == 0b101                      # really 5 GHz only (v0.6 left 2.4 GHz on)


def test_5g_only_rearms_at_expiry_without_probing():
    r = Runner(with_cfg(mode="5g_only"))
    r.run(33, [phone(None, snr5=25)])
    sent = [d.t for d in r.decisions if kinds([d], "set_attlm")]
    assert sent == [0, 310]


def test_all_on_never_switches_off_but_still_maps_traffic():
    r = Runner(with_cfg(mode="all_on"), answers=[BPI])
    bpi = station(BPI, BPI_STA, {0: 5, 1: -5, 2: -3})
    r.run(10, [phone(-3, snr5=-5), bpi])
    assert kinds(r.decisions, "set_attlm") == []
    reqs = kinds(r.decisions, "neg_ttlm_request")
    assert [q.tid_maps for q in reqs] == [(7, 3, 3, 7, 6, 6, 2, 2)]


def test_off_issues_nothing_but_tears_down_our_maps():
    r = Runner(answers=[BPI])
    bpi = station(BPI, BPI_STA, {0: 30, 1: 30, 2: 30})
    r.run(2, [bpi])                             # map requested and taken
    assert r.neg
    r.cfg = with_cfg(mode="off")
    d = r.step([bpi, phone(1)])
    assert [a.kind for a in d.actions] == ["neg_ttlm_teardown"]
    assert any("mode auto → off" in t for t in texts(d))
    r.run(10, [bpi, phone(1)])
    assert all(not d.actions for d in r.decisions[-10:])


def test_mode_change_is_picked_up_on_the_next_cycle():
    r = Runner()
    r.run(2, [phone(30, snr5=25)])
    r.cfg = with_cfg(mode="5g_only")
    d = r.step([phone(30, snr5=25)])
    assert kinds([d], "set_attlm")[0].mask == 0b101
    r.cfg = DEFAULTS                            # back to auto: the block cannot be cancelled
    d = r.step([phone(None, snr5=25)])
    assert d.mask_wanted == 0 and d.mask_on_air == 0b101
    assert any("cannot cancel" in e.text for e in d.events)


def test_5g_only_on_an_mld_without_5g_does_nothing():
    lk = {0: LinkInfo("2g", 2462, -95), 2: LinkInfo("6g", 6135, -90)}
    r = Runner(with_cfg(mode="5g_only"))
    d = r.step([station(PHONE, IPHONE, {0: 20, 2: 20})], lk=lk)
    assert not d.actions or not kinds([d], "set_attlm")
    assert any("no 5 GHz link" in e.text for e in d.events)


# ---------------------------------------------------------------------- population
def _phones(*snrs: int):
    return [phone(s, mac=m) for s, m in zip(snrs, (PHONE, PHONE2, PHONE3), strict=False)]


@pytest.mark.parametrize(("rule", "snrs", "fires"), [
    ("all", (1, 30), False),
    ("all", (1, 1), True),
    ("majority", (1, 30), False),               # 1 of 2 is not more than half
    ("majority", (1, 1, 30), True),             # 2 of 3
    ("majority", (1, 30, 30), False),
    ("none", (1, 1, 1), False),                 # never A-TTLM
])
def test_population_rules(rule, snrs, fires):
    r = Runner(with_cfg(population=rule))
    r.run(5, _phones(*snrs))
    assert bool(kinds(r.decisions, "set_attlm")) is fires


def test_population_keeps_a_near_client_on_6g():
    r = Runner()
    r.run(10, _phones(1, 35))
    assert kinds(r.decisions, "set_attlm") == []
    assert all(verdict(d, PHONE2, 2) == "good" for d in r.decisions)
    assert any("population 'all' keeps it on for everyone" in e.text
               for e in r.decisions[-1].events)


def test_multi_radio_clients_are_not_in_the_attlm_population():
    # a far MLMR client that answers Neg-TTLM is steered on its own; the near phone keeps 6G
    r = Runner(answers=[BPI])
    bpi = station(BPI, BPI_STA, {0: 25, 1: 20, 2: 1})
    r.run(6, [phone(35), bpi])
    assert kinds(r.decisions, "set_attlm") == []
    maps = [q.tid_maps for q in kinds(r.decisions, "neg_ttlm_request")]
    assert maps == [(7, 3, 3, 7, 6, 6, 2, 2), (3, 3, 3, 3, 2, 2, 2, 2)]
    view = next(s for s in r.decisions[-1].stations if s.mac == BPI)
    assert (view.kind, view.steer, view.neg_ttlm, view.avoid) == \
        ("mlmr", "neg_ttlm", "active", ("6g",))


# ------------------------------------------------------------------------- Neg-TTLM
def test_a_station_is_asked_once_not_every_cycle():
    r = Runner(answers=[BPI])
    r.run(20, [station(BPI, BPI_STA, {0: 30, 1: 30, 2: 30})])
    assert len(kinds(r.decisions, "neg_ttlm_request")) == 1
    assert any("took the map BE=2.4+5+6 BK=2.4+5 VI=5+6 VO=5" in t for t in texts(r.decisions[1]))


def test_a_station_that_never_answers_backs_off_then_is_asked_again():
    r = Runner()                                # nobody answers
    silent = station(BPI, BPI_STA, {0: 30, 1: 30, 2: 1})
    r.run(12, [silent])
    reqs = [d.t for d in r.decisions if kinds([d], "neg_ttlm_request")]
    assert reqs == [0, 40]                      # second try after the cooldown, then a pause
    assert any("did not take 2 maps in a row — not asked for 300s" in e.text
               for d in r.decisions for e in d.events)
    view = r.decisions[-1].stations[0]
    assert (view.neg_ttlm, view.steer) == ("unresponsive", "attlm")
    # steered like an EMLSR client meanwhile: its bad 6G switches 6G off (the whole population)
    assert kinds(r.decisions, "set_attlm")
    # re-associating does not make it askable again before the pause is over
    r.step([])
    r.run(12, [silent])
    assert len(kinds(r.decisions, "neg_ttlm_request")) == 2
    # issue 24: not blacklisted forever — after the pause (300 s, then 600 s …) it is asked
    # again once the block on air is over
    r.run(60, [silent])
    again = [d.t for d in r.decisions if kinds([d], "neg_ttlm_request")][2:]
    assert again and again[0] >= 350
    assert any("asking it again" in e.text for d in r.decisions for e in d.events)
    assert r.state.refusals[BPI] >= 1


def test_neg_ttlm_fail_pauses_the_station_and_it_joins_the_population():
    r = Runner(answers=[BPI])
    r.outcomes["neg_ttlm_request"] = "fail"
    bpi = station(BPI, BPI_STA, {0: 30, 1: 30, 2: 30})
    r.run(12, [bpi])
    reqs = [d.t for d in r.decisions if kinds([d], "neg_ttlm_request")]
    assert reqs == [0, 30, 60]                  # FAIL: retried after the cooldown, then paused
    assert r.decisions[-1].stations[0].neg_ttlm == "failing"
    assert r.decisions[-1].stations[0].steer == "attlm"


def test_teardowns_go_before_a_new_block():
    r = Runner(answers=[BPI])
    bpi = station(BPI, BPI_STA, {0: 30, 1: 30, 2: 30})
    r.run(2, [bpi, phone(30)])
    assert r.neg
    r.run(3, [bpi, phone(1)])
    d = next(d for d in r.decisions if kinds([d], "set_attlm"))
    assert [a.kind for a in d.actions] == ["neg_ttlm_teardown", "set_attlm"]
    # while the block runs no Neg-TTLM request is sent (hostapd would answer Busy)
    r.run(10, [bpi, phone(None, snr5=25)])
    assert len(kinds(r.decisions, "neg_ttlm_request")) == 1


def test_per_station_map_never_removes_every_link_and_5g_only_after_6g():
    r = Runner(answers=[BPI])
    bpi = station(BPI, BPI_STA, {1: -5, 2: -3})  # a two-link MLMR client, both links bad
    r.run(8, [bpi])
    maps = [q.tid_maps for q in kinds(r.decisions, "neg_ttlm_request")]
    assert maps[-1] == (2, 2, 2, 2, 2, 2, 2, 2)  # 6G avoided, 5G kept: it has no other link
    assert any("keeps 5G" in e.text for e in r.decisions[-1].events)


def test_per_station_hold_expires_into_a_probe():
    r = Runner(with_cfg(neg_ttlm_hold=60), answers=[BPI])
    bpi = station(BPI, BPI_STA, {0: 30, 1: 30, 2: 1})
    r.run(3, [bpi])                             # 6G avoided at t=20
    r.run(6, [station(BPI, BPI_STA, {0: 30, 1: 30, 2: None})])
    assert any("hold of 60s over — mapped back, probing" in e.text
               for e in r.decisions[-1].events)
    assert kinds([r.decisions[-1]], "neg_ttlm_request")[0].tid_maps == (7, 3, 3, 7, 6, 6, 2, 2)


# ------------------------------------------------------------------ bookkeeping
def test_step_is_deterministic_and_does_not_touch_its_input_state():
    r = Runner(answers=[BPI])
    r.run(3, [phone(1), station(BPI, BPI_STA, {0: 30, 1: 30, 2: 30})])
    before = copy.deepcopy(r.state)
    s = Sample(t=100, links=links(), stations=(phone(1),), attlm=AttlmState(False))
    d1 = policy.step(DEFAULTS, r.state, s)
    d2 = policy.step(DEFAULTS, r.state, s)
    assert r.state == before
    assert d1.as_dict() == d2.as_dict()


def test_time_must_advance_and_links_are_required():
    r = Runner()
    r.step([phone(1)])
    with pytest.raises(InvalidArgument) as e:
        policy.step(DEFAULTS, r.state, Sample(t=0, links=links()))
    assert e.value.field == "t"
    with pytest.raises(InvalidArgument) as e:
        policy.step(DEFAULTS, None, Sample(t=0, links={}))
    assert e.value.field == "links"


def test_counter_reset_gives_no_retry_figure():
    r = Runner()
    r.step([phone(30, pkts=5000, retries=500)])
    d = r.step([phone(30, pkts=6000, retries=600)])
    assert d.stations[0].retry_pct == 10
    d = r.step([phone(30, pkts=100, retries=90)])    # re-associated: counters restarted
    assert d.stations[0].retry_pct is None
    d = r.step([phone(30, pkts=300, retries=110)])
    assert d.stations[0].retry_pct == 10


def test_busy_from_survey_deltas_feeds_the_score():
    r = Runner()
    lk1 = {**links(), 2: LinkInfo("6g", 6135, -88, active_ms=1_000_000, busy_ms=990_000)}
    lk2 = {**links(), 2: LinkInfo("6g", 6135, -88, active_ms=1_010_000, busy_ms=992_500)}
    d1 = r.step([phone(11)], lk=lk1)
    d2 = r.step([phone(11)], lk=lk2)
    assert d1.stations[0].links[2].score == 3000 + 3000 + 1000   # first sample: no busy figure
    assert d2.stations[0].links[2].score == 3000 + 3000 + 750    # 25 % busy, not 99 % lifetime


def test_no_clients_is_idle_and_clears_a_pending_want():
    r = Runner(outcome="fail")
    r.run(3, [phone(1)])
    d = r.step([], associated=frozenset())      # hostapd lists nobody: the client left
    assert d.mask_wanted == 0
    assert any(e.text == "No clients — idle" for e in d.events)
    assert any("left (hostapd no longer lists it)" in e.text for e in d.events)


def test_a_client_missing_from_the_dump_keeps_its_want_and_links_for_the_grace():
    r = Runner(outcome="fail")
    r.run(3, [phone(1)])
    d = r.step([], associated=frozenset({PHONE}))   # re-associating: hostapd still lists it
    assert d.mask_wanted == 0b100
    assert any("missing from the station dump" in e.text for e in d.events)
    r.step([])
    r.step([])                                   # 30 s: still within vote_grace
    d = r.step([])                               # 40 s missing: gone
    assert d.mask_wanted == 0
    assert any("left (missing from the station dump for 40s)" in e.text for e in d.events)


def test_rtwt_groups_are_kept_and_given_up_after_failures():
    r = Runner()
    d = r.step([phone(30)], btwt_ids=frozenset())
    (e,) = kinds([d], "ensure_btwt")
    assert e.commands() == [
        ["add_btwt", "1", "255", "4096", "7", "recommendation=4", "dl_tid_bitmap=0xC0",
         "ul_tid_bitmap=0xC0"],
        ["add_btwt", "2", "128", "2048", "7", "recommendation=4", "dl_tid_bitmap=0x30",
         "ul_tid_bitmap=0x30"]]
    r.outcomes["ensure_btwt"] = "fail"
    for _ in range(30):
        r.step([phone(30)], btwt_ids=frozenset())
    checks = [d.t for d in r.decisions if kinds([d], "ensure_btwt")]
    assert checks == [0, 60, 120]               # every 6th cycle, given up after 3 failures
    assert any("given up" in e.text for d in r.decisions for e in d.events)
    assert "R-TWT:off" in r.decisions[-1].events[-1].text
