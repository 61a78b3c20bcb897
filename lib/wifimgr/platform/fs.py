"""File port: read sysfs, debugfs, procfs and config files under a root prefix.

Paths given to this port are always router paths (``/sys/kernel/debug/...``). The real port maps
them under ``root`` (``/`` on the router, a temp dir in tests); the twin provides an
implementation that renders the files from its state.
"""

from __future__ import annotations

import contextlib
import errno
import glob as _glob
import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # the port's interface, for type checkers only (typing costs every call)
    from typing import Protocol

    class Fs(Protocol):
        def read_text(self, path: str) -> str | None:
            """Content of ``path``, or None if it does not exist or cannot be read."""
            ...

        def exists(self, path: str) -> bool: ...

        def glob(self, pattern: str) -> list[str]:
            """Router paths matching a glob pattern, sorted."""
            ...

        def write_text(self, path: str, text: str) -> None:
            """Atomically replace ``path`` (temp file + rename)."""
            ...


class RootFs:
    """The real filesystem seen under a root prefix."""

    def __init__(self, root: str = "/"):
        self.root = os.path.abspath(root)

    def path(self, path: str) -> str:
        if not path.startswith("/"):
            raise ValueError(f"router path must be absolute: {path!r}")
        norm = os.path.normpath(path)
        return norm if self.root == "/" else os.path.join(self.root, norm.lstrip("/"))

    def read_text(self, path: str) -> str | None:
        try:
            with open(self.path(path), encoding="utf-8", errors="replace") as fh:
                return fh.read()
        except OSError:
            return None

    def exists(self, path: str) -> bool:
        return os.path.exists(self.path(path))

    def glob(self, pattern: str) -> list[str]:
        hits = _glob.glob(self.path(pattern))
        if self.root == "/":
            return sorted(hits)
        return sorted("/" + os.path.relpath(h, self.root) for h in hits)

    def write_text(self, path: str, text: str) -> None:
        atomic_write(self.path(path), text.encode("utf-8", "surrogateescape"))


#: errno values that mean "the storage cannot take this write" (flash full, read-only or
#: failing filesystem, no permission): reported as ``storage_error``, never ``internal_error``
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                            errno.EIO, errno.EFBIG})

#: temp files of :func:`atomic_write`: ``.<name>.<pid>.<8 hex>`` beside the target
TEMP_RE = re.compile(r"^\.(?P<base>.+)\.(?P<pid>[0-9]+)\.[0-9a-f]{8}$")


def storage_error(exc: OSError, path: str) -> Exception:
    """The error to raise for ``exc`` met while writing ``path``: a
    :class:`~wifimgr.core.errors.StorageError` for a full, read-only or failing filesystem, else
    ``exc`` itself."""
    if exc.errno not in STORAGE_ERRNOS:
        return exc
    from ..core.errors import StorageError

    hint = {errno.ENOSPC: "the flash is full", errno.EDQUOT: "the flash is full",
            errno.EROFS: "the filesystem is mounted read-only",
            errno.EIO: "the flash may be failing"}.get(exc.errno, "no permission to write")
    return StorageError(f"cannot write {path}: {os.strerror(exc.errno)} ({hint})",
                        field="config")


# ---------------------------------------------------------------------------------------
# crash points (tests only; unset, a point costs one comparison). WIFIMGR_CRASH_AT=N kills the
# process (SIGKILL) at its N-th point: the kill-loop test covers every step of a commit so.
# WIFIMGR_CRASH_LOG=<file> appends "<monotonic time>\t<op>\t<path>[\t<target>]" per point:
# the trace the ordering test replays against a model of what a power cut keeps.
# WIFIMGR_CRASH_DELAY=<s> sleeps at every point, so that kills at random times land inside
# a commit as often as before or after it.
# ---------------------------------------------------------------------------------------
_CRASH_AT = os.environ.get("WIFIMGR_CRASH_AT")
_CRASH_LOG = os.environ.get("WIFIMGR_CRASH_LOG")
_CRASH_DELAY = os.environ.get("WIFIMGR_CRASH_DELAY")
_CRASH = bool(_CRASH_AT or _CRASH_LOG or _CRASH_DELAY)
_crash_count = 0


def crash_point(op: str, path: str, target: str | None = None) -> None:
    """A step of a durable write is done: ``create``/``write``/``fsync`` of a temp file,
    ``rename`` of ``path`` (a temp) to ``target``, ``dirsync`` of a directory, ``unlink``."""
    if not _CRASH:
        return
    global _crash_count
    _crash_count += 1
    if _CRASH_LOG:
        import time

        with open(_CRASH_LOG, "a", encoding="utf-8") as fh:
            fh.write("\t".join([f"{time.monotonic():.6f}", op, path,
                                *([target] if target else [])]) + "\n")
    if _CRASH_AT and _crash_count == int(_CRASH_AT):
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    if _CRASH_DELAY:
        import time

        time.sleep(float(_CRASH_DELAY))


def fsync_dir(directory: str) -> None:
    """Make the renames and unlinks done in ``directory`` durable (a rename is only safe
    against power loss once the directory itself is on the flash)."""
    fd = os.open(directory or ".", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError as exc:  # a filesystem that cannot sync a directory (some FUSE, 9p)
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)
    crash_point("dirsync", directory)


def atomic_write(path: str, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` so that readers — and the flash after a power cut — see
    the old or the new file, never a torn one: temp file, write, fsync, rename, fsync of the
    directory (then the new name is durable before the caller goes on). A full or read-only
    filesystem raises :class:`~wifimgr.core.errors.StorageError`; ``path`` is untouched then."""
    directory = os.path.dirname(path) or "."
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.{os.urandom(4).hex()}")
    try:
        os.makedirs(directory, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise storage_error(exc, path) from exc
    try:
        crash_point("create", tmp)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            crash_point("write", tmp)
            os.fsync(fd)
        finally:
            os.close(fd)
        crash_point("fsync", tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise storage_error(exc, path) from exc
        raise
    crash_point("rename", tmp, path)
    try:
        fsync_dir(directory)
    except OSError as exc:
        raise storage_error(exc, path) from exc


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(directory: str, target: str | None = None, *,
                       recursive: bool = False) -> list[str]:
    """Remove the temp files :func:`atomic_write` left in ``directory`` when its process was
    killed between creating and renaming them (that process is gone), optionally only those
    of the file named ``target``; ``recursive``: in its subdirectories too (job records, the
    health check). Returns the names removed."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    removed = []
    if recursive:
        for name in names:
            sub = os.path.join(directory, name)
            if os.path.isdir(sub) and not os.path.islink(sub):
                removed += [os.path.join(name, n)
                            for n in remove_stale_temps(sub, target, recursive=True)]
    for name in names:
        m = TEMP_RE.match(name)
        if not m or (target is not None and m.group("base") != target) \
                or pid_alive(int(m.group("pid"))):
            continue
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(directory, name))
            removed.append(name)
    if removed:
        fsync_dir(directory)
    return removed
