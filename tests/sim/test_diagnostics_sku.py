"""Diagnostics shows each band's EEPROM maximum (debugfs ``txpower_sku``) next to the TX
power actually used (``iw dev``)."""

from __future__ import annotations

from wifimgr.surface.api import dispatch


def test_eeprom_max_next_to_the_power_used(system):
    d = dispatch("diagnostics", {})
    radios = {r["radio"]: r for r in d["radios"]}
    for name, band_max in (("radio0", 25), ("radio1", 27), ("radio2", 26)):
        r = radios[name]
        assert r["eeprom_max_dbm"] == band_max, r
        assert r["txpower_dbm"] is not None and r["regdb_max_dbm"] is not None
    assert d["txpower_info"]["band1"]["eeprom_max_dbm"] == 27


def test_a_zeroed_eeprom_card_shows_its_low_maximum(system, twin):
    with twin.edit() as st:
        st["variant"] = "zeroed-eeprom"
    d = dispatch("diagnostics", {})
    radios = {r["radio"]: r for r in d["radios"]}
    assert radios["radio0"]["eeprom_max_dbm"] == 6 and radios["radio1"]["eeprom_max_dbm"] == 7
    assert radios["radio2"]["eeprom_max_dbm"] == 26
    # the power used follows the low table: the two numbers side by side tell the story
    assert radios["radio1"]["txpower_dbm"] <= 7


def test_no_txpower_sku_is_no_value_and_no_failure(system, monkeypatch):
    real = system.fs.read_text
    monkeypatch.setattr(system.fs, "read_text",
                        lambda p: None if p.endswith("txpower_sku") else real(p))
    d = dispatch("diagnostics", {})
    assert all(r["eeprom_max_dbm"] is None for r in d["radios"])
