"""The views on the twin's own profiles (issue 23): a mainline BPI-R4 and a two-band MT7992
router, as they are after the package's install — every radio off and no MLD (mainline's
factory config) — then with the radios on, as the owner does first.

Expectations, written from each stack before the run: no tab breaks on either; the header and
Diagnostics name the router; Link Policy says A-TTLM / Neg-TTLM are absent and disables steering
with that reason; the Radios tab has one card per radio of the wiphy (three / two) and the eFuse
TX power mode disabled with its reason; the MLO AP wizard offers the radios there are (no
6 GHz on the MT7992) and names the new MLD ``ap-mld0``, as 25.12's netifd will.
"""

from __future__ import annotations

import pytest
from harness import TABS, Browser, close_modal, make_driver, open_wizard

RADIOS = {"bpi-r4-mainline": ["radio0", "radio1", "radio2"],
          "be7200-mainline": ["radio0", "radio1"]}


pytestmark = pytest.mark.parametrize("server", sorted(RADIOS), indirect=True, scope="module")


@pytest.fixture(scope="module")
def page(server):
    drv = make_driver()
    b = Browser(drv, server)
    from wifimgr.lifecycle.defaults import run_first_boot

    report = run_first_boot(server.twin().system())      # the package's first run
    assert report["reply"]["ok"], report
    server.twin().advance(240)
    b.login()
    yield b
    drv.quit()


def status(server, api) -> dict:
    from wifimgr.monitor import replies

    replies.invalidate(server.twin().system().state_dir)
    return api("status")


def test_every_tab_renders_after_install(page, server, api):
    label = status(server, api)["platform"]["label"]
    assert "OpenWrt" in label
    for name in TABS:
        page.tab(name)
        assert page.text(".wm-header #wm-platform") == label, name
        page.shot(f"profile-{server.profile}-{name}")
    assert page.console_errors() == []


def test_link_policy_says_why_and_disables_steering(page, server, api):
    feature = status(server, api)["platform"]["features"]["link_policy"]
    assert feature["available"] is False and "GET_ATTLM" in feature["reason"]
    page.tab("linkpolicy")
    assert "not available on this router" in page.text("#wm-lp-lacking")
    start = page.js("var b = document.querySelector('#wm-daemon-start');"
                    "return [b.disabled, b.getAttribute('title')];")
    assert start == [True, feature["reason"]]
    assert page.console_errors() == []


def test_radios_follow_the_wiphy(page, server, api):
    page.tab("radios")
    cards = page.js("return Array.prototype.slice.call(document.querySelectorAll('.wm-card'))"
                    ".map(function(c) { return c.getAttribute('data-radio'); })")
    assert cards == RADIOS[server.profile]
    efuse = page.js("var o = document.querySelector('#wm-txmode option[value=efuse_max]');"
                    "return [o.disabled, o.getAttribute('title')];")
    reason = status(server, api)["platform"]["features"]["txpower_efuse"]["reason"]
    assert efuse == [True, reason]
    # no sku_idx on this stack is the country's table, not the eFuse mode it lacks
    assert page.js("return document.querySelector('#wm-txmode').value") == "regdb"
    assert page.console_errors() == []


def test_mlo_ap_wizard_on_the_owners_radios(page, server, api):
    for r in RADIOS[server.profile]:              # the owner turns the radios on first
        assert api("radio_set", {"radio": r, "disabled": False})["ok"]
    server.twin().advance(120)
    page.tab("networks")
    open_wizard(page, "mlo_ap")
    boxes = page.js("return Array.prototype.slice.call(document.querySelectorAll("
                    "'.modal input[data-radio]')).map(function(b) {"
                    " return b.getAttribute('data-radio'); })")
    assert boxes == RADIOS[server.profile]
    page.wait_text(".modal #wm-mld-ifname", "ap-mld0")
    page.shot(f"profile-{server.profile}-wizard-mlo-ap")
    close_modal(page)
    assert page.console_errors() == []


def test_diagnostics_has_no_mtk_debugfs_to_show(page, server, api):
    """Upstream mt76 has no ``band*/txpower_info``: Diagnostics says so instead of listing a
    ``band2`` the MT7992 does not have."""
    diag = api("diagnostics")
    assert sorted(diag["txpower_info"]) == [f"band{i}" for i in
                                            range(len(RADIOS[server.profile]))]
    assert set(diag["txpower_info"].values()) == {None}
    page.tab("diagnostics")
    assert "no txpower_info files" in page.text("#wm-no-txpower-info")
    assert page.console_errors() == []
