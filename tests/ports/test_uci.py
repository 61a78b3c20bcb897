"""UCI port: libuci file syntax and naming, atomic commit, the writer lock. One contract suite
runs against every backend importable here (pyuci only exists on the router)."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from wifimgr.core.errors import UciError
from wifimgr.platform import uci, ucitext
from wifimgr.sim.factory import DHCP, FIREWALL, NETWORK


def _backends():
    out = [pytest.param("file", id="file")]
    try:
        import uci  # noqa: F401  (pyuci's C module, OpenWrt python3-uci)
        out.append(pytest.param("pyuci", id="pyuci"))
    except ImportError:
        out.append(pytest.param("pyuci", id="pyuci", marks=pytest.mark.skip(
            reason="pyuci needs libuci, not packaged here: `make test-native` builds both")))
    return out


@pytest.fixture(params=_backends())
def store(request, tmp_path):
    if request.param == "file":
        return uci.FileUciStore(str(tmp_path), str(tmp_path / "lock"))
    return uci.PyUciStore(str(tmp_path), str(tmp_path / "lock"))  # pragma: no cover


def test_anonymous_names_follow_libuci():
    # libuci names an anonymous section cfg<position><djb hash of the type>: the default
    # firewall's zones are cfg02dc81 and cfg03dc81 on every OpenWrt box
    fw = ucitext.parse(FIREWALL, "firewall")
    assert [s.name for s in fw.sections] == ["cfg01e63d", "cfg02dc81", "cfg03dc81",
                                             "cfg04ad58", "cfg0592bd", "cfg0692bd"]
    assert ucitext.parse(DHCP, "dhcp").sections[0].name == "cfg01411c"
    assert ucitext.parse(NETWORK, "network").get("cfg030f15").get_str("name") == "br-lan"


def test_type_index_addressing():
    fw = ucitext.parse(FIREWALL, "firewall")
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
    pkg = ucitext.parse(text, "wireless")
    s = pkg["x"]
    assert s.get_str("ssid") == "it's \"mine\" $(reboot); `id`"
    assert s.get_str("key") == 'a"b\\c'
    assert s.get_str("bare") == "plain"
    assert s.get_list("device") == ["radio0", "radio1"]
    assert s.get_str("multi") == "line one\nline two"
    again = ucitext.parse(pkg.to_text(), "wireless")
    assert again == pkg


def test_export_format_is_what_uci_commit_writes():
    pkg = ucitext.Package("wireless")
    s = pkg.add("wifi-iface", "wifinet0")
    s.set("device", ["radio0", "radio1"])
    s.set("ssid", "a'b")
    s.set("hidden", True)
    anon = pkg.add("wifi-iface")
    anon.set("mode", "ap")
    assert pkg.to_text() == ("\nconfig wifi-iface 'wifinet0'\n\tlist device 'radio0'\n"
                             "\tlist device 'radio1'\n\toption ssid 'a'\\''b'\n"
                             "\toption hidden '1'\n\nconfig wifi-iface\n\toption mode 'ap'\n\n")
    assert anon.name == "cfg02" + "%04x" % (ucitext._djbhash(0xFFFFFFFF, "wifi-iface") % 65536)


def test_parse_errors_name_the_line():
    with pytest.raises(UciError, match=r"wireless:2:"):
        ucitext.parse("config wifi-iface 'x'\n\toption 'bad name' 'v'\n", "wireless")
    with pytest.raises(UciError, match="outside of a config section"):
        ucitext.parse("option ssid 'x'\n", "wireless")
    with pytest.raises(UciError, match="unterminated"):
        ucitext.parse("config a 'b'\n\toption c 'never closed\n", "w")
    with pytest.raises(UciError):
        ucitext.parse("config a 'b-c'\n", "w")


def test_empty_option_values_read_as_absent_like_libuci():
    # libuci's uci_set deletes an option set to '' (file.c feeds every line through it), so
    # netifd never sees `option key ''`; an empty list item is kept
    pkg = ucitext.parse("config a 'x'\n\toption p '1'\n\toption p ''\n\toption q\n"
                    "\toption r ''\n\tlist l ''\n\tlist l 'v'\n", "t")
    assert pkg["x"].options == {"l": ["", "v"]}
    s = pkg["x"]
    s.set("m", "1")
    s.set("m", "")
    assert "m" not in s.options


def test_repeated_named_section_merges_like_libuci():
    pkg = ucitext.parse("config a 'x'\n\toption p '1'\nconfig a 'x'\n\toption q '2'\n", "t")
    assert len(pkg.sections) == 1 and pkg["x"].options == {"p": "1", "q": "2"}


def test_non_utf8_bytes_survive(store, tmp_path):
    raw = b"\nconfig wifi-iface 'x'\n\toption ssid 'caf\xe9'\n\n"
    (tmp_path / "wireless").write_bytes(raw)
    pkg = store.load("wireless")
    with store.lock():
        store.commit(pkg)
    assert (tmp_path / "wireless").read_bytes() == raw
    pkg["x"].set("hidden", "1")         # a change elsewhere leaves the Latin-1 SSID alone
    with store.lock():
        store.commit(pkg, base=store.load("wireless"))
    assert (tmp_path / "wireless").read_bytes() == raw[:-1] + b"\toption hidden '1'\n\n"


def test_load_missing_and_commit_atomic(store, tmp_path):
    with pytest.raises(UciError) as exc:
        store.load("wireless")
    assert exc.value.code == "not_found"
    pkg = ucitext.Package("wireless")
    pkg.add("wifi-device", "radio0").set("band", "2g")
    with store.lock():
        store.commit(pkg)
    assert store.load("wireless") == pkg
    assert [p for p in os.listdir(tmp_path) if p.startswith(".wireless")] == []


WIRELESS = ("\nconfig wifi-device 'radio0'\n\toption band '2g'\n\toption channel '1'\n\n"
            "config wifi-iface\n\toption device 'radio0'\n\toption ssid 'a'\n\n")


def test_commit_writes_what_it_is_given(store, tmp_path):
    (tmp_path / "wireless").write_text(WIRELESS)
    pkg = store.load("wireless")
    want = pkg.copy()
    want["radio0"].set("channel", "6")
    want["radio0"].set("band", None)
    want.get("@wifi-iface[0]").set("encryption", "sae")
    new = want.add("wifi-iface", "wifinet1")
    new.set("device", ["radio0", "radio1"])
    new.set("ssid", "it's")
    want.move("wifinet1", 0)
    gone = want.add("wifi-iface", "gone")
    gone.set("ssid", "x")
    with store.lock():
        store.commit(want, base=pkg)
    assert store.load("wireless") == want
    want.remove("gone")
    with store.lock():
        store.commit(want.copy())
    assert store.load("wireless") == want
    assert (tmp_path / "wireless").read_text() == want.to_text()   # libuci's export format


def test_commit_puts_named_sections_in_order(store, tmp_path):
    # the AP wizard puts a new 6 GHz AP before the MLD (MBSSID order, spec/original.md §2.2)
    (tmp_path / "wireless").write_text("\nconfig wifi-device 'radio2'\n\toption band '6g'\n\n"
                                       "config wifi-iface 'mld'\n\tlist device 'radio2'\n"
                                       "\toption mlo '1'\n\n")
    pkg = store.load("wireless")
    want = pkg.copy()
    want.add("wifi-iface", "ap6", position=1).set("ssid", "six")
    with store.lock():
        store.commit(want, base=pkg)
    assert (tmp_path / "wireless").read_text() == want.to_text()
    assert [s.name for s in store.load("wireless").sections] == ["radio2", "ap6", "mld"]


def test_commit_refuses_when_another_program_committed_meanwhile(store, tmp_path):
    from wifimgr.core.errors import Conflict

    (tmp_path / "wireless").write_text(WIRELESS)
    pkg = store.load("wireless")
    ours = pkg.copy()
    ours["radio0"].set("channel", "11")
    theirs = WIRELESS.replace("'1'", "'6'")       # LuCI saved in between
    (tmp_path / "wireless").write_text(theirs)
    with store.lock(), pytest.raises(Conflict) as exc:
        store.commit(ours, base=pkg)
    assert exc.value.code == "conflict"
    assert (tmp_path / "wireless").read_text() == theirs
    # a package that did not exist when it was read must still not exist
    with store.lock(), pytest.raises(Conflict):
        store.commit(ucitext.Package("wireless"), base=ucitext.Package("wireless"))
    assert (tmp_path / "wireless").read_text() == theirs
    # and a refused commit of a package that was deleted meanwhile creates nothing
    with store.lock(), pytest.raises(Conflict):
        store.commit(ucitext.Package("network"), base=ucitext.parse(WIRELESS, "network"))
    assert not (tmp_path / "network").exists()


def test_commit_keeps_the_file_mode(store, tmp_path):
    path = tmp_path / "wireless"
    path.write_text(WIRELESS)
    path.chmod(0o600)                   # keys inside: the owner made it private
    pkg = store.load("wireless")
    pkg["radio0"].set("channel", "6")
    with store.lock():
        store.commit(pkg)
    assert path.stat().st_mode & 0o777 == 0o600


def test_commit_waits_for_libucis_writer_lock(store, tmp_path):
    # uci_commit (the uci CLI, rpcd's uci.commit from LuCI) holds an exclusive flock on the
    # config file itself while it writes; a commit must not write in the middle of that
    import subprocess
    import sys

    path = tmp_path / "wireless"
    path.write_text(WIRELESS)
    pkg = store.load("wireless")
    pkg["radio0"].set("channel", "6")
    marker = tmp_path / "released"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys, time\n"
         "fd = os.open(sys.argv[1], os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('locked', flush=True); time.sleep(0.3)\n"
         "open(sys.argv[2], 'w').close(); fcntl.flock(fd, fcntl.LOCK_UN)\n",
         str(path), str(marker)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with store.lock():
            store.commit(pkg)
        assert marker.exists()          # the commit could only finish after the release
    finally:
        holder.wait(10)
    assert store.load("wireless")["radio0"].get_str("channel") == "6"


def test_replace_text_puts_bytes_back_only_over_what_it_expects(store, tmp_path):
    # the journal's rollback: byte for byte (comments and all), under libuci's writer lock,
    # and only over the text it wrote; a file it did not create is removed again
    old = "# the owner's comment\n" + WIRELESS
    (tmp_path / "wireless").write_text(old)
    pkg = store.load("wireless")
    pkg["radio0"].set("channel", "6")
    with store.lock():
        store.commit(pkg)
    new = store.text("wireless")
    assert store.replace_text("wireless", old, lambda cur: cur == "someone else's") is False
    assert store.text("wireless") == new
    assert store.replace_text("wireless", old, lambda cur: cur == new) is True
    assert store.text("wireless") == old
    assert store.replace_text("network", None, lambda cur: cur is None) is True
    (tmp_path / "dhcp").write_text(WIRELESS)
    assert store.replace_text("dhcp", None, lambda cur: cur == WIRELESS) is True
    assert not (tmp_path / "dhcp").exists()


def test_sweep_removes_what_killed_commits_left(store, tmp_path):
    import subprocess
    import sys
    import time

    (tmp_path / "wireless").write_text(WIRELESS)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours_dead = tmp_path / f".wireless.{dead}.0123abcd"       # atomic_write's, owner gone
    ours_live = tmp_path / f".wireless.{os.getpid()}.0123abcd"  # a writer still at it
    libuci_old = tmp_path / ".network.uci-AbC123"               # uci_commit's mkstemp
    libuci_new = tmp_path / ".dhcp.uci-XyZ789"
    for p in (ours_dead, ours_live, libuci_old, libuci_new):
        p.write_text("half")
    past = time.time() - 3600
    os.utime(libuci_old, (past, past))
    removed = store.sweep_temps()
    assert sorted(removed) == sorted([ours_dead.name, libuci_old.name])
    assert ours_live.exists() and libuci_new.exists()    # too young: may be renamed now
    # a commit sweeps the temps of its own config
    pkg = store.load("wireless")
    pkg["radio0"].set("channel", "6")
    ours_dead.write_text("half")
    with store.lock():
        store.commit(pkg)
    assert not ours_dead.exists()


def test_a_full_or_readonly_config_dir_is_a_storage_error(store, tmp_path, monkeypatch):
    # libuci does not check fflush/fsync and would rename a short file over the config, so
    # the pyuci store refuses before it starts; the file store fails at its own write. Either
    # way: storage_error, the file as it was
    import errno

    from wifimgr.core.errors import StorageError
    from wifimgr.platform import fs

    (tmp_path / "wireless").write_text(WIRELESS)
    pkg = store.load("wireless")
    pkg["radio0"].set("channel", "6")

    class Full:
        def __getattr__(self, name):
            return getattr(os, name)

        @staticmethod
        def write(fd, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        @staticmethod
        def statvfs(path):
            st = os.statvfs(path)
            return os.statvfs_result((st.f_bsize, st.f_frsize, st.f_blocks, 0, 0,
                                      st.f_files, st.f_ffree, st.f_favail, st.f_flag,
                                      st.f_namemax))

    monkeypatch.setattr(fs, "os", Full())
    monkeypatch.setattr(uci, "os", Full())
    with store.lock(), pytest.raises(StorageError) as exc:
        store.commit(pkg)
    assert exc.value.code == "storage_error" and "full" in exc.value.message
    monkeypatch.undo()
    assert (tmp_path / "wireless").read_text() == WIRELESS
    assert [n for n in os.listdir(tmp_path) if n.startswith(".wireless")] == []


def test_commit_ops_are_minimal_and_order_by_recreating_the_tail():
    cur = ucitext.parse(WIRELESS + "config wifi-iface 'mld'\n\toption mlo '1'\n", "wireless")
    anon = cur.sections[1].name
    assert ucitext.commit_ops(cur, cur.copy()) == []
    want = cur.copy()
    want["radio0"].set("channel", "6")
    want["radio0"].set("band", None)
    want["mld"].set("device", ["radio0", "radio1"])
    assert ucitext.commit_ops(cur, want) == [("delete", "radio0", "band"),
                                         ("set", "radio0", "channel", "6"),
                                         ("set", "mld", "device", ("radio0", "radio1"))]
    want = cur.copy()
    want.add("wifi-iface", "ap6", position=2)       # before the MLD (MBSSID order)
    want["ap6"].set("ssid", "six")
    assert ucitext.commit_ops(cur, want) == [("delete", "mld"),
                                         ("set", "ap6", "wifi-iface"),
                                         ("set", "ap6", "ssid", "six"),
                                         ("set", "mld", "wifi-iface"),
                                         ("set", "mld", "mlo", "1")]
    want = cur.copy()
    want.move(anon, 0)                  # an anonymous section cannot be re-created by pyuci
    assert ucitext.commit_ops(cur, want) is None
    want = cur.copy()
    want.remove(anon)
    assert ucitext.commit_ops(cur, want) == [("delete", anon)]


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
    pkg = ucitext.Package("counter")
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
    from wifimgr.core.errors import Busy

    st = uci.FileUciStore(str(tmp_path), str(tmp_path / ".lock"))
    with st.lock(), pytest.raises(Busy), uci.file_lock(str(tmp_path / ".lock"), timeout=0.1):
        pass


def test_section_helpers():
    pkg = ucitext.Package("wireless")
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
