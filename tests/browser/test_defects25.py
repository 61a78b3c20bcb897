"""Issue 25, part 3: the defects seen under the real runtime, each checked on the page — the
Events health card (readable, no repeated line), bullets inside their alert, aligned sparkline
rows with values, no empty subject pill, readable version line in dark mode, selects that show
their text, the read-only reason as text. (A pending reboot that is not "degraded":
tests/monitor/test_health.py; bidi isolation: test_calm.py; SSID names in refusals:
tests/safety.)"""

from __future__ import annotations

import pytest
from harness import open_wizard

BY_HAND = ("\nconfig wifi-iface 'byhand'\n\toption device 'radio1'\n\toption mode 'ap'\n"
           "\toption ssid 'byhand'\n\toption encryption 'sae'\n\toption key 'hand-made-key'\n"
           "\toption network 'lan'\n")

#: WCAG contrast ratio of an element's text against the first opaque background behind it
CONTRAST = """
var cv = document.createElement('canvas'); cv.width = cv.height = 1;
var cx = cv.getContext('2d', { willReadFrequently: true });
/* any CSS colour (rgb(), color(srgb …), oklch(), color-mix()) as 0-255 rgba, through a canvas */
function rgb(s) { cx.clearRect(0, 0, 1, 1); cx.fillStyle = '#000'; cx.fillStyle = s; cx.fillRect(0, 0, 1, 1);
  var d = cx.getImageData(0, 0, 1, 1).data; return { r: d[0], g: d[1], b: d[2], a: d[3] / 255 }; }
function lum(c) { return [c.r, c.g, c.b].map(function(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
  .reduce(function(s, v, i) { return s + v * [0.2126, 0.7152, 0.0722][i]; }, 0); }
var el = document.querySelector(arguments[0]), cs = getComputedStyle(el), fg = rgb(cs.color);
var op = parseFloat(cs.opacity), bg = null;
for (var e = el; e && !bg; e = e.parentElement) {
  var c = rgb(getComputedStyle(e).backgroundColor); if (c.a > 0.9) bg = c;
  if (e !== el) op *= parseFloat(getComputedStyle(e).opacity);
}
bg = bg || { r: 255, g: 255, b: 255 };
var a = fg.a * op, mix = { r: fg.r * a + bg.r * (1 - a), g: fg.g * a + bg.g * (1 - a), b: fg.b * a + bg.b * (1 - a) };
var l1 = lum(mix), l2 = lum(bg);
return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
"""


@pytest.fixture(scope="module")
def b(browser):
    browser.login()
    return browser


