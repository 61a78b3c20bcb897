"""Neg-TTLM maps per access category (with fallbacks) and the station classification table."""

from __future__ import annotations

import pytest

from wifimgr.steering import tidmap
from wifimgr.steering.classify import TABLE, kind_of, steer_of
from wifimgr.steering.model import StationSample

FACTORY = {0: "2g", 1: "5g", 2: "6g"}


def test_all_links_give_the_hw_verified_map():
    # spec/platform.md §c.4 / forum post: TID0,3 → 0x7; TID1,2 → 0x3; TID4,5 → 0x6; TID6,7 → 0x2
    assert tidmap.ac_maps(FACTORY, 0b111) == (7, 3, 3, 7, 6, 6, 2, 2)


@pytest.mark.parametrize(("allowed", "maps"), [
    # 6 GHz off: VI falls to 5 GHz, BE to 2.4+5
    (0b011, (3, 3, 3, 3, 2, 2, 2, 2)),
    # 5 GHz off: BK → 2.4 only, VI → 6 only, VO has no 5 GHz → every allowed link
    (0b101, (5, 1, 1, 5, 4, 4, 5, 5)),
    # 2.4 GHz off: BK → 5 only
    (0b110, (6, 2, 2, 6, 6, 6, 2, 2)),
    # only 2.4 GHz: everything there, never an empty map
    (0b001, (1, 1, 1, 1, 1, 1, 1, 1)),
    # only 6 GHz
    (0b100, (4, 4, 4, 4, 4, 4, 4, 4)),
])
def test_fallbacks_when_a_link_is_not_available(allowed, maps):
    assert tidmap.ac_maps(FACTORY, allowed) == maps
    assert all(m and not m & ~allowed for m in maps)


def test_maps_follow_the_link_ids_of_the_sample_not_a_fixed_table():
    permuted = {0: "6g", 1: "2g", 2: "5g"}  # 6G is link 0 here
    be, bk, _, _, vi, _, vo, _ = tidmap.ac_maps(permuted, 0b111)
    assert (be, bk, vi, vo) == (0b111, 0b110, 0b101, 0b100)
    assert tidmap.band_mask(permuted, ["6g"]) == 0b001
    assert tidmap.bands_in(permuted, 0b101) == ["5g", "6g"]


def test_empty_allowed_set_is_refused():
    with pytest.raises(ValueError):
        tidmap.ac_maps(FACTORY, 0)


def test_readback_must_be_a_full_bidirectional_map():
    full = {t: (m, m) for t, m in enumerate((7, 3, 3, 7, 6, 6, 2, 2))}
    assert tidmap.maps_of(full) == (7, 3, 3, 7, 6, 6, 2, 2)
    assert tidmap.maps_of(None) is None
    assert tidmap.maps_of({**full, 6: (2, 7)}) is None  # uplink-only map (patch 0274 bug)
    assert tidmap.maps_of({t: full[t] for t in range(7)}) is None
    assert tidmap.describe_maps((7, 3, 3, 7, 6, 6, 2, 2), FACTORY) == \
        "BE=2.4+5+6 BK=2.4+5 VI=5+6 VO=5"


def _sta(**kw) -> StationSample:
    return StationSample("02:00:00:00:00:01", **kw)


@pytest.mark.parametrize(("sta", "active", "kind", "steer"), [
    # observed: another BPI-R4 as MLO STA (three radios) → max_simul_links=2
    (_sta(mld=True, max_simul_links=2, emlsr=False, emlmr=False), 3, "mlmr", "neg_ttlm"),
    # observed: iPhone 16 → max_simul_links=1, emlsr_support=0, one link at a time
    (_sta(mld=True, max_simul_links=1, emlsr=False, emlmr=False), 1, "mlsr", "attlm"),
    # by the spec encoding 1 means two simultaneous links: trusted once seen doing it
    (_sta(mld=True, max_simul_links=1, emlsr=False, emlmr=False), 2, "mlmr", "neg_ttlm"),
    # single-link MLD (mt7925-style, advertises 0)
    (_sta(mld=True, max_simul_links=0), 1, "mlsr", "attlm"),
    (_sta(mld=True, max_simul_links=1, emlsr=True, emlmr=False), 1, "emlsr", "attlm"),
    (_sta(mld=True, max_simul_links=2, emlsr=False, emlmr=True), 2, "emlmr", "neg_ttlm"),
    # legacy client on the AP MLD: no max_simul_links line
    (_sta(mld=False), 1, "legacy", "none"),
])
def test_classification_table(sta, active, kind, steer):
    assert kind_of(sta, active) == kind
    assert steer_of(kind, neg_ttlm_enabled=True, unresponsive=False, failing=False) == steer


def test_unresponsive_failing_or_disabled_neg_ttlm_means_attlm_population():
    for flags in ({"neg_ttlm_enabled": False, "unresponsive": False, "failing": False},
                  {"neg_ttlm_enabled": True, "unresponsive": True, "failing": False},
                  {"neg_ttlm_enabled": True, "unresponsive": False, "failing": True}):
        assert steer_of("mlmr", **flags) == "attlm"


def test_the_published_table_agrees_with_the_code():
    assert {row["kind"] for row in TABLE} == {"legacy", "mlsr", "emlsr", "emlmr", "mlmr"}
    for row in TABLE:
        assert steer_of(row["kind"], neg_ttlm_enabled=True, unresponsive=False,
                        failing=False) == row["steer"]
