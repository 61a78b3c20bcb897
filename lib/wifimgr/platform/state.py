"""State-file port: wifimgr's own files — under ``System.state_dir`` (tmpfs: apply jobs, history,
events, the monitor's sample, the steering log) and ``System.persist_dir`` (flash: a reboot
job's record, the commit journal, the health check's last good configuration) — and the files
a user names on the command line.

Everything above the ports reads and writes these through the functions here, never with
``open()`` or :mod:`os` itself (``tests/architecture/test_os_access.py``). The paths are real
paths on both backends: the twin's ``state_dir`` and ``persist_dir`` lie inside its own state
directory. Durable replacement is :func:`wifimgr.platform.fs.atomic_write`; the functions
here are the reads, listings, removals and the locked appends around it.

A missing file is never an error here (``None``, ``[]``, ``False``): state comes and goes with
reboots, and every reader has a default. Other ``OSError``s propagate, except where a function
says it suppresses them.
"""

from __future__ import annotations

import contextlib
import json
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any


def read_text(path: str, *, errors: str = "strict", encoding: str = "utf-8") -> str | None:
    """The file's text, or None when it does not exist."""
    try:
        with open(path, encoding=encoding, errors=errors) as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def read_bytes(path: str) -> bytes | None:
    """The file's bytes, or None when it does not exist."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def read_json(path: str) -> Any:
    """The file's JSON document, or None when it is missing, unreadable or not JSON (a record a
    kill left half-written reads as absent; :func:`~wifimgr.platform.fs.atomic_write` never
    leaves one)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def write_text(path: str, text: str) -> None:
    """Write a file the user named (a capture, an export): plain, not durable-replaced."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def write_cache(path: str, text: str) -> bool:
    """Replace a cache file on tmpfs (temp file + rename: readers see the old or the new one;
    no fsync, it is gone with a reboot anyway). False when it could not be written — a cache
    that is not kept must never fail the caller."""
    tmp = f"{path}.{os.getpid()}"
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


def exists(path: str) -> bool:
    return os.path.exists(path)


def is_dir(path: str) -> bool:
    return os.path.isdir(path)


def ensure_dir(path: str) -> None:
    os.makedirs(path, exist_ok=True)


def listdir(path: str) -> list[str]:
    """Names in a directory (unsorted), [] when it does not exist."""
    try:
        return os.listdir(path)
    except FileNotFoundError:
        return []


def size(path: str) -> int | None:
    try:
        return os.path.getsize(path)
    except FileNotFoundError:
        return None


def mtime(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime
    except FileNotFoundError:
        return None


def remove(path: str, *, missing_ok: bool = True) -> bool:
    """Remove a file; False when it was already gone (``missing_ok``, else FileNotFoundError)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        if not missing_ok:
            raise
        return False
    return True


@contextlib.contextmanager
def locked(path: str, mode: int = 0o600) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing) for the block: one writer of
    a record set across processes (the monitor, a plugin call, the CLI)."""
    import fcntl

    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, mode)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing drops the flock


def append(path: str, data: bytes, mode: int = 0o644, *,
           keep_lines: Callable[[int], int | None] | None = None) -> int:
    """Append ``data`` with one ``write`` under an exclusive ``flock`` (so lines of concurrent
    writers never interleave); returns the file's size afterwards. ``keep_lines(size)``, asked
    under the same lock: how many last lines to cut the log to (None: leave it)."""
    import fcntl

    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, mode)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        size = os.fstat(fd).st_size
        keep = keep_lines(size) if keep_lines is not None else None
        if keep:
            keep_last_lines(path, keep)
        return size
    finally:
        os.close(fd)  # closing drops the flock


def keep_last_lines(path: str, keep: int) -> None:
    """Cut a line log to its last ``keep`` lines (temp file + rename: a reader sees the old or
    the cut file)."""
    with open(path, "rb") as fh:
        lines = fh.read().splitlines(keepends=True)[-keep:]
    tmp = f"{path}.{os.getpid()}.cut"
    with open(tmp, "wb") as fh:
        fh.writelines(lines)
    os.replace(tmp, path)
