"""Typed errors shared by every layer.

A :class:`WifimgrError` carries a machine-readable ``code`` (snake_case, stable), an optional
``field`` naming the offending argument, and a human message. The API layer turns it into the
``error`` object of a reply; nothing else should build error dicts by hand.
"""

from __future__ import annotations


class WifimgrError(Exception):
    """Base error: ``code`` is stable and machine-readable, ``message`` is for people."""

    code = "internal_error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "field": self.field, "message": self.message}


class InvalidArgument(WifimgrError):
    """A request argument is missing, of the wrong type or out of range."""

    code = "invalid_argument"


class NotFound(WifimgrError):
    """A named radio, section, station or job does not exist."""

    code = "not_found"


class UnknownMethod(WifimgrError):
    code = "unknown_method"


class ParseError(WifimgrError):
    """Text from a tool could not be understood. ``line`` is 1-based when known."""

    code = "parse_error"

    def __init__(self, message: str, *, line: int | None = None, source: str | None = None):
        where = f"{source or 'input'}"
        if line is not None:
            where += f" line {line}"
        super().__init__(f"{where}: {message}")
        self.line = line
        self.source = source


class UciError(WifimgrError):
    code = "uci_error"


class CommandFailed(WifimgrError):
    """A system command failed, timed out or answered FAIL."""

    code = "command_failed"


class Busy(WifimgrError):
    """Another writer holds the configuration lock for too long."""

    code = "busy"


class Conflict(WifimgrError):
    """The configuration changed on disk after it was read (LuCI, the ``uci`` CLI or another
    tool committed meanwhile); nothing was written."""

    code = "conflict"


class StorageError(WifimgrError):
    """The flash is full, or the config directory is read-only or failing: the write did not
    happen (the files are as they were)."""

    code = "storage_error"


class Unsupported(WifimgrError):
    """This router's Wi-Fi stack lacks what the request needs (the capability map says so):
    nothing was changed. ``capability`` names what is missing, ``platform`` the router."""

    code = "unsupported"

    def __init__(self, message: str, *, capability: str, platform: str,
                 field: str | None = None):
        super().__init__(message, field=field)
        self.capability = capability
        self.platform = platform

    def as_dict(self) -> dict[str, str | None]:
        return {**super().as_dict(), "capability": self.capability, "platform": self.platform}


#: every ``error.code`` a reply can carry, with what it means to the caller (docs/api.md)
ERROR_CODES = {
    "invalid_argument": "an argument is missing, of the wrong type or out of range "
                        "(`field` names it); nothing was changed",
    "not_found": "the named radio, network, station, job or config does not exist",
    "unknown_method": "no such method (the shell exit code is 2)",
    "conflict": "another program (LuCI, uci) committed the configuration after wifimgr "
                "read it; nothing was written — reload and try again",
    "busy": "another wifimgr writer held the configuration lock for too long",
    "parse_error": "a tool printed something wifimgr cannot read",
    "uci_error": "a UCI file or name is malformed, or libuci refused the write",
    "ubus_error": "a ubus call failed (the message names the ubus status)",
    "command_failed": "a system command failed, timed out or answered FAIL",
    "storage_error": "the flash is full or the config directory is read-only (the message "
                     "names the file); nothing was changed",
    "unsupported": "this router's Wi-Fi stack lacks the capability the request needs "
                   "(`capability` names it, `platform` the router); nothing was changed",
    "service": "the init script of the steering daemon failed; the switch was undone",
    "internal_error": "a bug in wifimgr (the message says where)",
}
