"""ubus port: call objects on the system bus.

Backends, chosen by :func:`connect`:

* :class:`PyUbusBus` — python-ubus (OpenWrt package ``python3-ubus``) when importable (router);
* :class:`CliUbusBus` — the ``ubus`` command through the command port (router without
  python-ubus, argv only);
* the twin's bus (``wifimgr.sim``) in tests, the dev server and ``make run``.

``listen`` (events and subscriptions, for the monitor) runs ``ubus listen`` / ``ubus
subscribe`` children on the router (python-ubus cannot subscribe) and is emulated by the twin.

Every backend raises :class:`UbusError` with the numeric ubus status, so callers can tell
"object not found" (hostapd down) from a timeout.
"""

from __future__ import annotations

import contextlib
import json

from ..core.errors import WifimgrError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from .run import LineStream, Runner

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


class BusEvent:
    """One notification (``source`` = the object that sent it, e.g. ``hostapd.ap-mld-1``) or
    broadcast event (``source`` = ``""``); ``name`` is the notification method or event type."""

    __slots__ = ("data", "name", "source")

    def __init__(self, source: str, name: str, data: dict[str, Any]):
        self.source, self.name, self.data = source, name, data

    def __repr__(self) -> str:
        return f"BusEvent({self.source!r}, {self.name!r}, {self.data!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BusEvent) and (self.source, self.name, self.data) == (
            other.source, other.name, other.data)

    __hash__ = None  # type: ignore[assignment]


def parse_event_line(line: str) -> tuple[str, dict[str, Any]] | None:
    """A line of ``ubus listen`` / ``ubus subscribe``: ``{ "<name>": <json> }`` (ubus cli.c
    print_event) → (name, data); None for anything else."""
    try:
        doc = json.loads(line)
    except ValueError:
        return None
    if not isinstance(doc, dict) or len(doc) != 1:
        return None
    ((name, data),) = doc.items()
    return (name, data if isinstance(data, dict) else {"value": data})


class CliListener:
    """Events through ``ubus listen`` and ``ubus subscribe`` children (one per subscribed
    object: the CLI does not say which object a notification came from). Their stdout is read
    whenever it is readable — never left to fill (an undrained reader is the hazard of
    spec/platform.md §c.7; here it would block only the ubus CLI, never hostapd, which sends
    notifications through ubusd without waiting)."""

    def __init__(self, stream, base: list[str], events: Sequence[str],
                 subscribe: Sequence[str]):
        self._streams: list[tuple[str, LineStream]] = []
        try:
            if events:
                self._streams.append(("", stream([*base, "listen", *events])))
            for obj in subscribe:
                self._streams.append((obj, stream([*base, "subscribe", obj])))
        except BaseException:
            self.close()
            raise

    def dead(self) -> list[str]:
        """Subscriptions whose child has exited (the object was gone when it started)."""
        return [src for src, s in self._streams if src and not s.alive()]

    def poll(self, timeout: float) -> list[BusEvent]:
        import select

        out: list[BusEvent] = []
        live = [(src, s) for src, s in self._streams if s.alive()]
        if not live:
            if timeout > 0:
                import time

                time.sleep(timeout)
            return out
        ready, _w, _x = select.select([s for _src, s in live], [], [], max(0.0, timeout))
        for src, s in live:
            if s not in ready:
                continue
            for line in s.lines():
                ev = parse_event_line(line)
                if ev is not None:
                    out.append(BusEvent(src, ev[0], ev[1]))
        return out

    def close(self) -> None:
        for _src, s in self._streams:
            with contextlib.suppress(Exception):
                s.close()
        self._streams = []


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

        def listen(self, events: Sequence[str] = (), subscribe: Sequence[str] = ()
                   ) -> Listener:
            """Receive broadcast ``events`` (``ubus listen`` patterns, e.g. ``ubus.object.add``)
            and the notifications of the objects in ``subscribe`` (``ubus subscribe``: hostapd
            sends ``sta-authorized``, ``disassoc``, ``radar-detected`` … to subscribers)."""
            ...

    class Listener(Protocol):
        def poll(self, timeout: float) -> list[BusEvent]:
            """Everything that arrived, waiting up to ``timeout`` s for the first one."""
            ...

        def close(self) -> None: ...


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

    def listen(self, events=(), subscribe=()):
        """python-ubus 0.1 has ``listen`` but no ``subscribe``, and its events arrive only
        inside a blocking ``loop()``: both go through the ``ubus`` CLI instead (argv only)."""
        from .run import LineStream

        base = ["ubus"] + (["-s", self._socket] if self._socket else [])
        return CliListener(LineStream, base, events, subscribe)


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

    def listen(self, events=(), subscribe=()):
        base = [a for a in self._base if a != "-S"]
        return CliListener(self.runner.stream, base, events, subscribe)
