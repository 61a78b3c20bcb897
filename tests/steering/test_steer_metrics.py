"""Score, validity gate, retry % and busy % from counter deltas (policy inputs)."""

from __future__ import annotations

import pytest

from wifimgr.steering import metrics
from wifimgr.steering.model import LinkInfo, LinkReading, StationSample


def test_v06_worked_example_scores_6300():
    # spec/platform.md §f.4 step 8: 6G SNR 11, RET 10 %, busy 40 % → 50·60 + 90·30 + 60·10
    assert metrics.snr_norm(11, 2, 20) == 50
    assert metrics.score(11, 10, 40, 2, 20) == 6300


@pytest.mark.parametrize(("snr", "norm"), [(-30, 0), (2, 0), (3, 5), (19, 94), (20, 100),
                                           (45, 100)])
def test_snr_is_normalised_into_the_soft_zone_and_clamped(snr, norm):
    assert metrics.snr_norm(snr, 2, 20) == norm


def test_score_extremes_and_unknowns():
    assert metrics.score(40, 0, 0, 2, 20) == 10000
    assert metrics.score(-5, 100, 100, 2, 20) == 0
    # retries above 100 % (retries counted per attempt) cannot push the score below zero
    assert metrics.score(-5, 250, 100, 2, 20) == 0
    # unknown retry/busy % are no evidence of trouble (as in v0.6)
    assert metrics.score(11, None, None, 2, 20) == 50 * 60 + 100 * 30 + 100 * 10
    with pytest.raises(ValueError):
        metrics.snr_norm(5, 10, 10)


@pytest.mark.parametrize(("rssi", "inactive", "ok"), [
    (-70, 100, True),
    (0, 100, False),          # idle link prints 0 [0, 0, 0]
    (-105, 45000, False),     # sentinel of an idle MLO link (§g.5)
    (-92, 100, False),        # at the floor is not above it
    (-91, 100, True),
    (-70, 30000, True),       # exactly the maximum inactive time
    (-70, 30001, False),
    (-70, None, False),       # no inactive time printed: no fresh reading
    (None, 10, False),
])
def test_reading_validity_gate(rssi, inactive, ok):
    assert metrics.reading_valid(rssi, inactive, floor_dbm=-92, inactive_max_ms=30000) is ok


def test_retry_pct_needs_enough_packets_and_sane_deltas():
    assert metrics.retry_pct(200, 30, 20) == 15
    assert metrics.retry_pct(19, 19, 20) is None   # too few packets: no evidence
    assert metrics.retry_pct(None, 5, 20) is None
    assert metrics.counter_delta(100, 150) == 50
    assert metrics.counter_delta(100, 40) is None  # reset on re-association
    assert metrics.counter_delta(None, 40) is None


def test_station_level_counters_are_never_added_to_link_counters():
    both = StationSample("02:00:00:00:00:01", True, 2, links={
        0: LinkReading(-60, 10, tx_packets=400, tx_retries=40),
        1: LinkReading(-60, 10, tx_packets=600, tx_retries=60)},
        tx_packets=1000, tx_retries=100)
    assert metrics.station_counters(both) == (1000, 100, "station")
    links_only = StationSample("02:00:00:00:00:01", True, 2, links={
        0: LinkReading(-60, 10, tx_packets=400, tx_retries=40),
        1: LinkReading(-60, 10, tx_packets=600, tx_retries=60),
        2: LinkReading(-105, 45000)})
    assert metrics.station_counters(links_only) == (1000, 100, "links")
    assert metrics.station_counters(StationSample("02:00:00:00:00:01", False)) == \
        (None, None, "none")


def test_busy_is_a_delta_of_survey_counters_not_the_lifetime_ratio():
    prev = (6135, 1_000_000, 900_000)  # lifetime 90 % busy
    cur = LinkInfo("6g", 6135, -90, active_ms=1_010_000, busy_ms=902_000)
    assert metrics.busy_pct(prev, cur) == (20, "delta")


@pytest.mark.parametrize(("prev", "cur", "expect"), [
    (None, LinkInfo("6g", 6135, -90, active_ms=10, busy_ms=5), (None, "reseed")),
    ((5955, 100, 50), LinkInfo("6g", 6135, -90, active_ms=200, busy_ms=60), (None, "reseed")),
    ((6135, 500, 50), LinkInfo("6g", 6135, -90, active_ms=100, busy_ms=60), (None, "reseed")),
    ((6135, 500, 50), LinkInfo("6g", 6135, -90, active_ms=500, busy_ms=50), (None, "reseed")),
    ((6135, 500, 50), LinkInfo("6g", 6135, -90, active_ms=600, busy_ms=300), (None, "reseed")),
    (None, LinkInfo("5g", 5180, -92, busy_pct=37.6), (37, "given")),
    (None, LinkInfo("6g", 6135, -90, busy_pct=126), (None, "none")),  # §g.4 quirk
    (None, LinkInfo("6g", 6135, -90), (None, "none")),
])
def test_busy_reseeds_on_first_sample_channel_change_and_counter_reset(prev, cur, expect):
    assert metrics.busy_pct(prev, cur) == expect
