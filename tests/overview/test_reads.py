"""Read methods on the twin, through the real parsers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from wifimgr.surface.api import dispatch


def test_status_on_a_fresh_twin(twin):
    r = dispatch("status", {})
    assert r["board"]["model"] == "Bananapi BPI-R4" and r["board"]["backend"] == "twin"
    assert r["chip"]["state"] == "ok" and not r["chip"]["locked"]
    # the MTK factory MLD uses sae-mixed with a 6 GHz link (spec §g.8): reported, not hidden
    assert [v["rule"] for v in r["config"]["violations"]] == ["wpa3-on-6g"]
    assert r["config"]["pending"] == {"reload": False, "reboot": False, "reasons": []}
    assert r["mlo"]["ap"] == {"section": "ap_mld_1", "ssid": "MT76_AP_MLD",
                              "ifname": "ap-mld-1", "radios": ["radio0", "radio1", "radio2"],
                              "links_up": 3}
    assert r["clients"] == 3


def test_status_reports_a_locked_chip(twin, system):
    with system.uci.lock():
        pkg = system.uci.load("wireless")
        for n in range(2):
            s = pkg.add("wifi-iface", f"extra{n}")
            s.set("device", "radio1")
            s.set("mode", "ap")
            s.set("ssid", f"x{n}")
        system.uci.commit(pkg)
    system.run.run(["wifi", "reload"])  # bypassing wifimgr: the chip crashes
    twin.advance(10)
    r = dispatch("status", {})
    assert r["chip"]["state"] == "locked" and r["chip"]["locked"]
    assert "15 minutes" in r["chip"]["recovery"]
    assert "mlo-radio-extra-ap" in [v["rule"] for v in r["config"]["violations"]]
    nets = dispatch("networks", {})["networks"]
    assert {n["status"] for n in nets if not n["disabled"]} == {"locked"}


def test_pending_reboot_without_snapshot_compares_with_netifd(twin, system):
    with system.uci.lock():
        pkg = system.uci.load("wireless")
        pkg["ap_mld_1"].set("ssid", "Renamed")
        system.uci.commit(pkg)
    p = dispatch("status", {})["config"]["pending"]
    assert p["reload"] and p["reboot"] and any("'Renamed'" in x for x in p["reasons"]), p


def test_radios_configured_vs_live(twin):
    rs = {r["name"]: r for r in dispatch("radios", {})["radios"]}
    assert rs["radio2"]["live"]["channel"] == 37 and rs["radio2"]["live"]["width_mhz"] == 320
    # 6 GHz utilisation 126 % is the MBSSID quirk: reported as n/a with the reason
    assert rs["radio2"]["chan_util_pct"] is None and "126" in rs["radio2"]["chan_util_note"]
    assert rs["radio1"]["chan_util_pct"] == 18
    assert rs["radio0"]["config"]["txpower_mode"] == "efuse_max"  # factory: no sku_idx
    assert rs["radio0"]["live"]["txpower_dbm"] == 3.0  # the cold-boot TMAC bug is visible
    assert rs["radio1"]["noise_dbm"] == -94 and rs["radio1"]["in_mlo_ap"]
    assert 30 < rs["radio0"]["temperature_c"] < 90


def test_busy_percent_comes_from_counter_deltas(twin, system):
    first = {r["radio"]: r for r in dispatch("survey", {})["radios"]}
    assert first["radio0"]["busy_source"] == "lifetime"
    twin.set_rf("2g", busy=80)
    twin.advance(20)
    second = {r["radio"]: r for r in dispatch("survey", {})["radios"]}
    assert second["radio0"]["busy_source"] == "delta"
    assert second["radio0"]["busy_pct"] == 80.0  # the last interval, not the lifetime mean


def test_networks_never_carry_passphrases(twin):
    nets = dispatch("networks", {})["networks"]
    assert nets[0]["section"] == "ap_mld_1" and nets[0]["kind"] == "mlo-ap"
    assert [ln["band"] for ln in nets[0]["links"]] == ["2g", "5g", "6g"]
    assert all("12345678" not in json.dumps(n) for n in nets)
    assert nets[3]["has_key"] and nets[1]["has_key"] is False
    assert {n["status"] for n in nets} == {"up"}


def test_clients_types_and_links(twin):
    r = dispatch("clients", {})
    cl = {c["mac"]: c for c in r["clients"]}
    router, phone, laptop = (cl["3e:35:54:dc:99:02"], cl["d2:43:8f:7b:e6:eb"],
                             cl["a0:88:69:12:34:56"])
    assert router["type"] == "mlmr" and router["generation"] == 7
    assert all(ln["active"] for ln in router["links"])
    assert phone["type"] == "mlsr" and phone["max_simul_links"] == 1
    assert sum(ln["active"] for ln in phone["links"]) == 1
    idle = [ln for ln in phone["links"] if not ln["active"]]
    assert all(ln["signal_dbm"] is None and ln["idle_reason"] for ln in idle)
    assert laptop["type"] == "legacy" and laptop["links"] == [] and laptop["generation"] == 6
    assert r["summary"]["total"] == 3 and r["summary"]["mld"] == 2


def test_client_disconnect(twin):
    dry = dispatch("client_disconnect", {"mac": "A0:88:69:12:34:56", "dry_run": True})
    assert dry["ok"] and dry["changes"][0]["ifname"] == "phy0.1-ap0"
    assert dispatch("client_disconnect", {"mac": "a0:88:69:12:34:56"})["ok"]
    assert "a0:88:69:12:34:56" not in {c["mac"] for c in dispatch("clients", {})["clients"]}
    gone = dispatch("client_disconnect", {"mac": "a0:88:69:12:34:56"})
    assert gone["error"]["code"] == "not_found" and gone["error"]["field"] == "mac"
    assert dispatch("client_disconnect", {"mac": "zz"})["error"]["field"] == "mac"


def test_scan_is_band_filtered_and_maps_encryption(twin):
    r = dispatch("scan", {"radio": "radio1"})
    assert r["results"] and {x["band"] for x in r["results"]} == {"5g"}
    up = next(x for x in r["results"] if x["ssid"] == "Upstream-MLO")
    assert up["width_mhz"] == 160 and up["encryption"] == "sae" and up["wifi7"]
    allb = dispatch("scan", {})
    assert {x["band"] for x in allb["results"]} == {"2g", "5g", "6g"}
    assert any(x["hidden"] for x in allb["results"])
    assert dispatch("scan", {"radio": "radio9"})["error"]["field"] == "radio"


def test_diagnostics_log_backup_secret_constraints(twin):
    d = dispatch("diagnostics", {})
    assert d["firmware"][0]["component"] == "HW/SW"
    assert d["temperatures"]["cpu_c"] and set(d["temperatures"]["wifi"]) == {
        "radio0", "radio1", "radio2"}
    assert {x["radio"]: x["util_pct"] for x in d["radios"]}["radio2"] is None
    assert d["mlo"][0]["ifname"] == "ap-mld-1" and len(d["mlo"][0]["links"]) == 3
    assert d["regdomain"]["country"] == "US"
    lg = dispatch("log", {"lines": 5, "filter": "all"})
    assert 0 < len(lg["lines"]) <= 5
    assert dispatch("log", {"lines": 0})["error"]["field"] == "lines"
    b = dispatch("backup", {})
    assert b["filename"].startswith("wireless-") and "config wifi-iface 'ap_mld_1'" in b["config"]
    assert dispatch("secret", {"section": "default_radio2"})["key"] == "12345678"
    assert dispatch("secret", {"section": "radio0"})["error"]["field"] == "section"
    c = dispatch("constraints", {})
    assert not c["radios"]["radio1"]["ap_slot_free"]["ok"]
    assert c["radios"]["radio1"]["ap_slot_free"]["rule"] == "mlo-radio-extra-ap"


def test_read_through_the_rpcd_plugin(twin, repo_root):
    env = dict(os.environ)
    res = subprocess.run([sys.executable, str(repo_root / "rpcd" / "wifimgr"), "call",
                          "networks"], input="{}", capture_output=True, text=True, env=env,
                         timeout=60, check=False)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["networks"][0]["ifname"] == "ap-mld-1"


def test_cli_tables_and_json(twin, repo_root):
    from click.testing import CliRunner

    from wifimgr.surface.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["networks"])
    assert out.exit_code == 0 and "ap-mld-1" in out.output and "SECTION" in out.output
    js = runner.invoke(main, ["radios", "--json"])
    assert json.loads(js.output)["radios"][0]["name"] == "radio0"
    st = runner.invoke(main, ["status"])
    assert "wpa3-on-6g" in st.output
    sc = runner.invoke(main, ["scan", "--radio", "radio9"])
    assert sc.exit_code == 1 and "invalid_argument" in sc.output


def test_status_names_the_driver_that_crashes_on_mlo_clients(system):
    """openwrt/mt76#1109: where this boot's map shows that kmod-mt76, status and Diagnostics
    say so for the MLO AP (a finding, not a refusal); without it they say nothing."""
    import json
    import os

    from wifimgr.host import probe

    probe.capabilities(system)                           # this boot's map, kept
    path = os.path.join(system.state_dir, probe.CACHE_NAME)
    assert dispatch("status")["findings"] == []
    with open(path) as fh:
        blob = json.load(fh)
    blob["map"]["capabilities"]["mt76_mlo_client_crash"] = True
    blob["map"]["evidence"]["mt76"] = "kmod-mt76 6.18.38.2026.07.01~59676919-r1"
    with open(path, "w") as fh:
        json.dump(blob, fh)
    st = dispatch("status")
    [f] = st["findings"]
    assert f["id"] == "mt76-mlo-client-crash" and f["subject"] == "ap_mld_1"
    assert "59676919" in f["message"] and f["message"] in st["notes"]
    assert dispatch("diagnostics")["findings"] == st["findings"]
