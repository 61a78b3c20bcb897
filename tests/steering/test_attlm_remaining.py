"""A-TTLM time left, from the parser's ``remaining`` flag (issue 26 part 1).

The live MTK SDK MT7996 prints the values as set (``Mapping Switch Time: 200 (ms)`` /
``Expected Duration: 300000 (ms)``, spec/platform.md §c.3, support.SPEC_ATTLM_LIVE): they never
move, so the block's end is counted from when it was set (the daemon) or first seen, on the
monotonic clock. The ``Remaining …`` spelling (FEED patch 0184) counts down itself."""

from __future__ import annotations

import pytest

from support import SPEC_ATTLM_LIVE
from wifimgr.observe import attlm_block
from wifimgr.parse import hostapd as hp
from wifimgr.steering import gather
from wifimgr.surface.api import dispatch

REMAINING = SPEC_ATTLM_LIVE.replace("Mapping Switch Time", "Remaining Mapping Switch Time") \
    .replace("Expected Duration", "Remaining Expected Duration")
TOTAL = 200 + 300000


def _set(system) -> None:
    out = system.run.run(["hostapd_cli", "-i", "ap-mld-1", "set_attlm", "disabled_links=4",
                          "switch_time=200", "duration=300000", "link_mapping_size=0"]).stdout
    assert out.strip() == "OK"


def _linkpolicy_left() -> int | None:
    return dispatch("linkpolicy", {})["attlm"]["remaining_ms"]


def _monitor_left(system) -> int | None:
    from wifimgr.monitor import sample

    snap, _lv = sample.take(system)
    return snap["attlm"]["ap-mld-1"]["remaining_ms"]


def test_the_twin_prints_the_as_set_spelling(system):
    _set(system)
    st = hp.parse_attlm(system.run.run(["hostapd_cli", "-i", "ap-mld-1", "get_attlm"]).stdout)
    assert st.active and st.remaining is False and (st.switch_ms, st.duration_ms) == (200, 300000)


def test_linkpolicy_and_the_monitor_count_the_block_down(system, twin):
    _set(system)
    first = _linkpolicy_left()
    assert first == TOTAL                         # first seen now: all of it is left
    assert _monitor_left(system) == TOTAL
    twin.advance(100)
    assert _linkpolicy_left() == TOTAL - 100_000  # not the constant 300200
    assert _monitor_left(system) == TOTAL - 100_000
    twin.advance(150)
    assert _linkpolicy_left() == TOTAL - 250_000
    twin.advance(60)                              # past the end: hostapd is back to default
    assert dispatch("linkpolicy", {})["attlm"]["active"] is False
    assert _linkpolicy_left() is None


def test_a_block_the_daemon_set_counts_from_the_set_time(system, twin):
    attlm_block.note_set(system, "ap-mld-1", 200, 300000)
    _set(system)
    twin.advance(40)
    st = hp.parse_attlm(system.run.run(["hostapd_cli", "-i", "ap-mld-1", "get_attlm"]).stdout)
    assert attlm_block.remaining_ms(system, "ap-mld-1", st) == TOTAL - 40_000


def test_the_remaining_spelling_is_the_time_left_as_printed(system, twin):
    st = hp.parse_attlm(REMAINING)
    assert st.remaining is True
    assert attlm_block.remaining_ms(system, "ap-mld-1", st) == TOTAL
    twin.advance(100)            # hostapd counts down itself: what it prints is what is left
    assert attlm_block.remaining_ms(system, "ap-mld-1", st) == TOTAL
    s = gather.attlm_from(st, 0b111, remaining_ms=5)
    assert s.remaining_ms == TOTAL and s.disabled_mask == 0b100


def test_gather_uses_the_tracked_time_for_the_as_set_spelling():
    st = hp.parse_attlm(SPEC_ATTLM_LIVE)
    assert gather.attlm_from(st, 0b111, remaining_ms=1234).remaining_ms == 1234
    # nothing tracked: unknown, never the block's length passed off as the time left
    assert gather.attlm_from(st, 0b111).remaining_ms is None


def test_a_new_block_with_the_same_values_starts_again(system, twin):
    st = hp.parse_attlm(SPEC_ATTLM_LIVE)
    assert attlm_block.remaining_ms(system, "ap-mld-1", st) == TOTAL
    twin.advance(TOTAL / 1000 + attlm_block.STALE_S + 1)
    assert attlm_block.remaining_ms(system, "ap-mld-1", st) == TOTAL


@pytest.mark.parametrize("reader", ["linkpolicy", "monitor"])
def test_control_the_old_sum_shows_a_constant(system, twin, monkeypatch, reader):
    # control: with the tracker replaced by the old `switch + duration`, the value does not
    # move while the block runs — what the tests above catch
    def old(system, ifname, st):
        return (st.switch_ms or 0) + (st.duration_ms or 0) if st and st.active else None

    monkeypatch.setattr(attlm_block, "remaining_ms", old)
    _set(system)
    read = _linkpolicy_left if reader == "linkpolicy" else (lambda: _monitor_left(system))
    a = read()
    twin.advance(100)
    assert read() == a == TOTAL
