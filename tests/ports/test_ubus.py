"""ubus port: one contract suite for the router's backends against a real ubusd.

Runs where ``ubusd`` and ``ubus`` (OpenWrt's ubus project) are on PATH — python-ubus backend
too where ``import ubus`` works; `make test-native` builds all three from source (CI has
none). A helper process registers the object ``wmtest`` through python-ubus, the way hostapd
and netifd register theirs: ``echo`` replies with its arguments, ``slow`` answers after 3 s.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from support import start_ubusd
from wifimgr.platform.run import SubprocessRunner
from wifimgr.platform.ubus import CliUbusBus, PyUbusBus, UbusError

try:
    import ubus as _pyubus  # noqa: F401  (python-ubus, OpenWrt python3-ubus)
    HAVE_PYUBUS = True
except ImportError:
    HAVE_PYUBUS = False

HAVE_UBUSD = shutil.which("ubusd") is not None and shutil.which("ubus") is not None
pytestmark = pytest.mark.skipif(
    not (HAVE_UBUSD and HAVE_PYUBUS),
    reason="needs ubusd, the ubus CLI and python-ubus (not packaged here): `make test-native`")

SERVER = """
import sys, time, ubus
ubus.connect(sys.argv[1])
def echo(req, data):
    req.reply(data)
def slow(req, data):
    time.sleep(3)
    req.reply({"late": True})
ECHO = {"ssid": ubus.BLOBMSG_TYPE_STRING, "n": ubus.BLOBMSG_TYPE_INT32,
        "on": ubus.BLOBMSG_TYPE_BOOL, "list": ubus.BLOBMSG_TYPE_ARRAY}
ubus.add("wmtest", {"echo": {"method": echo, "signature": ECHO},
                    "slow": {"method": slow, "signature": {}}})
print("ready", flush=True)
ubus.loop()
"""


def _start(path: str) -> tuple[subprocess.Popen, subprocess.Popen]:
    """ubusd on ``path`` and the helper that registers ``wmtest`` on it."""
    daemon = start_ubusd(path)
    server = subprocess.Popen([sys.executable, "-c", SERVER, path], stdout=subprocess.PIPE,
                              text=True)
    assert server.stdout.readline().strip() == "ready"
    return daemon, server


def _stop(*procs: subprocess.Popen) -> None:
    for p in procs:
        p.kill()
        p.wait(5)


@pytest.fixture(scope="module")
def sock(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("ubus") / "ubus.sock")
    daemon, server = _start(path)
    yield path
    _stop(server, daemon)


@pytest.fixture(params=["cli", "python-ubus"])
def bus(request, sock):
    if request.param == "cli":
        yield CliUbusBus(SubprocessRunner(), socket=sock)
        return
    b = PyUbusBus(sock)
    yield b
    b.close()


def test_call_returns_the_reply_table(bus):
    args = {"ssid": "café 'x' $(id)", "n": 3, "on": True, "list": [1, 2]}
    assert bus.call("wmtest", "echo", args) == args


def test_objects_are_listed_and_filtered(bus):
    assert "wmtest" in bus.objects()
    assert bus.objects("wm*") == ["wmtest"]
    assert bus.objects("hostapd.*") == []


def test_missing_object_is_status_4(bus):
    with pytest.raises(UbusError) as exc:
        bus.call("hostapd.phy9-ap0", "get_status")
    assert exc.value.status == 4 and exc.value.status_name == "NOT_FOUND"


def test_missing_method_is_status_3(bus):
    with pytest.raises(UbusError) as exc:
        bus.call("wmtest", "nope")
    assert exc.value.status == 3


def test_timeout_is_status_7(bus):
    with pytest.raises(UbusError) as exc:
        bus.call("wmtest", "slow", timeout=1)
    assert exc.value.status == 7
    time.sleep(2.2)                     # let the helper finish its late answer


def test_python_ubus_reconnects_after_ubusd_restarts(tmp_path):
    path = str(tmp_path / "ubus.sock")
    daemon, server = _start(path)
    bus = PyUbusBus(path)
    try:
        args = {"ssid": "a", "n": 1, "on": True, "list": [1]}
        assert bus.call("wmtest", "echo", args) == args
        _stop(server, daemon)
        with pytest.raises(UbusError) as exc:
            bus.call("wmtest", "echo", args)
        assert exc.value.status == 10             # ubusd is gone: cannot reconnect
        daemon, server = _start(path)             # procd restarts ubusd, hostapd re-registers
        assert bus.call("wmtest", "echo", args) == args
        assert bus.objects("wm*") == ["wmtest"]
    finally:
        bus.close()
        _stop(server, daemon)


@pytest.mark.parametrize("backend", ["cli", "python-ubus"])
def test_no_ubusd_is_status_10(tmp_path, backend):
    path = str(tmp_path / "nothing.sock")
    bus = CliUbusBus(SubprocessRunner(), socket=path) if backend == "cli" else PyUbusBus(path)
    with pytest.raises(UbusError) as exc:
        bus.call("network.wireless", "status")
    assert exc.value.status == 10 and "cannot reach ubusd" in exc.value.message


def test_listen_receives_events_and_object_adds(bus, sock):
    """Both backends listen through `ubus listen` / `ubus subscribe` children (issue 16): a
    broadcast event and a new object arrive; a subscription to a missing object is dead."""
    lst = bus.listen(["wmtest.*", "ubus.object.add"], ["wmtest", "hostapd.nope"])
    try:
        time.sleep(0.5)                                    # the children have registered
        subprocess.run(["ubus", "-s", sock, "send", "wmtest.ping", '{"n": 1}'], check=True,
                       timeout=10)
        extra = subprocess.Popen([sys.executable, "-c", SERVER.replace('"wmtest"',
                                                                       '"hostapd.wmtest"'),
                                  sock], stdout=subprocess.PIPE, text=True)
        assert extra.stdout.readline().strip() == "ready"
        got = []
        end = time.monotonic() + 10
        while time.monotonic() < end and len(got) < 2:
            got += lst.poll(0.5)
        pairs = {(e.source, e.name) for e in got}
        assert ("", "wmtest.ping") in pairs and ("", "ubus.object.add") in pairs
        assert next(e for e in got if e.name == "wmtest.ping").data == {"n": 1}
        assert any(e.data.get("path") == "hostapd.wmtest" for e in got)
        assert lst.dead() == ["hostapd.nope"]
        _stop(extra)
    finally:
        lst.close()
