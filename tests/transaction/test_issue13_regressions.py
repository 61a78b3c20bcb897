"""Issue 13: the accepted writes that broke the safety promise, each replayed through the rpcd
plugin (argv + JSON on stdin, as rpcd runs it) on a post-install twin — first-run defaults
applied (`wifimgr hotplug defaults`), 240 s later — exactly as the independent run found them.
"""

from __future__ import annotations

import os
import pathlib

import pytest

from transaction.conftest import Plugin, config_bytes


@pytest.fixture
def installed(twin, system, repo_root):
    """A fresh twin after first-run defaults and 240 s, and the plugin to call on it."""
    from wifimgr.lifecycle.defaults import run_first_boot

    report = run_first_boot(system)
    assert report["reply"]["ok"], report
    if report["reply"]["apply"] == "reboot":
        twin.reboot()
    twin.advance(240)
    return Plugin(repo_root, dict(os.environ))


def settle(twin, reply):
    """Make a reply's apply happen on the twin (the plugin reboots it itself)."""
    twin.advance(240)


def test_an_ap_on_a_disabled_mlo_radio_is_refused_and_the_chip_stays_up(installed, twin):
    r = installed("radio_set", radio="radio2", disabled=True)
    assert r["ok"] and r["apply"] == "reboot", r
    settle(twin, r)
    before = config_bytes(twin)
    r = installed("ap", radio="radio2", ssid="second6g", encryption="sae", key="correcthorse")
    assert not r["ok"]
    assert [b["rule"] for b in r["blocked"]] == ["mlo-radio-extra-ap"], r["blocked"]
    assert r["blocked"][0]["subject"] == "radio2"
    assert config_bytes(twin) == before
    settle(twin, r)
    assert not twin.load()["chip"]["locked"]
    # and `check` of a config that has it says so, also with radio2 disabled
    text = pathlib.Path(twin.confdir, "wireless").read_text() + (
        "\nconfig wifi-iface 'x'\n\toption device 'radio2'\n\toption mode 'ap'\n"
        "\toption ssid 'second6g'\n\toption encryption 'sae'\n\toption key 'correcthorse'\n")
    v = installed("check", config=text)
    assert "mlo-radio-extra-ap" in {b["rule"] for b in v["blocked"]}


def test_a_device_list_counts_on_every_listed_radio(installed, twin):
    before = config_bytes(twin)
    r = installed("network_set", section="default_radio0",
                  values={"device": ["radio0", "radio1"]})
    assert not r["ok"]
    assert {(b["rule"], b["subject"]) for b in r["blocked"]} == {("mlo-radio-extra-ap",
                                                                  "radio1")}
    assert config_bytes(twin) == before


def test_a_sta_listing_the_6ghz_radio_is_refused(installed, twin):
    r = installed("station", radio="radio0", ssid="Upstream-WiFi", encryption="psk2",
                  key="upstream-pass")
    assert r["ok"], r
    settle(twin, r)
    before = config_bytes(twin)
    r = installed("network_set", section=r["section"], values={"device": ["radio0", "radio2"]})
    assert not r["ok"]
    assert "no-6g-sta" in {b["rule"] for b in r["blocked"]}
    assert config_bytes(twin) == before


def test_an_mld_turned_legacy_counts_on_all_its_radios(installed, twin):
    r = installed("network_set", section="ap_mld_1", values={"mlo": "0"})
    # legacy APs only (C6): allowed, and a reboot (it removes the MLD)
    assert r["ok"] and r["apply"] == "reboot", r
    settle(twin, r)
    assert not twin.load()["chip"]["locked"]
    before = config_bytes(twin)
    r = installed("mlo_ap", radios=["radio0", "radio1", "radio2"], ssid="NewMLD",
                  key="mld-password")
    assert not r["ok"]
    blocked = {(b["rule"], b["subject"]) for b in r["blocked"]}
    assert {("mlo-radio-extra-ap", f"radio{n}") for n in range(3)} <= blocked, blocked
    assert config_bytes(twin) == before
    assert not twin.load()["chip"]["locked"]


def test_an_ap_on_an_mlo_radio_turned_into_a_sta_is_a_reboot(installed, twin):
    r = installed("network_set", section="default_radio0", values={"mode": "sta"},
                  dry_run=True)
    assert r["ok"] and r["apply"] == "reboot", r
    assert any("'OpenWrt-2g'" in x and "STA" in x for x in r["reasons"]), r["reasons"]
    # the same as disabling it
    d = installed("network_set", section="default_radio0", values={"disabled": "1"},
                  dry_run=True)
    assert d["ok"] and d["apply"] == "reboot"


