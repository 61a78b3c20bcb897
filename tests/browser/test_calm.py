"""Issue 25: an idle tab polls calmly, pauses while hidden, keeps an open link-history box across
redraws; many clients stay usable; untrusted text is bidi-isolated.

Calls are counted, not timed: the tab's poll is driven through one virtual minute by LuCI's own
``poll.step()`` (one step = one second of LuCI's poll loop; each step waits until the polls it
started have finished), and every ``wifimgr`` call the page sends meanwhile is counted in the
page (inside LuCI's batched JSON-RPC requests too)."""

from __future__ import annotations

import pytest
from harness import RUNTIME, TABS

#: every ubus call the page sends, counted in the page (XHR: LuCI's rpc.js; fetch: the shim)
COUNTER = """
if (!window.__wm) {
  window.__wm = { calls: [] };
  var note = function(body) {
    try {
      var msgs = JSON.parse(body); if (!Array.isArray(msgs)) msgs = [ msgs ];
      msgs.forEach(function(m) {
        var p = m && m.params;
        if (p && p[1] == 'wifimgr') window.__wm.calls.push(p[2]);
      });
    } catch (e) {}
  };
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function(body) { note(body); return send.apply(this, arguments); };
  var f = window.fetch;
  window.fetch = function(url, opts) { note(opts && opts.body); return f.apply(this, arguments); };
}
window.__wm.calls = [];
"""

#: one virtual minute of LuCI's poll loop: 60 steps, each waiting for the polls it started
MINUTE = """
var done = arguments[arguments.length - 1], steps = arguments[0];
L.require('poll').then(async function(p) {
  p.stop(); p.tick = 0;
  window.__wm.calls = [];
  for (var i = 0; i < steps; i++) {
    p.step();
    for (var k = 0; k < 600 && p.queue.some(function(e) { return !e.r; }); k++)
      await new Promise(function(r) { setTimeout(r, 20); });
  }
  await new Promise(function(r) { setTimeout(r, 300); });
  done(window.__wm.calls.slice());
}).catch(function(e) { done('error: ' + e); });
"""

HIDE = """
Object.defineProperty(document, 'hidden', { configurable: true, get: function() { return arguments[0]; }.bind(null, arguments[0]) });
document.dispatchEvent(new Event('visibilitychange'));
"""


def idle_minute(browser, tab: str) -> list[str]:
    browser.tab(tab)
    browser.js(COUNTER)
    calls = browser.d.execute_async_script(MINUTE, 60)
    assert isinstance(calls, list), calls
    return calls


@pytest.fixture(scope="module")
def logged_in(browser):
    browser.d.set_script_timeout(180)
    browser.login()
    return browser


#: what an idle minute cost before issue 25, measured by this test on the views of the branch
#: point (the factory scene, shim; the issue measured 78 on Clients with 4 MLD clients in the
#: real runtime): printed beside the figures of this run. The same test fails on those views.
BEFORE = {"clients": 36, "linkpolicy": 12, "events": 6, "networks": 6, "radios": 12,
          "diagnostics": 0}


def test_an_idle_tab_makes_at_most_12_calls_a_minute(logged_in, capsys):
    """Every tab, the Clients tab with its MLD clients' link history open (the factory's few
    clients start expanded): ≤ 12 calls in a virtual minute, one poll per tab."""
    b = logged_in
    counts = {}
    for tab in TABS:
        calls = idle_minute(b, tab)
        counts[tab] = calls
        if tab == "clients":
            assert b.finds(".wm-client-history"), "the Clients tab had no open link history"
            # the open boxes were kept up to date: their history and events, one call each
            assert calls.count("history") == 2 and calls.count("events") == 1, calls
    with capsys.disabled():
        print(f"\n[{RUNTIME}] idle calls a minute per tab (before → now):")
        for tab, calls in counts.items():
            kinds = {m: calls.count(m) for m in sorted(set(calls))}
            print(f"  {tab:12s} {BEFORE.get(tab, '?'):>3} → {len(calls):2d}  {kinds}")
    too_many = {t: len(c) for t, c in counts.items() if len(c) > 12}
    assert not too_many, f"more than 12 calls in an idle minute: {too_many}"
    # the tabs poll: each made calls (header, data) — a tab that stopped polling is no success
    assert all(counts[t] for t in TABS), {t: len(c) for t, c in counts.items()}


