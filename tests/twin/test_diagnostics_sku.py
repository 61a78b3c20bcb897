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


# ---------------------------------------------------------- issue 26: zeroed EEPROM, Oops
def _zeroed_boot(twin) -> None:
    with twin.edit() as st:
        st["variant"] = "zeroed-eeprom"
    twin.reboot()
    twin.advance(90)


def test_a_zeroed_eeprom_is_flagged_with_the_drivers_lines(system, twin):
    _zeroed_boot(twin)
    d = dispatch("diagnostics", {})
    assert d["eeprom_corrupted"] is True
    # the BPI-R4's MTK SDK driver's line (real: captures/gilly1970-bpi-r4-mtk-feeds)
    assert any("corrupted EEPROM detected, forcing default" in ln
               for ln in d["eeprom_evidence"])
    assert d["kernel_oops"] == []
    # the Radios tab's TX power notes say so and point to the fix, for 2.4 and 5 GHz only
    radios = {r["name"]: r for r in dispatch("radios", {})["radios"]}
    for name in ("radio0", "radio1"):
        assert any("zeroed EEPROM power table" in n and "PR #954" in n
                   for n in radios[name]["txpower"]["notes"]), radios[name]["txpower"]
    assert not any("zeroed EEPROM power table" in n for n in radios["radio2"]["txpower"]["notes"])


def test_a_normal_card_is_not_flagged(system):
    d = dispatch("diagnostics", {})
    assert d["eeprom_corrupted"] is False and d["eeprom_evidence"] == []


def test_an_oops_in_the_driver_is_surfaced(system, twin):
    from support import fixture_text

    oops = fixture_text("captures/openwrt-18750-mt7996-oops/dmesg-ramoops-oops-tail.out")
    with twin.edit() as st:
        # the stored console lines as the kernel logged them (the twin adds the timestamp)
        st["kmsg"] += [[600.0 + n, ln.split("] ", 1)[1]] for n, ln in enumerate(oops.splitlines())]
    d = dispatch("diagnostics", {})
    assert d["kernel_oops"][0].startswith("Kernel panic - not syncing: Oops")
    assert "mt7996_mcu_rx_event+0x238/0x5c8 [mt7996e]" in d["kernel_oops"]


def test_a_panic_in_the_driver_is_surfaced_from_pstore_after_the_reboot(system, twin):
    twin.driver_panic()
    twin.advance(90)
    d = dispatch("diagnostics", {})
    assert d["kernel_oops"] == []                     # dmesg starts afresh after the reboot
    assert d["kernel_oops_pstore"][0].startswith("Kernel panic - not syncing: Oops")
    assert "mt7996_mcu_rx_event+0x238/0x5c8 [mt7996e]" in d["kernel_oops_pstore"]
    twin.power_off(1)                                 # ramoops is lost at a power cut
    twin.advance(90)
    assert dispatch("diagnostics", {})["kernel_oops_pstore"] == []