def test_a_reload_never_leaves_the_mld_a_link_short(installed, twin, system):
    """What the twin does when an AP on an MLO radio is reloaded (the reason for the rule)."""
    from wifimgr.sim import runtime

    r = installed("network_set", section="default_radio1", values={"ssid": "renamed"})
    assert r["ok"] and r["apply"] == "reboot"
    settle(twin, r)
    rt = twin.runtime()
    mld = next(b for b in rt.bsses if b.mld)
    assert len(mld.links) == 3
    assert not [p for p in rt.problems if p.code == "mld-link-broken-by-reload"]
    # the control: the same change by `wifi reload` breaks the sibling links
    sec = system.uci.load("wireless")
    sec.get("default_radio1").set("ssid", "renamed again")
    system.uci.commit(sec)
    system.run.run(["wifi", "reload"])
    twin.advance(10)
    rt = twin.runtime()
    assert {p.code for p in rt.problems} >= {"mld-link-broken-by-reload"}
    assert len(next(b for b in rt.bsses if b.mld).links) == 1
    assert runtime.PROBLEMS["mld-link-broken-by-reload"][0] == "degraded"


def hand_edit(twin, extra: str) -> None:
    path = pathlib.Path(twin.confdir, "wireless")
    path.write_text(path.read_text() + extra)


X2_BY_HAND = ("\nconfig wifi-iface 'byhand'\n\toption device 'radio1'\n\toption mode 'ap'\n"
              "\toption ssid 'byhand'\n\toption encryption 'sae'\n\toption key 'hand-made-key'\n"
              "\toption network 'lan'\n")


def test_a_refusal_caused_only_by_a_preexisting_violation_names_the_fix(installed, twin):
    hand_edit(twin, X2_BY_HAND)
    before = config_bytes(twin)
    r = installed("network_set", section="default_radio2", values={"ssid": "Attic"})
    assert not r["ok"] and config_bytes(twin) == before
    assert r["requested_ok"] is True
    assert "the change you asked for is fine" in r["message"].lower()
    (b,) = r["blocked"]
    assert b["preexisting"] and b["rule"] == "mlo-radio-extra-ap"
    fix = b["fix"]
    assert fix == {"method": "network_set",
                   "args": {"section": "byhand", "values": {"disabled": "1"}},
                   "label": "Disable network 'byhand' on 5 GHz"}
    assert fix["label"] in r["message"]
    # `check` names the same fix
    c = installed("check")
    assert [x.get("fix") for x in c["blocked"]] == [fix]
    # one click: the fix is accepted, then the change asked for
    f = installed(fix["method"], **fix["args"])
    assert f["ok"] and f["apply"] == "reboot", f
    twin.advance(240)
    again = installed("network_set", section="default_radio2", values={"ssid": "Attic"})
    assert again["ok"], again
    assert not twin.load()["chip"]["locked"]


def test_a_request_that_is_itself_unsafe_is_not_called_fine(installed, twin):
    hand_edit(twin, X2_BY_HAND)
    # a second extra AP on radio0 (an MLO radio that already carries default_radio0)
    r = installed("ap", radio="radio0", ssid="kitchen", encryption="psk2", key="lan-password")
    assert not r["ok"]
    assert "requested_ok" not in r
    new = [b for b in r["blocked"] if not b["preexisting"]]
    assert [(b["rule"], b["subject"]) for b in new] == [("mlo-radio-extra-ap", "radio0")]


def test_while_the_chip_is_locked_every_write_result_warns(installed, twin):
    from wifimgr.surface import api
    from wifimgr.transaction.writes import LOCKED_WARNING

    ok = installed("network_set", section="default_radio2", values={"ssid": "Attic"})
    assert ok["ok"] and LOCKED_WARNING not in ok.get("warnings", [])
    with twin.edit() as st:            # the chip crashed (as the twin does on an EDCCA crash)
        twin._crash(st, [1], "wifi reload")
    twin.reboot()
    replies = {
        "fixing write": installed("network_set", section="default_radio2",
                                  values={"ssid": "Attic2"}),
        "refused write": installed("ap", radio="radio1", ssid="x", encryption="sae",
                                   key="lan-password"),
        "invalid write": installed("radio_set", radio="radio7", channel="6"),
        "dry run": installed("country", country="DE", dry_run=True),
    }
    for what, r in replies.items():
        assert r.get("warnings", [None])[0] == LOCKED_WARNING, (what, r)
        assert r["chip_locked"] is True
    assert replies["fixing write"]["ok"]
    # reads do not carry it (status has its own banner)
    assert "chip_locked" not in api.dispatch("networks", {})


