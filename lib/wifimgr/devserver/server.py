"""The HTTP side of the dev server: LuCI-like pages, login, static files, the two ubus
endpoints. Standard library only (``http.server``)."""

from __future__ import annotations

import contextlib
import html
import json
import mimetypes
import os
import re
import socket
import sys
import threading
from http import cookies
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from .. import __version__
from ..core.jsonlimits import LimitExceeded
from ..core.jsonlimits import loads as bounded_loads
from .jsonrpc import BODY_LIMIT, Plugin, Rpc
from .sessions import Sessions, ensure_logins, ensure_luci_config

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCRIPT = "/cgi-bin/luci"
COOKIE = "sysauth_http"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
#: what uhttpd's strtol accepts as a Content-Length (a sign, digits; anything else is a 400)
_LENGTH_RE = re.compile(r"^[ \t]*[+-]?[0-9]+$")
_INT_MAX = 2**31 - 1
#: ``_body``'s answer when it has already replied (400/411) or the client went away
REFUSED = object()
PARSE_ERROR = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}
#: a /ubus body over the 64 KiB limit. uhttpd itself answers it like broken JSON (200 and
#: "Parse error": ubus.c uh_ubus_data_send, UH_UBUS_MAX_POST_SIZE); the dev server says what
#: happened — HTTP 413 and a JSON-RPC error naming the limit, same code, so a client that acts
#: on the code acts the same (a deliberate difference, test_against_uhttpd.py "oversized")
TOO_LARGE = {"jsonrpc": "2.0", "id": None, "error": {
    "code": -32700, "message": "Request too large",
    "data": f"the request body is over the {BODY_LIMIT // 1024} KiB limit of the ubus "
            "JSON-RPC endpoint (uhttpd answers it with a parse error)"}}
_TOO_LARGE = object()


