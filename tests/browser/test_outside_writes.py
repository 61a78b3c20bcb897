"""Issue 21 in the views: an unsafe wireless config written from outside wifimgr (here: the file
edited as `uci commit` leaves it) is on LuCI's Status → Overview within one monitor sample,
through the status include `view/status/include/05_wifimgr.js`, with the restore; a network
with a publicly known key gets the header banner whose one click sets a new key, shown once
with a download.

The include is mounted as LuCI's status/index.js mounts every include (`L.require`, `load()`,
`render()` into a `.cbi-section`): the dev server serves wifimgr's pages, not luci-mod-status."""

from __future__ import annotations

import pathlib
import time

import pytest
from harness import RUNTIME, modal_open

EXTRA_AP = ("\nconfig wifi-iface 'outside_ap'\n\toption device 'radio0'\n\toption mode 'ap'\n"
            "\toption ssid 'Outside'\n\toption encryption 'sae'\n\toption key 'outside-key-1'\n"
            "\toption network 'lan'\n")

MOUNT = """
var done = arguments[arguments.length - 1];
L.require('view.status.include.05_wifimgr').then(function(inc) {
    return inc.load().then(function(data) {
        var old = document.getElementById('wm-test-overview');
        if (old) old.remove();
        var node = inc.render(data);
        var sec = E('div', { 'class': 'cbi-section', 'id': 'wm-test-overview' }, [
            E('div', { 'class': 'cbi-title' }, [ E('h3', {}, [ inc.title ]) ]), node || '' ]);
        // beside the view, not inside it: the view's poll re-renders #view
        var view = document.querySelector('#view');
        if (view) view.parentNode.insertBefore(sec, view);
        else document.body.insertBefore(sec, document.body.firstChild);
        done(node ? 'shown' : 'nothing');
    });
}).catch(function(e) { done('error: ' + e); });
"""


def _mount(browser) -> str:
    out = browser.d.execute_async_script(MOUNT)
    if out.startswith("error") and RUNTIME == "shim":
        pytest.skip(f"the dev server's shim cannot load a status include ({out}); run with "
                    "WIFIMGR_LUCI_SRC=<openwrt/luci checkout>")
    return out


def test_00_post_install(browser, server):
    from wifimgr.host.system import get_system
    from wifimgr.lifecycle.defaults import run_first_boot
    from wifimgr.monitor import daemon

    assert run_first_boot(get_system(refresh=True))["reply"]["ok"]
    server.twin().advance(240)
    daemon.once(server.twin().system())              # the monitor's baseline
    browser.login()


def test_a_safe_router_shows_nothing_on_the_overview(browser, server):
    browser.tab("networks")
    assert _mount(browser) == "nothing"


def test_an_unsafe_write_from_outside_is_on_the_overview_within_one_sample(browser, server):
    from wifimgr.monitor import daemon
    from wifimgr.observe import events

    twin = server.twin()
    path = pathlib.Path(twin.confdir, "wireless")
    path.write_text(path.read_text() + EXTRA_AP)      # uci set …; uci commit
    system = twin.system()
    daemon.once(system)                               # one sample
    ev = events.read(system, kinds=["unsafe_config"])[0][-1]
    assert "outside_ap" in ev["message"] and ev["rules"] and "outside wifimgr" in ev["message"]
    assert "outside-key-1" not in str(ev)
    log = system.run.run(["logread"]).stdout
    assert "daemon.warn" in log and "unsafe wireless configuration written" in log
    browser.tab("networks")
    assert _mount(browser) == "shown"
    text = browser.text("#wm-status-unsafe")
    # the network by its SSID (issue 25: no internal section names on the page)
    assert "written outside WiFi Manager" in text and "'Outside'" in text
    assert ev["rules"][0] in text
    assert browser.finds("#wm-status-restore-unsafe")
    browser.shot(f"status-overview-unsafe-outside-{RUNTIME}")
    # the header of wifimgr's own pages says the same, with the restore
    assert "written outside WiFi Manager" in browser.text("#wm-violations")


def test_the_restore_puts_the_last_good_config_back(browser, server):
    browser.click("#wm-status-restore-unsafe")
    twin = server.twin()
    browser.until(lambda: "outside_ap" not in pathlib.Path(twin.confdir, "wireless").read_text(),
                  90, "the restore")


def test_a_published_key_gets_the_banner_and_a_new_key_shown_once(browser, server, api):
    from wifimgr.monitor import daemon

    twin = server.twin()
    twin.advance(240)
    r = api("network_set", {"section": "default_radio0", "values": {"key": "12345678"}})
    assert r["ok"], r
    twin.advance(240)
    daemon.once(twin.system())
    browser.tab("networks")
    assert "default_radio0" in browser.text("#wm-published-key")
    assert _mount(browser) == "shown"
    assert "default_radio0" in browser.text("#wm-status-published-key")
    browser.shot(f"status-overview-published-key-{RUNTIME}")
    browser.click("#wm-new-key")
    browser.wait(".modal #wm-confirm")
    browser.click(".modal #wm-confirm")
    key = browser.text(".modal #wm-new-key-value", 30).strip()
    assert len(key) == 16 and key != "12345678"
    assert browser.finds(".modal #wm-new-key-download")
    browser.shot("new-key-shown-once")
    browser.click(".modal #wm-new-key-done")
    end = time.monotonic() + 120                       # the apply's progress, as finish_apply
    while time.monotonic() < end and modal_open(browser):
        close = browser.finds("#wm-progress-close")
        if close and close[0].is_displayed():
            close[0].click()
            break
        twin.advance(15)
        time.sleep(0.5)
    assert twin.uci.load("wireless")["default_radio0"].get_str("key") == key
