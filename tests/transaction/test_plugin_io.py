"""`rpcd/wifimgr call` as a shell user meets it (issue 13 item 6): the exit code says what the
JSON on stdout says — 0 done, 1 an error reply, 2 an unknown method, 3 a write the safety rules
blocked — and arguments that are too large or nested too deep get a JSON error reply."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from wifimgr.core.jsonlimits import MAX_DEPTH

BLOCKED_AP = {"radio": "radio2", "ssid": "six", "encryption": "psk2", "key": "12345678"}


def _run(repo_root, method: str, stdin: bytes | str):
    data = stdin.encode() if isinstance(stdin, str) else stdin
    res = subprocess.run([sys.executable, str(repo_root / "rpcd" / "wifimgr"), "call", method],
                         input=data, capture_output=True, env=dict(os.environ), timeout=60,
                         check=False)
    return res.returncode, json.loads(res.stdout)


def _nested(levels: int) -> str:
    """A JSON object whose ``x`` is nested so that the whole text is ``levels`` deep."""
    return '{"x":' + "[" * (levels - 1) + "]" * (levels - 1) + "}"


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_blocked_write_exits_3_with_the_reply_on_stdout(clean_twin, repo_root, dry_run):
    wireless = pathlib.Path(clean_twin.confdir, "wireless")
    before = wireless.read_bytes()
    rc, reply = _run(repo_root, "ap", json.dumps({**BLOCKED_AP, "dry_run": dry_run}))
    assert reply["ok"] is False and reply["error"] is None
    assert [b["rule"] for b in reply["blocked"]] == ["wpa3-on-6g"]
    assert rc == 3
    assert wireless.read_bytes() == before


def test_exit_codes_of_done_error_and_unknown(clean_twin, repo_root):
    assert _run(repo_root, "version", "{}")[0] == 0
    rc, reply = _run(repo_root, "ap", json.dumps({**BLOCKED_AP, "encryption": "sae",
                                                  "dry_run": True}))
    assert (rc, reply["ok"]) == (0, True)
    rc, reply = _run(repo_root, "radio_set", '{"radio": "radio9", "channel": "6"}')
    assert (rc, reply["error"]["code"], reply["error"]["field"]) == (1, "invalid_argument",
                                                                      "radio")
    rc, reply = _run(repo_root, "nosuchmethod", "{}")
    assert (rc, reply["error"]["code"]) == (2, "unknown_method")


def test_arguments_nested_deeper_than_json_c_allows_get_a_json_error(clean_twin, repo_root):
    rc, reply = _run(repo_root, "status", _nested(MAX_DEPTH + 1))
    assert rc == 1 and reply["error"]["code"] == "invalid_argument"
    assert f"nested deeper than {MAX_DEPTH}" in reply["error"]["message"]
    rc, reply = _run(repo_root, "status", "[" * 200000)          # past Python's recursion
    assert rc == 1 and "nested deeper" in reply["error"]["message"]
    # 32 levels are what json-c (ubus, uhttpd) passes on: past the limit, to the method
    rc, reply = _run(repo_root, "version", _nested(MAX_DEPTH))
    assert rc == 1 and reply["error"]["message"] == "unknown argument 'x' for version " \
                                                    "(takes none)"


def test_oversized_arguments_get_a_json_error_and_are_not_read_whole(clean_twin, repo_root):
    big = '{"config": "' + "x" * (2 << 20) + '"}'                 # 2 MiB; ubus allows 1 MiB
    rc, reply = _run(repo_root, "check", big)
    assert rc == 1 and reply["error"]["code"] == "invalid_argument"
    assert "larger than 1048576 bytes" in reply["error"]["message"]
    rc, reply = _run(repo_root, "check", b"\xff\xfe{")
    assert rc == 1 and "not valid JSON" in reply["error"]["message"]


def test_control_json_loads_alone_does_not_answer_deep_input():
    # what the plugin had before: the decoder's RecursionError is no ValueError, so the
    # plugin's `except ValueError` never wrote a reply
    with pytest.raises(RecursionError):
        json.loads("[" * 200000)
