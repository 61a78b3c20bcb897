"""Radios and Link Policy in headless Chromium: apply a channel from the advisor, toggle a
puncturing cell, watch a DFS check, run the steering daemon, and see the locked-chip banner
after a hand-made unsafe reload crashes the twin's MT7996."""

from __future__ import annotations

import platforms
import pytest
from harness import TABS, finish_apply

#: Link Policy runs where the stack has A-TTLM and Neg-TTLM: the MTK SDK map (platforms.py; the
#: twin's bpi-r4-mtk profile once it has profiles)
PROFILES = ("mtk",)


@pytest.fixture(scope="module", autouse=True)
def _link_policy_stack(platform_profile):
    assert platform_profile.available("link_policy")
    return platform_profile


def radio_sec(server, name):
    return server.twin().uci.load("wireless")[name]


def card(name):
    return f'.wm-card[data-radio="{name}"]'


def test_00_router_is_up(browser, server):
    server.twin().advance(150)
    browser.login()


def test_advisor_suggests_and_applies_a_channel(browser, server):
    browser.tab("radios")
    browser.click(f"{card('radio0')} .wm-advise")
    buttons = browser.until(lambda: browser.finds(f"{card('radio0')} .wm-advice-ch"), 30,
                            "the advisor's suggestions")
    assert len(buttons) == 3
    for b in buttons:                                               # a colour class each
        assert len(set(b.get_attribute("class").split()) & {"good", "weak", "bad"}) == 1
    assert all(b.get_attribute("title") for b in buttons)          # the reasons
    browser.shot("radios-advisor")
    channel = buttons[0].get_attribute("data-channel")
    browser.click(f'{card("radio0")} .wm-advice-ch[data-channel="{channel}"]')
    browser.wait(".modal #wm-confirm")
    finish_apply(browser, server)
    assert radio_sec(server, "radio0").get_str("channel") == channel
    server.twin().advance(150)
    browser.tab("radios")
    live = browser.text(f"{card('radio0')} .wm-kv dd")
    assert live.startswith(f"ch {channel} ")


def test_puncturing_cell_toggles(browser, server):
    browser.tab("radios")
    grid = "#wm-punct-radio2"
    primary = browser.find(f"{grid} button.primary")
    assert primary.get_attribute("disabled") is not None
    assert "on" in browser.find(f'{grid} button[data-channel="1"]').get_attribute("class").split()
    browser.click(f'{grid} button[data-channel="1"]')
    browser.wait(".modal #wm-confirm")
    finish_apply(browser, server)
    sec = radio_sec(server, "radio2")
    # at 320 MHz 802.11be punctures aligned pairs: channels 1 and 5
    assert (sec.get_str("pp_mode"), sec.get_str("pp_bitmap")) == ("2", "3")
    browser.tab("radios")
    assert "off" in browser.find(f'{grid} button[data-channel="5"]').get_attribute("class")
    assert "channels 1, 5 punctured" in browser.text(card("radio2"))
    browser.shot("radios-puncturing")


def test_dfs_check_progress_shows_on_5ghz_only(browser, server):
    twin = server.twin()
    twin.reboot()
    twin.advance(20)
    browser.tab("radios")
    dfs = browser.find(f"{card('radio1')} .wm-dfs")
    assert dfs.get_attribute("data-state") == "cac" and "CAC" in dfs.text
    assert not browser.finds(f"{card('radio0')} .wm-dfs")
    assert not browser.finds(f"{card('radio2')} .wm-dfs")
    browser.shot("radios-dfs-cac")
    twin.advance(90)
    browser.tab("radios")
    assert browser.find(f"{card('radio1')} .wm-dfs").get_attribute("data-state") == "active"


def test_link_policy_runs_the_daemon(browser, server, platform_profile):
    # the reboot above emptied /tmp, the per-boot cache with it: the map again
    platforms.apply(server, platform_profile.name)
    browser.tab("linkpolicy")
    assert browser.text("#wm-daemon-state") == "Stopped"
    browser.click("#wm-daemon-start")
    browser.wait_text("#wm-daemon-state", "Running (PID", 30)
    pid = int(browser.text("#wm-daemon-state").split("PID ")[1].rstrip(")"))
    assert pid > 0
    # a cycle or two later the clients carry the daemon's view
    browser.until(lambda: (browser.tab("linkpolicy") or True) and
                  "daemon stopped" not in browser.text("#wm-mlo-clients"), 40,
                  "the daemon's first decision")
    assert "MLSR" in browser.text("#wm-mlo-clients")
    browser.click('#wm-mode button[data-mode="5g_only"]')
    browser.until(lambda: "cbi-button-action" in browser.find(
        '#wm-mode button[data-mode="5g_only"]').get_attribute("class"), 30, "the mode to switch")
    lines = browser.text("#wm-steer-log")
    assert "started" in lines
    browser.shot("linkpolicy-running")
    assert server.twin().uci.load("wifimgr")["steering"].get_str("mode") == "5g_only"
    browser.click("#wm-daemon-stop")
    browser.wait_text("#wm-daemon-state", "Stopped", 30)


def test_locked_chip_banner_after_an_unsafe_hand_edit(browser, server):
    twin = server.twin()
    before = twin.uci.text("wireless")
    pkg = twin.uci.load("wireless")
    extra = pkg.add("wifi-iface", "handmade")           # a second legacy AP on an MLO radio
    for k, v in (("device", "radio0"), ("mode", "ap"), ("ssid", "Handmade"),
                 ("network", "lan"), ("encryption", "none")):
        extra.set(k, v)
    twin.uci.commit(pkg)
    twin.wifi("reload")                       # what `wifi reload` in a shell does
    assert twin.load()["chip"]["locked"]
    browser.tab("networks")
    banner = browser.wait("#wm-locked")
    assert "unplug" in banner.text.lower() and "15 minutes" in banner.text
    browser.shot("locked-chip-banner")
    for tab in TABS:                                 # every page still renders, with the banner
        browser.tab(tab)
        assert browser.finds("#wm-locked"), tab
    assert browser.console_errors() == []
    # the owner restores the config and unplugs the router for 16 minutes
    _restore(twin, before)
    twin.power_off(16)
    twin.advance(150)
    browser.tab("networks")
    assert not browser.finds("#wm-locked")
    assert browser.console_errors() == []


def _restore(twin, text):
    from wifimgr.platform.ucitext import parse

    twin.uci.commit(parse(text, "wireless"))
