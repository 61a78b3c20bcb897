"""Only the ports touch the OS.

Outside ``platform/`` (the ports), ``sim/`` (the twin, which implements them) and the allow-list
below, no module of ``lib/wifimgr`` calls ``open()``, an :mod:`os` or :mod:`shutil` file
function, or imports :mod:`subprocess`, :mod:`socket` or :mod:`fcntl`. State files go through
``platform.state`` and ``platform.fs.atomic_write``, commands through ``System.run``, ubus
through ``System.bus``, device files through ``System.fs``.
"""

from __future__ import annotations

import ast
import shutil

from support import ROOT

LIB = ROOT / "lib"

#: the ports, the twin that implements them, and the dev server — the stand-in for the
#: router's uhttpd and rpcd (an HTTP server on a socket, the ACL files rpcd reads, the plugin
#: exec'd per call, the static files of the views); not installed on the router
PORT_FOLDERS = ("platform", "sim", "devserver")

#: module (path below lib/wifimgr) → what it may do and why. Keep it short.
ALLOWED: dict[str, tuple[set[str], str]] = {
    "monitor/replies.py": ({"open()", "os.listdir", "os.makedirs", "os.stat", "os.unlink"},
                           "the plugin's fast path for reads served from the monitor's sample: "
                           "json and os only, since importing the ports package (UCI, ubus, "
                           "commands) would cost the start-up it exists to save"),
    "surface/bench.py": ({"import subprocess"},
                         "`make bench` times the rpcd plugin as rpcd runs it: a new process "
                         "per call (a developer tool, not installed on the router)"),
}

OS_FILE_CALLS = {
    "open", "close", "read", "write", "pread", "pwrite", "replace", "rename", "renames",
    "remove", "unlink", "rmdir", "removedirs", "makedirs", "mkdir", "listdir", "scandir",
    "stat", "lstat", "fstat", "fsync", "fdatasync", "ftruncate", "truncate", "chmod", "chown",
    "utime", "walk", "link", "symlink", "readlink", "access", "fdopen", "mkfifo", "popen",
    "system", "spawnl", "spawnv", "execv", "execvp", "fork",
}
OS_PATH_CALLS = {"exists", "isfile", "isdir", "islink", "getsize", "getmtime", "getctime",
                 "getatime", "lexists", "samefile"}
FORBIDDEN_MODULES = {"subprocess", "socket", "shutil", "fcntl", "socketserver", "http"}


def os_access(source: str) -> set[str]:
    """The OS accesses a module's source makes, as short labels (``open()``, ``os.unlink``…)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "open":
            found.add("open()")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "os" and node.attr in OS_FILE_CALLS:
                found.add(f"os.{node.attr}")
            elif node.value.id == "shutil":
                found.add(f"shutil.{node.attr}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) \
                and isinstance(node.value.value, ast.Name) and node.value.value.id == "os" \
                and node.value.attr == "path" and node.attr in OS_PATH_CALLS:
            found.add(f"os.path.{node.attr}")
        elif isinstance(node, ast.Import):
            found |= {f"import {a.name}" for a in node.names
                      if a.name.split(".")[0] in FORBIDDEN_MODULES}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module \
                and node.module.split(".")[0] in FORBIDDEN_MODULES:
            found.add(f"import {node.module}")
    return found


def violations(lib=LIB) -> dict[str, set[str]]:
    out = {}
    for p in sorted((lib / "wifimgr").rglob("*.py")):
        rel = p.relative_to(lib / "wifimgr").as_posix()
        if rel.split("/")[0] in PORT_FOLDERS or "__pycache__" in p.parts:
            continue
        found = os_access(p.read_text(encoding="utf-8"))
        found -= ALLOWED.get(rel, (set(), ""))[0]
        if found:
            out[rel] = found
    return out


def test_only_the_ports_touch_the_os():
    assert violations() == {}


def test_the_allow_list_is_used_and_explained():
    for rel, (what, why) in ALLOWED.items():
        src = (LIB / "wifimgr" / rel).read_text(encoding="utf-8")
        assert what <= os_access(src), f"{rel}: allowed but no longer done: {what - os_access(src)}"
        assert len(why) > 40, f"{rel}: say why"


def test_a_file_call_outside_the_ports_is_caught(tmp_path):
    """Control: one ``open()`` and one ``subprocess`` import added to a feature are reported."""
    shutil.copytree(LIB / "wifimgr" / "radios", tmp_path / "wifimgr" / "radios",
                    ignore=shutil.ignore_patterns("__pycache__"))
    scan = tmp_path / "wifimgr" / "radios" / "scan.py"
    scan.write_text(scan.read_text() + "\n\ndef _peek(p):\n    import subprocess\n"
                    "    return open(p).read(), subprocess\n")
    assert violations(tmp_path)["radios/scan.py"] == {"open()", "import subprocess"}
