"""Issue 13, in the views: a refusal caused only by what the configuration already breaks says
the change asked for was fine and offers the checked fix as one click (also from the header's
"unsafe configuration" banner); the channel advisor's fixed channels for the MLD's ACS links;
the country first run set, shown until the owner confirms one through the Country wizard; and
the locked-chip warning on a refused write."""

from __future__ import annotations

import pathlib

from harness import finish_apply, modal_open


def submit(browser, method: str, args: dict) -> None:
    """Start the views' write flow (dry run → verdict modal) as an edit form does."""
    browser.js("var method = arguments[0], args = arguments[1];"
               "L.require('wifimgr.common').then(function(wm) { wm.submit(method, args, {}); });",
               method, args)


def test_00_post_install(browser, server, api):
    from wifimgr.host.system import get_system
    from wifimgr.lifecycle.defaults import run_first_boot

    report = run_first_boot(get_system(refresh=True))
    assert report["reply"]["ok"], report
    server.twin().advance(240)
    browser.login()


def test_the_first_boot_country_is_offered_for_confirmation(browser, server):
    browser.tab("networks")
    text = browser.text("#wm-country-banner")
    assert "US, as the firmware set it" in text       # kept, never a hard-coded CZ (issue 21)
    browser.click("#wm-country-wizard")
    browser.wait(".modal #wm-wizard-submit")
    assert browser.js("return document.querySelector('.modal [name=country]').value") == "US"
    browser.shot("country-confirm-wizard")
    browser.click(".modal #wm-wizard-submit")
    browser.wait(".modal #wm-confirm")
    finish_apply(browser, server)
    browser.tab("networks")
    browser.wait(".wm-header", 30)
    assert not browser.finds("#wm-country-banner")
    wm = server.twin().uci.load("wifimgr")
    assert wm["defaults"].get_str("country_confirmed") == "1"


BY_HAND = ("\nconfig wifi-iface 'byhand'\n\toption device 'radio1'\n\toption mode 'ap'\n"
           "\toption ssid 'byhand'\n\toption encryption 'sae'\n\toption key 'hand-made-key'\n"
           "\toption network 'lan'\n")


def test_a_refusal_only_for_a_preexisting_violation_offers_the_fix(browser, server, api):
    twin = server.twin()
    path = pathlib.Path(twin.confdir, "wireless")
    path.write_text(path.read_text() + BY_HAND)
    browser.tab("networks")
    # the header lists it with its fix
    assert "byhand" in browser.text("#wm-violations")
    assert browser.finds("#wm-violations .wm-fix-button")
    # an unrelated change (rename the 6 GHz network) is refused, and says why plainly
    before = path.read_bytes()
    submit(browser, "network_set", {"section": "default_radio2", "values": {"ssid": "Attic"}})
    browser.wait(".modal .wm-requested-ok")
    assert "the change you asked for is fine" in browser.text(".modal .wm-requested-ok").lower()
    assert "Disable network 'byhand' on 5 GHz" in browser.text(".modal .wm-fix-button")
    assert path.read_bytes() == before
    browser.shot("refused-preexisting-with-fix")
    # one click: the fix goes through the usual verdict and apply
    browser.click(".modal .wm-fix-button")
    browser.wait_text(".modal h4", "Disable network 'byhand' on 5 GHz", 60)
    browser.wait(".modal #wm-confirm")
    assert "reboot" in browser.text(".modal .wm-apply").lower()
    finish_apply(browser, server)
    assert "option disabled '1'" in path.read_text().split("config wifi-iface 'byhand'")[1]
    assert api("status")["config"]["violations"] == []
    browser.tab("networks")
    assert not browser.finds("#wm-violations")


def test_the_mld_acs_advisory_offers_the_advisors_channel(browser, server, api):
    browser.tab("networks")
    submit(browser, "network_set", {"section": "default_radio2", "values": {"ssid": "Attic"}})
    browser.wait(".modal .wm-advisory[data-rule=mld-acs]")
    buttons = browser.finds(".modal .wm-advisory .wm-fix-button")
    assert [b.text for b in buttons] == ["Ask the channel advisor for radio0",
                                         "Ask the channel advisor for radio1"]
    browser.shot("advisory-mld-acs")
    best = str(api("advise", {"radio": "radio1"})["top"][0]["channel"])
    buttons[1].click()
    title = browser.wait_text(".modal h4", "advisor", 60)
    assert f"Set radio1 to channel {best}" in title
    browser.wait(".modal #wm-confirm")
    finish_apply(browser, server)
    assert server.twin().uci.load("wireless")["radio1"].get_str("channel") == best


def test_a_refused_write_while_the_chip_is_locked_says_wifi_stays_down(browser, server):
    twin = server.twin()
    with twin.edit() as st:
        twin._crash(st, [1], "wifi reload")
    browser.tab("networks")
    submit(browser, "ap", {"radio": "radio1", "ssid": "x", "encryption": "sae",
                           "key": "lan-password"})
    text = browser.wait_text(".modal .wm-locked-warning", "15 minutes", 30)
    assert "unplugged" in text
    assert modal_open(browser)
    twin.power_off(16)
