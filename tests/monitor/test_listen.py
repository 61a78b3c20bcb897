"""The ubus port's listen/subscribe: the CLI backend (``ubus listen`` / ``ubus subscribe``
children, always drained), python-ubus delegating to it, and the twin's bus emitting hostapd's
notifications when stations join and leave."""

from __future__ import annotations

import sys
import time

import pytest

from wifimgr.platform.run import SubprocessRunner
from wifimgr.platform.ubus import BusEvent, CliUbusBus, parse_event_line

# what ubus' cli.c print_event() prints: `{ "<type>": <blobmsg_format_json> }` and a newline
FAKE_UBUS = r'''#!/bin/sh
[ "$1" = "-s" ] && shift 2
case "$1" in
listen)
    echo '{ "ubus.object.add": {"id":123,"path":"hostapd.phy0.1-ap0"} }'
    exec sleep 30 ;;
subscribe)
    case "$2" in
    hostapd.ap-mld-1)
        echo '{ "sta-authorized": {"address":"02:00:00:00:00:07","ifname":"ap-mld-1","auth-alg":"sae","ap_mld_address":"00:0c:43:26:60:00","assoc_link_id":1,"links":[{"link_id":1,"address":"02:00:00:00:00:17","bssid":"00:0c:43:26:60:10"}]} }'
        i=0; while [ $i -lt 3000 ]; do
            echo '{ "probe": {"address":"02:00:00:00:00:99","target":"ff:ff:ff:ff:ff:ff","signal":-70,"freq":5180,"padding":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"} }'
            i=$((i+1)); done
        echo '{ "disassoc": {"address":"02:00:00:00:00:07"} }'
        exec sleep 30 ;;
    *) echo "Failed to look up $2 object" >&2; exit 4 ;;
    esac ;;
esac
exit 1
'''


@pytest.fixture
def fake_ubus(tmp_path, monkeypatch):
    script = tmp_path / "bin" / "ubus"
    script.parent.mkdir()
    script.write_text(FAKE_UBUS)
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{script.parent}:/usr/bin:/bin")
    return script


def _collect(listener, want, timeout=20.0):
    got: list[BusEvent] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end and len(got) < want:
        got += listener.poll(0.5)
    return got


def test_parse_event_line():
    assert parse_event_line('{ "disassoc": {"address":"02:00:00:00:00:07"} }') == (
        "disassoc", {"address": "02:00:00:00:00:07"})
    assert parse_event_line("Command failed: Not found") is None
    assert parse_event_line('{"a": 1, "b": 2}') is None


def test_cli_listener_events_subscriptions_and_draining(fake_ubus):
    bus = CliUbusBus(SubprocessRunner(), socket="/var/run/ubus/ubus.sock")
    lst = bus.listen(["ubus.object.add"], ["hostapd.ap-mld-1", "hostapd.gone"])
    try:
        got = _collect(lst, 3003)
        names = [(e.source, e.name) for e in got]
        assert ("", "ubus.object.add") in names
        joined = next(e for e in got if e.name == "sta-authorized")
        assert joined.source == "hostapd.ap-mld-1"       # one child per object: the source
        assert joined.data["links"][0]["link_id"] == 1
        # ~400 KB of probe notifications were read as they came: the disassoc behind them too
        assert sum(1 for e in got if e.name == "probe") == 3000
        assert got[-1].name == "disassoc"
        assert lst.dead() == ["hostapd.gone"]            # the object was not there: resubscribe
    finally:
        lst.close()


def test_pyubus_listens_through_the_cli(fake_ubus, monkeypatch):
    """python-ubus 0.1 cannot subscribe: its backend runs the same CLI children."""
    import types

    monkeypatch.setitem(sys.modules, "ubus", types.SimpleNamespace())
    from wifimgr.platform.ubus import CliListener, PyUbusBus

    lst = PyUbusBus("/tmp/ubus.sock").listen([], ["hostapd.ap-mld-1"])
    try:
        assert isinstance(lst, CliListener)
        assert _collect(lst, 1)[0].name == "sta-authorized"
    finally:
        lst.close()


def test_twin_bus_emits_joins_and_leaves(system, twin):
    lst = system.bus.listen(["ubus.object.*"], ["hostapd.ap-mld-1", "hostapd.phy0.1-ap0"])
    assert lst.poll(0) == []                       # stations already there send nothing
    twin.add_station(mac="02:00:00:00:00:07", kind="mlmr")
    twin.add_station(mac="02:00:00:00:00:08", kind="legacy", ssid="*5g", band="5g")
    got = lst.poll(2)
    joined = {e.data["address"]: e for e in got if e.name == "sta-authorized"}
    assert joined["02:00:00:00:00:07"].source == "hostapd.ap-mld-1"
    assert [ln["link_id"] for ln in joined["02:00:00:00:00:07"].data["links"]] == [0, 1, 2]
    assert joined["02:00:00:00:00:07"].data["ap_mld_address"]
    assert "links" not in joined["02:00:00:00:00:08"].data      # a legacy client
    twin.remove_station("02:00:00:00:00:07")
    assert [(e.name, e.data["address"]) for e in lst.poll(2)] == [
        ("disassoc", "02:00:00:00:00:07")]
    # a reload takes hostapd's objects away and brings them back
    twin.wifi("reload")
    gone = lst.poll(2)
    assert {"ubus.object.remove"} == {e.name for e in gone if e.source == ""}
    twin.advance(5)
    back = lst.poll(2)
    assert any(e.name == "ubus.object.add" and e.data["path"] == "hostapd.ap-mld-1"
               for e in back)
    lst.close()
