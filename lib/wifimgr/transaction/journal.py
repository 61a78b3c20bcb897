"""Intent journal: a write that changes several UCI packages lands whole or not at all.

Each package is committed atomically (temp file, fsync, rename, fsync of the directory), but a
write such as ``station`` changes three of them (wireless, network, firewall) one after the
other, and rpcd SIGKILLs a plugin that runs past its timeout; power fails. So a write of two or
more packages runs as a transaction (``writes.commit_change``, under the wifimgr writer lock):

1. ``<persist_dir>/commit.journal`` (``/etc/wifimgr`` on the router: flash, it must outlive a
   power cut) receives the old and the new text of every package, durably (temp, fsync,
   rename, fsync of the directory) — before the first package is touched;
2. the packages are committed;
3. the journal is removed (unlink, fsync of the directory): this is the write's commit point.

A journal that is still there later belongs to a write that never reached 3 — and whose caller
never got its ``ok``. :func:`recover` rolls it back: every package that holds the journal's new
text gets its old text back byte for byte (under the config file's writer lock, libuci's
``flock``); a package that holds neither the old nor the new text was committed by someone else
since (LuCI, ``uci``) and is left as they left it (logged). Rolling back is idempotent (a package
already old stays untouched) and itself crash-safe (each put-back is an atomic replacement; the
journal goes last). It runs on the next plugin call (:func:`recover_pending`: one ``stat`` when
there is no journal), at boot (``/etc/init.d/wifimgr-recover`` → ``wifimgr hotplug recover``),
and inside the next write's transaction. Why back and not forward: docs/architecture.md
"Configuration writes".

A one-package write needs no journal on the flash (its rename is atomic); its old text is kept
in memory, so that an error after the rename (a failing directory sync) is undone too. A single
small file per multi-package write, removed at once, is all the flash sees.
"""

from __future__ import annotations

import contextlib
import json
import os

from ..core.errors import Busy, Conflict, WifimgrError
from ..platform import state
from ..platform.fs import atomic_write, crash_point, fsync_dir, remove_stale_temps
from ..platform.ucitext import Package, parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from ..model.configset import ConfigSet
    from ..platform import System

NAME = "commit.journal"
VERSION = 1
#: how long a plugin call waits for a writer that still holds the lock beside its journal
PENDING_LOCK_TIMEOUT_S = 5.0


def path(system: System) -> str:
    return os.path.join(system.persist_dir, NAME)


# ---------------------------------------------------------------------------------------
# the write side
# ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def transaction(system: System, before: ConfigSet, proposed: ConfigSet,
                changed: list[str]) -> Iterator[None]:
    """Commit ``changed`` (the caller's loop runs inside) all or nothing. The caller holds
    ``system.uci.lock()``. Raises :class:`Conflict` before anything is written if a package no
    longer holds what ``before`` loaded."""
    if state.exists(path(system)):
        # a killed write that no plugin start has undone yet (e.g. the first-run worker at
        # boot): ``before`` was read from its half-written files, so the verdict is void
        report = _recover_locked(system)
        raise Conflict("an interrupted earlier write was undone just now "
                       f"({_describe(report)}); reload and try again", field="config")
    remove_stale_temps(system.persist_dir, NAME)   # of a write killed before its journal was in
    entries = []
    for name in changed:
        old = system.uci.text(name)
        loaded = before.packages.get(name) or Package(name)
        if (Package(name) if old is None else _parse(old, name)) != loaded:
            raise Conflict(f"/etc/config/{name} was changed by another program since it was "
                           "read (LuCI, uci); nothing was written — reload and try again",
                           field="config")
        new = proposed[name]
        new.rename_anonymous()            # as commit() names them
        entries.append({"name": name, "old": old, "new": new.to_text()})
    journaled = len(entries) > 1          # one package: its rename is atomic by itself
    if journaled:
        try:
            _write(system, entries)
        except BaseException:
            with contextlib.suppress(OSError):  # written but its directory sync failed
                _remove(system)
            raise
    try:
        yield
    except BaseException as exc:
        # put back what was replaced (a one-package write too: its rename may have happened
        # before the error, e.g. a failing directory sync)
        try:
            _roll_back(system, entries)
        except Exception as undo:
            # with a journal, it stays: the next plugin call or the boot finishes the undo
            if isinstance(exc, WifimgrError):
                exc.message += (f"; the packages written so far are put back on the next "
                                f"wifimgr call or at boot ({undo})" if journaled else
                                f"; putting the old file back failed too ({undo})")
            raise exc from undo
        if journaled:
            _remove(system, strict=False)     # all old now: a journal back after a power cut
        raise                                 # would only roll back again
    if journaled:
        # the commit point. If only the directory sync fails, the write stands (it is what
        # every reader sees); a power cut could bring the journal back and then the boot
        # undoes the whole write — all old, still not mixed
        _remove(system, strict=False)


