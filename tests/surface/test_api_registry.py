"""The method registry, argument validation and the rpcd exec-plugin protocol."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from wifimgr.surface import api


def test_every_handler_resolves():
    import importlib

    for m in api.METHODS.values():
        module, func = m.handler.split(":")
        mod = importlib.import_module(f"wifimgr.{module}")
        assert callable(getattr(mod, func)), m.name


def test_signature_samples_follow_rpcd_type_rules():
    table = api.signature_table()
    for m in api.METHODS.values():
        for a in m.args:
            sample = table[m.name][a.name]
            expected = {"string": str, "bool": bool, "int": int, "number": float,
                        "array": list, "object": dict}[a.type]
            assert type(sample) is expected, (m.name, a.name)
            if a.type == "int":
                # 8, 16 and 64 would make rpcd choose INT8/16/64
                assert sample not in (8, 16, 64)


def test_writes_take_dry_run_and_reads_do_not():
    for m in api.METHODS.values():
        assert (m.arg("dry_run") is not None) == m.write_result, m.name
        if m.write_result:
            assert m.access == "write", m.name


def test_unknown_argument_names_the_field():
    reply = api.dispatch("version", {"bogus": 1})
    assert reply["ok"] is False
    assert reply["error"] == {
        "code": "invalid_argument",
        "field": "bogus",
        "message": "unknown argument 'bogus' for version (takes none)",
    }


def test_session_id_injected_by_uhttpd_is_not_an_argument():
    reply = api.dispatch("version", {"ubus_rpc_session": "0" * 32})
    assert reply["package"] == "luci-app-wifimgr"


def test_unknown_method():
    reply = api.dispatch("no_such_method", {})
    assert reply["error"]["code"] == "unknown_method"


@pytest.mark.parametrize(
    ("typ", "given", "expected"),
    [
        ("bool", True, True),
        ("bool", 1, True),
        ("bool", "0", False),
        ("int", "36", 36),
        ("int", 5.0, 5),
        ("string", 6, "6"),
    ],
)
def test_coercion_of_shell_style_values(typ, given, expected):
    assert api._coerce(api.Arg("x", typ), given) == expected


@pytest.mark.parametrize(
    ("typ", "given"),
    [("bool", "maybe"), ("bool", 2), ("int", "3x"), ("int", True), ("string", [1]),
     ("array", "a"), ("object", [])],
)
def test_coercion_rejects_wrong_types(typ, given):
    from wifimgr.core.errors import InvalidArgument

    with pytest.raises(InvalidArgument) as exc:
        api._coerce(api.Arg("x", typ), given)
    assert exc.value.field == "x"


def _plugin(repo_root, *args, stdin=""):
    return subprocess.run(
        [sys.executable, str(repo_root / "rpcd" / "wifimgr"), *args],
        input=stdin, capture_output=True, text=True, timeout=30, check=False,
    )


def test_plugin_list_prints_the_registry(repo_root):
    res = _plugin(repo_root, "list")
    assert res.returncode == 0
    assert json.loads(res.stdout) == api.signature_table()


def test_plugin_call_and_errors(repo_root):
    ok = _plugin(repo_root, "call", "version", stdin="{}")
    assert ok.returncode == 0 and json.loads(ok.stdout)["package"] == "luci-app-wifimgr"
    bad = _plugin(repo_root, "call", "version", stdin="not json")
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["error"]["code"] == "invalid_argument"
    unknown = _plugin(repo_root, "call", "nope", stdin="{}")
    assert unknown.returncode == 2
    assert json.loads(unknown.stdout)["error"]["code"] == "unknown_method"
    usage = _plugin(repo_root)
    assert usage.returncode == 2 and usage.stdout == ""


@pytest.mark.parametrize("method", ["status", "networks", "clients", "radios", "diagnostics", "scan",
                                    "linkpolicy"])
def test_plugin_reads_import_nothing_heavy(repo_root, twin, method):
    """rpcd starts a fresh interpreter for every call, so import time is response time: typing,
    dataclasses and what they pull in (inspect, ast, dis, tokenize) cost several ms per call
    (make bench). The read path uses wifimgr.core.record and TYPE_CHECKING-only typing instead."""
    res = subprocess.run(
        [sys.executable, "-X", "importtime", str(repo_root / "rpcd" / "wifimgr"), "call", method],
        input="{}", capture_output=True, text=True, timeout=30, check=False,
    )
    assert res.returncode == 0, res.stdout
    loaded = {line.rsplit("|", 1)[1].strip() for line in res.stderr.splitlines()
              if line.startswith("import time:") and "|" in line}
    assert {"wifimgr.surface.api", "wifimgr.observe.live"} <= loaded          # the read really ran
    assert loaded.isdisjoint({"typing", "dataclasses", "inspect", "ast", "tokenize"}), \
        sorted(loaded & {"typing", "dataclasses", "inspect", "ast", "tokenize"})
