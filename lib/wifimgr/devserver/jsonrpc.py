"""JSON-RPC 2.0 over HTTP as uhttpd-mod-ubus (``POST /ubus``) and LuCI's ubus proxy
(``POST /cgi-bin/luci/admin/ubus``) answer it (spec/anchors.md §C).

The ``wifimgr`` object is served by running the rpcd plugin exactly as rpcd does:
``<plugin> list`` once at start, ``<plugin> call <method>`` per call with the JSON arguments
(plus ``ubus_rpc_session``) on stdin, the first JSON value of stdout as the reply (non-object →
status 2, nothing → 5), SIGKILL after the timeout → status 7. ``session`` is served here; other
objects go to the twin's bus.
"""

from __future__ import annotations

import json
import subprocess

from ..platform.ubus import UbusError
from .sessions import ANON

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .sessions import Session, Sessions

BODY_LIMIT = 65536
PLUGIN_TIMEOUT = 30

ERRORS = {
    -32700: "Parse error",
    -32600: "Invalid request",
    -32601: "Method not found",
    -32602: "Invalid parameters",
    -32603: "Internal error",
    -32000: "Object not found",
    -32002: "Access denied",
    -32003: "ubus request timed out",
}

# rpcd: the blobmsg type of a `list` sample; uhttpd: how it names those types
_TYPE_NAMES = {str: "string", bool: "boolean", list: "array", dict: "object"}


def _type_name(sample: Any) -> str:
    if isinstance(sample, bool):
        return "boolean"
    if isinstance(sample, int):
        return "unknown" if sample in (16, 64) else "boolean" if sample == 8 else "number"
    if isinstance(sample, float):
        return "unknown"
    return _TYPE_NAMES.get(type(sample), "unknown")


def first_json_value(text: str) -> Any:
    dec = json.JSONDecoder()
    s = text.lstrip()
    if not s:
        raise ValueError("no output")
    value, _ = dec.raw_decode(s)
    return value


