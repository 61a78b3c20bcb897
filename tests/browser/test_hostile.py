"""Hostile strings from every place a router gets them from outside, on every tab and wizard:
neighbour SSIDs (anyone in radio range names their AP), a station's DHCP host name, syslog
lines, and the owner's own SSIDs and option values (quotes, ``<``, ``&``, ``\\x00`` escapes
written out, 32-byte UTF-8, format directives). The suite fails if a script runs or any of them
becomes an element, and passes only when each shows verbatim as text.

The twin is set up once; each page is loaded once and audited as a whole (many checks per
load keeps the suite's CI time small)."""

from __future__ import annotations

import pytest
from harness import modal_open, open_wizard, set_field

IMG = "<img src=x onerror=xss=1>"                  # 25 bytes: a legal SSID
SVG = "<svg/onload=xss=2>"
QUOTES = "\"'><b>bold</b>&amp;"
ESCAPES = r"a\x00b\x41c\\d"                         # backslash escapes, written out
UTF8 = "Wi‑Fi Ünïcødé 😀 Straße"                     # exactly 32 bytes of UTF-8
FORMAT = "%s %d %h %% {0}"                           # String.format / str.format directives
HOST = "<img/src=x/onerror=xss=3>"                   # a host name has no blanks
HOST_FMT = "%s%d%h%%"
LOG_IMG = "<img src=x onerror=xss=4>"
LOG_SCRIPT = "<script>xss=5</script> & \"q\""
assert len(UTF8.encode()) == 32 and all(len(s.encode()) <= 32 for s in
                                        (IMG, SVG, QUOTES, ESCAPES, FORMAT))

NEIGHBOURS = {IMG: "5g", SVG: "2g", QUOTES: "5g", ESCAPES: "2g", UTF8: "5g", FORMAT: "5g"}
#: the owner's own networks (set with a hand edit, as another UI or `uci` would)
OWN = {"default_radio0": IMG, "default_radio1": UTF8, "default_radio2": ESCAPES,
       "ap_mld_1": QUOTES}
OPTION = ("default_radio0", "comment", SVG)
MLO_STA, LEGACY_STA = "02:00:00:00:00:66", "02:00:00:00:00:67"

#: run in the page: what became of the hostile strings in ``scope``
AUDIT = """
var scope = document.querySelector(arguments[0]), want = arguments[1];
if (!scope) return { missing_scope: arguments[0] };
var text = scope.textContent, values = [], bad = [];
scope.querySelectorAll('input, select, textarea').forEach(function(el) { values.push(el.value); });
scope.querySelectorAll('*').forEach(function(el) {
  var tag = el.tagName.toLowerCase();
  if (tag == 'img' || tag == 'script' || tag == 'b' || tag == 'iframe' || tag == 'object')
    bad.push(tag);
  for (var i = 0; i < el.attributes.length; i++)
    if (/^on/i.test(el.attributes[i].name)) bad.push(tag + '[' + el.attributes[i].name + ']');
});
return { bad: bad, xss: window.xss === undefined ? null : window.xss,
         missing: want.filter(function(s) { return text.indexOf(s) < 0 && values.indexOf(s) < 0; }) };
"""


def audit(b, scope: str, want: list[str], what: str) -> None:
    r = b.js(AUDIT, scope, want)
    assert "missing_scope" not in r, (what, r)
    assert r["bad"] == [], f"{what}: hostile strings became elements: {r['bad']}"
    assert r["xss"] is None, f"{what}: a hostile script ran (xss={r['xss']})"
    assert r["missing"] == [], f"{what}: not shown verbatim: {r['missing']}"


def close(b) -> None:
    b.js("var bs = document.querySelectorAll('.modal .right > button');"
         "if (bs.length) bs[0].click();")
    b.until(lambda: not modal_open(b), 10, "the dialog to close")


@pytest.fixture(scope="module")
def hostile(browser, server):
    twin = server.twin()
    twin.advance(150)
    for ssid, band in NEIGHBOURS.items():
        twin.add_neighbour(ssid, band, signal=-60)
    w = twin.uci.load("wireless")
    for sec, ssid in OWN.items():
        w[sec].set("ssid", ssid)
    w[OPTION[0]].set(OPTION[1], OPTION[2])
    twin.uci.commit(w)
    twin.add_station(mac=MLO_STA, kind="emlsr", ssid="*mld", hostname=HOST,
                     signal={"2g": -50, "5g": -55, "6g": -60}, band="5g")
    twin.add_station(mac=LEGACY_STA, kind="legacy", ssid="*5g", hostname=HOST_FMT,
                     signal={"2g": -50, "5g": -55, "6g": -60}, band="5g")
    twin.syslog(f"daemon.info hostapd: phy0.1-ap0: STA {MLO_STA} name {LOG_IMG}")
    twin.syslog(f"daemon.notice wifimgr: {LOG_SCRIPT}")
    twin.reboot()                      # the MLD's SSID changes only with a reboot
    twin.advance(150)
    browser.login()
    return browser


