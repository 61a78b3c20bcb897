from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

ANON = "0" * 32


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def post(self, path: str, body, raw: bool = False):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method="POST")
        with self.opener.open(req, timeout=60) as res:
            text = res.read()
        return text if raw else json.loads(text)

    def get(self, path: str):
        try:
            with self.opener.open(self.base + path, timeout=30) as res:
                return res.status, res.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def form(self, path: str, fields: dict):
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=data),
                                  timeout=30) as res:
                return res.status, res.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def call(self, sid, obj, method, args=None, path="/ubus"):
        return self.post(path, {"jsonrpc": "2.0", "id": 1, "method": "call",
                                "params": [sid, obj, method, args or {}]})

    def login(self, user="root", password="wifimgr"):
        r = self.call(ANON, "session", "login", {"username": user, "password": password})
        return r["result"][1]["ubus_rpc_session"]


@pytest.fixture
def server(tmp_path, monkeypatch):
    from wifimgr.devserver.server import App, serve_in_thread
    from wifimgr.host import system as system_root

    d = tmp_path / "twin"
    monkeypatch.setenv("WIFIMGR_SIM", str(d))
    system_root.set_system(None)
    app = App(str(d))
    app.twin.freeze()
    app.twin.advance(90)
    srv, _ = serve_in_thread("127.0.0.1", 0, app)
    yield app, f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


@pytest.fixture
def client(server):
    return Client(server[1])
