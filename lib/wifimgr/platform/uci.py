"""UCI port: configuration packages read and committed atomically.

The data model (:class:`~wifimgr.platform.ucitext.Package` and its sections) and the file
syntax are in :mod:`wifimgr.platform.ucitext`. A write is always "load the package, change a
copy, let the safety module judge the whole result, commit the package" — so the store's unit
of writing is one whole package, committed atomically under an exclusive cross-process lock
(:meth:`UciStore.lock`).

Backends:

* :class:`FileUciStore` — a pure-Python store over a config directory with libuci's semantics,
  commit by temp file + rename. Used on the dev machine, in tests and by the twin, and valid on
  a router too (libuci reads the same files).
* :class:`PyUciStore` — pyuci/euci (OpenWrt ``python3-uci``) when importable (router).

Bytes that are not UTF-8 survive a load/commit round trip through ``surrogateescape``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re

from ..core.errors import Conflict, UciError
from .fs import atomic_write, crash_point, fsync_dir, remove_stale_temps, storage_error
from .ucitext import Package, commit_ops, parse, valid_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

if TYPE_CHECKING:  # the port's interface, for type checkers only (typing costs every call)
    from typing import Protocol

    class UciStore(Protocol):
        confdir: str

        def load(self, config: str) -> Package:
            """The committed package; raises :class:`UciError` (code ``not_found``) if absent."""
            ...

        def exists(self, config: str) -> bool: ...

        def commit(self, package: Package, base: Package | None = None) -> None:
            """Replace the package atomically with ``package`` (caller holds :meth:`lock`).
            With ``base`` (the package as it was loaded), raise :class:`Conflict` and write
            nothing if the file no longer holds it."""
            ...

        def lock(self, timeout: float = 10.0) -> contextlib.AbstractContextManager[None]:
            """Exclusive lock serializing writers across processes."""
            ...

        def text(self, config: str) -> str | None:
            """The package's file text (for backup and byte-identity checks), None if absent."""
            ...

        def stamp(self, config: str) -> list[int] | None:
            """``[size, mtime_ns]`` of the package's file — a cheap "did anyone write it?"
            (the config watch); None if absent."""
            ...

        def replace_text(self, config: str, text: str | None,
                         expect: Callable[[str | None], bool]) -> bool:
            """Recovery: under the file's writer lock, if ``expect(current text)`` holds,
            replace the file with ``text`` byte for byte (None removes it); False if not."""
            ...

        def sweep_temps(self) -> list[str]:
            """Remove the temp files killed commits left in ``confdir``; their names."""
            ...


@contextlib.contextmanager
def file_lock(path: str, timeout: float = 10.0) -> Iterator[None]:
    """An exclusive ``flock`` on ``path``; raises :class:`~wifimgr.core.errors.Busy` on timeout."""
    import time

    from ..core.errors import Busy

    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:   # a read-only or full config dir: storage_error, not a crash
        raise storage_error(exc, path) from exc
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy(
                        f"configuration is locked by another writer for more than {timeout:g}s"
                    ) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class FileUciStore:
    """UCI packages as files in ``confdir`` (``/etc/config`` on a router)."""

    def __init__(self, confdir: str, lockfile: str | None = None):
        self.confdir = confdir
        self.lockfile = lockfile or os.path.join(confdir, ".wifimgr.lock")

    def _path(self, config: str) -> str:
        if not valid_name(config.replace("-", "_")):
            raise UciError(f"invalid config name {config!r}", field="config")
        return os.path.join(self.confdir, config)

    def exists(self, config: str) -> bool:
        return os.path.isfile(self._path(config))

    def text(self, config: str) -> str | None:
        try:
            with open(self._path(config), "rb") as fh:
                return fh.read().decode("utf-8", "surrogateescape")
        except FileNotFoundError:
            return None

    def stamp(self, config: str) -> list[int] | None:
        try:
            st = os.stat(self._path(config))
        except FileNotFoundError:
            return None
        return [st.st_size, st.st_mtime_ns]

    def load(self, config: str) -> Package:
        text = self.text(config)
        if text is None:
            raise UciError(f"no such config {config!r}", code="not_found", field="config")
        return parse(text, config, source=self._path(config))

    def commit(self, package: Package, base: Package | None = None) -> None:
        package.rename_anonymous()
        path = self._path(package.name)
        data = package.to_text().encode("utf-8", "surrogateescape")
        try:
            mode = os.stat(path).st_mode & 0o7777    # libuci keeps the file's mode
        except FileNotFoundError:
            mode = None
        # libuci's writer lock is an exclusive flock on the config file itself (uci_commit,
        # rpcd's uci.commit, the uci CLI): hold it while checking and replacing (a file that
        # does not exist yet has no lock to take, and must not be created by taking one)
        with file_lock(path) if mode is not None else contextlib.nullcontext():
            if base is not None:
                self._check_unchanged(self._current(base.name), base)
            self._sweep(package.name)    # what an earlier, killed commit of it left behind
            atomic_write(path, data, 0o644 if mode is None else mode)

    def replace_text(self, config: str, text: str | None,
                     expect: Callable[[str | None], bool]) -> bool:
        path = self._path(config)
        if not expect(self.text(config)):
            return False                 # nothing to do: no lock (a read-only dir is fine)
        exists = os.path.isfile(path)
        with file_lock(path) if exists else contextlib.nullcontext():
            if not expect(self.text(config)):
                return False
            if text is None:
                if exists:
                    os.unlink(path)
                    crash_point("unlink", path)
                    fsync_dir(self.confdir)
                return True
            try:
                mode = os.stat(path).st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o644
            atomic_write(path, text.encode("utf-8", "surrogateescape"), mode)
            return True

    def sweep_temps(self) -> list[str]:
        return self._sweep(None)

    #: libuci's commit temp (``uci_file_commit``: mkstemp ``.<name>.uci-XXXXXX``, flocked
    #: while written, renamed after the config's lock is released)
    _LIBUCI_TEMP = re.compile(r"^\.(?P<base>[A-Za-z0-9_-]+)\.uci-[A-Za-z0-9]{6}$")
    #: a libuci temp this old and unlocked is a killed commit's, not one being renamed
    LIBUCI_TEMP_AGE_S = 60.0

    def _sweep(self, config: str | None) -> list[str]:
        """Stale temps in ``confdir`` (of ``config`` only, or of all): ours whose process is
        gone, libuci's that nobody holds locked and that are older than a minute."""
        import time

        removed = remove_stale_temps(self.confdir, config)
        try:
            names = os.listdir(self.confdir)
        except FileNotFoundError:
            return removed
        for name in names:
            m = self._LIBUCI_TEMP.match(name)
            if not m or (config is not None and m.group("base") != config):
                continue
            path = os.path.join(self.confdir, name)
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                if time.time() - os.fstat(fd).st_mtime < self.LIBUCI_TEMP_AGE_S:
                    continue
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue               # libuci is writing it right now
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                    removed.append(name)
            finally:
                os.close(fd)
        if removed:
            fsync_dir(self.confdir)
        return removed

    def _current(self, config: str) -> Package:
        text = self.text(config)
        return Package(config) if text is None else parse(text, config)

    @staticmethod
    def _check_unchanged(current: Package, base: Package) -> None:
        if current != base:
            raise Conflict(f"/etc/config/{base.name} was changed by another program since it "
                           "was read (LuCI, uci); nothing was written — reload and try again",
                           field="config")

    def lock(self, timeout: float = 10.0) -> contextlib.AbstractContextManager[None]:
        return file_lock(self.lockfile, timeout)


