"""The dev server speaks uhttpd's /ubus and LuCI's ubus proxy, with rpcd sessions and ACLs."""

from __future__ import annotations

import json
import os
import stat

from devserver.conftest import ANON


def test_login_call_logout(client):
    sid = client.login()
    assert len(sid) == 32 and sid != ANON
    r = client.call(sid, "wifimgr", "version")
    assert r["result"][0] == 0 and r["result"][1]["backend"] == "twin"
    assert client.call(sid, "session", "destroy")["result"] == [0]
    assert client.call(sid, "wifimgr", "version")["error"]["code"] == -32002


def test_bad_password_and_anonymous(client):
    r = client.call(ANON, "session", "login", {"username": "root", "password": "nope"})
    assert r["result"] == [6]
    assert client.call(ANON, "wifimgr", "status")["error"] == {"code": -32002,
                                                                "message": "Access denied"}
    assert client.call(ANON, "session", "access", {"object": "wifimgr", "function": "status"}
                       )["result"] == [0, {"access": False}]


def test_error_codes(client):
    sid = client.login()
    assert client.post("/ubus", b"{not json")["error"]["code"] == -32700
    assert client.post("/ubus", {"jsonrpc": "1.0", "id": 1, "method": "call"}
                       )["error"]["code"] == -32700
    assert client.post("/ubus", {"jsonrpc": "2.0", "id": 1, "method": "frob", "params": []}
                       )["error"]["code"] == -32601
    assert client.call(sid, "nosuchobject", "x")["error"]["code"] == -32000
    assert client.call(sid, "wifimgr", "status", {"ubus_rpc_session": sid}
                       )["error"]["code"] == -32602
    # over the 64 KiB limit: 413 and a JSON-RPC error that says so (issue 21), not "Parse error"
    import urllib.error

    try:
        client.post("/ubus", b"x" * 70000)
        raise AssertionError("an oversized body was accepted")
    except urllib.error.HTTPError as exc:
        assert exc.code == 413
        err = json.loads(exc.read())["error"]
    assert err["code"] == -32700 and err["message"] == "Request too large"
    assert "64 KiB" in err["data"]
    assert client.post("/ubus", b"x" * 65536)["error"]["message"] == "Parse error"  # at limit
    # unknown wifimgr method: the object exists, the method does not → access denied first
    assert client.call(sid, "wifimgr", "nosuchmethod")["error"]["code"] == -32002


def test_batch_and_list(client):
    sid = client.login()
    replies = client.post("/ubus", [
        {"jsonrpc": "2.0", "id": "a", "method": "call", "params": [sid, "wifimgr", "version", {}]},
        {"jsonrpc": "2.0", "id": "b", "method": "list", "params": ["wifimgr"]},
        42])
    assert [r.get("id") for r in replies] == ["a", "b", None]
    assert replies[1]["result"]["wifimgr"]["ap"]["ssid"] == "string"
    assert replies[1]["result"]["wifimgr"]["ap"]["hidden"] == "boolean"
    assert replies[1]["result"]["wifimgr"]["ap"]["maxassoc"] == "number"
    assert replies[2]["error"]["code"] == -32700
    names = client.post("/ubus", {"jsonrpc": "2.0", "id": 1, "method": "list"})["result"]
    assert "wifimgr" in names and "network.wireless" in names


def test_viewer_is_refused_writes_by_the_real_acl(client):
    sid = client.login("viewer", "viewer")
    assert client.call(sid, "wifimgr", "networks")["result"][0] == 0
    r = client.call(sid, "wifimgr", "ap", {"radio": "radio0", "ssid": "x",
                                           "encryption": "none"})
    assert r["error"]["code"] == -32002
    assert client.call(sid, "wifimgr", "secret", {"section": "x"})["error"]["code"] == -32002
    access = client.call(sid, "session", "access", {"object": "wifimgr", "function": "ap"})
    assert access["result"] == [0, {"access": False}]


def test_other_objects_come_from_the_twin_bus(client):
    sid = client.login()
    r = client.call(sid, "network.wireless", "status")
    assert r["result"][0] == 0 and "radio0" in r["result"][1]
    assert client.call(sid, "hostapd.nope", "get_status")["error"]["code"] == -32000


def test_luci_proxy_uses_the_cookie_session(client):
    status, page = client.get("/cgi-bin/luci/admin/network/wifimgr")
    assert status == 403 and "luci_password" in page
    status, _ = client.form("/cgi-bin/luci/admin/network/wifimgr",
                            {"luci_username": "root", "luci_password": "bad"})
    assert status == 403
    status, page = client.form("/cgi-bin/luci/admin/network/wifimgr",
                               {"luci_username": "root", "luci_password": "wifimgr"})
    assert status == 200 and "ui.instantiateView" in page and "Networks" in page
    r = client.call(ANON, "wifimgr", "version", path="/cgi-bin/luci/admin/ubus/wifimgr.version")
    assert r["result"][0] == 0
    # LuCI's proxy: missing id and short params are -32600
    assert client.post("/cgi-bin/luci/admin/ubus", {"jsonrpc": "2.0", "method": "call",
                                                    "params": [ANON, "a", "b"]}
                       )["error"]["code"] == -32600
    bad = client.post("/cgi-bin/luci/admin/ubus", {"jsonrpc": "2.0", "id": 7, "method": "call",
                                                   "params": [ANON, "wifimgr"]})
    assert bad["error"] == {"code": -32600, "message": "Invalid parameters"} and bad["id"] is None
    status, _ = client.get("/cgi-bin/luci/admin/logout")
    assert client.call(ANON, "wifimgr", "version",
                       path="/cgi-bin/luci/admin/ubus")["error"]["code"] == -32002


def test_static_files_are_safe(client):
    assert client.get("/luci-static/resources/luci.js")[0] == 200
    assert client.get("/luci-static/resources/../../../../etc/passwd")[0] == 404
    assert client.get("/luci-static/resources/%2e%2e/%2e%2e/pyproject.toml")[0] == 404
    assert client.get("/luci-static/resources/")[0] == 404
    assert client.get("/luci-static/menu.d/luci-app-wifimgr.json")[0] == 200


def _fake_plugin(tmp_path, body: str):
    p = tmp_path / "fake-plugin"
    p.write_text("import sys, json\nif sys.argv[1] == 'list':\n"
                 "    print(json.dumps({'m': {}}))\nelse:\n" + body)
    p.chmod(p.stat().st_mode | stat.S_IXUSR)
    return str(p)


def test_plugin_output_handling_like_rpcd(tmp_path, monkeypatch):
    import sys

    from wifimgr.devserver.jsonrpc import Plugin

    env = dict(os.environ)
    cases = {"    print('[1, 2]')\n": (2, None), "    pass\n": (5, None),
             "    print('{\"a\": 1} trailing garbage')\n": (0, {"a": 1}),
             "    print('{broken')\n": (2, None)}
    for body, expected in cases.items():
        plug = Plugin(_fake_plugin(tmp_path, body), env,
                      sys.executable)
        assert plug.call("m", {}) == expected, body
    assert plug.call("unknown", {}) == (3, None)
