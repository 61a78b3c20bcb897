"""Every wizard run in headless Chromium against the twin: one success (dry run → verdict →
confirm → apply) and one case the backend blocks, whose rule message must appear inline.

The tests share one router and run in order, like an owner setting it up: the state each
leaves is the next one's starting point. Where the wizards already grey out what the safety
module forbids, the blocked case is the real race it protects against: another admin (a
second session, here an in-process API call) changes the config while the wizard is open."""

from __future__ import annotations

from harness import close_modal, finish_apply, modal_open, open_wizard, set_field


def wireless(server):
    return server.twin().uci.load("wireless")


def ifaces(server):
    return {s.name: s for s in wireless(server).of_type("wifi-iface")}


def blocked_inline(browser, rule):
    text = browser.wait_text(".modal .wm-wizard-errors", rule)
    assert modal_open(browser)            # the wizard stays open with the message in it
    return text


def other_admin_adds_an_mld(api):
    """Meanwhile, in another session: an MLO AP on radio1 + radio2."""
    other = api("mlo_ap", {"radios": ["radio1", "radio2"], "ssid": "Other-MLD",
                           "key": "other-mld-pass"})
    assert other["ok"], other


def other_admin_removes_the_mld(api, server):
    mld = next(n for n, s in ifaces(server).items() if s.get_str("ssid") == "Other-MLD")
    assert api("network_remove", {"section": mld})["ok"]
    server.twin().advance(150)


def test_00_router_is_up(browser, server):
    server.twin().advance(150)            # first-run defaults reboot; 5 GHz CAC over
    browser.login()
    assert "ap_mld_1" in ifaces(server)


def test_mlo_ap_blocked_while_one_exists(browser, server):
    open_wizard(browser, "mlo_ap")
    intro = browser.find(".modal p.wm-note").text
    assert "Not possible right now" in intro
    set_field(browser, "ssid", "Second-MLD")
    set_field(browser, "key", "second-mld-pass")
    browser.click("#wm-wizard-submit")
    text = blocked_inline(browser, "single-mlo-ap")
    assert "MLO" in text
    browser.shot("wizard-mlo-ap-blocked")
    close_modal(browser)
    assert "Second-MLD" not in server.twin().disk_wireless()


def test_station_picks_a_scanned_network_and_succeeds(browser, server):
    open_wizard(browser, "station")
    set_field(browser, "radio", "radio1")
    browser.click(".modal .wm-form button.cbi-button-action")       # live scan
    browser.click('.modal .wm-scan-row[data-ssid="Upstream-WiFi"]')
    assert browser.find('.modal [name="ssid"]').get_attribute("value") == "Upstream-WiFi"
    assert browser.find('.modal [name="encryption"]').get_attribute("value") == "psk2"
    set_field(browser, "key", "upstream-pass")
    browser.shot("wizard-station-form")
    browser.click("#wm-wizard-submit")
    browser.wait_text(".modal .wm-apply", "reload")
    browser.shot("wizard-station-verdict")
    finish_apply(browser, server)
    sta = [s for s in ifaces(server).values() if s.get_str("mode") == "sta"]
    assert [s.get_str("ssid") for s in sta] == ["Upstream-WiFi"]
    assert sta[0].get_str("key") == "upstream-pass"


def test_remove_the_mld_inline(browser, server):
    browser.tab("networks")
    browser.click('.wm-net[data-section="ap_mld_1"] .cbi-button-remove')
    browser.wait_text(".modal .wm-apply", "reboot")
    finish_apply(browser, server)
    assert "ap_mld_1" not in ifaces(server)
    server.twin().advance(150)


def test_mlo_station_blocked_when_an_mlo_ap_appears_meanwhile(browser, server, api):
    # an MLO STA must be the only uplink: drop the plain station first
    sta = next(n for n, s in ifaces(server).items() if s.get_str("mode") == "sta")
    assert api("network_remove", {"section": sta})["ok"]
    server.twin().advance(30)
    open_wizard(browser, "station")
    set_field(browser, "mlo", True)
    set_field(browser, "ssid", "Upstream-MLO")
    set_field(browser, "encryption", "sae")
    set_field(browser, "key", "upstream-mlo-key")
    other_admin_adds_an_mld(api)
    browser.click("#wm-wizard-submit")
    blocked_inline(browser, "mlo-ap-sta-exclusive")
    browser.shot("wizard-station-blocked")
    close_modal(browser)
    assert not [s for s in ifaces(server).values() if s.get_bool("mlo")
                and s.get_str("mode") == "sta"]
    other_admin_removes_the_mld(api, server)     # they change their mind