class PyUciStore(FileUciStore):
    """Commits through libuci (pyuci, OpenWrt ``python3-uci``) on the router.

    Reading stays the file parser (ucitext): pyuci's ``get_all`` cannot report anonymous section
    names or order and crashes the interpreter on a value that is not UTF-8 (it builds the
    dict with ``Py_BuildValue("s")`` and does not check the result — pyuci 0.8.1). A commit
    turns the difference between the file and the wanted package into libuci calls
    (:func:`commit_ops`) in a private savedir, so changes staged with the ``uci`` CLI are not
    committed along, and ``uci_commit`` takes libuci's own lock and writes the file. What pyuci
    cannot express (a new or moved anonymous section: wifimgr only adds named ones) is written
    by :class:`FileUciStore` under the same lock, to the same text."""

    def __init__(self, confdir: str = "/etc/config", lockfile: str = "/var/lock/wifimgr.lock"):
        super().__init__(confdir, lockfile)
        import uci  # type: ignore[import-not-found]  # pyuci: router only

        self._pyuci = uci

    def commit(self, package: Package, base: Package | None = None) -> None:
        import tempfile

        path = self._path(package.name)
        existed = os.path.isfile(path)
        current = self._current(package.name)
        if base is not None:             # checked just before uci_commit takes libuci's lock
            self._check_unchanged(current, base)
        # anonymous sections still carry the names they were loaded with: match on those,
        # then let libuci renumber them by position as it will on the next load
        ops = commit_ops(current, package)
        if ops is None:                  # not expressible through pyuci: same file, by hand
            return super().commit(package, base)
        package.rename_anonymous()
        if not ops and existed:
            return
        old_text = self.text(package.name)
        self._preflight(path, len(package.to_text().encode("utf-8", "surrogateescape")))
        self._sweep(package.name)
        if not existed:                  # libuci only commits into an existing file
            atomic_write(path, b"", 0o644)
        with tempfile.TemporaryDirectory(prefix=".wifimgr-uci-") as savedir:
            u = self._pyuci.Uci(savedir=savedir, confdir=self.confdir)
            try:
                for op, *args in ops:
                    getattr(u, op)(package.name, *args)
                u.commit(package.name)
            except (self._pyuci.UciException, UnicodeError) as exc:
                if not existed:
                    os.unlink(path)
                raise UciError(f"libuci refused to write {package.name}: {exc}",
                               field="config") from None
        crash_point("rename", "libuci", path)
        fsync_dir(self.confdir)          # libuci renames without syncing the directory
        if self._current(package.name) != package:
            # libuci does not check fflush/fsync: on a flash that filled up meanwhile it
            # renames a short file over the config. Put the old text back and say why.
            self.replace_text(package.name, old_text, lambda _cur: True)
            raise storage_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), path)

    def _preflight(self, path: str, size: int) -> None:
        """Refuse before libuci starts what it cannot finish: a config dir that cannot be
        written (read-only) or has no room for the new file (libuci would not notice)."""
        try:
            if os.path.exists(path):
                os.close(os.open(path, os.O_RDWR))   # as libuci opens it to take its lock
            if not os.access(self.confdir, os.W_OK):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
            st = os.statvfs(self.confdir)
            if st.f_bavail * st.f_frsize < size + 4096:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError as exc:
            raise storage_error(exc, path) from exc


def open_store(confdir: str = "/etc/config", lockfile: str | None = None) -> UciStore:
    """pyuci when importable and ``confdir`` is the system one, else the file store."""
    if confdir == "/etc/config":
        try:
            return PyUciStore(confdir, lockfile or "/var/lock/wifimgr.lock")
        except ImportError:
            return FileUciStore(confdir, lockfile or "/var/lock/wifimgr.lock")
    return FileUciStore(confdir, lockfile)
