"""ubus port: call objects on the system bus.

Backends, chosen by :func:`connect`:

* :class:`PyUbusBus` — python-ubus (OpenWrt package ``python3-ubus``) when importable (router);
* :class:`CliUbusBus` — the ``ubus`` command through the command port (router without
  python-ubus, argv only);
* the twin's bus (``wifimgr.sim``) in tests, the dev server and ``make run``.

Every backend raises :class:`UbusError` with the numeric ubus status, so callers can tell
"object not found" (hostapd down) from a timeout.
"""

from __future__ import annotations

import contextlib
import json

from ..errors import WifimgrError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .run import Runner

# ubusmsg.h status codes
UBUS_STATUS = {
    0: "OK",
    1: "INVALID_COMMAND",
    2: "INVALID_ARGUMENT",
    3: "METHOD_NOT_FOUND",
    4: "NOT_FOUND",
    5: "NO_DATA",
    6: "PERMISSION_DENIED",
    7: "TIMEOUT",
    8: "NOT_SUPPORTED",
    9: "UNKNOWN_ERROR",
    10: "CONNECTION_FAILED",
    11: "NO_MEMORY",
    12: "PARSE_ERROR",
    13: "SYSTEM_ERROR",
}
STATUS_CODE = {v: k for k, v in UBUS_STATUS.items()}
#: libubus' ubus_strerror() texts, which python-ubus puts in its RuntimeError messages
STRERROR_CODE = {
    "Success": 0, "Invalid command": 1, "Invalid argument": 2, "Method not found": 3,
    "Not found": 4, "No response": 5, "Permission denied": 6, "Request timed out": 7,
    "Operation not supported": 8, "Unknown error": 9, "Connection failed": 10,
    "Out of memory": 11, "Parsing message data failed": 12, "System error": 13,
}


class UbusError(WifimgrError):
    code = "ubus_error"

    def __init__(self, status: int, message: str = ""):
        name = UBUS_STATUS.get(status, str(status))
        super().__init__(message or name)
        self.status = status
        self.status_name = name


if TYPE_CHECKING:  # the port's interface, for type checkers only (typing costs every call)
    from typing import Protocol

    class Bus(Protocol):
        def call(
            self, obj: str, method: str, args: dict[str, Any] | None = None, *, timeout: float = 5.0
        ) -> dict[str, Any]:
            """Invoke ``obj.method``; return the (first) reply table, ``{}`` if it sent none."""
            ...

        def objects(self, pattern: str | None = None) -> list[str]:
            """Names of registered objects, optionally filtered by an fnmatch pattern."""
            ...


class PyUbusBus:
    """python-ubus backend (one connection per process: the module keeps it). ``call``
    returns a list of replies and raises RuntimeError with text only — ``Object 'x' was not
    found.`` or ``ubus error occured: <ubus_strerror text>`` — so the status is read back
    from that text (python-ubus 0.1, checked against a real ubusd by tests/platform).

    A connection does not survive ubusd restarting: every later call fails ("not found",
    "Invalid argument"). A call failing that way therefore reconnects once and is tried
    again, so the long-running steering daemon recovers by itself."""

    def __init__(self, socket_path: str | None = None):
        import ubus  # type: ignore[import-not-found]  # router only

        self._ubus = ubus
        self._socket = socket_path

    def _connect(self) -> None:
        """Connect unless connected; UbusError 10 when ubusd cannot be reached."""
        if self._ubus.get_connected():
            return
        try:
            self._ubus.connect(self._socket) if self._socket else self._ubus.connect()
        except (OSError, RuntimeError) as exc:
            raise UbusError(10, f"cannot reach ubusd: {exc}") from exc

    def close(self) -> None:
        if self._ubus.get_connected():
            with contextlib.suppress(RuntimeError):
                self._ubus.disconnect()

    @staticmethod
    def _status(text: str) -> int:
        if text.startswith("Object '") and text.endswith("was not found."):
            return 4
        return STRERROR_CODE.get(text.rpartition(": ")[2].strip(), 9)

    #: what a call on a connection to a ubusd that has gone away answers; a timeout or
    #: "method not found" comes from a live ubusd and is not tried again
    _STALE = (2, 4, 9, 10)

    def _retrying(self, fn):
        self._connect()
        try:
            return fn()
        except RuntimeError as exc:
            status = self._status(str(exc))
            if status not in self._STALE:
                raise UbusError(status, str(exc)) from exc
        self.close()                     # ubusd may have restarted under us
        self._connect()
        try:
            return fn()
        except RuntimeError as exc:
            raise UbusError(self._status(str(exc)), str(exc)) from exc

    def call(self, obj, method, args=None, *, timeout=5.0):
        ms = max(1, int(timeout * 1000))
        replies = self._retrying(lambda: self._ubus.call(obj, method, args or {}, timeout=ms))
        return replies[0] if replies else {}

    def objects(self, pattern=None):
        import fnmatch

        names = sorted(self._retrying(self._ubus.objects).keys())
        return [n for n in names if pattern is None or fnmatch.fnmatchcase(n, pattern)]


class CliUbusBus:
    """Fallback through the ``ubus`` command (``ubus -S -t N call obj method JSON``)."""

    def __init__(self, runner: Runner, socket: str | None = None):
        self.runner = runner
        self._base = ["ubus", "-S"] + (["-s", socket] if socket else [])

    def call(self, obj, method, args=None, *, timeout=5.0):
        argv = [*self._base, "-t", str(max(1, int(timeout))), "call", obj, method]
        argv.append(json.dumps(args or {}, separators=(",", ":")))
        res = self.runner.run(argv, timeout=timeout + 2)
        if res.timed_out:
            raise UbusError(7, f"ubus call {obj} {method} timed out")
        if res.rc != 0:
            # the ubus CLI exits with the ubus status code and prints "Command failed: <text>";
            # without ubusd it exits 255 (-1), silently under -S
            if res.rc == 255:
                raise UbusError(10, f"cannot reach ubusd ({res.stderr.strip() or 'ubus: 255'})")
            raise UbusError(res.rc if res.rc in UBUS_STATUS else 9, res.stderr.strip())
        text = res.stdout.strip()
        return json.loads(text) if text else {}

    def objects(self, pattern=None):
        import fnmatch

        res = self.runner.run([*self._base, "list"], timeout=5)
        names = sorted(line.strip() for line in res.stdout.splitlines() if line.strip())
        return [n for n in names if pattern is None or fnmatch.fnmatchcase(n, pattern)]
