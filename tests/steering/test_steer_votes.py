"""Issue 17 step by step: votes and the grace, multi-radio evidence and its fall-back, the
multi-radio vote, the order kept by trims, the backoff, the validity floor, the block record."""

from __future__ import annotations

import pytest
from steer_samples import BPI_STA, EMLSR, IPHONE, Runner, kinds, links, station, texts, with_cfg

from wifimgr.core.errors import InvalidArgument
from wifimgr.settings.steering import DEFAULTS
from wifimgr.steering import policy
from wifimgr.steering.model import LinkReading, StationSample

NEAR, FAR, BPI, MSL1 = ("02:00:00:00:16:01", "02:00:00:00:16:02", "02:00:00:00:b4:01",
                        "02:00:00:00:1a:01")


def phone(mac, snr6):
    return station(mac, IPHONE, {0: None, 1: None, 2: snr6})


# ------------------------------------------------------------------------- votes
def test_a_quiet_client_keeps_its_vote_for_the_grace_then_loses_it():
    # the near phone stops using 6 GHz (idle reading): its good vote stands for vote_grace,
    # then the far phone, confirmed bad meanwhile, is the whole population
    r = Runner()
    r.run(3, [phone(NEAR, 30), phone(FAR, 1)])
    wanted = [r.step([phone(NEAR, None), phone(FAR, 1)]).mask_wanted for _ in range(5)]
    assert wanted == [0, 0, 0, 0b100, 0b100]       # 10, 20, 30 s after its last reading: kept


def test_hostapd_reporting_a_departure_ends_the_vote_at_once():
    r = Runner(with_cfg(veto_wait=0))
    r.run(3, [phone(NEAR, 30), phone(FAR, 1)])
    d = r.step([phone(FAR, 1)], departed=frozenset({NEAR}))
    assert d.mask_wanted == 0b100
    assert any(f"client {NEAR} left (hostapd: disconnected)" in t for t in texts(d))


def test_a_lifted_veto_waits_for_fresh_confirmation():
    # issue 24: the vote ends at once, but the block waits veto_wait (30 s) and bad_confirm
    # fresh readings — the near phone may be back in a moment under a new random MAC
    r = Runner()
    r.run(3, [phone(NEAR, 30), phone(FAR, 1)])
    d = r.step([phone(FAR, 1)], departed=frozenset({NEAR}))
    assert d.mask_wanted == 0
    assert any(f"6G: {NEAR} left — its veto is lifted; 6G waits 30s" in t for t in texts(d))
    wanted = [r.step([phone(FAR, 1)]).mask_wanted for _ in range(4)]
    assert wanted == [0, 0, 0b100, 0b100]          # fresh readings at 30, 40, 50; wait to 60
    # rejoining under a new MAC within the wait keeps 6 GHz on
    r = Runner()
    r.run(3, [phone(NEAR, 30), phone(FAR, 1)])
    r.step([phone(FAR, 1)], departed=frozenset({NEAR}))
    later = r.run(6, [phone("06:aa:bb:cc:dd:ee", 30), phone(FAR, 1)])
    assert all(d.mask_wanted == 0 for d in later)


def test_the_grace_is_at_least_one_interval_and_validated():
    r = Runner(with_cfg(vote_grace=0))
    r.run(3, [phone(NEAR, 30), phone(FAR, 1)])
    assert r.step([phone(FAR, 1)]).mask_wanted == 0  # one missed dump never costs the vote
    with pytest.raises(InvalidArgument) as e:
        with_cfg(vote_grace=601)
    assert e.value.field == "vote_grace"


# ------------------------------------------------------------ multi-radio evidence
def msl1(snr: dict[int, int | None], inactive: dict[int, int]) -> StationSample:
    rd = {lid: LinkReading(-105, 45000) if s is None else LinkReading(-88 + s, inactive[lid])
          for lid, s in snr.items()}
    return StationSample(mac=MSL1, mld=True, max_simul_links=1, emlsr=False, emlmr=False,
                         links=rd)


