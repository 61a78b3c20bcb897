"""Preamble puncturing (puncture_set, the puncture part of radios) and DFS / CAC reporting."""

from __future__ import annotations

import pytest

from support import first_run_with_country as run_first_boot  # the owner chose CZ
from wifimgr.radios import puncture
from wifimgr.surface.api import dispatch


@pytest.fixture
def up(twin, system):
    run_first_boot(system)
    twin.advance(90)
    return twin


def radio(name):
    return {r["name"]: r for r in dispatch("radios", {})["radios"]}[name]


def wireless(system):
    return system.uci.text("wireless")


# ------------------------------------------------------------------ puncturing
def test_the_pattern_table_fits_the_widths():
    for width, patterns in puncture.ALLOWED.items():
        assert all(0 < p < 1 << (width // 20) for p in patterns)
    # 80 MHz: exactly one 20 MHz; 160: one, or an aligned adjacent pair
    assert all(bin(p).count("1") == 1 for p in puncture.ALLOWED[80])
    assert {bin(p).count("1") for p in puncture.ALLOWED[160]} == {1, 2}
    assert 0x5 not in puncture.ALLOWED[160] and 0x6 not in puncture.ALLOWED[160]


def test_radios_shows_the_grid_with_the_primary(up):
    p = radio("radio2")["puncture"]          # 6 GHz, EHT320 on channel 37
    assert p["supported"] and p["width_mhz"] == 320 and p["mode"] == "off"
    assert p["subchannels"] == list(range(1, 62, 4))
    assert p["subchannels"][p["primary_index"]] == 37
    assert p["allowed"] and all(not b >> p["primary_index"] & 1 for b in p["allowed"])
    r0 = radio("radio0")["puncture"]
    assert not r0["supported"] and "80 MHz" in r0["reason"]


def test_manual_bitmap_is_written_and_reported(up, system):
    res = dispatch("puncture_set", {"radio": "radio2", "bitmap": 0x3})
    assert res["ok"], res
    sec = system.uci.load("wireless")["radio2"]
    assert (sec.get_str("pp_mode"), sec.get_str("pp_bitmap")) == ("2", "3")
    p = radio("radio2")["puncture"]
    assert p["mode"] == "manual" and p["bitmap"] == 3
    assert p["description"] == "channels 1, 5 punctured"
    # leaving manual mode removes the bitmap (the original left it behind)
    assert dispatch("puncture_set", {"radio": "radio2", "mode": "auto"})["ok"]
    sec = system.uci.load("wireless")["radio2"]
    assert (sec.get_str("pp_mode"), sec.get_str("pp_bitmap")) == ("1", None)


@pytest.mark.parametrize(("args", "field", "words"), [
    ({"radio": "radio2", "bitmap": 0x300}, "bitmap", "primary"),      # 33+37, 37 is primary
    ({"radio": "radio2", "bitmap": 0x5}, "bitmap", "not a pattern"),  # 1 and 9: not adjacent
    ({"radio": "radio2", "bitmap": 1 << 16}, "bitmap", "65535"),
    ({"radio": "radio2", "bitmap": -1}, "bitmap", "65535"),
    ({"radio": "radio0", "bitmap": 1}, "radio", "5 and 6 GHz"),
    ({"radio": "radio2", "mode": "sometimes"}, "mode", "one of"),
    ({"radio": "radio2", "mode": "off", "bitmap": 3}, "bitmap", "manual"),
    ({"radio": "radio2"}, "mode", "mode"),
    ({"radio": "radio7", "bitmap": 1}, "radio", "radio7"),
])
def test_bad_bitmaps_are_refused_and_change_nothing(up, system, args, field, words):
    before = wireless(system)
    res = dispatch("puncture_set", args)
    assert not res.get("ok") and res["error"]["field"] == field, res
    assert words in res["error"]["message"]
    assert wireless(system) == before


def test_a_narrow_or_auto_channel_radio_cannot_be_punctured(up, system):
    assert dispatch("radio_set", {"radio": "radio2", "htmode": "EHT40"})["ok"]
    res = dispatch("puncture_set", {"radio": "radio2", "bitmap": 1})
    assert res["error"]["field"] == "mode" and "80 MHz" in res["error"]["message"]
    assert dispatch("radio_set", {"radio": "radio2", "htmode": "EHT320",
                                  "channel": "auto"})["ok"]
    res = dispatch("puncture_set", {"radio": "radio2", "bitmap": 1})
    assert res["error"]["field"] == "bitmap" and "fixed channel" in res["error"]["message"]


def test_a_channel_change_that_would_puncture_the_primary_is_refused(up, system):
    assert dispatch("puncture_set", {"radio": "radio2", "bitmap": 0x3})["ok"]
    before = wireless(system)
    res = dispatch("radio_set", {"radio": "radio2", "channel": "5"})
    assert res["error"]["field"] == "channel" and "puncturing" in res["error"]["message"]
    assert wireless(system) == before
    # a primary outside the punctured pair is fine
    assert dispatch("radio_set", {"radio": "radio2", "channel": "21"})["ok"]


def test_dry_run_writes_nothing(up, system):
    before = wireless(system)
    res = dispatch("puncture_set", {"radio": "radio2", "bitmap": 0x3, "dry_run": True})
    assert res["ok"] and res["dry_run"] and res["changes"]
    assert wireless(system) == before


# ------------------------------------------------------------------ DFS
def test_dfs_only_on_5ghz_and_cac_progress_while_it_runs(twin, system):
    run_first_boot(system)
    twin.advance(90)          # the first-run defaults reboot; now up on channel 36 (160 MHz)
    r = {x["name"]: x for x in dispatch("radios", {})["radios"]}
    assert r["radio0"]["dfs"] is None and r["radio2"]["dfs"] is None
    d = r["radio1"]["dfs"]    # 36-64: 52-64 need radar detection
    assert d["channel_dfs"] and d["state"] == "active" and d["cac_left_s"] == 0
    twin.reboot()
    twin.advance(20)          # boot takes 8 s: 12 s into the 60 s CAC of the 5 GHz link
    d = radio("radio1")["dfs"]
    assert d["state"] == "cac" and d["cac_s"] == 60 and d["cac_left_s"] == 48
    assert d["progress_pct"] == 20
    assert radio("radio0")["dfs"] is None
    twin.advance(60)
    d = radio("radio1")["dfs"]
    assert d["state"] == "active" and d["progress_pct"] is None


def test_a_non_dfs_channel_reports_no_dfs(up, system):
    assert dispatch("radio_set", {"radio": "radio1", "channel": "36", "htmode": "EHT80"})["ok"]
    up.advance(90)
    d = radio("radio1")["dfs"]
    assert d == {**d, "channel_dfs": False, "state": "none", "cac_s": 0}


def test_radio_set_announces_the_cac_wait(up, system):
    # channel 100 at 160 MHz spans 100-128: the weather-radar channels need 10 minutes
    r = dispatch("radio_set", {"radio": "radio1", "channel": "100", "dry_run": True})
    assert r["ok"] and r["cac_s"] == 600, r
    r = dispatch("radio_set", {"radio": "radio1", "channel": "100", "htmode": "EHT80",
                               "dry_run": True})
    assert r["cac_s"] == 60
    r = dispatch("radio_set", {"radio": "radio1", "channel": "36", "htmode": "EHT80",
                               "dry_run": True})
    assert "cac_s" not in r
    assert "cac_s" not in dispatch("radio_set", {"radio": "radio0", "channel": "1",
                                                 "dry_run": True})


def test_a_restore_with_a_bad_puncturing_bitmap_is_refused(up, system):
    text = system.uci.text("wireless")
    before = text
    bad = text.replace("config wifi-device 'radio2'\n",
                       "config wifi-device 'radio2'\n\toption pp_mode '2'\n\toption pp_bitmap '512'\n")
    assert bad != text
    res = dispatch("restore", {"config": bad})
    assert res["error"]["field"] == "config" and "primary" in res["error"]["message"]
    assert wireless(system) == before


def test_ap_wizard_on_a_radar_channel_announces_the_cac(up, system):
    # make room on radio1: it is in the MLD with one legacy AP already
    assert dispatch("network_remove", {"section": "ap_mld_1"})["ok"]
    up.advance(150)
    r = dispatch("ap", {"radio": "radio1", "ssid": "Five", "encryption": "psk2",
                        "key": "five-password", "channel": "100", "htmode": "EHT80",
                        "dry_run": True})
    assert r["ok"] and r["cac_s"] == 60, r
    r = dispatch("ap", {"radio": "radio1", "ssid": "Five", "encryption": "psk2",
                        "key": "five-password", "channel": "36", "htmode": "EHT80",
                        "dry_run": True})
    assert r["ok"] and "cac_s" not in r