class App:
    """Everything the request handler needs (one instance per server)."""

    def __init__(self, sim_dir: str, *, repo: str = REPO, extra_static: list[str] | None = None,
                 plugin_path: str | None = None, luci_src: str | None = None,
                 luci_theme: str = "bootstrap"):
        from ..sim import open_twin
        from . import acl

        self.repo = repo
        self.sim_dir = os.path.abspath(sim_dir)
        self.twin = open_twin(self.sim_dir)
        self.system = self.twin.system()
        ensure_logins(self.system.uci)
        ensure_luci_config(self.system.uci)
        self.groups = acl.load_groups([os.path.join(HERE, "static", "acl.d"),
                                       os.path.join(repo, "rpcd", "acl.d")])
        self.sessions = Sessions(self.groups, self.system.uci)
        env = dict(os.environ, WIFIMGR_SIM=self.sim_dir)
        self.plugin = Plugin(plugin_path or os.path.join(repo, "rpcd", "wifimgr"), env,
                             sys.executable)
        from .rpcd import File, Luci, Uci

        startup = {"uci": Uci(self.system.uci), "luci": Luci(),
                   "file": File(lambda: self.static_roots)}
        self.rpc = Rpc(self.sessions, self.plugin, lambda: self.twin.system().bus, startup)
        #: an openwrt/luci checkout: serve its runtime (luci.js, ui.js, rpc.js, cbi.js, form.js,
        #: …) and the bootstrap theme instead of the shim, as a router does (make test-luci)
        self.luci_src = os.path.abspath(luci_src) if luci_src else None
        #: bootstrap (LuCI's default) or material (luci-theme-material), with luci_src
        self.luci_theme = luci_theme if luci_theme in ("bootstrap", "material") else "bootstrap"
        if self.luci_src:
            self.static_roots = [os.path.join(repo, "luci-static"),
                                 os.path.join(self.luci_src, "modules", "luci-base", "htdocs",
                                              "luci-static"),
                                 os.path.join(self.luci_src, "themes", "luci-theme-bootstrap",
                                              "htdocs", "luci-static"),
                                 os.path.join(self.luci_src, "themes", "luci-theme-material",
                                              "htdocs", "luci-static"), *(extra_static or [])]
            for need in ("resources/luci.js", "resources/menu-bootstrap.js",
                         "bootstrap/cascade.css"):
                if self.static_file(need) is None:
                    raise SystemExit(f"{self.luci_src} is not an openwrt/luci checkout "
                                     f"(no {need} under modules/luci-base or the bootstrap theme)")
        else:
            self.static_roots = [os.path.join(HERE, "static"), os.path.join(repo, "luci-static"),
                                 *(extra_static or [])]
        with open(os.path.join(repo, "luci-static", "menu.d", "luci-app-wifimgr.json"),
                  encoding="utf-8") as fh:
            self.menu = json.load(fh)

    # ----------------------------------------------------------------- static files
    def static_file(self, rel: str) -> str | None:
        """A file under /luci-static/ (no traversal, no directories)."""
        rel = unquote(rel)
        if "\0" in rel or rel.startswith("/") or any(p in ("..", "") for p in rel.split("/")):
            return None
        for root in self.static_roots:
            path = os.path.realpath(os.path.join(root, rel))
            if path.startswith(os.path.realpath(root) + os.sep) and os.path.isfile(path):
                return path
        return None

    # ----------------------------------------------------------------- menu
    def nodes(self, session) -> list[tuple[str, dict[str, Any]]]:
        out = []
        for path, node in self.menu.items():
            acls = (node.get("depends") or {}).get("acl") or []
            if acls and not any(a in session.grants.groups for a in acls):
                continue
            out.append((path, node))
        return out

    def menu_tree(self, session) -> dict[str, Any]:
        """``admin/menu`` as LuCI's dispatcher answers it (menu_json + apply_tree_acls): the
        nodes of menu.d as a tree, ``satisfied`` / ``readonly`` from the session's groups."""
        nodes = {"admin": {"title": "Administration", "order": 10,
                           "action": {"type": "firstchild"}},
                 "admin/network": {"title": "Network", "order": 50,
                                   "action": {"type": "firstchild"}},
                 "admin/logout": {"title": "Log out", "order": 999,
                                  "action": {"type": "function"}},
                 **self.menu}
        tree: dict[str, Any] = {"action": {"type": "firstchild"}, "satisfied": True,
                                "children": {}}
        for path in sorted(nodes, key=lambda p: p.count("/")):
            node = json.loads(json.dumps(nodes[path]))
            node["satisfied"] = True
            acls = (node.get("depends") or {}).get("acl") or []
            if acls:
                levels = [session.grants.groups.get(a, set()) for a in acls]
                if not all(levels):
                    node["satisfied"] = False
                elif not any("write" in lv for lv in levels):
                    node["readonly"] = True
            at = tree
            for part in path.split("/"):
                at = at.setdefault("children", {}).setdefault(part, {"satisfied": True})
            at.update(node)
        return tree

    def view_for(self, path: str) -> str | None:
        node = self.menu.get(path)
        if node is None:
            return None
        action = node.get("action") or {}
        if action.get("type") == "view":
            return action.get("path")
        if action.get("type") in ("firstchild", "alias"):
            kids = sorted(((p, n) for p, n in self.menu.items() if p.startswith(path + "/")
                           and p.count("/") == path.count("/") + 1),
                          key=lambda x: x[1].get("order", 999))
            if action.get("type") == "alias":
                return self.view_for(action.get("path", ""))
            return self.view_for(kids[0][0]) if kids else None
        return None


def _page(title: str, body: str, env: dict[str, Any] | None = None,
          css: str = "/luci-static/resources/preview.css") -> bytes:
    env_js = ""
    if env is not None:
        env_js = ('<script src="/luci-static/resources/luci.js"></script>\n'
                  f"<script>L = new LuCI({json.dumps(env)});</script>\n")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - LuCI (wifimgr preview)</title>