def test_wds_blocked_then_succeeds(browser, server, api):
    open_wizard(browser, "wds")
    set_field(browser, "mode", "wds")
    set_field(browser, "radio", "radio1")
    browser.click(".modal .wm-form button.cbi-button-action")
    browser.click('.modal .wm-scan-row[data-ssid="Upstream-MLO"]')
    assert browser.find('.modal [name="encryption"]').get_attribute("value") == "sae"
    set_field(browser, "key", "upstream-mlo-key")
    other_admin_adds_an_mld(api)
    browser.click("#wm-wizard-submit")
    text = blocked_inline(browser, "uplink-not-on-mlo-radio")
    assert "radio1" in text or "5 GHz" in text
    browser.shot("wizard-wds-blocked")
    close_modal(browser)
    other_admin_removes_the_mld(api, server)
    # now for real
    open_wizard(browser, "wds")
    set_field(browser, "mode", "wds")
    set_field(browser, "radio", "radio0")
    set_field(browser, "ssid", "Upstream-MLO")
    set_field(browser, "encryption", "sae")
    set_field(browser, "key", "upstream-mlo-key")
    browser.click("#wm-wizard-submit")
    browser.wait(".modal #wm-confirm")
    finish_apply(browser, server)
    wds = [s for s in ifaces(server).values() if s.get_bool("wds") and s.get_str("mode") == "sta"]
    assert [(s.get_str("ssid"), s.get_list("device") or [s.get_str("device")]) for s in wds] \
        == [("Upstream-MLO", ["radio0"])]


def test_repeater_blocked_on_one_radio_then_succeeds(browser, server):
    open_wizard(browser, "repeater")
    set_field(browser, "uplink_radio", "radio1")
    set_field(browser, "uplink_ssid", "Upstream-WiFi")
    set_field(browser, "uplink_encryption", "psk2")
    set_field(browser, "uplink_key", "upstream-pass")
    set_field(browser, "ap_radio", "radio1")
    set_field(browser, "ap_ssid", "Repeated")
    set_field(browser, "ap_key", "repeated-pass")
    browser.click("#wm-wizard-submit")
    blocked_inline(browser, "repeater-distinct-radios")
    browser.shot("wizard-repeater-blocked")
    set_field(browser, "ap_radio", "radio2")
    set_field(browser, "ap_encryption", "sae")
    browser.click("#wm-wizard-submit")
    browser.wait(".modal #wm-confirm")
    browser.shot("wizard-repeater-verdict")
    finish_apply(browser, server)
    aps = {s.get_str("ssid"): s for s in ifaces(server).values() if s.get_str("mode") == "ap"}
    assert aps["Repeated"].get_str("device") == "radio2"
    assert aps["Repeated"].get_str("encryption") == "sae"


def test_ap_blocked_by_a_duplicate_ssid_then_succeeds(browser, server):
    open_wizard(browser, "ap")
    set_field(browser, "radio", "radio0")
    set_field(browser, "ssid", "OpenWrt-2g")           # already broadcast on radio0
    set_field(browser, "key", "guest-password")
    browser.click("#wm-wizard-submit")
    blocked_inline(browser, "unique-ssid")
    browser.shot("wizard-ap-blocked")
    set_field(browser, "ssid", "Guest")
    browser.click("#wm-wizard-submit")
    browser.wait(".modal #wm-confirm")
    finish_apply(browser, server)
    guest = [s for s in ifaces(server).values() if s.get_str("ssid") == "Guest"]
    assert len(guest) == 1 and guest[0].get_str("device") == "radio0"


def test_ap_on_a_dfs_channel_announces_the_radar_check(browser, server):
    open_wizard(browser, "ap")
    set_field(browser, "radio", "radio1")
    options = [o.get_attribute("value") for o in browser.finds('.modal [name="channel"] option')]
    assert "100" in options and "36" in options and "1" not in options    # radio1's channels
    set_field(browser, "ssid", "Five-DFS")
    set_field(browser, "key", "five-dfs-pass")
    set_field(browser, "channel", "100")
    set_field(browser, "htmode", "EHT80")
    browser.click("#wm-wizard-submit")
    browser.wait_text(".modal .wm-cac", "60 s radar check")
    assert browser.wait(".modal .wm-cac").is_displayed()
    browser.shot("wizard-ap-dfs-verdict")
    close_modal(browser)                      # Cancel: nothing written
    assert "Five-DFS" not in server.twin().disk_wireless()


def test_mlo_ap_succeeds_again(browser, server, api):
    # make room: the MLD's radios may carry one legacy AP each
    for name, s in ifaces(server).items():
        if s.get_str("ssid") in ("Guest", "Repeated") or s.get_str("mode") == "sta":
            assert api("network_remove", {"section": name})["ok"]
    server.twin().advance(150)
    open_wizard(browser, "mlo_ap")
    set_field(browser, "ssid", "Home-MLD")
    set_field(browser, "key", "home-mld-pass")
    browser.click("#wm-wizard-submit")
    browser.wait_text(".modal .wm-apply", "reboot")
    browser.shot("wizard-mlo-ap-verdict")
    finish_apply(browser, server)
    mld = [s for s in ifaces(server).values() if s.get_bool("mlo")]
    assert [s.get_str("ssid") for s in mld] == ["Home-MLD"]
    assert sorted(mld[0].get_list("device")) == ["radio0", "radio1", "radio2"]


def test_country_wizard_reboots_into_the_new_domain(browser, server):
    browser.tab("radios")
    browser.click("#wm-country")
    browser.wait(".modal #wm-wizard-submit")
    set_field(browser, "country", "DE")
    browser.click("#wm-wizard-submit")
    browser.wait_text(".modal .wm-apply", "reboot")
    finish_apply(browser, server)
    w = wireless(server)
    assert {r.get_str("country") for r in w.of_type("wifi-device")} == {"DE"}
    assert {r.get_str("sku_idx") for r in w.of_type("wifi-device")} == {"0"}
    assert browser.console_errors() == []
