"""The calls real LuCI makes while it starts (luci.js, ui.js, form.js), answered with rpcd's and
luci-base's semantics, so the real LuCI runtime runs against the dev server (make test-luci):
``session access`` by scope, ``uci`` over the twin's UCI store, ``luci getFeatures``,
``file list``."""

from __future__ import annotations

from devserver.conftest import ANON


def result(reply):
    assert "result" in reply, reply
    return reply["result"]


def test_session_access_by_scope_as_luci_asks_it(client):
    root, viewer = client.login(), client.login("viewer", "viewer")

    def access(sid, scope, obj, fn):
        return result(client.call(sid, "session", "access",
                                  {"scope": scope, "object": obj, "function": fn}))[1]["access"]

    # what the views ask: the write grant of the app's access group
    assert access(root, "access-group", "luci-app-wifimgr", "write") is True
    assert access(viewer, "access-group", "luci-app-wifimgr", "write") is False
    assert access(viewer, "access-group", "luci-app-wifimgr", "read") is True
    # luci.js' -32002 interceptor asks this one; form.js asks uci <config> write
    assert access(viewer, "uci", "luci", "read") is True
    assert access(viewer, "uci", "luci", "write") is False
    assert access(root, "uci", "luci", "write") is True
    # no scope: rpcd's default is ubus
    assert result(client.call(viewer, "session", "access",
                              {"object": "wifimgr", "function": "status"}))[1] == {"access": True}
    dump = result(client.call(viewer, "session", "access"))[1]
    assert dump["access-group"]["luci-app-wifimgr"] == ["read"]
    assert "status" in dump["ubus"]["wifimgr"] and "ap" not in dump["ubus"]["wifimgr"]
    assert dump["uci"]["luci"] == ["read"]


def test_luci_get_features_for_everyone(client):
    feats = result(client.call(ANON, "luci", "getFeatures"))
    assert feats[0] == 0 and feats[1]["wifi"] is True and feats[1]["hostapd"]["11be"] is True


def test_uci_get_with_rpcd_semantics(client):
    root = client.login()
    r = result(client.call(root, "uci", "get", {"config": "system"}))
    assert r[0] == 0
    values = r[1]["values"]
    first = next(iter(values.values()))
    assert first[".type"] == "system" and first[".anonymous"] is True and first[".index"] == 0
    assert first[".name"].startswith("cfg")
    one = result(client.call(root, "uci", "get", {"config": "system", "section": first[".name"]}))
    assert ".index" not in one[1]["values"] and one[1]["values"][".name"] == first[".name"]
    opt = next(k for k in first if not k.startswith("."))
    assert result(client.call(root, "uci", "get", {"config": "system", "section": first[".name"],
                                                   "option": opt}))[1] == {"value": first[opt]}
    assert result(client.call(root, "uci", "get", {"config": "system", "section": "nope"})) == [4]
    assert result(client.call(root, "uci", "get", {"config": "system", "type": "nope"})) == \
        [0, {"values": {}}]
    # a config the ACL grants no uci access to: permission denied, as rpcd says it
    assert result(client.call(root, "uci", "get", {"config": "wireless"})) == [6]
    assert result(client.call(root, "uci", "get", {"config": "nosuch"})) == [6]   # no grant
    assert client.call(ANON, "uci", "get", {"config": "system"})["error"]["code"] == -32002


def test_uci_changes_stage_per_session_and_commit(client, server):
    app, _ = server
    root, other = client.login(), client.login()
    assert result(client.call(root, "uci", "changes")) == [0, {"changes": {}}]
    sec = next(iter(result(client.call(root, "uci", "get", {"config": "system"}))[1]["values"]))
    assert result(client.call(root, "uci", "set", {"config": "system", "section": sec,
                                                   "values": {"hostname": "R4-test"}})) == [0]
    assert result(client.call(root, "uci", "changes"))[1]["changes"] == \
        {"system": [["set", sec, "hostname", "R4-test"]]}
    # staged in this session only; the file is unchanged until commit
    assert result(client.call(other, "uci", "changes")) == [0, {"changes": {}}]
    assert "R4-test" not in app.system.uci.text("system")
    assert result(client.call(root, "uci", "get", {"config": "system", "section": sec,
                                                   "option": "hostname"}))[1]["value"] == "R4-test"
    assert result(client.call(root, "uci", "commit", {"config": "system"})) == [0]
    assert "R4-test" in app.system.uci.text("system")
    assert result(client.call(root, "uci", "changes")) == [0, {"changes": {}}]
    # a read-only login cannot stage: ubus uci.set is in luci-base's write level
    viewer = client.login("viewer", "viewer")
    assert client.call(viewer, "uci", "set", {"config": "system", "section": sec,
                                              "values": {"hostname": "x"}}
                       )["error"]["code"] == -32002


def test_file_list_for_the_preload_probe(client):
    root = client.login()
    assert result(client.call(root, "file", "list",
                              {"path": "/www/luci-static/resources/preload"})) == [4]
    entries = result(client.call(root, "file", "list",
                                 {"path": "/www/luci-static/resources/view"}))[1]["entries"]
    by_name = {e["name"]: e for e in entries}
    assert {"name": "wifimgr", "type": "directory"}.items() <= by_name["wifimgr"].items()
    # the Status → Overview include lives under view/status/include/
    assert by_name["status"]["type"] == "directory"
    assert client.call(ANON, "file", "list", {"path": "/"})["error"]["code"] == -32002