<link rel="stylesheet" href="{css}">
{env_js}</head>
<body class="lang_en">{body}</body></html>""".encode()


class Handler(BaseHTTPRequestHandler):
    server_version = "uhttpd-preview"
    app: App

    def log_message(self, fmt: str, *args: Any) -> None:  # quieter than the default
        if os.environ.get("WIFIMGR_DEVSERVER_LOG"):
            super().log_message(fmt, *args)

    # ----------------------------------------------------------------- helpers
    def _send(self, code: int, body: bytes, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, obj: Any, code: int = 200) -> None:
        self._send(code, json.dumps(obj).encode(), "application/json")

    def _redirect(self, location: str, headers: dict[str, str] | None = None) -> None:
        h = {"Location": location}
        h.update(headers or {})
        self._send(303, b"", headers=h)

    def _cookie_sid(self) -> str | None:
        raw = self.headers.get("Cookie")
        if not raw:
            return None
        c = cookies.SimpleCookie()
        try:
            c.load(raw)
        except cookies.CookieError:
            return None
        m = c.get(COOKIE)
        return m.value if m else None

    # ----------------------------------------------------------------- reading a request
    #: seconds a connection may stay silent, as uhttpd's network timeout (``-T``, 30)
    timeout = 30
    #: seconds the whole request (line, headers, body) may take to arrive: a client that
    #: trickles a byte at a time (slowloris) is never idle, so the idle timeout alone would
    #: let it hold a thread for ever
    request_deadline = 60.0

    def setup(self) -> None:
        super().setup()
        self._expired = False
        self._watchdog = threading.Timer(self.request_deadline, self._expire)
        self._watchdog.daemon = True
        self._watchdog.start()

    def _expire(self) -> None:
        # the blocked read returns: the handler gives up on the request and the thread ends
        self._expired = True
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            pass                           # the client went away or stopped reading
        except OSError:
            if not self._expired:
                raise

    def parse_request(self) -> bool:
        # headers cut short by the deadline are not a request
        return super().parse_request() and not self._expired

    def _arrived(self) -> None:
        """The request is in: what follows (dispatch, reply) is not the client's to stall."""
        self._watchdog.cancel()

    def finish(self) -> None:
        self._watchdog.cancel()
        with contextlib.suppress(OSError):  # a client cut off by the deadline
            super().finish()

    def _refuse(self, code: int, summary: str) -> object:
        self.close_connection = True
        self._send(code, f"<h1>{summary}</h1>".encode(), headers={"Connection": "close"})
        return REFUSED

    def _body(self) -> bytes | object | None:
        """The request body, framed as uhttpd frames it: several Content-Length headers, one
        beside a Transfer-Encoding, or one that is not a non-negative number → 400; no
        Content-Length → no body. A chunked body (uhttpd decodes it) gets 411 here. Returns
        None when larger than BODY_LIMIT (the caller answers as uhttpd does),
        :data:`REFUSED` when the reply has been sent or the client is gone."""
        lengths = self.headers.get_all("Content-Length") or []
        chunked = self.headers.get("Transfer-Encoding")
        if len(lengths) > 1 or (lengths and chunked):
            return self._refuse(400, "Bad Request")
        if chunked:
            return self._refuse(411, "Length Required")
        if not lengths:
            self._arrived()
            return b""
        if not _LENGTH_RE.match(lengths[0]) or not 0 <= int(lengths[0]) <= _INT_MAX:
            return self._refuse(400, "Bad Request")
        n = int(lengths[0])
        if n > BODY_LIMIT:
            self._arrived()
            self.close_connection = True   # the unread rest must not be taken as a request
            return None
        try:
            data = self.rfile.read(n) if n else b""
        except OSError:                    # idle past `timeout`
            data = b""
        if len(data) < n or self._expired:  # ... or cut off by the deadline, or gone
            self.close_connection = True
            return REFUSED
        self._arrived()
        return data

    def _ubus_body(self) -> bytes | object | None:
        """The body of a /ubus request; None (a JSON-RPC parse error, as uhttpd answers) when
        it is too large or nested deeper than json-c's 32 levels."""
        body = self._body()
        if body is None:
            return _TOO_LARGE
        if isinstance(body, bytes):
            try:
                bounded_loads(body, max_bytes=BODY_LIMIT)
            except LimitExceeded:
                return None
            except ValueError:
                pass                       # bad JSON: the JSON-RPC layer answers it
        return body

    # ----------------------------------------------------------------- routes
    def do_GET(self) -> None:
        self._arrived()
        path = urlsplit(self.path).path
        if path == "/favicon.ico":
            return self._send(204, b"", "image/x-icon")
        if path in ("/", "/index.html"):
            return self._redirect(f"{SCRIPT}/admin/network/wifimgr")
        if path.startswith("/luci-static/"):
            f = self.app.static_file(path[len("/luci-static/"):])
            if f is None:
                return self._send(404, b"Not found", "text/plain")
            ctype = mimetypes.guess_type(f)[0] or "application/octet-stream"
            if f.endswith(".js"):
                ctype = "application/javascript; charset=utf-8"
            with open(f, "rb") as fh:
                return self._send(200, fh.read(), ctype)
        if path == SCRIPT or path.startswith(SCRIPT + "/"):
            return self._luci(path[len(SCRIPT):].strip("/"))
        return self._send(404, b"Not found", "text/plain")

    do_HEAD = do_GET

    def _session(self):
        sid = self._cookie_sid()
        sess = self.app.sessions.get(sid) if sid else None
        return sess if sess is not None and sess.username is not None else None

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        ubus = path in ("/ubus", "/ubus/") or path == f"{SCRIPT}/admin/ubus" or \
            path.startswith(f"{SCRIPT}/admin/ubus/")
        body = self._ubus_body() if ubus else self._body()
        if body is REFUSED:
            return None
        if ubus and body is _TOO_LARGE:
            return self._json(TOO_LARGE, 413)
        if ubus and body is None:
            return self._json(PARSE_ERROR)
        if path in ("/ubus", "/ubus/"):
            return self._json(self.app.rpc.handle(body, luci=False))
        if path == f"{SCRIPT}/admin/ubus" or path.startswith(f"{SCRIPT}/admin/ubus/"):
            sid = self._cookie_sid()
            cookie_sid = sid if sid and self.app.sessions.get(sid) else None
            return self._json(self.app.rpc.handle(body, luci=True, cookie_sid=cookie_sid))
        if path == SCRIPT or path.startswith(SCRIPT + "/"):
            form = parse_qs((body or b"").decode("utf-8", "replace"))
            user = (form.get("luci_username") or [""])[0]
            pw = (form.get("luci_password") or [""])[0]
            s = self.app.sessions.login(user, pw)
            if s is None:
                return self._send(403, self._login_page(failed=True))
            s.data["token"] = os.urandom(16).hex()
            return self._redirect(path, {"Set-Cookie": f"{COOKIE}={s.sid}; path={SCRIPT}; "
                                                       "HttpOnly; SameSite=Strict"})
        return self._send(404, b"Not found", "text/plain")

    # ----------------------------------------------------------------- pages
    def _css(self) -> str:
        return ("/luci-static/bootstrap/cascade.css" if self.app.luci_src
                else "/luci-static/resources/preview.css")

    def _login_page(self, failed: bool = False) -> bytes:
        msg = ('<div class="alert-message error">Invalid username and/or password! '
               'Please try again.</div>' if failed else "")
        body = f"""
<header class="preview-header"><span class="brand">OpenWrt</span>
<span class="preview-tag">wifimgr preview on the twin</span></header>
<div id="maincontent" class="container"><form method="post" class="cbi-map login">
<h2>Authorization Required</h2>{msg}
<div class="cbi-section"><p>Please enter your username and password.</p>
<div class="cbi-value"><label class="cbi-value-title" for="luci_username">Username</label>
<div class="cbi-value-field"><input class="cbi-input-text" type="text" id="luci_username"
 name="luci_username" value="root" autocomplete="username"></div></div>
<div class="cbi-value"><label class="cbi-value-title" for="luci_password">Password</label>
<div class="cbi-value-field"><input class="cbi-input-text" type="password" id="luci_password"
 name="luci_password" autocomplete="current-password"></div></div></div>
<div class="cbi-page-actions"><button class="btn cbi-button cbi-button-positive important"
 type="submit" id="login">Log in</button></div></form></div>"""
        return _page("Login", body, css=self._css())

    def _luci(self, rest: str) -> None:
        sid = self._cookie_sid()
        sess = self.app.sessions.get(sid) if sid else None
        if sess is None or sess.username is None:
            return self._send(403, self._login_page())
        if rest == "admin/logout":
            self.app.sessions.destroy(sess.sid)
            return self._redirect(SCRIPT, {"Set-Cookie": f"{COOKIE}=; path={SCRIPT}; "
                                                         "Max-Age=0"})
        if rest == "admin/menu":
            return self._send(200, json.dumps(self.app.menu_tree(sess)).encode(),
                              "application/json; charset=UTF-8")
        if rest.startswith("admin/translations"):
            # the dispatcher's catalogue of the language as JS; English needs none
            return self._send(200, b"window.TR={};", "application/javascript; charset=UTF-8")
        if not rest or rest == "admin":
            rest = "admin/network/wifimgr"
        view = self.app.view_for(rest)
        nodes = self.app.nodes(sess)
        allowed = {p for p, _ in nodes}
        if view is None or rest not in allowed:
            return self._send(404, _page("Not found", f"""<div id="maincontent" class="container">
<h2>Not Found</h2><p>No page is registered at {html.escape(rest)}.</p></div>""", css=self._css()))
        tabs = []
        top = "admin/network/wifimgr"
        for p, n in sorted(nodes, key=lambda x: x[1].get("order", 999)):
            if p.startswith(top + "/") and p.count("/") == top.count("/") + 1:
                active = " active" if (rest == p or (rest == top and not tabs)) else ""
                tabs.append(f'<li class="tabmenu-item-{html.escape(p.rsplit("/", 1)[1])}'
                            f'{active}"><a href="{SCRIPT}/{html.escape(p)}">'
                            f'{html.escape(n.get("title", p))}</a></li>')
        nodespec = dict(self.app.menu.get(rest, {}))
        node_acls = (nodespec.get("depends") or {}).get("acl") or []
        nodespec["satisfied"] = True
        if node_acls and not any("write" in sess.grants.groups.get(a, set()) for a in node_acls):
            nodespec["readonly"] = True
        if self.app.luci_src:
            if self.app.luci_theme == "material":
                return self._send(200, self._material_page(sess, rest, view, nodespec))
            return self._send(200, self._luci_page(sess, rest, view, nodespec))
        env = {
            "sessionid": sess.sid, "token": sess.data.get("token"),
            "requestpath": rest.split("/"), "dispatchpath": rest.split("/"),
            "nodespec": nodespec, "resource": "/luci-static/resources",
            "media": "/luci-static/resources", "scriptname": SCRIPT, "pollinterval": 5,
            "rpctimeout": 20, "ubuspath": "/ubus/", "apply_rollback": 90,
            "apply_holdoff": 4, "apply_timeout": 5, "documentroot": "/www",
            "preview": True, "username": sess.username,
        }
        body = f"""
<header class="preview-header"><span class="brand">OpenWrt</span>
<span class="hostname">{html.escape(self._board_model())} (twin)</span>
<nav class="preview-menu"><a href="{SCRIPT}/admin/network/wifimgr" class="active">Network
 → WiFi Manager</a></nav>
<span class="preview-user">{html.escape(sess.username)} ·
 <a href="{SCRIPT}/admin/logout" id="logout">Log out</a></span></header>
<div id="maincontent" class="container">
<ul class="cbi-tabmenu">{''.join(tabs)}</ul>
<div id="view"><div class="spinning">Loading view…</div></div>
<script>L.require('ui').then(function(ui) {{ ui.instantiateView({json.dumps(view)}); }});
</script></div>
<footer class="preview-footer">luci-app-wifimgr {__version__} · preview server</footer>"""
        self._send(200, _page("WiFi Manager", body, env))

    @staticmethod
    def _luci_env(sess, rest: str, nodespec: dict[str, Any], theme: str) -> str:
        """LuCI's page environment (``L = new LuCI(env)``) as its dispatcher writes it."""
        env = {
            "media": f"/luci-static/{theme}", "resource": "/luci-static/resources",
            "scriptname": SCRIPT, "pathinfo": "/" + rest, "documentroot": "/www",
            "requestpath": rest.split("/"), "dispatchpath": rest.split("/"),
            "pollinterval": 5, "ubuspath": "/ubus/", "sessionid": sess.sid,
            "token": sess.data.get("token"), "nodespec": nodespec, "apply_rollback": 90,
            "apply_holdoff": 4, "apply_timeout": 5, "apply_display": 1.5,
            "rollback_token": None,
        }
        return json.dumps(env).replace("/", "\\/")

    @staticmethod
    def _view_body(env_js: str, view: str) -> str:
        """luci-base's view.ut inside either theme: the runtime, then the view it loads."""
        return f"""<div id="tabmenu" style="display:none"></div>
<script src="/luci-static/resources/luci.js?v=git-wifimgr"></script>
<script>
L = new LuCI({env_js});
</script>
<div id="view">
<div class="spinning">Loading view…</div>
<script>
L.require('ui').then(function(ui) {{ ui.instantiateView({json.dumps(view)}); }});
</script>
</div>
"""

    def _board_model(self) -> str:
        """The twin's board as the header names it (its profile's ``system board`` model)."""
        try:
            return str(self.app.twin.profile().board.get("model") or "OpenWrt")
        except (OSError, RuntimeError, ValueError):
            return "OpenWrt"

    def _luci_page(self, sess, rest: str, view: str, nodespec: dict[str, Any]) -> bytes:
        """What LuCI's dispatcher renders for a view with the bootstrap theme (luci-base
        templates header.ut, view.ut, footer.ut and the theme's header/footer): the real
        runtime from the checkout builds the menu, tabs and indicators itself."""
        env_js = self._luci_env(sess, rest, nodespec, "bootstrap")
        title = html.escape(nodespec.get("title", "WiFi Manager"))
        page = "-".join(rest.split("/"))
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>BPI-R4 | {title}</title>
<script>
var mediaQuery = window.matchMedia('(prefers-color-scheme: dark)'),
    rootElement = document.querySelector(':root'),
    setDarkMode = function(match) {{ rootElement.setAttribute('data-darkmode', match.matches) }};
