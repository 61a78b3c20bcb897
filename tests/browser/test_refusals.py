"""Refusals that must stay readable, and wizards that must not pre-select what they forbid.

* Link Policy: a refused ``steering_set`` ("Save thresholds", the mode buttons) shows the
  error and does not reload the page (save() used to hand the notification node to its
  caller, which took it for success and reloaded, so the message vanished).
* The AP and repeater wizards never pre-select a radio shown disabled ("— at limit"), so
  their "every radio is at its limit" warning shows when it is true.
"""

from __future__ import annotations

import pytest
from harness import close_modal, open_wizard

#: Link Policy runs where the stack has A-TTLM and Neg-TTLM: the MTK SDK map (platforms.py; the
#: twin's bpi-r4-mtk profile once it has profiles)
PROFILES = ("mtk",)


@pytest.fixture(scope="module", autouse=True)
def _link_policy_stack(platform_profile):
    assert platform_profile.available("link_policy")
    return platform_profile


#: set in the page; a reload (location.reload) fires beforeunload synchronously, in the same
#: task as the reply's handlers — so once the refusal is visible, the flag tells for certain
WATCH_UNLOAD = ("sessionStorage.removeItem('wm-unloaded');"
                "window.addEventListener('beforeunload', function() {"
                " sessionStorage.setItem('wm-unloaded', '1'); });")


def test_00_router_is_up(browser, server):
    server.twin().advance(150)
    browser.login()


def test_refused_thresholds_stay_on_screen(browser, server):
    before = server.twin().uci.text("wifimgr")
    browser.tab("linkpolicy")
    browser.js(WATCH_UNLOAD)
    browser.click("#wm-thresholds-box summary")
    # a value outside the option's range: steering_set refuses it, naming the field
    browser.js("var el = document.querySelector('#wm-thresholds [name=interval]');"
               "el.value = '9999';")
    browser.click("#wm-thresholds-save")
    msg = browser.wait_text(".alert-message .wm-refused", "interval", 30)
    assert browser.js("return sessionStorage.getItem('wm-unloaded')") is None, \
        "the page reloaded after a refused change"
    assert browser.js("return document.querySelector('#wm-thresholds [name=interval]').value") \
        == "9999"                                 # the owner's input is still there to fix
    assert "interval" in msg
    browser.shot("linkpolicy-refused-thresholds")
    assert server.twin().uci.text("wifimgr") == before
    assert browser.console_errors() == []


def test_an_accepted_mode_change_still_reloads(browser, server):
    browser.tab("linkpolicy")
    browser.js(WATCH_UNLOAD)
    browser.click('#wm-mode button[data-mode="all_on"]')
    browser.until(lambda: browser.js("return sessionStorage.getItem('wm-unloaded')") == "1",
                  30, "the reload after a saved mode")
    browser.wait(".wm-header", 60)
    assert server.twin().uci.load("wifimgr")["steering"].get_str("mode") == "all_on"
    browser.until(lambda: "cbi-button-action" in browser.find(
        '#wm-mode button[data-mode="all_on"]').get_attribute("class"), 30, "the new mode")


def _radio_options(browser, name):
    return browser.js(
        "return Array.prototype.map.call(document.querySelectorAll("
        "'.modal [name=\"' + arguments[0] + '\"] option'), function(o) {"
        " return [o.value, o.disabled, o.textContent]; })", name)


def test_wizards_never_preselect_a_radio_at_its_limit(browser, server, api):
    # every radio carries the MLD and one legacy AP: no radio has an AP slot left
    cons = api("constraints")
    assert not any(c["ap_slot_free"]["ok"] for c in cons["radios"].values()), cons
    open_wizard(browser, "ap")
    opts = _radio_options(browser, "radio")
    assert opts and all(disabled and "at limit" in label for _, disabled, label in opts)
    assert browser.js("return document.querySelector('.modal [name=radio]').value") == ""
    assert "Every radio is at its limit" in browser.text(".modal .wm-at-limit")
    browser.shot("wizard-ap-at-limit")
    close_modal(browser)
    open_wizard(browser, "repeater")
    assert browser.js("return document.querySelector('.modal [name=ap_radio]').value") == ""
    assert "Every radio is at its limit" in browser.text(".modal .wm-at-limit")
    close_modal(browser)
    # free radio0's slot: the wizard now pre-selects radio0 — never the preferred radio1
    # (still at its limit) that it used to force
    guest = next(s.name for s in server.twin().uci.load("wireless").of_type("wifi-iface")
                 if s.name == "default_radio0")
    assert api("network_remove", {"section": guest})["ok"]
    server.twin().advance(30)
    open_wizard(browser, "ap")
    assert browser.js("return document.querySelector('.modal [name=radio]').value") == "radio0"
    assert not browser.finds(".modal .wm-at-limit")
    disabled = {v for v, d, _ in _radio_options(browser, "radio") if d}
    assert disabled == {"radio1", "radio2"}
    close_modal(browser)
    assert browser.console_errors() == []
