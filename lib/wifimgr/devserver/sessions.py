"""In-memory rpcd sessions: the all-zero anonymous session, ``session login`` against the
``config login`` sections of the twin's ``/etc/config/rpcd``, 300 s timeout refreshed on use."""

from __future__ import annotations

import hmac
import os
import threading
import time

from ..core.record import field, record
from .acl import anonymous, grants_for

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .acl import Grants

ANON = "0" * 32
TIMEOUT = 300

DEFAULT_LOGINS = (
    ("root", "wifimgr", ["*"], ["*"]),
    ("viewer", "viewer", ["*"], []),
)


@record
class Session:
    sid: str
    username: str | None
    grants: Grants
    timeout: int = TIMEOUT
    expires: float = 0.0
    data: dict[str, Any] = field(default_factory=dict)


def ensure_logins(uci) -> None:
    """Create the twin's /etc/config/rpcd with the documented dev logins if it has none."""
    from ..platform.ucitext import Package

    with uci.lock():
        pkg = uci.load("rpcd") if uci.exists("rpcd") else Package("rpcd")
        if pkg.of_type("login"):
            return
        if not pkg.of_type("rpcd"):
            s = pkg.add("rpcd")
            s.set("socket", "/var/run/ubus/ubus.sock")
            s.set("timeout", "30")
        for user, pw, read, write in DEFAULT_LOGINS:
            s = pkg.add("login")
            s.set("username", user)
            s.set("password", pw)
            s.set("read", list(read))
            if write:
                s.set("write", list(write))
        uci.commit(pkg)


def ensure_luci_config(uci) -> None:
    """A router with LuCI has /etc/config/luci (luci-base ships it, form.js loads it): give the
    twin the same main, sauth, themes and apply sections when it has none."""
    from ..platform.ucitext import Package

    with uci.lock():
        if uci.exists("luci"):
            return
        pkg = Package("luci")
        main = pkg.add("core", "main")
        for k, v in (("lang", "auto"), ("mediaurlbase", "/luci-static/bootstrap"),
                     ("resourcebase", "/luci-static/resources"), ("ubuspath", "/ubus/")):
            main.set(k, v)
        sauth = pkg.add("internal", "sauth")
        sauth.set("sessionpath", "/tmp/luci-sessions")  # noqa: S108 — a router path
        sauth.set("sessiontime", "3600")
        themes = pkg.add("internal", "themes")
        themes.set("Bootstrap", "/luci-static/bootstrap")
        apply = pkg.add("internal", "apply")
        for k, v in (("rollback", "90"), ("holdoff", "4"), ("timeout", "5"), ("display", "1.5")):
            apply.set(k, v)
        uci.commit(pkg)


class Sessions:
    def __init__(self, groups: dict[str, Any], uci):
        self.groups = groups
        self.uci = uci
        self.lock = threading.Lock()
        self.table: dict[str, Session] = {}
        self.anon = Session(ANON, None, anonymous(groups), timeout=0)

    def get(self, sid: str | None) -> Session | None:
        if not sid or sid == ANON:
            return self.anon
        with self.lock:
            s = self.table.get(sid)
            if s is None:
                return None
            if s.expires < time.monotonic():
                del self.table[sid]
                return None
            s.expires = time.monotonic() + s.timeout
            return s

    def login(self, username: str, password: str, timeout: int | None = None) -> Session | None:
        pkg = self.uci.load("rpcd") if self.uci.exists("rpcd") else None
        if pkg is None:
            return None
        for sec in pkg.of_type("login"):
            if sec.get_str("username") != username:
                continue
            stored = sec.get_str("password") or ""
            if stored and not hmac.compare_digest(stored.encode(), password.encode()):
                return None
            grants = grants_for(self.groups, sec.get_list("read"), sec.get_list("write"))
            sid = os.urandom(16).hex()
            s = Session(sid, username, grants, timeout or TIMEOUT)
            s.expires = time.monotonic() + s.timeout
            s.data["username"] = username
            with self.lock:
                self.table[sid] = s
            return s
        return None

    def destroy(self, sid: str) -> bool:
        with self.lock:
            return self.table.pop(sid, None) is not None