def test_two_acs_links_of_the_mld_warn_and_check_offers_fixed_channels(installed, twin):
    # first-run defaults leave the factory's `channel auto` on 2.4 and 5 GHz
    r = installed("network_set", section="default_radio2", values={"ssid": "Attic"})
    assert r["ok"]
    (adv,) = r["advisories"]
    assert adv["rule"] == "mld-acs" and adv["subject"] == "ap_mld_1"
    assert adv["radios"] == ["radio0", "radio1"]
    assert adv["fixes"] == [{"method": "advise", "args": {"radio": n},
                             "label": f"Ask the channel advisor for {n}"}
                            for n in ("radio0", "radio1")]
    assert adv["message"] in r["warnings"]
    c = installed("check")
    fixes = c["advisories"][0]["fixes"]
    assert [f["method"] for f in fixes] == ["radio_set", "radio_set"]
    for f in fixes:                        # each is the advisor's own first choice
        top = installed("advise", radio=f["args"]["radio"])["top"][0]["channel"]
        assert f["args"]["channel"] == str(top)
    for f in fixes:
        assert installed(f["method"], **f["args"])["ok"]
        twin.advance(240)
    assert installed("check")["advisories"] == []


def test_a_random_mac_on_the_mld_is_refused_with_its_fix(installed, twin):
    before = config_bytes(twin)
    r = installed("network_set", section="ap_mld_1", values={"macaddr": "random"})
    assert not r["ok"] and [b["rule"] for b in r["blocked"]] == ["mld-random-mac"]
    assert config_bytes(twin) == before
    legacy = installed("network_set", section="default_radio2", values={"macaddr": "random"},
                       dry_run=True)
    assert legacy["ok"], legacy               # fine on a legacy AP
    path = pathlib.Path(twin.confdir, "wireless")
    path.write_text(path.read_text().replace("option ifname 'ap-mld-1'",
                                             "option ifname 'ap-mld-1'\n\toption macaddr 'random'"))
    (b,) = installed("check")["blocked"]
    assert b["fix"]["args"] == {"section": "ap_mld_1", "values": {"macaddr": None}}


def test_the_first_boot_country_is_shown_until_the_owner_confirms_one(installed, twin):
    # issue 21: first run keeps the firmware's country (the MTK factory config's US), never CZ
    s = installed("status")["country"]
    assert s["code"] == "US" and s["set_at_first_boot"] == "US"
    assert s["confirmed"] is False and "US, as the firmware set it" in s["message"]
    assert installed("country", country="US", dry_run=True)["ok"]
    assert installed("status")["country"]["confirmed"] is False     # a dry run changes nothing
    r = installed("country", country="US")         # confirming the same country counts
    assert r["ok"], r
    twin.advance(240)
    s = installed("status")["country"]
    assert s["confirmed"] is True and s["message"] is None and s["code"] == "US"


def test_a_twin_without_first_run_has_nothing_to_confirm(twin, repo_root):
    from transaction.conftest import Plugin

    s = Plugin(repo_root, dict(os.environ))("status")["country"]
    assert s == {"code": "US", "radios": {"radio0": "US", "radio1": "US", "radio2": "US"},
                 "confirmed": True, "set_at_first_boot": None, "message": None}


def test_the_cli_exits_non_zero_on_a_blocked_write(installed, twin):
    import subprocess
    import sys

    def cli(*argv):
        return subprocess.run([sys.executable, "-m", "wifimgr", *argv], capture_output=True,
                              text=True, env=dict(os.environ), timeout=60, check=False)

    blocked = cli("call", "ap", '{"radio":"radio1","ssid":"x","encryption":"sae",'
                                '"key":"lan-password"}')
    assert blocked.returncode == 3 and '"mlo-radio-extra-ap"' in blocked.stdout
    assert cli("ap", "--radio", "radio1", "--ssid", "x", "--encryption", "sae", "--key",
               "lan-password", "--yes").returncode == 3
    assert cli("call", "radio_set", '{"radio":"radio7","channel":"6"}').returncode == 1
    assert cli("call", "nope").returncode == 2
    assert cli("call", "status").returncode == 0