def test_max_simul_links_1_becomes_mlmr_on_sustained_evidence_and_falls_back():
    both = msl1({1: 30, 2: 30}, {1: 20, 2: 30})
    one = msl1({1: 30, 2: 30}, {1: 20, 2: 5000})     # 6 GHz last used 5 s ago
    r = Runner()
    seen = [r.step([s]).stations[0].kind for s in (both, both, one, both, both, both)]
    assert seen == ["mlsr", "mlsr", "mlsr", "mlsr", "mlsr", "mlmr"]   # 3 in a row
    seen = [r.step([one]).stations[0].kind for _ in range(3)]
    assert seen == ["mlmr", "mlmr", "mlsr"]
    assert any("is mlsr now (one link at a time in 3 samples in a row)" in t
               for t in texts(r.decisions[-1]))


def test_a_taken_map_is_proof_of_multi_radio():
    both = msl1({1: 30, 2: 30}, {1: 20, 2: 30})
    one = msl1({1: 30, 2: 30}, {1: 20, 2: 5000})
    r = Runner(answers=[MSL1])
    r.run(4, [both])                                   # MLMR at the 3rd, map taken at the 4th
    assert any("took the map" in t for t in texts(r.decisions[-1]))
    assert {r.step([one]).stations[0].kind for _ in range(5)} == {"mlmr"}


def test_a_missed_sample_breaks_the_run():
    both = msl1({1: 30, 2: 30}, {1: 20, 2: 30})
    r = Runner()
    r.step([both])
    r.step([both])
    r.step([])                                         # missing from the dump
    assert [r.step([both]).stations[0].kind for _ in range(3)] == ["mlsr", "mlsr", "mlmr"]


# ------------------------------------------------------------- the multi-radio vote
def test_member_vote_counts_a_good_multi_radio_client_as_a_voter():
    for vote, sent in (("last_link", True), ("member", False)):
        r = Runner(with_cfg(multi_radio_vote=vote), answers=[BPI])
        r.run(6, [station(BPI, BPI_STA, {0: 30, 1: 30, 2: 40}), phone(FAR, 1)])
        assert bool(kinds(r.decisions, "set_attlm")) is sent, vote
    with pytest.raises(InvalidArgument) as e:
        with_cfg(multi_radio_vote="sometimes")
    assert e.value.field == "multi_radio_vote"


def test_a_multi_radio_client_keeps_5g_when_it_would_be_its_last_usable_link():
    # a BPI-R4 whose 2.4 GHz is gone: 5 GHz (SNR 12) is its only usable link besides 6 GHz
    r = Runner(answers=[BPI])
    far = station(FAR, EMLSR, {0: 20, 1: -3, 2: -3})
    r.run(3, [far, station(BPI, BPI_STA, {0: -3, 1: 12, 2: 30})])
    (a,) = kinds(r.decisions, "set_attlm")
    assert a.mask == 0b100                       # 6 GHz goes (it keeps 5 GHz), 5 GHz stays
    assert any(f"multi-radio: {BPI} SNR=12dB (its last usable link)" in e.text
               for e in r.decisions[-1].events)


def test_the_last_usable_link_guard_also_holds_for_a_carried_decision():
    # 5 GHz decided during a 6 GHz block while the BPI-R4 still had a good 2.4 GHz link; by
    # the time 6 and 5 GHz go off together its 2.4 GHz is gone: 5 GHz is given back
    # (fallback_2g: its 2.4 GHz link counts as a fallback, or 5 GHz would never be wanted)
    r = Runner(with_cfg(fallback_2g=True), answers=[BPI])
    r.run(3, [station(FAR, EMLSR, {0: 20, 1: None, 2: -3}),
              station(BPI, BPI_STA, {0: 30, 1: 30, 2: 30})])               # 6 GHz off at 20
    r.run(3, [station(FAR, EMLSR, {0: 20, 1: -3, 2: None}),
              station(BPI, BPI_STA, {0: 30, 1: 12, 2: None})])             # 5 GHz wanted at 50
    assert r.decisions[-1].mask_wanted == 0b110
    r.run(27, [station(FAR, EMLSR, {0: 20, 1: -3, 2: None}),
               station(BPI, BPI_STA, {0: -3, 1: 12, 2: None})])            # its 2.4 GHz goes
    r.run(3, [station(FAR, EMLSR, {0: 20, 1: None, 2: -3}),
              station(BPI, BPI_STA, {0: -3, 1: 12, 2: 30})])               # block over at 330
    assert [a.mask for a in kinds(r.decisions, "set_attlm")] == [0b100, 0b100]
    assert any(f"5G stays on: it is the last usable link of multi-radio {BPI}" in e.text
               for e in r.decisions[-1].events)


