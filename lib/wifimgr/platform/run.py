"""Command port: run system tools as argv lists with a timeout. Never a shell.

The real runner uses :mod:`subprocess`; the twin (``wifimgr.sim``) provides a runner with the same
interface that answers ``iw``, ``hostapd_cli``, ``wpa_cli``, ``wifi``, ``reboot``… with the text the
real tools print. Callers parse ``stdout`` with :mod:`wifimgr.parse`; they must not trust ``rc``
alone (``hostapd_cli`` exits 0 on ``FAIL``).
"""

from __future__ import annotations

import os

from ..core.record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

DEFAULT_TIMEOUT = 10.0


@record(frozen=True)
class CmdResult:
    argv: tuple[str, ...]
    rc: int
    stdout: str
    stderr: str = ""
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.rc == 0 and not self.timed_out


if TYPE_CHECKING:  # the port's interface, for type checkers only (typing costs every call)
    from typing import Protocol

    class Runner(Protocol):
        def run(
            self,
            argv: Sequence[str],
            *,
            timeout: float = DEFAULT_TIMEOUT,
            input: str | None = None,
        ) -> CmdResult: ...

        def spawn_detached(self, argv: Sequence[str], *,
                           env: Mapping[str, str] | None = None) -> int:
            """Start ``argv`` fully detached (new session, fds 0/1/2 on /dev/null); return its
            pid."""
            ...

        def stream(self, argv: Sequence[str]) -> LineStream:
            """Start a long-running ``argv`` whose stdout the caller reads line by line."""
            ...


def _check_argv(argv: Sequence[str]) -> tuple[str, ...]:
    if isinstance(argv, str | bytes):
        raise TypeError("argv must be a sequence of strings, never a command string")
    out = tuple(argv)
    if not out or not all(isinstance(a, str) for a in out):
        raise TypeError(f"argv must be a non-empty sequence of str, got {argv!r}")
    if any("\0" in a for a in out):
        raise ValueError("argv element contains a NUL byte")
    return out


class SubprocessRunner:
    """Runs real commands. Output is decoded as UTF-8 with replacement (tools print SSIDs raw)."""

    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        input: str | None = None,
    ) -> CmdResult:
        import subprocess

        args = _check_argv(argv)
        try:
            proc = subprocess.run(
                args,
                input=input.encode() if input is not None else None,
                stdin=None if input is not None else subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except OSError as exc:  # not found, not executable: the shell's "cannot run"
            return CmdResult(args, 127, "", str(exc))
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode("utf-8", "replace") if exc.stdout else ""
            return CmdResult(args, -9, out, f"timed out after {timeout:g}s", timed_out=True)
        return CmdResult(
            args,
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
        )

    def spawn_detached(self, argv: Sequence[str], *, env: Mapping[str, str] | None = None) -> int:
        return spawn_detached(argv, env=env)

    def stream(self, argv: Sequence[str]) -> LineStream:
        return LineStream(argv)


def spawn_detached(argv: Sequence[str], *, env: Mapping[str, str] | None = None) -> int:
    """Start a process that outlives the caller and holds none of its file descriptors.

    rpcd waits for EOF on the plugin's stdout *and* stderr, and procd's hotplug queue waits for
    the hook's fds: a child that inherits them wedges both. So: new session, stdin/stdout/stderr on
    /dev/null, every other fd closed.
    """
    import subprocess

    args = _check_argv(argv)
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    proc = subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        start_new_session=True,
        env=full_env,
        cwd="/",
    )
    return proc.pid


class LineStream:
    """A long-running child whose stdout is read line by line without blocking (``ubus listen``
    / ``ubus subscribe``). The caller selects on :meth:`fileno` and always drains what arrived
    (:meth:`lines`): a child writing into a full pipe would block, so nothing is left unread."""

    def __init__(self, argv: Sequence[str]):
        import subprocess

        self.argv = _check_argv(argv)
        self._proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      close_fds=True)
        assert self._proc.stdout is not None
        self._fd = self._proc.stdout.fileno()
        os.set_blocking(self._fd, False)
        self._buf = b""
        self.eof = False

    def fileno(self) -> int:
        return self._fd

    def lines(self) -> list[str]:
        """Every complete line that arrived (decoded as UTF-8 with replacement)."""
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:
                self.eof = True
                break
            self._buf += chunk
        *done, self._buf = self._buf.split(b"\n")
        return [d.decode("utf-8", "replace") for d in done if d.strip()]

    def alive(self) -> bool:
        return not self.eof and self._proc.poll() is None

    def close(self) -> None:
        import subprocess

        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=2)
        if self._proc.stdout is not None:
            self._proc.stdout.close()
