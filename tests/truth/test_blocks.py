"""One bad block never hides the others (issue 26 part 3), on real captures: a corrupt
``Station`` header drops that station with a note, an unreadable ``Link`` header drops that
link's lines (they are never read as the station's own), and a scan reads the Multi-Link
element's ``MLD MAC:`` line of iw ≥ 6.17 (util.c print_multi_link)."""

from __future__ import annotations

import pytest

from support import fixture_text
from wifimgr.core.errors import ParseError
from wifimgr.parse import iw_scan, iw_station
from wifimgr.parse.common import guarded

MLO_V = fixture_text("captures/linux-wireless-iw-link-stats/station-dump-mlo-v.out")
NON_ML = fixture_text("captures/linux-wireless-iw-link-stats/station-dump-non-ml.out")
PKG = fixture_text("captures/openwrt-packages-16471/station-dump-qca9563.out")


def _two() -> str:
    """Two real stations in one dump: the MLO client and the non-ML client of the iw commit."""
    return MLO_V.rstrip("\n") + "\n" + NON_ML


def test_two_real_stations_parse():
    both = iw_station.parse_station_dump(_two())
    assert [s.mac for s in both] == ["02:00:00:00:00:01", "02:00:00:00:00:04"]
    assert both.notes == []


@pytest.mark.parametrize("bad", ["Station 02:00:00:00:00:0Z (on wlan0)",
                                 "Station (on wlan0)", "Station"])
def test_a_corrupt_station_header_drops_that_station_only(bad):
    text = _two().replace("Station 02:00:00:00:00:01 (on wlan0)", bad, 1)
    got = iw_station.parse_station_dump(text)
    assert [s.mac for s in got] == ["02:00:00:00:00:04"]       # the other client stays
    assert got[0].signal is not None or "signal" in got[0].fields
    assert len(got.notes) == 1 and "dropped" in got.notes[0]


def test_a_corrupt_second_header_keeps_the_first_whole():
    text = _two().replace("Station 02:00:00:00:00:04", "Station 02:00:00:00:00", 1)
    got = iw_station.parse_station_dump(text)
    want = iw_station.parse_station_dump(MLO_V)
    assert list(got) == list(want) and len(got.notes) == 1


def test_lines_before_any_station_are_a_note_not_a_refusal():
    got = iw_station.parse_station_dump("garbage line\n" + PKG)
    assert len(got) == 1 and got.notes and "outside a station block" in got.notes[0]


def test_nothing_readable_is_still_a_parse_error():
    with pytest.raises(ParseError) as exc:
        iw_station.parse_station_dump("Station zz (on x)\n\tsignal: -60 dBm\n")
    assert exc.value.line == 1


@pytest.mark.parametrize("header", ["Link 1: (unknown)", "Link one:", "Link 1 (EMLSR):"])
def test_an_unrecognised_link_header_refuses_that_link(header):
    good = iw_station.parse_station_dump(MLO_V)[0]
    text = MLO_V.replace("        Link 1:", f"        {header}", 1)
    [sta] = iw_station.parse_station_dump(text)
    # the station's own values are untouched: the refused link's signal does not leak into it
    assert sta.signal == good.signal and sta.signal_avg == good.signal_avg
    assert sta.tx_bitrate == good.tx_bitrate and sta.rx_bytes == good.rx_bytes
    assert [ln.link_id for ln in sta.links] == [0]
    assert sta.links[0] == good.links[0]
    assert "address" not in sta.fields
    notes = iw_station.parse_station_dump(text).notes
    assert len(notes) == 1 and "link header" in notes[0]


def test_control_without_the_refusal_the_link_would_leak_into_the_station(monkeypatch):
    # control: with the refusal off, the unreadable link's lines are read as the station's
    # own and the station's averaged signal becomes link 1's (-32, not -28)
    monkeypatch.setattr(iw_station, "REFUSE_UNKNOWN_LINK", False)
    text = MLO_V.replace("        Link 1:", "        Link 1: (unknown)", 1)
    [sta] = iw_station.parse_station_dump(text)
    good = iw_station.parse_station_dump(MLO_V)[0]
    assert sta.signal_avg != good.signal_avg and sta.signal_avg.dbm == -32


def test_the_live_reader_notes_a_dropped_station(system, monkeypatch):
    from wifimgr.observe.live import Live

    lv = Live(system)
    got = lv._parse(iw_station.parse_station_dump,
                    _two().replace("Station 02:00:00:00:00:01", "Station 02:00:00:00:00:0Z"),
                    "ap-mld-1 station dump")
    assert [s.mac for s in got] == ["02:00:00:00:00:04"]
    assert any("ap-mld-1 station dump" in n and "dropped" in n for n in lv.notes)


# ----------------------------------------------------------------------------- scan
def test_scan_reads_the_mld_mac_of_iw_6_17():
    # a real BSS (the Raspberry Pi capture) with the Multi-Link element as iw ≥ 6.17 prints it
    # (util.c print_multi_link: "\t\tMLD MAC: %s", "\t\tLink ID: %d" under "\tMulti-Link:")
    real = fixture_text("captures/centaurus-rpi-scan/scan.out").rstrip("\n")
    text = real + "\n\tMulti-Link:\n\t\tMLD MAC: 02:11:22:33:44:00\n\t\tLink ID: 2\n"
    [bss] = iw_scan.parse_scan(text)
    assert bss.mld_addr == "02:11:22:33:44:00" and bss.mld_link_id == 2
    [plain] = iw_scan.parse_scan(real)
    assert plain.mld_addr is None


def test_a_corrupt_bss_header_drops_that_bss_only():
    real = fixture_text("captures/centaurus-rpi-scan/scan.out").rstrip("\n")
    two = real + "\n" + real.replace("BSS 70:f0:96:d2:e0:62", "BSS 70:f0:96:d2:e0:6", 1)
    got = iw_scan.parse_scan(two)
    assert len(got) == 1 and len(got.notes) == 1


# -------------------------------------------------------------------------- guarded
def test_guarded_keeps_the_parsers_identity():
    from wifimgr.parse import iw_dev

    f = iw_station.parse_station_dump
    assert f.__module__ == "wifimgr.parse.iw_station"
    assert f.__name__ == "parse_station_dump" and f.__doc__.startswith("All stations")
    assert iw_dev.parse_dev.__module__ == "wifimgr.parse.iw_dev"

    def sample(text: str) -> int:
        """doc"""
        return int(text)

    g = guarded("x")(sample)
    assert (g.__module__, g.__qualname__, g.__doc__, g.__wrapped__) == \
        (sample.__module__, sample.__qualname__, "doc", sample)
    with pytest.raises(ParseError):
        g("nan?")


def test_an_unforeseen_error_in_one_block_drops_that_block_only(monkeypatch):
    # a converter that trips on one station's value (a shape nobody has seen yet)
    real = iw_station.STA_FIELDS["connected time"]

    def picky(val: str):
        if val.strip().startswith("188"):
            raise ValueError("unseen")
        return real[1](val)

    monkeypatch.setitem(iw_station.STA_FIELDS, "connected time", (real[0], picky, real[2]))
    monkeypatch.setattr(iw_station, "_KEYS", {})
    got = iw_station.parse_station_dump(_two())
    assert [s.mac for s in got] == ["02:00:00:00:00:04"]
    assert "ValueError" in got.notes[0]


def test_unicode_digits_in_a_link_header_are_refused_not_raised():
    got = iw_station.parse_station_dump(MLO_V.replace("        Link 1:", "        Link ²:", 1))
    assert [ln.link_id for ln in got[0].links] == [0] and "link header" in got.notes[0]