def test_history_box_is_kept_and_never_flickers(logged_in):
    b = logged_in
    b.tab("clients")
    b.until(lambda: b.finds(".wm-client-history .wm-linkhist, .wm-client-history p.wm-note"), 30,
            "the link history to fill")
    b.js("document.querySelectorAll('.wm-client-history').forEach(function(x) { x.__mark = 1; });")
    b.js(COUNTER)
    b.d.execute_async_script(MINUTE, 61)
    same = b.js("var xs = document.querySelectorAll('.wm-client-history');"
                "return xs.length > 0 && Array.prototype.every.call(xs, function(x) {"
                " return x.__mark === 1 && !x.querySelector('.spinning'); });")
    assert same, "an open link-history box was made again (or shows Loading…) after a redraw"


def test_polling_pauses_while_hidden_and_resumes(logged_in):
    b = logged_in
    b.tab("clients")
    b.js(COUNTER)
    b.js(HIDE, True)
    hidden = b.d.execute_async_script(MINUTE, 60)
    assert hidden == [], f"calls while the tab was hidden: {hidden}"
    b.js("window.__wm.calls = [];")
    b.js(HIDE, False)                      # shown again: it catches up at once
    b.until(lambda: "clients" in b.js("return window.__wm.calls;"), 30, "the poll to resume")
    back = b.d.execute_async_script(MINUTE, 60)
    assert "clients" in back and len(back) <= 12, back


def test_header_banners_refresh_on_the_poll(logged_in, server):
    """A reboot-pending change made meanwhile (by another admin) reaches the open page's header
    on its poll."""
    b = logged_in
    b.tab("diagnostics")
    assert not b.finds("#wm-pending")
    twin = server.twin()
    pkg = twin.uci.load("wireless")
    pkg["ap_mld_1"].set("ssid", "Renamed-by-hand")
    twin.uci.commit(pkg)
    b.js(COUNTER)
    b.d.execute_async_script(MINUTE, 31)
    assert b.finds("#wm-pending"), "the header did not refresh on the poll"
    assert "Renamed-by-hand" in b.text("#wm-pending")
    # put it back for the other tests
    pkg = twin.uci.load("wireless")
    pkg["ap_mld_1"].set("ssid", "OpenWrt-MLD")
    twin.uci.commit(pkg)


RLO = "\u202e"


def test_right_to_left_override_cannot_reorder_the_mac(logged_in, server, capsys):
    b = logged_in
    host = f"evil{RLO}gnp.exe"
    mac = "02:aa:bb:cc:dd:01"
    _add(server, mac, host)
    b.tab("clients")
    b.wait_text("#wm-clients", mac, 60)
    iso = b.js("""
var row = document.querySelector('tr.wm-client[data-mac="' + arguments[0] + '"]');
var name = row.querySelector('.wm-hostname');
var inner = name.querySelector('bdi') || name;
return { text: inner.textContent, bidi: getComputedStyle(inner).unicodeBidi,
         macOutside: !inner.contains(row.querySelector('code')) };""", mac)
    assert iso["text"] == host
    assert iso["bidi"] == "isolate", iso
    assert iso["macOutside"]


def _add(server, mac: str, host: str) -> None:
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "wifimgr", "sim", "add-station", "--mac", mac,
                    "--kind", "legacy", "--hostname", host],
                   env=_env(server), check=True, capture_output=True, timeout=60)


def _env(server):
    import os

    from support import ROOT

    return dict(os.environ, WIFIMGR_SIM=server.sim_dir,
                PYTHONPATH=os.pathsep.join([str(ROOT / "lib"), os.environ.get("PYTHONPATH", "")]))


