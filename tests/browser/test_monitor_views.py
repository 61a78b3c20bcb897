"""The views read the monitor (issue 16): sparklines and per-client signal from `history` (the
last hour is there when the page opens; nothing in sessionStorage), a client row's link
history, the Events view with filters (backend text rendered as text), and the banner after an
apply that did not come up and was rolled back."""

from __future__ import annotations

import pytest

HOSTILE = '<img src=x onerror="window.__pwned=1"><b>bold</b>'


@pytest.fixture(scope="module")
def sampled(server):
    """Ten monitor samples ten (twin) seconds apart, as the running monitor leaves them."""
    from wifimgr.monitor.daemon import once
    from wifimgr.sim import open_twin

    twin = open_twin(server.sim_dir, create=False)
    twin.advance(150)
    system = twin.system()
    for _ in range(10):
        twin.advance(10)
        once(system)
    return system


def test_radio_sparklines_come_from_the_history(browser, server, sampled):
    browser.login()
    browser.tab("radios")
    spark = browser.wait('.wm-card[data-radio="radio1"] .wm-sparks svg')
    # drawn from the monitor's ring files on first render: ten points and more
    assert int(spark.get_attribute("data-points")) >= 10
    assert browser.js("return sessionStorage.getItem('wifimgr.history')") is None
    assert "points, every" in browser.js(
        "return document.querySelector('.wm-card[data-radio=\"radio1\"] .wm-sparks svg title')"
        ".textContent")
    browser.shot("radios-history-sparklines")
    assert browser.console_errors() == []


def test_client_signal_and_link_history(browser, server, sampled):
    browser.tab("clients")
    row = browser.wait('.wm-client[data-mac="3e:35:54:dc:99:02"]')
    assert int(row.find_element("css selector", "svg.wm-spark").get_attribute(
        "data-points")) >= 10
    hist = browser.wait('.wm-client-history[data-mac="3e:35:54:dc:99:02"] .wm-linkhist', 30)
    rows = browser.finds('.wm-client-history[data-mac="3e:35:54:dc:99:02"] .wm-linkrow')
    assert [r.get_attribute("data-link") for r in rows] == ["0", "1", "2"]
    active = [int(r.find_element("css selector", "svg.wm-linkstrip").get_attribute(
        "data-active")) for r in rows]
    assert all(a >= 5 for a in active), active        # the MLMR client uses every link
    assert "Links used from" in hist.text
    browser.shot("clients-link-history")
    assert browser.console_errors() == []


def test_events_view_lists_and_filters_text_only(browser, server, sampled, api):
    from wifimgr.monitor.events import record

    record(sampled, "client_joined", f"{HOSTILE} joined ap-mld-1", subject="02:00:00:00:00:66",
           mac="02:00:00:00:00:66")
    record(sampled, "radar", "radar detected on 5260 MHz", subject="phy0.1-ap0")
    browser.tab("events")
    cell = browser.wait_text(".wm-events", "joined ap-mld-1")
    assert cell
    msgs = [m.text for m in browser.finds(".wm-events .wm-ev-msg")]
    assert f"{HOSTILE} joined ap-mld-1" in msgs               # shown as text, verbatim
    assert not browser.finds(".wm-events img") and not browser.finds(".wm-events b")
    assert browser.js("return window.__pwned === undefined")
    browser.shot("events")
    # filter by group: only the radio events remain
    browser.js("var s = document.getElementById('wm-ev-kind'); s.value = 'radio';"
               "s.dispatchEvent(new Event('change'));")
    browser.until(lambda: {r.get_attribute("data-kind") for r in browser.finds(".wm-event")}
                  == {"radar"}, 20, "the radio filter")
    # filter by subject
    browser.js("var s = document.getElementById('wm-ev-kind'); s.value = '';"
               "s.dispatchEvent(new Event('change'));"
               "var i = document.getElementById('wm-ev-subject'); i.value = '02:00:00:00:00:66';"
               "i.dispatchEvent(new Event('change'));")
    browser.until(lambda: [r.get_attribute("data-kind") for r in browser.finds(".wm-event")]
                  == ["client_joined"], 20, "the subject filter")
    assert browser.console_errors() == []


def test_a_rolled_back_apply_is_explained(browser, server, sampled, api):
    """An apply whose 5 GHz network never comes up: after the deadline the monitor rolls back,
    the header says what happened and why, the Events view lists it."""
    from wifimgr.monitor.daemon import once
    from wifimgr.sim import open_twin

    twin = open_twin(server.sim_dir, create=False)
    twin.fail_next_apply("default_radio1")
    res = api("network_set", {"section": "default_radio1", "values": {"ssid": "Broken-5g"}})
    assert res["ok"], res                         # a reboot on this config: done already
    twin.advance(140)
    once(sampled)                                 # past the deadline: degraded → rollback
    twin.advance(100)
    once(sampled)                                 # the rollback came up
    browser.tab("networks")
    banner = browser.wait("#wm-rolled-back")
    assert "rolled back" in banner.text and "default_radio1" in banner.text
    browser.shot("networks-rolled-back")
    browser.tab("events")
    kinds = {r.get_attribute("data-kind") for r in browser.finds(".wm-event")}
    assert {"degraded", "rolled_back", "config_applied"} <= kinds
    assert "rolled back" in browser.text("#wm-health")
    browser.shot("events-rolled-back")
    assert browser.console_errors() == []