# ------------------------------------------------------------------------ the order
def test_5g_goes_first_for_a_client_without_a_6g_link():
    two = station(FAR, EMLSR, {0: 25, 1: -3}, bands={0: "2g", 1: "5g"})
    r = Runner()
    r.run(3, [two])
    (a,) = kinds(r.decisions, "set_attlm")
    assert a.mask == 0b010
    assert any("(before 6G: no client on 5G has a 6G link)" in t for t in texts(r.decisions[-1]))


def test_an_unused_6g_goes_along_with_5g():
    # on a bad 5 GHz link, its 6 GHz link idle (nobody uses 6 GHz): 6 and 5 GHz go together,
    # it reaches 2.4 GHz
    r = Runner()
    r.run(3, [station(FAR, IPHONE, {0: None, 1: -3, 2: None})])
    (a,) = kinds(r.decisions, "set_attlm")
    assert a.mask == 0b110
    assert any("6G goes first, with it: nobody uses 6G" in t for t in texts(r.decisions[-1]))


def test_5g_waits_while_someone_uses_6g_well():
    r = Runner()
    r.run(6, [station(FAR, IPHONE, {0: None, 1: -3, 2: None}), phone(NEAR, 30)])
    assert kinds(r.decisions, "set_attlm") == []


# -------------------------------------------------------------------------- backoff
def test_backoff_doubles_up_to_the_ceiling():
    assert [policy._backoff(300, f, 3, 3600) for f in (3, 4, 5, 6, 7, 40)] == \
        [300, 600, 1200, 2400, 3600, 3600]
    assert policy._backoff(300, 5, 3, 60) == 300        # never below the first pause


def test_neg_ttlm_failures_back_off_too():
    r = Runner(with_cfg(neg_ttlm_hold=60), answers=[BPI])
    r.outcomes["neg_ttlm_request"] = "fail"
    r.run(60, [station(BPI, BPI_STA, {0: 30, 1: 30, 2: 30})])
    sent = [d.t for d in r.decisions if kinds([d], "neg_ttlm_request")]
    # 3 tries a cooldown apart, then pauses of 60, 120, 240 s
    assert sent == [0, 30, 60, 130, 260, 510]


# ---------------------------------------------------------------- the validity floor
def test_a_client_below_the_floor_is_not_a_reading_unless_the_floor_is_lowered():
    deep = StationSample(mac=FAR, mld=True, max_simul_links=1, emlsr=False, emlmr=False,
                         links={2: LinkReading(-93, 20), 1: LinkReading(-105, 45000)})
    r = Runner()
    r.run(5, [deep])
    assert kinds(r.decisions, "set_attlm") == []
    assert r.decisions[-1].stations[0].links[2].verdict == "idle"
    r = Runner(with_cfg(rssi_floor=-100))
    r.run(3, [deep])
    assert kinds(r.decisions, "set_attlm")[0].mask == 0b100
    assert "-93 dBm stays on it" in next(o for o in
                                         __import__("wifimgr.settings.steering",
                                                    fromlist=["SCHEMA"]).SCHEMA
                                         if o.name == "rssi_floor").doc


# ------------------------------------------------------------------ the block record
def test_the_block_record_is_bounded_and_names_voters_and_payers():
    many = [phone(f"02:00:00:00:20:{i:02x}", 1) for i in range(12)]
    good = [station(f"02:00:00:00:b5:{i:02x}", BPI_STA, {0: 30, 1: 30, 2: 40})
            for i in range(10)]
    r = Runner(answers=[s.mac for s in good])
    r.run(4, many + good)
    (blk,) = r.decisions[-1].blocks
    assert blk["mask"] == 0b100 and blk["reason"] == "population all"
    assert len(blk["voted"]["6g"]) == policy.BLOCK_NAMES_MAX and blk["voted_more"] == 4
    assert len(blk["paid"]) == policy.BLOCK_NAMES_MAX and blk["paid_more"] == 2
    assert {p["band"] for p in blk["paid"]} == {"6g"}
    assert r.decisions[-1].as_dict()["blocks"] == [blk]


def test_defaults_of_the_new_options():
    assert (DEFAULTS.vote_grace, DEFAULTS.multi_radio_vote, DEFAULTS.backoff_max) == \
        (30, "last_link", 3600)
    assert links()  # the sample builder still gives the factory MLD
