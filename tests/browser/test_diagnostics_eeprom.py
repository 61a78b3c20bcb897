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