def _write(system: System, entries: list[dict[str, Any]]) -> None:
    doc = {"version": VERSION, "pid": os.getpid(), "time": system.clock(),
           "packages": entries}
    # ensure_ascii: bytes that are not UTF-8 (surrogate escapes) survive as \udcXX
    atomic_write(path(system), json.dumps(doc).encode("ascii"), 0o600)


def _remove(system: System, *, strict: bool = True) -> None:
    p = path(system)
    state.remove(p, missing_ok=False)
    crash_point("unlink", p)
    try:
        fsync_dir(os.path.dirname(p))
    except OSError:
        if strict:
            raise


# ---------------------------------------------------------------------------------------
# recovery
# ---------------------------------------------------------------------------------------


def _parse(text: str, name: str) -> Package | None:
    try:
        return parse(text, name)
    except WifimgrError:
        return None


def _same(text: str | None, other: str | None, name: str) -> bool:
    """``text`` (a file, None: absent) holds ``other``: the same bytes, or — libuci writes
    through pyuci order options its own way — the same package."""
    if text is None or other is None:
        return text is other
    if text == other:
        return True
    a = _parse(text, name)
    return a is not None and a == _parse(other, name)


def _roll_back(system: System, entries: list[dict[str, Any]]) -> dict[str, list[str]]:
    report: dict[str, list[str]] = {"restored": [], "unchanged": [], "kept": []}
    for e in reversed(entries):
        name, old, new = e["name"], e["old"], e["new"]
        if system.uci.replace_text(name, old, lambda cur, n=new, c=name: _same(cur, n, c)):
            report["restored"].append(name)
        elif _same(system.uci.text(name), old, name):
            report["unchanged"].append(name)
        else:
            report["kept"].append(name)    # someone else committed it since: theirs stands
    return report


def _describe(report: dict[str, Any]) -> str:
    parts = []
    if report.get("restored"):
        parts.append("put back: " + ", ".join(report["restored"]))
    if report.get("kept"):
        parts.append("changed by another program since, left as it is: "
                     + ", ".join(report["kept"]))
    if report.get("error"):
        parts.append(report["error"])
    return "; ".join(parts) or "nothing to put back"


def _recover_locked(system: System) -> dict[str, Any]:
    """Roll back the journal (if any) and sweep stale temp files; the caller holds the lock."""
    p = path(system)
    report: dict[str, Any] = {"journal": False, "restored": [], "unchanged": [], "kept": []}
    try:
        text = state.read_text(p, encoding="ascii")
        doc = None if text is None else json.loads(text)
    except ValueError as exc:
        # cannot happen through atomic_write (old or whole); a damaged flash: say so, drop it
        doc = None
        report["journal"] = True
        report["error"] = f"unreadable journal dropped: {exc}"
        _remove(system)
    if doc is not None:
        report["journal"] = True
        report.update(_roll_back(system, doc.get("packages") or []))
        _remove(system)
    report["temps"] = system.uci.sweep_temps() + remove_stale_temps(system.persist_dir,
                                                                     recursive=True)
    if report["journal"]:
        system.run.run(["logger", "-t", "wifimgr", "-p", "daemon.warn",
                        "an interrupted configuration write was rolled back: "
                        + _describe(report)], timeout=5)
    return report


def recover(system: System, timeout: float = 10.0) -> dict[str, Any]:
    """Boot and ``wifimgr hotplug recover``: undo an interrupted write, remove stale temps."""
    with system.uci.lock(timeout):
        return _recover_locked(system)


def recover_pending(system: System) -> dict[str, Any] | None:
    """The plugin's start: one ``stat`` when there is no journal. With one, wait for the lock
    (a live writer finishes and removes its own journal; a dead one's lock is free) and roll
    back what is left. Never raises: a read must not fail because of this."""
    if not state.exists(path(system)):
        return None
    try:
        return recover(system, timeout=PENDING_LOCK_TIMEOUT_S)
    except Busy:
        return None                       # still being written: the next call looks again
    except Exception as exc:
        with contextlib.suppress(Exception):
            system.run.run(["logger", "-t", "wifimgr", "-p", "daemon.err",
                            f"rolling back an interrupted write failed: {exc}"], timeout=5)
        return None