def test_200_clients_collapsed_sortable_filterable(logged_in, server, capsys):
    """200 clients: rows collapsed, sortable, filterable; the first render is measured (printed
    and recorded in the note, not asserted beyond a generous bound)."""
    b = logged_in
    twin = server.twin()
    have = len(twin.load()["stations"])
    for n in range(200 - have):
        twin.add_station(mac=f"02:c0:00:00:{n // 256:02x}:{n % 256:02x}",
                         kind=("mlmr", "mlsr", "emlsr", "legacy")[n % 4])
    # as on a router whose monitor runs: the page opens on a fresh sample (the pages read
    # before have made status and clients wanted)
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "wifimgr", "monitor", "--once"], env=_env(server),
                   check=True, capture_output=True, timeout=120)
    b.d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
window.__wmRender = null;
new MutationObserver(function(m, obs) {
  var rows = document.querySelectorAll('tr.wm-client');
  if (rows.length >= 200) { window.__wmRender = performance.now(); obs.disconnect(); }
}).observe(document, { childList: true, subtree: true });"""})
    b.tab("clients")
    b.until(lambda: b.js("return window.__wmRender;"), 60, "200 client rows")
    t = b.js("var n = performance.getEntriesByType('navigation')[0], r = window.__wmRender;"
             "var data = performance.getEntriesByType('resource').filter(function(e) {"
             " return /ubus/.test(e.name) && e.responseEnd <= r; })"
             ".reduce(function(m, e) { return Math.max(m, e.responseEnd); }, 0);"
             "return { total: r, dom: n ? n.domContentLoadedEventEnd : null, data: data };")
    timeline = b.js("return performance.getEntriesByType('resource').filter(function(e) {"
                    " return e.responseEnd <= window.__wmRender; }).map(function(e) {"
                    " return [e.name.replace(/^.*\\/\\/[^\\/]+/, '').slice(0, 60),"
                    " Math.round(e.startTime), Math.round(e.responseEnd)]; });")
    rows = len(b.finds("tr.wm-client"))
    assert rows >= 200
    assert not b.finds("tr.wm-row-detail"), "beyond a handful of clients rows start collapsed"
    with capsys.disabled():
        print(f"\n[{RUNTIME}] Clients tab with {rows} clients: table rendered "
              f"{t['total']:.0f} ms after navigation start (DOM ready at {t['dom']:.0f} ms, "
              f"last reply in at {t['data']:.0f} ms: {t['total'] - t['data']:.0f} ms to render)")
        for name, start, end in (x for x in timeline if "/ubus" in x[0]):
            print(f"    {start:5d} → {end:5d} ms  {name}")
    assert t["total"] < 20000                          # generous: a hang, not a timing
    # sort by signal: strongest first
    b.js("var s = document.getElementById('wm-cl-sort'); s.value = 'signal';"
         "s.dispatchEvent(new Event('change', {bubbles: true}));")
    sig = b.js("return Array.prototype.map.call(document.querySelectorAll('tr.wm-client'),"
               " function(r) { var m = /(-?\\d+) dBm/.exec(r.children[3].textContent);"
               " return m ? +m[1] : -999; });")
    assert sig == sorted(sig, reverse=True)
    # filter: 6 GHz only, then legacy only
    b.js("var s = document.getElementById('wm-cl-band'); s.value = '6g';"
         "s.dispatchEvent(new Event('change', {bubbles: true}));")
    bands = b.js("return Array.prototype.map.call(document.querySelectorAll('tr.wm-client'),"
                 " function(r) { return r.children[2].textContent; });")
    assert bands and all("6 GHz" in x for x in bands)
    b.js("var s = document.getElementById('wm-cl-band'); s.value = '';"
         "s.dispatchEvent(new Event('change', {bubbles: true}));"
         "var c = document.getElementById('wm-cl-class'); c.value = 'legacy';"
         "c.dispatchEvent(new Event('change', {bubbles: true}));")
    kinds = b.js("return Array.prototype.map.call(document.querySelectorAll('tr.wm-client'),"
                 " function(r) { return !!r.querySelector('.wm-kind'); });")
    assert kinds and not any(kinds)
    # an idle minute with 200 clients costs what it did with 3
    calls = idle_minute(b, "clients")
    assert len(calls) <= 12, calls
