"""Diagnostics in headless Chromium: each radio's TX power with the band's EEPROM maximum
(debugfs txpower_sku) next to it, as text."""

from __future__ import annotations


def test_tx_power_with_the_eeprom_maximum(browser, server):
    server.twin().advance(150)
    browser.login()
    browser.tab("diagnostics")
    browser.until(lambda: "EEPROM max" in (browser.text("body") or ""), 30, "the EEPROM max")
    text = browser.text("body")
    for band_max in (25, 27, 26):
        assert f"(EEPROM max {band_max} dBm)" in text
    browser.shot("diagnostics-eeprom-max")


def test_a_zeroed_eeprom_card_is_flagged_in_diagnostics_and_radios(browser, server):
    # issue 26: the driver's EEPROM lines (the BPI-R4 MTK SDK build: "corrupted EEPROM …")
    t = server.twin()
    with t.edit() as st:
        st["variant"] = "zeroed-eeprom"
    t.reboot()
    t.advance(150)
    try:
        browser.tab("diagnostics")          # logged in by the test above
        browser.until(lambda: "Zeroed EEPROM power table." in (browser.text("body") or ""), 30,
                      "the EEPROM warning")
        box = browser.text("#wm-diag-eeprom")
        assert "PR #954" in box and "corrupted EEPROM detected" in box
        browser.shot("diagnostics-zeroed-eeprom")
        browser.tab("radios")
        browser.until(lambda: "zeroed EEPROM power table" in (browser.text("body") or ""), 30,
                      "the Radios tab's note")
        browser.shot("radios-zeroed-eeprom")
    finally:
        with t.edit() as st:
            st["variant"] = "normal"
        t.reboot()
        t.advance(150)


def test_a_driver_panic_before_the_reboot_is_shown_from_pstore(browser, server):
    t = server.twin()
    t.driver_panic()
    t.advance(150)
    browser.tab("diagnostics")
    browser.until(lambda: "before the last reboot" in (browser.text("body") or ""), 30,
                  "the pstore Oops box")
    box = browser.text("#wm-diag-oops-pstore")
    assert "mt7996_mcu_rx_event+0x238/0x5c8 [mt7996e]" in box
    browser.shot("diagnostics-pstore-oops")
