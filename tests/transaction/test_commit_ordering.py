"""All or nothing across a power cut (issue 13 item 4): the order of the durable steps.

A SIGKILL loses nothing the kernel already has; a power cut also loses what is not on the
flash yet: file data not fsynced, and renames/unlinks whose directory was not fsynced (in any
combination — a filesystem may persist some of them and not others). That cannot be done to a
real disk here, so the real write's sequence of steps (the crash-point trace of
wifimgr.platform.fs: create, write, fsync, rename, dirsync, unlink) is replayed against a model
of the flash, and at every point of the sequence every state the flash could be left in is
recovered the way wifimgr.transaction.journal recovers it. Every one must end all old or all new, no file
torn. Controls: the same check finds states that end mixed or torn when the directory syncs
are taken out of the code, when the temp files are not fsynced, or when the journal is written
after the first package.
"""

from __future__ import annotations

import itertools
import os

import pytest

from wifimgr.surface.api import dispatch

STATION = {"ssid": "uplink", "encryption": "psk2", "key": "12345678", "radio": "radio1"}
WDS = {"radio": "radio1", "ssid": "bridge", "encryption": "psk2", "key": "12345678",
       "mode": "relayd"}


def _traced(monkeypatch, tmp_path, method: str, args: dict) -> list[tuple[str, list[str]]]:
    from wifimgr.platform import fs

    log = tmp_path / "trace.log"
    monkeypatch.setattr(fs, "_CRASH", True)
    monkeypatch.setattr(fs, "_CRASH_LOG", str(log))
    reply = dispatch(method, args)
    assert reply["ok"], reply
    monkeypatch.setattr(fs, "_CRASH", False)
    out = []
    for line in log.read_text().splitlines():
        _t, op, *paths = line.split("\t")
        out.append((op, paths))
    return out


def outcomes(trace, confdir: str, journal: str, configs: list[str]):
    """Every (cut point, outcome) a power cut can lead to, after recovery. An outcome is a
    dict config → 'old' | 'new' | 'torn'."""
    jdir = os.path.dirname(journal)
    names = {d: {} for d in (confdir, jdir)}
    for c in configs:
        names[confdir][c] = f"orig:{c}"
    durable = {d: dict(v) for d, v in names.items()}
    pending = {d: [] for d in names}
    synced = {f"orig:{c}" for c in configs}
    new_of = {}                  # temp inode → the config it becomes
    cuts = []

    def snapshot():
        # each directory: what was synced, plus any subset of what was done since
        per_dir = []
        for d in names:
            options = []
            ops = pending[d]
            for keep in itertools.product((False, True), repeat=len(ops)):
                state = dict(durable[d])
                for (name, inode), k in zip(ops, keep, strict=True):
                    if k:
                        if inode is None:
                            state.pop(name, None)
                        else:
                            state[name] = inode
                options.append(state)
            per_dir.append((d, options))
        for combo in itertools.product(*[opts for _d, opts in per_dir]):
            yield {d: st for (d, _), st in zip(per_dir, combo, strict=True)}

    def recover(state):
        files = {}
        for c in configs:
            inode = state[confdir].get(c)
            if inode == f"orig:{c}":
                files[c] = "old"
            elif inode in new_of and new_of[inode] == c:
                files[c] = "new" if inode in synced else "torn"
            else:
                files[c] = "gone" if inode is None else "torn"
        j = state[jdir].get(os.path.basename(journal))
        if j is not None and j in synced:          # a readable journal: roll back
            files = {c: ("old" if v == "new" else v) for c, v in files.items()}
        return files

    def cut(i):
        for state in snapshot():
            cuts.append((i, recover(state)))

    cut(0)
    for i, (op, paths) in enumerate(trace, 1):
        path = paths[0]
        d = os.path.dirname(path) if op != "dirsync" else path
        base = os.path.basename(path)
        if d not in names:
            pass                                    # the twin's own state, apply jobs
        elif op == "create":
            names[d][base] = path
        elif op == "fsync":
            synced.add(path)
        elif op == "rename":
            target = paths[1]
            names[d].pop(base, None)
            names[d][os.path.basename(target)] = path
            pending[d].append((os.path.basename(target), path))
            if d == confdir:
                new_of[path] = os.path.basename(target)
        elif op == "unlink":
            names[d].pop(base, None)
            pending[d].append((base, None))
        elif op == "dirsync":
            durable[d] = dict(names[d])
            pending[d] = []
        cut(i)
    return cuts


