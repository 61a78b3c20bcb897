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
    css = '.wm-card[data-radio="radio1"] .wm-sparks svg'
    browser.wait(css)
    # drawn from the monitor's ring files on first render: ten points and more (read in one
    # script: the page's poll replaces the sparklines)
    assert int(browser.js(f"return document.querySelector('{css}')"
                          ".getAttribute('data-points')")) >= 10
    assert browser.js("return sessionStorage.getItem('wifimgr.history')") is None
    assert "points, every" in browser.js(
        "return document.querySelector('.wm-card[data-radio=\"radio1\"] .wm-sparks svg title')"
        ".textContent")
    browser.shot("radios-history-sparklines")
    assert browser.console_errors() == []


def test_client_signal_and_link_history(browser, server, sampled):
    browser.tab("clients")
    browser.wait('.wm-client[data-mac="3e:35:54:dc:99:02"]')
    browser.wait('.wm-client-history[data-mac="3e:35:54:dc:99:02"] .wm-linkhist', 30)
    # one script reads the row (the page's poll redraws the table every 10 s)
    got = browser.js("""
        var row = document.querySelector('.wm-client[data-mac="3e:35:54:dc:99:02"]');
        var h = document.querySelector('.wm-client-history[data-mac="3e:35:54:dc:99:02"]');
        return { points: +row.querySelector('svg.wm-spark').getAttribute('data-points'),
                 text: h.textContent,
                 links: [].map.call(h.querySelectorAll('.wm-linkrow'), function(r) {
                     return [ r.getAttribute('data-link'),
                              +r.querySelector('svg.wm-linkstrip').getAttribute('data-active') ];
                 }) };""")
    assert got["points"] >= 10
    assert [lid for lid, _a in got["links"]] == ["0", "1", "2"]
    assert all(a >= 5 for _l, a in got["links"]), got     # the MLMR client uses every link
    assert "Links used from" in got["text"]
    browser.shot("clients-link-history")
    assert browser.console_errors() == []


def test_events_view_lists_and_filters_text_only(browser, server, sampled, api):
    from wifimgr.observe.events import record

    record(sampled, "client_joined", f"{HOSTILE} joined ap-mld-1", subject="02:00:00:00:00:66",
           mac="02:00:00:00:00:66")
    record(sampled, "radar", "radar detected on 5260 MHz", subject="phy0.1-ap0")
    browser.tab("events")
    cell = browser.wait_text(".wm-events", "joined ap-mld-1")
    assert cell
    got = browser.js("""var t = document.querySelector('.wm-events');
        return { msgs: [].map.call(t.querySelectorAll('.wm-ev-msg'), function(m) {
                     return m.textContent; }),
                 tags: t.querySelectorAll('img, b').length };""")
    assert f"{HOSTILE} joined ap-mld-1" in got["msgs"]        # shown as text, verbatim
    assert got["tags"] == 0
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


def test_a_read_only_login_reads_history_and_events(browser, server, sampled):
    browser.d.get(server.url + "/cgi-bin/luci/admin/logout")
    browser.login("viewer", "viewer")
    browser.tab("events")
    browser.wait(".wm-events .wm-event")
    browser.tab("radios")
    css = '.wm-card[data-radio="radio0"] .wm-sparks svg'
    browser.wait(css)
    assert int(browser.js(f"return document.querySelector('{css}')"
                          ".getAttribute('data-points')")) >= 10
    assert browser.console_errors() == []
    browser.d.get(server.url + "/cgi-bin/luci/admin/logout")
    browser.login()


def test_a_rolled_back_apply_is_explained(browser, server, sampled, api):
    """An apply whose 5 GHz network never comes up: after the deadline the monitor rolls back,
    the header says what happened and why, the Events view lists it. (Last: the reboots
    empty the history, which lives in RAM.)"""
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
    browser.wait("#wm-rolled-back")
    text = browser.text("#wm-rolled-back")
    assert "rolled back" in text and "default_radio1" in text
    browser.shot("networks-rolled-back")
    browser.tab("events")
    browser.until(lambda: {"degraded", "rolled_back", "config_applied"} <= set(browser.js(
        "return [].map.call(document.querySelectorAll('.wm-event'), function(r) {"
        " return r.getAttribute('data-kind'); })")), 20, "the rollback's events")
    assert "rolled back" in browser.text("#wm-health")
    browser.shot("events-rolled-back")
    assert browser.console_errors() == []

