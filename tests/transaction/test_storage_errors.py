"""A full flash or a read-only config directory (issue 13 item 6): the reply carries an error
code of its own, ``storage_error`` (never ``internal_error``), names the file, and every file
stays byte-identical — whichever write of the commit fails (the journal, the first package,
a later one, a file or a directory sync), for one package and for several."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys

import pytest
from killloop import journal_exists, temps

from support import readonly_argv
from transaction.conftest import config_bytes
from wifimgr.surface.api import dispatch

STATION = {"ssid": "uplink", "encryption": "psk2", "key": "12345678", "radio": "radio1"}
WDS = {"radio": "radio1", "ssid": "bridge", "encryption": "psk2", "key": "12345678",
       "mode": "relayd"}
AP = {"radio": "radio0", "ssid": "guest", "encryption": "psk2", "key": "abcdefgh"}


class FailingOs:
    """``os`` for wifimgr.platform.fs whose ``fail_at``-th call of ``name`` fails with
    ``err`` (the other calls, and everything else, are the real ``os``)."""

    def __init__(self, name: str, fail_at: int, err: int = errno.ENOSPC):
        self.name, self.fail_at, self.err, self.calls = name, fail_at, err, 0

    def __getattr__(self, attr):
        real = getattr(os, attr)
        if attr != self.name:
            return real

        def wrapper(*args, **kwargs):
            self.calls += 1
            if self.calls == self.fail_at:
                raise OSError(self.err, os.strerror(self.err))
            return real(*args, **kwargs)

        return wrapper


@pytest.mark.parametrize(("method", "args", "packages"),
                         [("station", STATION, 3), ("wds", WDS, 4), ("ap", AP, 1)])
@pytest.mark.parametrize("call", ["write", "fsync"])
def test_a_full_flash_at_any_write_of_the_commit(clean_twin, monkeypatch, method, args,
                                                 packages, call):
    from wifimgr.platform import fs

    journal = packages > 1
    # the commit's own calls come first: one write (and for fsync: file + directory) for the
    # journal, then the same for each package; the apply job's files come after
    per_file = 1 if call == "write" else 2
    commit_calls = per_file * (packages + journal)
    before = config_bytes(clean_twin)
    for k in range(1, commit_calls + 1):
        monkeypatch.setattr(fs, "os", FailingOs(call, k))
        reply = dispatch(method, args)
        monkeypatch.setattr(fs, "os", os)
        assert reply["ok"] is False, (k, reply)
        assert reply["error"]["code"] == "storage_error", (k, reply["error"])
        assert "No space left on device" in reply["error"]["message"]
        assert config_bytes(clean_twin) == before, k
        assert not journal_exists(clean_twin.dir), k
        assert temps(clean_twin.dir) == [], k
    assert dispatch(method, args)["ok"]                     # and with room it goes through


def test_storage_error_is_not_internal_error_for_a_readonly_file_store(tmp_path, monkeypatch):
    from wifimgr.core.errors import StorageError
    from wifimgr.platform import fs, uci

    store = uci.FileUciStore(str(tmp_path), str(tmp_path / "lock"))
    pkg = uci.Package("wireless")
    pkg.add("wifi-device", "radio0").set("channel", "6")
    store.commit(pkg)
    text = store.text("wireless")
    pkg["radio0"].set("channel", "11")
    monkeypatch.setattr(fs, "os", FailingOs("open", 1, errno.EROFS))
    with pytest.raises(StorageError) as exc:
        store.commit(pkg)
    assert exc.value.code == "storage_error" and "Read-only file system" in exc.value.message
    monkeypatch.setattr(fs, "os", os)
    assert store.text("wireless") == text


# ---------------------------------------------------------------------------------------
# a really read-only directory, through the plugin as rpcd runs it
# ---------------------------------------------------------------------------------------

def _readonly_call(repo_root, twin, dirs, method, args):
    plugin = [sys.executable, str(repo_root / "rpcd" / "wifimgr"), "call", method]
    argv = readonly_argv(dirs, plugin)
    env = dict(os.environ, WIFIMGR_SIM=twin.dir)
    if argv is None:
        if os.geteuid() == 0:
            pytest.skip("root ignores file modes and no private mount namespace (unshare -m) "
                        "is allowed here: cannot make a directory read-only")
        modes = {d: os.stat(d).st_mode for d in dirs}
        for d in dirs:
            os.chmod(d, stat.S_IRUSR | stat.S_IXUSR)
        try:
            return subprocess.run(plugin, input=json.dumps(args), capture_output=True,
                                  text=True, env=env, timeout=60, check=False)
        finally:
            for d, m in modes.items():
                os.chmod(d, m)
    return subprocess.run(argv, input=json.dumps(args), capture_output=True, text=True,
                          env=env, timeout=60, check=False)


@pytest.mark.parametrize(("method", "args"), [("station", STATION), ("ap", AP)])
@pytest.mark.parametrize("readonly", ["config", "config+persist"])
def test_a_readonly_config_dir(clean_twin, repo_root, method, args, readonly):
    from wifimgr.host.system import get_system

    dirs = [clean_twin.confdir]
    if readonly == "config+persist":
        persist = get_system().persist_dir
        os.makedirs(persist, exist_ok=True)
        dirs.append(persist)
    before = config_bytes(clean_twin)
    res = _readonly_call(repo_root, clean_twin, dirs, method, args)
    reply = json.loads(res.stdout)
    assert res.returncode == 1, (res.returncode, res.stdout, res.stderr)
    assert reply["ok"] is False and reply["error"]["code"] == "storage_error", reply
    message = reply["error"]["message"]
    assert "Read-only file system" in message or "Permission denied" in message, message
    assert any(d in message for d in dirs), message
    assert config_bytes(clean_twin) == before
    assert not journal_exists(clean_twin.dir) and temps(clean_twin.dir) == []
    # writable again, the same write goes through
    assert dispatch(method, args)["ok"]


# ---------------------------------------------------------------------------------------
# controls: the checks above fail without the code they guard
# ---------------------------------------------------------------------------------------

def test_control_without_the_storage_error_mapping_it_is_internal_error(clean_twin, monkeypatch):
    from wifimgr.platform import fs

    monkeypatch.setattr(fs, "storage_error", lambda exc, path: exc)
    monkeypatch.setattr(fs, "os", FailingOs("write", 1))
    reply = dispatch("ap", AP)
    assert reply["error"]["code"] == "internal_error"


def test_control_without_the_rollback_a_failure_midway_leaves_a_mixed_set(clean_twin,
                                                                          monkeypatch):
    from wifimgr.platform import fs
    from wifimgr.transaction import journal

    before = config_bytes(clean_twin)
    monkeypatch.setattr(journal, "_roll_back", lambda system, entries: {})
    monkeypatch.setattr(fs, "os", FailingOs("write", 3))   # journal, firewall, then network
    reply = dispatch("station", STATION)
    assert reply["error"]["code"] == "storage_error"
    after = config_bytes(clean_twin)
    assert after["firewall"] != before["firewall"] and after["network"] == before["network"]
