"""Diagnostics in headless Chromium: the all-band scan, the wireless backup download and the
restore upload (one accepted, one refused by the safety module)."""

from __future__ import annotations

import re

from harness import finish_apply, modal_open


def test_00_router_is_up(browser, server):
    server.twin().advance(150)
    browser.login()


def test_scan_all_bands(browser):
    browser.tab("diagnostics")
    browser.click("#wm-diag-scan-btn")
    table = browser.until(lambda: browser.find("#wm-diag-scan .table"), 30, "the scan table")
    text = browser.text("#wm-diag-scan")
    for band in ("2.4 GHz", "5 GHz", "6 GHz"):
        assert band in text
    assert "Upstream-MLO" in text and table.is_displayed()
    browser.shot("diagnostics-scan")


def test_backup_download_and_restore_upload(browser, server, tmp_path):
    browser.d.execute_cdp_cmd("Browser.setDownloadBehavior",
                              {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.tab("diagnostics")
    browser.click("#wm-backup")
    got = browser.until(lambda: [p for p in tmp_path.iterdir() if not p.name.endswith(
        ".crdownload")], 20, "the backup download")
    text = got[0].read_text()
    assert "config wifi-device 'radio0'" in text
    key = server.twin().uci.load("wireless")["default_radio0"].get_str("key")
    assert key and key in text                     # a backup keeps the passphrases
    # refused: a second legacy AP on a radio of the MLO AP (the EDCCA crash)
    unsafe = text + ("\nconfig wifi-iface 'handmade'\n\toption device 'radio0'\n"
                     "\toption mode 'ap'\n\toption ssid 'Handmade'\n\toption network 'lan'\n"
                     "\toption encryption 'none'\n")
    bad = tmp_path / "unsafe.txt"
    bad.write_text(unsafe)
    browser.find("#wm-restore-file").send_keys(str(bad))
    browser.click("#wm-restore")
    msg = browser.wait_text(".modal", "mlo-radio-extra-ap", 20)
    assert "15 minutes" in msg
    browser.shot("diagnostics-restore-refused")
    browser.js("document.querySelector('.modal .btn').click()")
    browser.until(lambda: not modal_open(browser), 10, "the modal to close")
    assert "Handmade" not in server.twin().disk_wireless()
    # accepted: the same backup with the 2.4 GHz SSID renamed
    good = tmp_path / "renamed.txt"
    good.write_text(re.sub(r"option ssid 'OpenWrt-2g'", "option ssid 'Restored-2g'", text))
    browser.tab("diagnostics")
    browser.find("#wm-restore-file").send_keys(str(good))
    browser.click("#wm-restore")
    browser.wait(".modal #wm-confirm")
    finish_apply(browser, server)
    assert server.twin().uci.load("wireless")["default_radio0"].get_str("ssid") == "Restored-2g"
    assert browser.console_errors() == []
