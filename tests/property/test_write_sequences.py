"""Law covers physics, through the API: random sequences of every write method — with the
argument names the registry declares, valid and invalid values, reboots and clock jumps —
starting from post-install twins (first-run defaults applied and booted; then a few
configurations the wizards make), never make the twin crash, never leave an accepted
configuration that the twin cannot bring up as configured, and a refused call leaves every
config file byte-identical. Every fourth call goes through the real rpcd plugin (argv + JSON on
stdin); the others through ``api.dispatch``, which is what the plugin calls.

The control test shows the harness catches a locked chip when the safety module is bypassed,
so the property can fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transaction.conftest import RADIOS_ONLY

RADIO = st.sampled_from(["radio0", "radio1", "radio2", "radio9"])
RADIO_OK = st.sampled_from(["radio0", "radio1", "radio2"])
SSID = st.sampled_from(["Home", "Guest", "Upstream-WiFi", "Upstream-MLO", "OpenWrt-MLD",
                        "x" * 40, "", "Ü-ñ \"q\" <b>"])
ENC = st.sampled_from(["psk2", "sae", "sae-mixed", "owe", "none", "wep-bogus"])
KEY = st.sampled_from(["lan-password", "short", "upstream-pass", "upstream-mlo-key"])
MAC = st.sampled_from(["02:00:00:00:00:09", "3e:35:54:dc:99:02", "zz:zz", ""])
BOOL = st.booleans()

#: a value strategy for every argument name the write methods declare; (method, arg) first
ARG_VALUES: dict = {
    "radio": RADIO, "radios": st.one_of(st.lists(RADIO_OK, min_size=2, max_size=3, unique=True),
                                      st.lists(RADIO, min_size=1, max_size=3, unique=True)),
    "uplink_radio": RADIO, "ap_radio": RADIO,
    "ssid": SSID, "uplink_ssid": SSID, "ap_ssid": SSID,
    "encryption": ENC, "uplink_encryption": ENC, "ap_encryption": ENC,
    "key": KEY, "uplink_key": KEY, "ap_key": KEY,
    "bssid": MAC, "uplink_bssid": MAC, "mac": MAC,
    "channel": st.sampled_from(["auto", "1", "6", "36", "100", "149", "37", "69", "999"]),
    "htmode": st.sampled_from(["EHT20", "EHT40", "EHT80", "EHT160", "EHT320", "HE80", "HT20"]),
    "hidden": BOOL, "isolate": BOOL, "eml_disable": BOOL, "wds": BOOL, "mlo": BOOL,
    "disabled": BOOL, "enabled": BOOL,
    "maxassoc": st.sampled_from([1, 32, 0, 999]),
    "network": st.sampled_from(["lan", "wwan", "nonexistent"]),
    "mld_assoc_band": st.sampled_from(["2g", "5g", "6g"]),
    "country": st.sampled_from(["DE", "CZ", "US", "XX"]),
    "dbm": st.sampled_from([5, 15, 23, 40]),
    "bitmap": st.sampled_from([0, 1, 2, 6, 65535]),
    "ifname": st.sampled_from(["ap-mld-1", "phy0.1-ap0", "bogus"]),
    "action": st.sampled_from(["start", "stop", "restart"]),
    "population": st.sampled_from(["all", "majority", "none"]),
    "values": None,            # per method below
    "section": None,           # drawn from the current config at run time
    "config": None,            # a backup text, below
    "dry_run": st.just(False),
    ("wds", "mode"): st.sampled_from(["wds", "relayd"]),
    ("txpower_set", "mode"): st.sampled_from(["regdb", "efuse_max", "manual"]),
    ("puncture_set", "mode"): st.sampled_from(["off", "auto", "manual"]),
    ("steering_set", "mode"): st.sampled_from(["auto", "all_on", "5g_only", "off"]),
    ("network_set", "values"): st.one_of(st.sampled_from([
        {"ssid": "Renamed"}, {"disabled": "1"}, {"disabled": "0"}, {"device": "radio1"},
        {"device": "radio2"}, {"device": ["radio0", "radio1"]}, {"mode": "sta"},
        {"mode": "ap"}, {"mlo": "0"}, {"mlo": "1"}, {"hidden": "1"}, {"macaddr": "random"},
        {"encryption": "psk2"}, {"encryption": "sae"}, {"wds": "1"}, {"repeater": "1"},
        {"device": ["radio0", "radio2"]}, {"network": "wwan"}]), st.dictionaries(
        st.sampled_from(["ssid", "disabled", "device", "mode", "encryption", "key", "mlo",
                         "hidden", "macaddr", "network", "wds", "repeater"]),
        st.one_of(st.sampled_from(["Renamed", "1", "0", "radio0", "radio1", "radio2", "sta",
                                   "ap", "psk2", "sae", "owe", "random", "lan", None]),
                  st.lists(RADIO_OK, min_size=1, max_size=3)),
        min_size=1, max_size=3)),
    ("key_rotate", "sections"): st.lists(st.sampled_from(
        ["default_radio0", "ap_mld_1", "wifinet0", "nope"]), max_size=2, unique=True),
    ("steering_set", "values"): st.dictionaries(
        st.sampled_from(["interval", "cooldown", "mode"]),
        st.sampled_from([10, 30, "auto", None]), max_size=2),
}

BACKUPS = ["RADIOS_ONLY", "FACTORY", "CURRENT_PLUS_X2", "junk"]

#: post-install twins: first-run defaults applied and booted, then what a wizard makes
STARTS = {
    "defaults": [],
    "radios only (legacy APs to come)": [("restore", {"config": RADIOS_ONLY})],
    "defaults + STA uplink (C3)": [("station", {"radio": "radio0", "ssid": "Upstream-WiFi",
                                                "encryption": "psk2",
                                                "key": "upstream-pass"})],
    "radios only + MLO STA + AP (C10)": [
        ("restore", {"config": RADIOS_ONLY}),
        ("station", {"mlo": True, "ssid": "Upstream-MLO", "encryption": "sae",
                     "key": "upstream-mlo-key"}),
        ("ap", {"radio": "radio1", "ssid": "Home", "encryption": "psk2",
                "key": "lan-password"})],
    "radios only + repeater (C11)": [
        ("restore", {"config": RADIOS_ONLY}),
        ("repeater", {"uplink_radio": "radio1", "uplink_ssid": "Upstream-WiFi",
                      "uplink_encryption": "psk2", "uplink_key": "upstream-pass",
                      "ap_radio": "radio0", "ap_ssid": "Rep", "ap_encryption": "psk2",
                      "ap_key": "rep-password"})],
}


def write_methods():
    from wifimgr.surface import api

    return [m for m in api.METHODS.values() if m.access == "write" and m.write_result]


def strategy_for(method: str, arg: str):
    return ARG_VALUES.get((method, arg), ARG_VALUES.get(arg))


def test_every_declared_argument_of_every_write_method_is_generated():
    missing = [f"{m.name}.{a.name}" for m in write_methods() for a in m.args
               if a.name not in ("section", "config") and strategy_for(m.name, a.name) is None]
    assert missing == []


def draw_call(data, twin) -> tuple[str, dict]:
    from wifimgr.platform.ucitext import parse

    m = data.draw(st.sampled_from(write_methods()), label="method")
    args: dict = {}
    for a in m.args:
        if a.name == "dry_run" or not (a.required or data.draw(st.integers(0, 3))):
            continue
        if a.name == "section":
            disk = parse(twin.disk_wireless(), "wireless")
            names = [s.name for s in disk.of_type("wifi-iface")] + ["nope"]
            args["section"] = data.draw(st.sampled_from(names))
        elif a.name == "config":
            which = data.draw(st.sampled_from(BACKUPS))
            args["config"] = backup_text(which, twin)
        else:
            args[a.name] = data.draw(strategy_for(m.name, a.name), label=a.name)
    return m.name, args


def backup_text(which: str, twin) -> str:
    from wifimgr.sim import factory

    if which == "RADIOS_ONLY":
        return RADIOS_ONLY
    if which == "FACTORY":
        return factory.WIRELESS
    if which == "CURRENT_PLUS_X2":
        return twin.disk_wireless() + (
            "\nconfig wifi-iface 'x2a'\n\toption device 'radio1'\n\toption mode 'ap'\n"
            "\toption ssid 'x2a'\n\toption encryption 'none'\n"
            "\nconfig wifi-iface 'x2b'\n\toption device 'radio1'\n\toption mode 'ap'\n"
            "\toption ssid 'x2b'\n\toption encryption 'none'\n")
    return "config x\n'"


def config_bytes(twin) -> dict[str, bytes | None]:
    out = {}
    for name in ("wireless", "network", "dhcp", "firewall"):
        path = os.path.join(twin.confdir, name)
        out[name] = open(path, "rb").read() if os.path.exists(path) else None  # noqa: SIM115
    return out


class Caller:
    """api.dispatch in process, every fourth call through the real rpcd plugin."""

    def __init__(self, root):
        self.plugin = str(root / "rpcd" / "wifimgr")
        self.n = 0

    def __call__(self, method: str, args: dict) -> dict:
        from wifimgr.host import system as system_root
        from wifimgr.surface.api import dispatch

        self.n += 1
        if self.n % 4:
            system_root.set_system(None)
            return dispatch(method, args)
        res = subprocess.run([sys.executable, self.plugin, "call", method],
                             input=json.dumps(args), capture_output=True, text=True,
                             env=dict(os.environ), timeout=60, check=False)
        return json.loads(res.stdout)


def post_install(directory: str, start: str, call: Caller):
    from wifimgr.host import system as system_root
    from wifimgr.lifecycle.defaults import run_first_boot
    from wifimgr.sim import open_twin

    os.environ["WIFIMGR_SIM"] = directory
    twin = open_twin(directory)
    twin.freeze()
    twin.advance(90)
    system_root.set_system(None)
    report = run_first_boot(system_root.get_system(refresh=True))
    assert report["reply"]["ok"], report
    twin.advance(240)
    for method, args in STARTS[start]:
        r = call(method, args)
        assert r["ok"], (start, method, r)
        twin.advance(240)
    return twin


def broken(twin) -> str | None:
    """What the twin cannot run as configured right now (None when all is well)."""
    st_ = twin.load()
    if st_["chip"]["locked"]:
        return "the chip locked"
    rt = twin.runtime()
    bad = [(p.section, p.code) for p in rt.problems if p.kind != "ignored"] if rt else []
    if bad:
        return f"the twin does not bring up {bad}"
    if twin.pending()["reboot"]:
        return "an MLO change is on disk but not live (it was reloaded, not rebooted)"
    return None


def run_sequence(data, directory: str, root) -> None:
    call = Caller(root)
    start = data.draw(st.sampled_from(sorted(STARTS)), label="start")
    twin = post_install(directory, start, call)
    assert broken(twin) is None, start
    for n in range(data.draw(st.integers(1, 8), label="steps")):
        if data.draw(st.integers(0, 6), label="reboot?") == 0:
            twin.reboot()
            twin.advance(240)
            continue
        method, args = draw_call(data, twin)
        before = config_bytes(twin)
        reply = call(method, args)
        if not reply.get("ok"):
            assert config_bytes(twin) == before, f"step {n} {method}{args}: refused, changed"
        twin.advance(240)      # reboots and DFS checks are over
        problem = broken(twin)
        assert problem is None, f"step {n} {method}{args} → {reply.get('apply')}: {problem}"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.data())
def test_random_write_sequences_from_post_install_twins(tmp_path_factory, repo_root, data):
    run_sequence(data, str(tmp_path_factory.mktemp("twin")), repo_root)


@pytest.mark.parametrize("start", sorted(STARTS))
def test_every_post_install_start_runs_clean(tmp_path, repo_root, start):
    twin = post_install(str(tmp_path), start, Caller(repo_root))
    assert broken(twin) is None


def test_control_the_harness_catches_what_a_bypassed_safety_lets_through(tmp_path, repo_root,
                                                                         monkeypatch):
    from wifimgr.rules import safety

    call = Caller(repo_root)
    call.n = 1                 # in process (the monkeypatch does not reach the plugin)
    twin = post_install(str(tmp_path / "a"), "defaults", call)
    allow = safety.Verdict(apply="reload")
    monkeypatch.setattr(safety, "judge", lambda applied, proposed, caps=None: allow)
    call.n = 1
    r = call("ap", {"radio": "radio1", "ssid": "second5g", "encryption": "sae",
                    "key": "lan-password"})
    assert r["ok"]
    twin.advance(240)
    assert broken(twin) == "the chip locked"
    # and the apply method alone: an AP on an MLO radio reloaded breaks the MLD's links
    monkeypatch.undo()
    twin2 = post_install(str(tmp_path / "b"), "defaults", call)
    monkeypatch.setattr(safety, "apply_method", lambda a, p: ("reload", []))
    call.n = 1
    r = call("network_set", {"section": "default_radio1", "values": {"ssid": "x"}})
    assert r["ok"] and r["apply"] == "reload"
    twin2.advance(240)
    assert "mld-link-broken-by-reload" in (broken(twin2) or "")