mediaQuery.addEventListener('change', setDarkMode);
setDarkMode(mediaQuery);
</script>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/luci-static/bootstrap/cascade.css">
<link rel="stylesheet" media="only screen and (max-device-width: 854px)"
 href="/luci-static/bootstrap/mobile.css" />
<link rel="icon" href="/luci-static/bootstrap/logo_48.png" sizes="48x48">
<script src="{SCRIPT}/admin/translations/en"></script>
<script src="/luci-static/resources/cbi.js"></script>
</head>
<body class="lang_en {title}" data-page="{html.escape(page)}">
<header>
<a class="brand" href="/">BPI-R4</a>
<ul class="nav" id="topmenu" style="display:none"></ul>
<div id="indicators" class="pull-right"></div>
</header>
<div id="maincontent" class="container">
<noscript><div class="alert-message warning"><h4>JavaScript required!</h4></div></noscript>
{self._view_body(env_js, view)}</div>
<footer><span>Powered by LuCI (checkout) / luci-app-wifimgr {__version__} on the twin</span>
<ul class="breadcrumb pull-right" id="modemenu" style="display:none"></ul></footer>
<script>L.require('menu-bootstrap')</script>
</body>
</html>""".encode()


    def _material_page(self, sess, rest: str, view: str, nodespec: dict[str, Any]) -> bytes:
        """The same page in luci-theme-material's layout (its header.ut / footer.ut)."""
        env_js = self._luci_env(sess, rest, nodespec, "material")
        title = html.escape(nodespec.get("title", "WiFi Manager"))
        page_id = html.escape("-".join(rest.split("/")))
        footer = f"Powered by LuCI (checkout) / luci-app-wifimgr {__version__} on the twin"
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/luci-static/material/cascade.css">
<link rel="icon" href="/luci-static/material/logo_48.png" sizes="48x48">
<script src="{SCRIPT}/admin/translations/en"></script>
<script src="/luci-static/resources/cbi.js"></script>
<title>BPI-R4 | {title}</title>
</head>
<body class="lang_en logged-in node-{page_id}" data-page="{page_id}">
<header>
	<div class="fill">
		<div class="container">
			<span class="showSide"></span>
			<a id="logo" href="#"><img src="/luci-static/material/brand.png" alt="OpenWrt"></a>
			<a class="brand" href="#">BPI-R4</a>
			<span class="status" id="indicators"></span>
		</div>
	</div>
</header>
<div class="main">
	<div class="loading"><span><div class="loading-img"></div>Collecting data...</span></div>
	<div class="main-left" id="mainmenu" style="display:none"></div>
	<div class="main-right">
		<div class="modemenu-buttons" style="display:none"><ul id="modemenu"></ul></div>
		<div class="darkMask"></div>
		<div id="maincontent">
			<div class="container">
			{self._view_body(env_js, view)}			</div>
			<footer class="mobile-hide">{footer}</footer>
		</div>
	</div>
	<script>L.require('menu-material')</script>
</body>
</html>""".encode()


def make_server(host: str, port: int, app: App) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"app": app})
    srv = ThreadingHTTPServer((host, port), handler)
    srv.daemon_threads = True
    return srv


def serve_in_thread(host: str, port: int, app: App) -> tuple[ThreadingHTTPServer,
                                                               threading.Thread]:
    srv = make_server(host, port, app)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    return srv, t