def bad(cuts, configs) -> list:
    out = []
    for i, files in cuts:
        values = set(files.values())
        if values not in ({"old"}, {"new"}):
            out.append((i, files))
    return out


@pytest.fixture
def traced(clean_twin, monkeypatch, tmp_path):
    from wifimgr.host.system import get_system
    from wifimgr.transaction.journal import path as journal_path

    system = get_system()

    def run(method, args):
        before = {n for n in os.listdir(clean_twin.confdir) if not n.startswith(".")}
        trace = _traced(monkeypatch, tmp_path, method, args)
        changed = sorted({os.path.basename(p[1]) for op, p in trace
                          if op == "rename" and os.path.dirname(p[1]) == clean_twin.confdir})
        assert set(changed) <= before
        return trace, clean_twin.confdir, journal_path(system), changed

    return run


@pytest.mark.parametrize(("method", "args", "n"), [("station", STATION, 3), ("wds", WDS, 4)])
def test_every_power_cut_ends_all_old_or_all_new(traced, method, args, n):
    trace, confdir, journal, configs = traced(method, args)
    assert len(configs) == n
    cuts = outcomes(trace, confdir, journal, configs)
    assert len({i for i, _ in cuts}) == len(trace) + 1
    assert bad(cuts, configs) == []
    # both ends are reachable: before the journal's removal is on the flash the cut ends old,
    # after it new
    assert {"old"} in [set(f.values()) for _i, f in cuts]
    assert {"new"} in [set(f.values()) for _i, f in cuts]


def test_the_journal_is_on_the_flash_before_the_first_package_changes(traced):
    trace, confdir, journal, _configs = traced("station", STATION)
    ops = [(op, p) for op, p in trace]
    j_sync = ops.index(("dirsync", [os.path.dirname(journal)]))
    first_config = next(i for i, (op, p) in enumerate(ops) if op == "create"
                        and os.path.dirname(p[0]) == confdir)
    assert ops[j_sync - 1] == ("rename", [ops[j_sync - 2][1][0], journal])
    assert j_sync < first_config
    unlink = ops.index(("unlink", [journal]))
    last_config_sync = max(i for i, (op, p) in enumerate(ops) if op == "dirsync"
                           and p == [confdir])
    assert last_config_sync < unlink
    assert ops[unlink + 1] == ("dirsync", [os.path.dirname(journal)])


# ---------------------------------------------------------------------------------------
# controls: the model finds the states a wrong order leads to
# ---------------------------------------------------------------------------------------


def test_control_without_directory_syncs(traced):
    trace, confdir, journal, configs = traced("station", STATION)
    broken = [(op, p) for op, p in trace if op != "dirsync"]
    assert bad(outcomes(broken, confdir, journal, configs), configs)


def test_control_without_fsync_of_the_temp_files(traced):
    trace, confdir, journal, configs = traced("station", STATION)
    broken = [(op, p) for op, p in trace if op != "fsync"]
    found = bad(outcomes(broken, confdir, journal, configs), configs)
    assert any("torn" in f.values() for _i, f in found)


def test_control_journal_written_after_the_first_package(traced):
    trace, confdir, journal, configs = traced("station", STATION)
    jdir = os.path.dirname(journal)
    j_lines = [x for x in trace if x[1][0].startswith(jdir + "/.")
               or x[1] in ([journal], [jdir])][:5]        # create/write/fsync/rename/dirsync
    assert [op for op, _p in j_lines] == ["create", "write", "fsync", "rename", "dirsync"]
    rest = [x for x in trace if x not in j_lines]
    first_sync = next(i for i, (op, p) in enumerate(rest) if op == "dirsync" and p == [confdir])
    broken = rest[:first_sync + 1] + j_lines + rest[first_sync + 1:]
    assert bad(outcomes(broken, confdir, journal, configs), configs)


def test_control_with_the_code_not_syncing_directories(clean_twin, monkeypatch, tmp_path):
    """Not a doctored trace: the real write with fsync_dir taken out of the code."""
    from wifimgr.host.system import get_system
    from wifimgr.platform import fs, uci
    from wifimgr.transaction import journal as journal_mod

    monkeypatch.setattr(fs, "fsync_dir", lambda d: None)
    monkeypatch.setattr(uci, "fsync_dir", lambda d: None)
    monkeypatch.setattr(journal_mod, "fsync_dir", lambda d: None)
    trace = _traced(monkeypatch, tmp_path, "station", STATION)
    configs = ["firewall", "network", "wireless"]
    cuts = outcomes(trace, clean_twin.confdir, journal_mod.path(get_system()), configs)
    assert bad(cuts, configs)
