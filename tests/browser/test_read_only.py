"""A read-only login (rpcd grants it the read level of the app's ACL group only): every tab
and every wizard shows every write control disabled, with the reason as its tooltip, and
nothing is written. The views learn it the way LuCI asks it: ``session access`` for the write
grant of the ``luci-app-wifimgr`` access group.

One page load per tab and one per wizard; each page is checked as a whole: the only enabled
controls left are the ones marked as reads (``wm-read``: scans, expand, Cancel/Close)."""

from __future__ import annotations

import pytest
from harness import TABS, modal_open

#: what every enabled control in #view must be: a read
ENABLED_CONTROLS = """
var scope = document.querySelector(arguments[0]);
return Array.prototype.slice.call(scope.querySelectorAll('button, select, input, textarea'))
  .filter(function(el) { return !el.disabled && !el.closest('.hidden') &&
                                 el.offsetParent !== null; })
  .map(function(el) { return { cls: el.className, id: el.id, text: el.textContent.trim().slice(0, 30),
                               read: el.classList.contains('wm-read') }; });
"""
WRITE_CONTROLS = """
return Array.prototype.slice.call(document.querySelectorAll(arguments[0] + ' .wm-write'))
  .map(function(el) { return { disabled: el.disabled, title: el.getAttribute('title') || '',
                               text: el.textContent.trim().slice(0, 30) || el.name || el.id }; });
"""
#: at least these write controls per tab (so the page really was checked)
MIN_WRITES = {"networks": 7, "radios": 10, "clients": 3, "diagnostics": 3, "events": 0,
              "linkpolicy": 8}
WIZARDS = ("mlo_ap", "ap", "station", "wds", "repeater", "country")


def check_read_only(browser, scope: str, what: str, min_writes: int = 1) -> int:
    enabled = browser.js(ENABLED_CONTROLS, scope)
    writes_enabled = [c for c in enabled if not c["read"]]
    assert writes_enabled == [], f"{what}: enabled controls that are not reads"
    writes = browser.js(WRITE_CONTROLS, scope)
    assert len(writes) >= min_writes, f"{what}: only {len(writes)} write controls"
    for w in writes:
        assert w["disabled"], (what, w)
        assert "only read" in w["title"] and "administrator" in w["title"], (what, w)
    return len(writes)


@pytest.fixture(scope="module")
def viewer(browser, server):
    server.twin().advance(150)
    browser.login("viewer", "viewer")
    return browser


def test_every_tab_disables_every_write_control(viewer, server):
    before = {c: server.twin().uci.text(c) for c in ("wireless", "wifimgr")}
    for name in TABS:
        viewer.tab(name)
        assert "read-only" in viewer.text(".wm-header .wm-readonly").lower()
        check_read_only(viewer, "#view", name, MIN_WRITES[name])
        viewer.shot(f"read-only-{name}")
    # the reads a viewer may do: expand a network, scan channels — their results are reads too
    viewer.tab("networks")
    viewer.click('.wm-net[data-section="ap_mld_1"] .wm-expand')
    viewer.wait(".wm-row-detail .wm-links")
    check_read_only(viewer, "#view", "networks expanded", MIN_WRITES["networks"])
    viewer.tab("radios")
    viewer.click('.wm-card[data-radio="radio0"] .wm-advise')
    viewer.until(lambda: viewer.finds('.wm-card[data-radio="radio0"] .wm-advice-ch'), 30,
                 "the advisor's suggestions")
    n = check_read_only(viewer, "#view", "radios with advice", MIN_WRITES["radios"] + 3)
    assert n >= MIN_WRITES["radios"] + 3
    viewer.tab("networks")
    viewer.click("#wm-scan-all")
    viewer.wait(".modal .wm-scan-all")
    check_read_only(viewer, ".modal", "nearby scan", 0)
    viewer.js("document.querySelector('.modal .right .btn').click()")
    viewer.until(lambda: not modal_open(viewer), 10, "the scan dialog to close")
    assert {c: server.twin().uci.text(c) for c in before} == before
    assert viewer.console_errors() == []


def test_every_wizard_is_read_only(viewer):
    viewer.tab("networks")
    for kind in WIZARDS:
        viewer.js("var kind = arguments[0];"
                  "L.require('wifimgr.wizards').then(function(w) { w.open(kind); });", kind)
        viewer.wait(".modal #wm-wizard-submit")
        check_read_only(viewer, ".modal", f"wizard {kind}", 2)
        title = viewer.find(".modal #wm-wizard-submit").get_attribute("title")
        assert "only read" in title
        viewer.shot(f"read-only-wizard-{kind}")
        # Escape closes it as in LuCI (the first button of the button row: Cancel)
        from selenium.webdriver.common.keys import Keys

        viewer.find("#modal_overlay").send_keys(Keys.ESCAPE)
        viewer.until(lambda: not modal_open(viewer), 10, f"{kind} to close on Escape")
    assert viewer.console_errors() == []


def test_a_write_forced_through_is_refused_inline_without_a_session_banner(viewer, server):
    """Even when a write is sent (another page, the console), rpcd refuses it with -32002;
    LuCI then checks that the session still reads and, as it does, shows no extra banner and
    no 'session expired' dialog — the view tells the viewer it may only read."""
    viewer.tab("linkpolicy")
    reply = viewer.d.execute_async_script(
        "var done = arguments[0]; L.require('wifimgr.common').then(function(wm) {"
        " return wm.call('steering_daemon', { action: 'start' }); }).then(done, function(e) {"
        " done({ thrown: String(e) }); });")
    assert reply["ok"] is False and reply["error"]["code"] == "access_denied", reply
    assert "only read" in reply["error"]["message"]
    assert not modal_open(viewer)
    assert not viewer.finds("#session-expired")
    st = server.twin().uci.load("wifimgr")
    assert st.get("steering") is None or st["steering"].get_str("enabled") != "1"
    assert viewer.console_errors() == []


def test_an_expired_session_gets_luci_s_login_dialog(viewer, server):
    """The other side of LuCI's -32002 handling: when the session itself is gone, the
    `session access` check fails too and LuCI asks for a new login."""
    viewer.tab("clients")
    viewer.js("L.require('rpc').then(function(rpc) { return rpc.declare({ object: 'session',"
              " method: 'destroy' })(); })")
    viewer.until(lambda: viewer.js("return 1"), 5)
    viewer.d.execute_async_script(
        "var done = arguments[0]; L.require('wifimgr.common').then(function(wm) {"
        " return wm.call('clients'); }).then(done, done);")
    viewer.wait_text(".modal", "Session expired", 20)
    viewer.console_errors()                # LuCI logs the SessionError it raises
    viewer.d.get(server.url + "/cgi-bin/luci/admin/logout")