def test_the_audit_catches_an_injection(hostile):
    """Control: a view that handed a string to E() the wrong way (a bare child goes to
    innerHTML in LuCI) is caught — by the element check and by the script that runs."""
    b = hostile
    b.tab("radios")
    b.js("var n = E('div', { 'id': 'wm-bad' }, arguments[0]); document.getElementById('view')"
         ".appendChild(n);", IMG)
    with pytest.raises(AssertionError, match="became elements"):
        audit(b, "#view", [], "control")
    b.until(lambda: b.js("return window.xss") == 1, 10, "the injected script to run")
    b.tab("radios")                            # a fresh page: the global is gone again
    assert b.js("return window.xss === undefined")
    assert any("/x " in e for e in b.console_errors())   # the injected <img src=x> loaded


def test_networks_tab(hostile):
    b = hostile
    b.tab("networks")
    audit(b, "#view", list(OWN.values()), "networks table")
    for sec in OWN:                            # every row's detail, incl. "All options"
        b.click(f'.wm-net[data-section="{sec}"] .wm-expand')
        b.wait(f'.wm-net[data-section="{sec}"] + .wm-row-detail')
    text = b.js("return Array.prototype.map.call(document.querySelectorAll('.wm-options'),"
                " function(p) { return p.textContent; }).join('\\n')")
    assert f'comment = "{SVG}"' in text
    audit(b, "#view", [*OWN.values(), SVG], "networks details")
    b.shot("hostile-networks")
    b.click('.wm-net[data-section="default_radio0"] .wm-edit')
    b.wait(".wm-form [name=ssid]")
    assert b.js("return document.querySelector('.wm-form [name=ssid]').value") == IMG
    audit(b, "#view", [IMG], "edit form")
    b.click('.wm-net[data-section="ap_mld_1"] .cbi-button-remove')      # title names the SSID
    b.wait(".modal #wm-confirm")
    audit(b, ".modal", [f"Remove {QUOTES}?"], "remove dialog")
    close(b)
    b.click("#wm-scan-all")
    b.wait(".modal .wm-scan-all")
    audit(b, ".modal", list(NEIGHBOURS), "nearby scan")
    close(b)
    assert b.console_errors() == []


@pytest.mark.parametrize("kind,field,bands", [("station", "ssid", ("5g",)),
                                              ("wds", "ssid", ("5g",)),
                                              ("repeater", "uplink_ssid", ("2g", "5g"))])
def test_wizard_scans_and_picks(hostile, kind, field, bands):
    b = hostile
    open_wizard(b, kind)
    if kind != "repeater":
        set_field(b, "radio", "radio1")
    b.click(".modal .wm-form button.cbi-button-action")          # Scan
    b.wait(".modal .wm-scan-row")
    seen = [s for s, band in NEIGHBOURS.items() if band in bands]
    audit(b, ".modal", seen, f"{kind} scan list")
    for ssid in seen:                          # picking a row copies the SSID as it is
        b.js("var want = arguments[0]; Array.prototype.filter.call("
             "document.querySelectorAll('.modal .wm-scan-row'), function(r) {"
             " return r.getAttribute('data-ssid') === want; })[0].click();", ssid)
        assert b.js("return document.querySelector(arguments[0]).value",
                    f'.modal [name="{field}"]') == ssid
    audit(b, ".modal", seen, f"{kind} after picking")
    b.shot(f"hostile-wizard-{kind}")
    close(b)


def test_wizards_echo_a_hostile_ssid_in_their_verdict(hostile):
    b = hostile
    for kind in ("ap", "mlo_ap"):
        open_wizard(b, kind)
        audit(b, ".modal", [], f"{kind} wizard")
        if kind == "ap":
            set_field(b, "radio", "radio0")
        set_field(b, "ssid", QUOTES)                             # taken by the MLD
        set_field(b, "key", "hostile-pass-1")
        b.click("#wm-wizard-submit")
        b.until(lambda: b.js("return document.querySelector('.modal .wm-wizard-errors')"
                             ".children.length") > 0, 30, f"{kind}'s verdict")
        audit(b, ".modal", [], f"{kind} verdict")
        close(b)
    b.tab("radios")
    b.click("#wm-country")
    b.wait(".modal #wm-wizard-submit")
    audit(b, ".modal", [], "country wizard")
    close(b)


def test_clients_link_policy_diagnostics(hostile, server):
    b = hostile
    b.tab("clients")
    audit(b, "#view", [HOST, HOST_FMT, QUOTES, UTF8], "clients")
    b.shot("hostile-clients")
    hosts = b.js("return Array.prototype.map.call(document.querySelectorAll('.wm-hostname'),"
                 " function(e) { return e.textContent; })")
    assert HOST in hosts and HOST_FMT in hosts
    b.click(f'.wm-client[data-mac="{LEGACY_STA}"] .wm-disconnect')
    b.wait(".modal #wm-confirm")
    audit(b, ".modal", [f"Disconnect {HOST_FMT}?"], "disconnect dialog")
    close(b)
    b.tab("linkpolicy")
    audit(b, "#view", [HOST], "link policy")
    b.tab("diagnostics")
    audit(b, "#view", [QUOTES, LOG_IMG, LOG_SCRIPT], "diagnostics")
    b.click("#wm-diag-scan-btn")
    b.wait("#wm-diag-scan .table")
    audit(b, "#view", list(NEIGHBOURS), "diagnostics scan")
    b.shot("hostile-diagnostics")
    b.tab("events")
    audit(b, "#view", [], "events")
    b.tab("radios")
    audit(b, "#view", [], "radios")
    assert b.js("return window.xss === undefined")
    assert b.console_errors() == []
