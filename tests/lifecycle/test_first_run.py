"""First-run defaults: applied once, both orders (config present / appearing later), the
original's MLD bug fixed, judged by the safety module."""

from __future__ import annotations

import re

from wifimgr.lifecycle.defaults import first_run, run_first_boot
from wifimgr.model.configset import ConfigSet
from wifimgr.platform.ucitext import Package, parse
from wifimgr.sim.factory import NETWORK, WIRELESS
from wifimgr.surface.api import dispatch


def test_pure_first_run_on_the_factory_config():
    cs = ConfigSet.of(parse(WIRELESS, "wireless"), parse(NETWORK, "network"),
                      Package("wifimgr"))
    rep = first_run(cs, key="K" * 16)
    w = cs["wireless"]
    mld = w["ap_mld_1"]
    assert mld.get_str("ssid") == "OpenWrt-MLD"
    # the MLD's device is a list that includes radio2: WPA3, not the original's sae-mixed
    assert mld.get_str("encryption") == "sae" and mld.get_str("ieee80211w") == "2"
    assert mld.get_str("sae_pwe") == "2" and mld.get_str("key") == "K" * 16
    assert w["default_radio2"].get_str("encryption") == "sae"
    assert w["default_radio0"].get_str("encryption") == "sae-mixed"
    assert w["default_radio0"].get_str("ieee80211w") == "1"
    # the firmware's country is kept (issue 21: never a hard-coded CZ)
    assert {r.get_str("country") for r in w.of_type("wifi-device")} == {"US"}
    assert cs["wifimgr"]["defaults"].get_str("country_set") == "US"
    assert cs["network"]["lan"].get_str("netmask") == "255.255.255.0"
    assert cs["wifimgr"]["defaults"].get_str("applied") == "1" and rep["wireless_done"]


def test_random_key_is_16_alphanumerics_and_differs():
    keys = set()
    for _ in range(3):
        cs = ConfigSet.of(parse(WIRELESS, "wireless"), Package("network"), Package("wifimgr"))
        keys.add(first_run(cs)["key"])
    assert len(keys) == 3 and all(re.fullmatch(r"[A-Za-z0-9]{16}", k) for k in keys)


def test_without_a_firmware_country_the_world_domain_and_the_owner_is_asked(twin, system):
    """No country from the firmware: '00' (never CZ), and status asks the owner to choose —
    until the Country wizard ran."""
    pkg = system.uci.load("wireless")
    for r in pkg.of_type("wifi-device"):
        r.set("country", None)
    system.uci.commit(pkg)
    run_first_boot(system)
    assert {r.get_str("country") for r in system.uci.load("wireless").of_type("wifi-device")} \
        == {"00"}
    assert "CZ" not in system.uci.text("wireless")
    c = dispatch("status", {})["country"]
    assert c["confirmed"] is False and c["code"] == "00"
    assert c["message"].startswith("Choose your country")
    twin.advance(90)
    assert dispatch("country", {"country": "DE"})["ok"]
    c = dispatch("status", {})["country"]
    assert c["confirmed"] is True and c["message"] is None


def test_configured_country_is_used():
    wm = parse("config defaults 'defaults'\n\toption country 'DE'\n", "wifimgr")
    cs = ConfigSet.of(parse(WIRELESS, "wireless"), Package("network"), wm)
    first_run(cs)
    assert cs["wireless"]["radio1"].get_str("country") == "DE"


def test_order_uci_defaults_first_then_radios_appear(twin, system):
    wireless = system.uci.text("wireless")
    import os

    os.unlink(os.path.join(twin.confdir, "wireless"))  # first boot: no wireless config yet
    rep = run_first_boot(system)
    assert rep["network"] == ["lan netmask /32 → /24"] and not rep["wireless_done"]
    assert not system.uci.exists("wifimgr") or \
        system.uci.load("wifimgr").get("defaults") is None
    with open(os.path.join(twin.confdir, "wireless"), "w") as fh:  # wifi config ran
        fh.write(wireless)
    rep = run_first_boot(system)  # the ieee80211 hotplug hook
    assert rep["wireless_done"] and rep["reply"]["ok"] and rep["reply"]["apply"] == "reboot"
    twin.advance(90)
    assert dispatch("status", {})["config"]["violations"] == []
    before = {n: system.uci.text(n) for n in ("wireless", "network", "wifimgr")}
    assert run_first_boot(system)["skipped"] == "already applied"  # the second boot
    assert {n: system.uci.text(n) for n in before} == before


def test_order_config_already_present(twin, system):
    rep = run_first_boot(system)
    assert rep["wireless_done"] and rep["network"]
    log = system.run.run(["logread"]).stdout
    assert "wifimgr: first-run defaults" in log and "wifimgr secret" in log
    assert rep["key"] not in log
