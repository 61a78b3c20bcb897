"""Every tab renders on the twin in headless Chromium, without console errors; a screenshot of
each is kept under artifacts/screenshots/."""

from __future__ import annotations

import pytest
from harness import TABS


def test_login_page_then_every_tab(browser, server):
    server.twin().advance(120)    # the first-run reboot and the 5 GHz CAC are over
    browser.login()
    for name in TABS:
        browser.tab(name)
        assert browser.find(".wm-version").text.startswith("luci-app-wifimgr ")
        shot = browser.shot(f"tab-{name}")
        assert shot.stat().st_size > 10_000
        assert browser.console_errors() == [], name


def test_every_tab_renders_while_the_router_boots(browser, server):
    twin = server.twin()
    twin.reboot()                          # no interface is up for the next seconds …
    twin.freeze()                          # … however long the pages take to load
    try:
        for name in TABS:
            browser.tab(name)
            assert browser.finds(".wm-header"), name
        assert "configured but not up yet" in browser.text("#wm-no-mld")   # the last tab
        browser.shot("booting-linkpolicy")
        assert browser.console_errors() == []
    finally:
        twin.unfreeze()
        twin.advance(150)


@pytest.mark.parametrize("tab", ["networks", "radios"])
def test_menu_tabs_link_to_every_view(browser, tab):
    browser.tab(tab)
    hrefs = {a.get_attribute("href").rsplit("/", 1)[-1] for a in browser.finds(".tabs a, .cbi-tabmenu a, #tabmenu a")}
    assert set(TABS) <= hrefs


def test_network_row_expands_to_the_full_config(browser, server):
    browser.tab("networks")
    browser.click('.wm-net[data-section="ap_mld_1"] .wm-expand')
    browser.wait(".wm-row-detail td[colspan]")
    text = browser.text(".wm-row-detail")
    assert "ap-mld-1" in text and "MLD address" in text
    assert len(browser.finds(".wm-row-detail .wm-links .tr")) == 4     # header + 3 links
    # the detail spans the whole table, not just the first column
    widths = browser.js("return [document.querySelector('table.wm-networks').offsetWidth,"
                        " document.querySelector('.wm-row-detail td[colspan]').offsetWidth]")
    assert widths[1] > 0.9 * widths[0]
    browser.shot("networks-expanded")
    assert browser.console_errors() == []
