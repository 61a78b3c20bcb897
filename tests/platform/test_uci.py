"""UCI port: libuci file syntax and naming, atomic commit, the writer lock. One contract suite
runs against every backend importable here (pyuci only exists on the router)."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from wifimgr.errors import UciError
from wifimgr.platform import uci
from wifimgr.sim.factory import DHCP, FIREWALL, NETWORK


def _backends():
    out = [pytest.param("file", id="file")]
    try:
        import euci  # noqa: F401
        out.append(pytest.param("pyuci", id="pyuci"))
    except ImportError:
        out.append(pytest.param("pyuci", id="pyuci", marks=pytest.mark.skip(
            reason="pyuci/libuci is only installable on the router")))
    return out


@pytest.fixture(params=_backends())
def store(request, tmp_path):
    if request.param == "file":
        return uci.FileUciStore(str(tmp_path), str(tmp_path / "lock"))
    return uci.PyUciStore(str(tmp_path), str(tmp_path / "lock"))  # pragma: no cover


def test_anonymous_names_follow_libuci():
    # libuci names an anonymous section cfg<position><djb hash of the type>: the default
    # firewall's zones are cfg02dc81 and cfg03dc81 on every OpenWrt box
    fw = uci.parse(FIREWALL, "firewall")
    assert [s.name for s in fw.sections] == ["cfg01e63d", "cfg02dc81", "cfg03dc81",
                                             "cfg04ad58", "cfg0592bd", "cfg0692bd"]
    assert uci.parse(DHCP, "dhcp").sections[0].name == "cfg01411c"
    assert uci.parse(NETWORK, "network").get("cfg030f15").get_str("name") == "br-lan"


def test_type_index_addressing():
    fw = uci.parse(FIREWALL, "firewall")
    assert fw.get("@zone[0]").get_str("name") == "lan"
    assert fw.get("@zone[-1]").get_str("name") == "wan"
    assert fw.get("@zone[5]") is None
    assert fw.get("@[0]").type == "defaults"


def test_quoting_and_concatenation_round_trip():
    text = ("config wifi-iface 'x'\n"
            "\toption ssid 'it'\\''s \"mine\" $(reboot); `id`'\n"
            "\toption key \"a\\\"b\\\\c\"\n"
            "\toption bare plain\n"
            "\tlist device 'radio0'\n\tlist device radio1\n"
            "\toption multi 'line one\nline two'\n"
            "# a comment\n")
    pkg = uci.parse(text, "wireless")
    s = pkg["x"]
    assert s.get_str("ssid") == "it's \"mine\" $(reboot); `id`"
    assert s.get_str("key") == 'a"b\\c'
    assert s.get_str("bare") == "plain"
    assert s.get_list("device") == ["radio0", "radio1"]
    assert s.get_str("multi") == "line one\nline two"
    again = uci.parse(pkg.to_text(), "wireless")
    assert again == pkg


def test_export_format_is_what_uci_commit_writes():
    pkg = uci.Package("wireless")
    s = pkg.add("wifi-iface", "wifinet0")
    s.set("device", ["radio0", "radio1"])
    s.set("ssid", "a'b")
    s.set("hidden", True)
    anon = pkg.add("wifi-iface")
    anon.set("mode", "ap")
    assert pkg.to_text() == ("\nconfig wifi-iface 'wifinet0'\n\tlist device 'radio0'\n"
                             "\tlist device 'radio1'\n\toption ssid 'a'\\''b'\n"
                             "\toption hidden '1'\n\nconfig wifi-iface\n\toption mode 'ap'\n\n")
    assert anon.name == "cfg02" + "%04x" % (uci._djbhash(0xFFFFFFFF, "wifi-iface") % 65536)


def test_parse_errors_name_the_line():
    with pytest.raises(UciError, match=r"wireless:2:"):
        uci.parse("config wifi-iface 'x'\n\toption 'bad name' 'v'\n", "wireless")
    with pytest.raises(UciError, match="outside of a config section"):
        uci.parse("option ssid 'x'\n", "wireless")
    with pytest.raises(UciError, match="unterminated"):
        uci.parse("config a 'b'\n\toption c 'never closed\n", "w")
    with pytest.raises(UciError):
        uci.parse("config a 'b-c'\n", "w")


def test_repeated_named_section_merges_like_libuci():
    pkg = uci.parse("config a 'x'\n\toption p '1'\nconfig a 'x'\n\toption q '2'\n", "t")
    assert len(pkg.sections) == 1 and pkg["x"].options == {"p": "1", "q": "2"}


def test_non_utf8_bytes_survive(store, tmp_path):
    raw = b"\nconfig wifi-iface 'x'\n\toption ssid 'caf\xe9'\n\n"
    (tmp_path / "wireless").write_bytes(raw)
    pkg = store.load("wireless")
    with store.lock():
        store.commit(pkg)
    assert (tmp_path / "wireless").read_bytes() == raw


def test_load_missing_and_commit_atomic(store, tmp_path):
    with pytest.raises(UciError) as exc:
        store.load("wireless")
    assert exc.value.code == "not_found"
    pkg = uci.Package("wireless")
    pkg.add("wifi-device", "radio0").set("band", "2g")
    with store.lock():
        store.commit(pkg)
    assert store.load("wireless") == pkg
    assert [p for p in os.listdir(tmp_path) if p.startswith(".wireless")] == []


def _bump(confdir: str, n: int) -> None:
    st = uci.FileUciStore(confdir, os.path.join(confdir, ".lock"))
    for _ in range(n):
        with st.lock(timeout=30):
            pkg = st.load("counter")
            sec = pkg["c"]
            sec.set("n", int(sec.get_str("n")) + 1)
            st.commit(pkg)


def test_concurrent_writers_lose_no_update(tmp_path):
    st = uci.FileUciStore(str(tmp_path), str(tmp_path / ".lock"))
    pkg = uci.Package("counter")
    pkg.add("counter", "c").set("n", 0)
    with st.lock():
        st.commit(pkg)
    procs = [multiprocessing.Process(target=_bump, args=(str(tmp_path), 25)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert st.load("counter")["c"].get_str("n") == "100"


def test_lock_times_out_with_busy(tmp_path):
    from wifimgr.errors import Busy

    st = uci.FileUciStore(str(tmp_path), str(tmp_path / ".lock"))
    with st.lock(), pytest.raises(Busy), uci.file_lock(str(tmp_path / ".lock"), timeout=0.1):
        pass


def test_section_helpers():
    pkg = uci.Package("wireless")
    s = pkg.add("wifi-iface", pkg.unique_name("wifinet"))
    assert s.name == "wifinet0" and pkg.unique_name("wifinet") == "wifinet1"
    s.set("device", "radio0 radio1")
    assert s.get_list("device") == ["radio0", "radio1"]
    s.set("disabled", "on")
    assert s.get_bool("disabled")
    s.set("disabled", None)
    assert "disabled" not in s.options
    with pytest.raises(UciError):
        s.set("bad-name", "x")
    with pytest.raises(UciError):
        pkg.add("wifi-iface", "wifinet0")
    pkg.move("wifinet0", 0)
    assert pkg.index("wifinet0") == 0
