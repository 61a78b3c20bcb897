"""The plugin under the real rpcd: rpcd runs ``rpcd/wifimgr list`` at start-up, registers the
``wifimgr`` object on ubusd with those signatures, and runs ``rpcd/wifimgr call <method>``
with the arguments on stdin for every ``ubus call wifimgr …``.

Needs rpcd, ubusd and the ubus CLI built from source with the plugin linked into rpcd's plugin
directory (``WIFIMGR_RPCD_PLUGIN_DIR``): `make test-native` does that; skipped elsewhere. The
plugin works on a twin here (rpcd passes its environment, WIFIMGR_SIM included, to plugins).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from support import start_rpcd, start_ubusd
from wifimgr.surface.api import dispatch, signature_table

PLUGIN_DIR = os.environ.get("WIFIMGR_RPCD_PLUGIN_DIR", "")
pytestmark = pytest.mark.skipif(
    not (all(shutil.which(t) for t in ("rpcd", "ubusd", "ubus"))
         and os.path.exists(os.path.join(PLUGIN_DIR, "wifimgr"))),
    reason="needs rpcd, ubusd and ubus with the plugin installed for rpcd: `make test-native`")

RPCD_TYPES = {str: "String", bool: "Boolean", int: "Integer", list: "Array", dict: "Table"}


@pytest.fixture(scope="module")
def rpcd(tmp_path_factory):
    from wifimgr.sim import open_twin

    d = tmp_path_factory.mktemp("rpcd")
    sock, sim = str(d / "ubus.sock"), str(d / "twin")
    twin = open_twin(sim)
    twin.freeze()
    twin.advance(90)
    ubusd = start_ubusd(sock)
    daemon = start_rpcd(sock, sim)
    yield sock, sim
    daemon.kill()
    ubusd.kill()
    daemon.wait(5)
    ubusd.wait(5)


def _ubus(sock: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["ubus", "-s", sock, *args], capture_output=True, text=True,
                          timeout=60, check=False)


def test_rpcd_registers_the_registry_signatures(rpcd):
    sock, _ = rpcd
    out = _ubus(sock, "-v", "list", "wifimgr").stdout.splitlines()
    assert out[0].startswith("'wifimgr' @")
    listed = {}
    for line in out[1:]:
        name, _, sig = line.strip().partition(":")
        listed[json.loads(name)] = json.loads(sig)
    table = signature_table()
    assert set(listed) == set(table)
    for method, args in table.items():
        assert listed[method] == {a: RPCD_TYPES[type(v)] for a, v in args.items()}, method


def test_reads_through_rpcd_equal_the_api(rpcd, monkeypatch):
    sock, sim = rpcd
    monkeypatch.setenv("WIFIMGR_SIM", sim)
    for method, args in (("status", {}), ("radios", {}), ("networks", {}),
                         ("log", {"lines": 5})):
        res = _ubus(sock, "call", "wifimgr", method, json.dumps(args))
        assert res.returncode == 0, res.stderr
        assert json.loads(res.stdout) == json.loads(json.dumps(dispatch(method, args))), method


def test_errors_through_rpcd(rpcd):
    sock, _ = rpcd
    bad = _ubus(sock, "call", "wifimgr", "log", '{"lines": "many"}')
    assert bad.returncode == 0          # rpcd does not check types: the reply carries the error
    assert json.loads(bad.stdout)["error"] == {"code": "invalid_argument", "field": "lines",
                                               "message": "'lines' must be an integer"}
    unknown = _ubus(sock, "call", "wifimgr", "nope")
    assert unknown.returncode != 0 and "Method not found" in unknown.stderr


def test_a_write_through_rpcd_is_judged(rpcd):
    sock, sim = rpcd
    args = {"radio": "radio0", "ssid": "Through rpcd", "encryption": "psk2",
            "key": "lan-password"}
    blocked = json.loads(_ubus(sock, "call", "wifimgr", "ap", json.dumps(args)).stdout)
    # the factory config already has a legacy AP on the MLO radio: a second one is refused
    assert blocked["ok"] is False
    new = [b["rule"] for b in blocked["blocked"] if not b["preexisting"]]
    assert new == ["mlo-radio-extra-ap"]
    with open(os.path.join(sim, "etc", "config", "wireless")) as fh:
        assert "Through rpcd" not in fh.read()


def test_a_daemon_started_through_rpcd_does_not_hold_the_call(rpcd):
    # rpcd answers an exec plugin call when the plugin's stdout closes: the steering daemon
    # that `steering_daemon start` launches must be fully detached, or the call hangs
    sock, _ = rpcd
    res = _ubus(sock, "-t", "20", "call", "wifimgr", "steering_daemon", '{"action": "start"}')
    try:
        assert res.returncode == 0, res.stderr
        reply = json.loads(res.stdout)
        assert reply["ok"] is True and reply["daemon"]["running"] is True, reply
    finally:
        stop = _ubus(sock, "-t", "20", "call", "wifimgr", "steering_daemon",
                     '{"action": "stop"}')
    assert json.loads(stop.stdout)["daemon"]["running"] is False