def _cli(server, *argv):
    import os
    import subprocess
    import sys

    from support import ROOT

    env = dict(os.environ, WIFIMGR_SIM=server.sim_dir,
               PYTHONPATH=os.pathsep.join([str(ROOT / "lib"), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-m", "wifimgr", *argv], env=env, check=True,
                          capture_output=True, text=True, timeout=120)


def test_version_line_is_readable_in_dark_mode(b):
    b.d.execute_cdp_cmd("Emulation.setEmulatedMedia",
                        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        b.tab("networks")
        ratio = b.js(CONTRAST, ".wm-version")
        assert ratio >= 4.5, f"version line contrast {ratio:.2f}:1"
    finally:
        b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert b.js(CONTRAST, ".wm-version") >= 4.5


def test_sparkline_rows_line_up_and_show_their_value(b):
    b.tab("radios")
    rows = b.js("""return Array.prototype.map.call(document.querySelectorAll('.wm-card .wm-sparkrow'), function(r) {
        return { line: Math.round(r.children[1].getBoundingClientRect().left - r.getBoundingClientRect().left),
                 value: r.children[2].textContent, cls: r.children[2].className }; });""")
    assert len(rows) >= 9
    assert len({r["line"] for r in rows}) == 1, rows          # every line starts at one x
    assert all(r["cls"] == "wm-spark-val" and r["value"] for r in rows)
    assert any(r["value"].endswith("°C") for r in rows)      # temperatures: a reading already


def test_selects_show_their_whole_text(b):
    b.tab("radios")
    b.tab("events")
    for tab in ("radios", "events", "clients", "linkpolicy"):
        b.tab(tab)
        clipped = b.js("""
var ctx = document.createElement('canvas').getContext('2d'), out = [];
document.querySelectorAll('#view select').forEach(function(s) {
  if (!s.offsetParent || s.selectedIndex < 0) return;
  var cs = getComputedStyle(s); ctx.font = cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily;
  var need = ctx.measureText(s.options[s.selectedIndex].text).width + 24;
  if (s.clientWidth < need) out.push([s.id || s.name, s.options[s.selectedIndex].text, s.clientWidth, Math.round(need)]);
});
return out;""")
        assert clipped == [], f"{tab}: clipped selects {clipped}"


def test_no_empty_subject_pill(b):
    b.tab("events")
    empty = b.js("return Array.prototype.filter.call(document.querySelectorAll('tr.wm-event td:nth-child(3) code'),"
                 " function(c) { return !c.textContent.trim(); }).length;")
    assert empty == 0
    # the monitor's own events have no subject: their cell is empty, without a pill
    assert b.js("return Array.prototype.some.call(document.querySelectorAll('tr.wm-event'),"
                " function(r) { return r.dataset.kind == 'monitor' && !r.children[2].querySelector('code'); });")


def test_violations_bullets_inside_their_alert(b, server):
    from pathlib import Path

    path = Path(server.twin().confdir) / "wireless"
    before = path.read_text()
    try:
        with open(path, "a") as fh:
            fh.write(BY_HAND)
        b.tab("networks")
        b.wait("#wm-violations li")
        gap = b.js("var a = document.getElementById('wm-violations').getBoundingClientRect(),"
                   " l = document.querySelector('#wm-violations li').getBoundingClientRect();"
                   " return l.left - a.left;")
        assert gap >= 18, f"the bullet has {gap}px inside the alert"
        # the refusal's fix names the network as the owner knows it
        assert "'byhand' on 5 GHz" in b.text("#wm-violations")
        assert "wifinet" not in b.text("#wm-violations")
    finally:
        path.write_text(before)


def test_health_card_is_readable_and_says_each_thing_once(b, server):
    """The AP MLD comes up a link short after a boot (rollback off, so it stays degraded): the
    card's items are text on the alert's colour, not red on red, and the missing line is not
    repeated."""
    twin = server.twin()
    twin.advance(300)                                  # the first apply's check is over
    _cli(server, "monitor", "--once")
    pkg = twin.uci.load("wifimgr")
    pkg["monitor"].set("rollback", "0")
    twin.uci.commit(pkg)
    try:
        _cli(server, "sim", "fail-next-apply", "--network", "ap_mld_1", "--link", "radio2")
        twin.reboot()
        twin.advance(300)
        _cli(server, "monitor", "--once")
        b.tab("events")
        b.wait_text("#wm-health", "links up", 60)
        card = b.js("""var c = document.getElementById('wm-health');
            return { cls: c.className, text: c.innerText, red: c.querySelectorAll('.wm-bad').length };""")
        assert "error" in card["cls"], card
        assert card["red"] == 0, "red items inside the red alert"
        assert card["text"].count("has no link on radio2") == 1, card["text"]
        # the text has the alert's own colour (bootstrap paints the alert with a background
        # image, so a contrast against a background colour would not mean much here)
        assert b.js("var c = document.getElementById('wm-health');"
                    "return Array.prototype.every.call(c.querySelectorAll('p, li, bdi'),"
                    " function(e) { return getComputedStyle(e).color == getComputedStyle(c).color; });")
        assert b.finds("#wm-degraded")                 # and the header's banner says it
    finally:
        pkg = twin.uci.load("wifimgr")
        pkg["monitor"].set("rollback", "1")
        twin.uci.commit(pkg)
        twin.reboot()
        twin.advance(300)
        _cli(server, "monitor", "--once")


def test_read_only_reason_is_text_a_phone_shows(browser):
    browser.d.delete_all_cookies()
    browser.login("viewer", "viewer")
    browser.tab("clients")
    note = browser.find(".wm-header .wm-readonly-note")
    assert note.is_displayed() and "may only read" in note.text
    open_wizard(browser, "ap")
    wiz = browser.find(".modal .wm-readonly-note")
    assert wiz.is_displayed() and "may only read" in wiz.text
