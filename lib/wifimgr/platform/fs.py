"""File port: read sysfs, debugfs, procfs and config files under a root prefix.

Paths given to this port are always router paths (``/sys/kernel/debug/...``). The real port maps
them under ``root`` (``/`` on the router, a temp dir in tests); the twin provides an
implementation that renders the files from its state.
"""

from __future__ import annotations

import contextlib
import glob as _glob
import os

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


def atomic_write(path: str, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` so readers see the old or the new file, never a torn one."""
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.{os.urandom(4).hex()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
