"""The ACL file and docs/api.md follow the registry."""

from __future__ import annotations

import json

from wifimgr.surface import api


def test_acl_grants_match_the_registry(repo_root):
    acl = json.loads((repo_root / "rpcd" / "acl.d" / "luci-app-wifimgr.json").read_text())
    group = acl["luci-app-wifimgr"]
    assert set(group) == {"description", "read", "write"}
    assert group["read"] == {"ubus": {"wifimgr": api.read_methods()}}, \
        "read grant differs from api.read_methods()"
    assert group["write"] == {"ubus": {"wifimgr": api.write_methods()}}, \
        "write grant differs from api.write_methods()"
    assert "secret" in api.write_methods() and "backup" in api.write_methods()
    assert "file" not in json.dumps(acl)  # no file-exec grant, which the original needed


def test_api_doc_is_current(repo_root):
    assert (repo_root / "docs" / "api.md").read_text() == api.markdown(), \
        "run `wifimgr api-doc > docs/api.md`"


def test_safety_doc_lists_every_rule(repo_root):
    import re

    src = (repo_root / "lib" / "wifimgr" / "rules" / "safety.py").read_text()
    in_code = set(re.findall(r'Violation\(\s*"([a-z0-9-]+)"', src))
    doc = (repo_root / "docs" / "safety.md").read_text()
    in_doc = set(re.findall(r"^\| `([a-z0-9-]+)`[^|]*\|", doc, re.M))
    assert len(in_code) == 14 and in_doc == in_code


def test_every_error_code_is_documented(repo_root):
    """Each code an error can carry (class attributes ``code = "…"`` and ``code="…"``
    arguments anywhere in lib/) is in errors.ERROR_CODES, which docs/api.md lists."""
    import ast

    from wifimgr.core.errors import ERROR_CODES

    used = set()
    for path in (repo_root / "lib" / "wifimgr").rglob("*.py"):
        if "sim" in path.parts:       # the twin's own status codes are not API replies
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "code" for t in node.targets) \
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                used.add(node.value.value)
            if isinstance(node, ast.keyword) and node.arg == "code" \
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                used.add(node.value.value)
    assert used == set(ERROR_CODES), (used ^ set(ERROR_CODES))