class Plugin:
    def __init__(self, path: str, env: dict[str, str], python: str):
        self.path = path
        self.env = env
        self.python = python
        res = subprocess.run([python, path, "list"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, env=env, timeout=60, check=False)
        self.signatures: dict[str, dict[str, Any]] = first_json_value(res.stdout)

    def call(self, method: str, args: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        if method not in self.signatures:
            return 3, None  # UBUS_STATUS_METHOD_NOT_FOUND
        try:
            res = subprocess.run([self.python, self.path, "call", method],
                                 input=json.dumps(args, separators=(",", ":")),
                                 capture_output=True, text=True, env=self.env,
                                 timeout=PLUGIN_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            return 7, None
        try:
            value = first_json_value(res.stdout)
        except ValueError:
            return (5, None) if not res.stdout.strip() else (2, None)
        if not isinstance(value, dict):
            return 2, None
        return 0, value


class Rpc:
    def __init__(self, sessions: Sessions, plugin: Plugin, bus_factory: Callable[[], Any],
                 startup: dict[str, Any] | None = None):
        self.sessions = sessions
        self.plugin = plugin
        self.bus_factory = bus_factory
        #: objects rpcd and luci-base provide that LuCI calls at start-up (rpcd.py):
        #: name → handler(session, method, args) → (status, data)
        self.startup = startup or {}

    # ------------------------------------------------------------------ objects
    def objects(self) -> list[str]:
        names = set(self.bus_factory().objects()) | {"session", "wifimgr"} | set(self.startup)
        return sorted(names)

    def _object_exists(self, obj: str) -> bool:
        return obj in ("session", "wifimgr") or obj in self.startup or \
            obj in self.bus_factory().objects()

    def _signature(self, obj: str) -> dict[str, Any]:
        if obj == "wifimgr":
            return {m: {a: _type_name(s) for a, s in args.items()}
                    for m, args in self.plugin.signatures.items()}
        if obj == "session":
            return {m: {} for m in ("create", "list", "grant", "revoke", "access", "set", "get",
                                    "unset", "destroy", "login")}
        if obj in self.startup:
            return dict(getattr(self.startup[obj], "signature", {}))
        return {}

    # ------------------------------------------------------------------ invoke
    def _session_call(self, sess: Session, method: str, args: dict[str, Any]
                      ) -> tuple[int, dict[str, Any] | None]:
        if method == "login":
            user, pw = args.get("username"), args.get("password")
            if not isinstance(user, str) or not isinstance(pw, str):
                return 2, None
            timeout = args.get("timeout") if isinstance(args.get("timeout"), int) else None
            s = self.sessions.login(user, pw, timeout)
            if s is None:
                return 6, None
            return 0, self._session_info(s)
        if method == "access":
            # rpcd session.c rpc_handle_access: scope defaults to "ubus"; with object and
            # function the answer is one boolean, else every grant of the session by scope
            target = args.get("ubus_rpc_session") or sess.sid
            s = self.sessions.get(target)
            if s is None:
                return 0, {"access": False}
            scope = args.get("scope") if isinstance(args.get("scope"), str) else "ubus"
            if "object" in args and "function" in args:
                return 0, {"access": s.grants.allows_scope(scope, str(args["object"]),
                                                           str(args["function"]))}
            return 0, s.grants.dump()
        if method == "destroy":
            target = args.get("ubus_rpc_session") or sess.sid
            if target == ANON:
                return 6, None
            return (0, None) if self.sessions.destroy(target) else (4, None)
        if method == "get":
            return 0, {"values": dict(sess.data)}
        return 8, None  # NOT_SUPPORTED in this emulation

    @staticmethod
    def _session_info(s: Session) -> dict[str, Any]:
        return {"ubus_rpc_session": s.sid, "timeout": s.timeout, "expires": s.timeout,
                "acls": s.grants.dump(),
                "data": {"username": s.username}}

    def invoke(self, sess: Session, obj: str, method: str, args: dict[str, Any]
               ) -> tuple[int, dict[str, Any] | None]:
        if obj == "session":
            return self._session_call(sess, method, args)
        call_args = dict(args)
        call_args["ubus_rpc_session"] = sess.sid
        if obj == "wifimgr":
            return self.plugin.call(method, call_args)
        if obj in self.startup:
            return self.startup[obj](sess, method, args)
        try:
            return 0, self.bus_factory().call(obj, method, args)
        except UbusError as exc:
            return exc.status, None

    # ------------------------------------------------------------------ JSON-RPC
    def handle(self, body: bytes, *, luci: bool, cookie_sid: str | None = None) -> Any:
        if len(body) > BODY_LIMIT:
            return _err(None, -32700)
        try:
            req = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return _err(None, -32700)
        if isinstance(req, list):
            return [self._one(r, luci, cookie_sid) for r in req]
        return self._one(req, luci, cookie_sid)

    def _one(self, req: Any, luci: bool, cookie_sid: str | None) -> dict[str, Any]:
        if not isinstance(req, dict):
            return _err(None, -32700)
        rid = req.get("id")
        if req.get("jsonrpc") != "2.0" or "method" not in req:
            return _err(rid, -32700)
        if luci and "id" not in req:
            return _err(None, -32600)
        method, params = req["method"], req.get("params")
        if method == "list":
            if params is None or params == []:
                return _ok(rid, self.objects())
            if not isinstance(params, list):
                return _err(rid, -32602)
            out = {}
            for name in params:
                if isinstance(name, str) and self._object_exists(name):
                    out[name] = self._signature(name)
            return _ok(rid, out)
        if method != "call":
            return _err(rid, -32601)
        if not isinstance(params, list) or len(params) < 3 or (not luci and len(params) < 4):
            if luci:
                return {"jsonrpc": "2.0", "id": None,
                        "error": {"code": -32600, "message": "Invalid parameters"}}
            return _err(rid, -32700)
        sid, obj, fn = params[0], params[1], params[2]
        args = params[3] if len(params) > 3 else {}
        if not all(isinstance(x, str) for x in (sid, obj, fn)):
            return _err(rid, -32700 if not luci else -32602)
        if not isinstance(args, dict):
            return _err(rid, -32602 if luci else -32700)
        if "ubus_rpc_session" in args:
            return _err(rid, -32602)
        if luci and sid == ANON and cookie_sid:
            sid = cookie_sid
        if not self._object_exists(obj):
            return _err(rid, -32000)
        sess = self.sessions.get(sid)
        if sess is None or not sess.grants.allows(obj, fn):
            return _err(rid, -32002)
        status, data = self.invoke(sess, obj, fn, args)
        result: list[Any] = [status]
        if data:
            result.append(data)
        return _ok(rid, result)


def _ok(rid: Any, result: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "result": result}


def _err(rid: Any, code: int) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "error": {"code": code, "message": ERRORS[code]}}
