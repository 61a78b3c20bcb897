"""The preview shim behaves like LuCI wherever the views depend on it. Each case runs in the
page; in CI against the shim, under ``make test-luci`` against LuCI's own luci.js, cbi.js and
ui.js — the expected values are LuCI's (checked against cbi.js of LuCI master, 2026-03)."""

from __future__ import annotations

import pytest
from harness import modal_open

#: pattern, arguments, what LuCI's String.prototype.format returns
FORMATS = [
    ("%s", [None], "null"),                          # not '' (the shim used to print nothing)
    ("%s", [], "undefined"),
    ("%s and %s", ["a"], "a and a"),                 # a missing argument repeats the previous
    ("%d%%", [5.7], "5%"),
    ("%d dBm", ["-61"], "-61 dBm"),
    ("%d", [None], "0"),
    ("%h", ["<&\"'>"], "&#60;&#38;&#34;&#39;&#62;"),
    ("%h|%q", [None, None], "|"),
    ("%q", ["a\"b'c"], "a&#34;b&#39;c"),
    ("%5s|%-5s|", ["ab", "cd"], "   ab|cd   |"),
    ("%05d", [42], "00042"),
    ("%.2f", [3.14159], "3.14"),
    ("%x %X", [255, 255], "ff FF"),
    ("%t", [3700], "1h 1m 40s"),
    ("%t", [100000], "1d 3h 46m 40s"),
    ("%m", [2048], "2.05 K"),
    ("x %y %s", [1], "x %y %s"),                     # an unknown directive ends formatting
    ("100% sure %s", ["x"], "100xure x"),           # '% s' is a space-padded %s
    ("ch %d · %d MHz", [36, 5180], "ch 36 · 5180 MHz"),
]


def test_00_login(browser, server):
    server.twin().advance(150)
    browser.login()
    browser.tab("radios")


@pytest.mark.parametrize("fmt,args,want", FORMATS)
def test_string_format(browser, fmt, args, want):
    got = browser.js("return String.prototype.format.apply(arguments[0], arguments[1]);",
                     fmt, args)
    assert got == want


def test_string_children_are_html_array_children_text(browser):
    """Why the views wrap every value: a bare string child is parsed as HTML, an array item is
    a text node — in LuCI's dom.append and in the shim alike; so is a modal's title."""
    r = browser.js("""
        var a = E('div', {}, '<i>x</i>'), b = E('div', {}, [ '<i>x</i>' ]);
        return [ a.firstChild.nodeName, b.firstChild.nodeType, b.textContent ];""")
    assert r == ["I", 3, "<i>x</i>"]
    r = browser.d.execute_async_script("""
        var done = arguments[0];
        L.require('ui').then(function(ui) {
          var dlg = ui.showModal('<i>t</i>', [ E('p', {}, 'x') ]);
          var a = dlg.querySelector('h4').firstChild.nodeName;
          dlg = ui.showModal([ '<i>t</i>' ], [ E('p', {}, 'x') ]);
          var b = dlg.querySelector('h4').textContent;
          ui.hideModal();
          done([ a, b ]);
        });""")
    assert r == ["I", "<i>t</i>"]


def test_create_handler_fn_returns_nothing(browser):
    """LuCI's handler does not return fn's promise (the views must not rely on it); it
    disables the button while fn runs and passes the bound arguments before the event."""
    r = browser.d.execute_async_script("""
        var done = arguments[0];
        L.require('ui').then(function(ui) {
          var seen = null, btn = E('button', {}, 'b');
          document.body.appendChild(btn);
          var release;
          var h = ui.createHandlerFn({}, function(x, ev) { seen = [ x, ev.type ];
            return new Promise(function(r) { release = r; }); }, 'arg');
          var ret = h({ type: 'click', currentTarget: btn });
          var during = btn.disabled;
          release();
          setTimeout(function() { done([ ret === undefined, seen, during, btn.disabled ]);
                                  btn.remove(); }, 50);
        });""")
    assert r == [True, ["arg", "click"], True, False]


def test_escape_presses_the_first_button_of_the_dialog(browser):
    from selenium.webdriver.common.keys import Keys

    browser.js("""L.require('ui').then(function(ui) {
        ui.showModal('Esc', [ E('div', { 'class': 'right' }, [
          E('button', { 'class': 'btn', 'id': 'esc-first', 'click': function() {
            window.escPressed = 'first'; ui.hideModal(); } }, 'Cancel'),
          E('button', { 'class': 'btn', 'click': function() { window.escPressed = 'second'; } },
            'OK') ]) ]); });""")
    browser.until(lambda: modal_open(browser), 10, "the dialog")
    browser.find("#modal_overlay").send_keys(Keys.ESCAPE)
    browser.until(lambda: not modal_open(browser), 10, "Escape to close the dialog")
    assert browser.js("return window.escPressed") == "first"


def test_view_permission_follows_the_menu_node(browser):
    assert browser.js("return L.hasViewPermission()") is True
    assert browser.js("return L.env.nodespec.satisfied") is True
