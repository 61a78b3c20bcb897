"""The file store's UCI syntax against libuci itself (the ``uci`` CLI), both directions, on
random packages: what wifimgr writes, libuci reads the same (sections, anonymous names,
``@type[n]`` addressing, lists, quoting); what libuci writes, wifimgr parses the same.

Needs the ``uci`` command (OpenWrt's libuci CLI): `make test-native` builds it; skipped
elsewhere.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wifimgr.platform import ucitext

pytestmark = pytest.mark.skipif(shutil.which("uci") is None,
                                reason="needs libuci's `uci` command: `make test-native`")

TYPES = ("wifi-device", "wifi-iface", "interface", "zone")
NAMES = ("radio0", "radio1", "default_radio0", "lan", "wifinet2", "ap_mld_1")
OPTIONS = ("ssid", "key", "device", "mode", "network", "mld_addr", "country", "x_1")
# quotes, backslashes, shell metacharacters, tabs, newlines and non-ASCII, as SSIDs can be
VALUE = st.text(alphabet=st.sampled_from(list("aZ09 _-.'\"\\$`;|&()\t\néü€😀")), max_size=12)


@st.composite
def packages(draw) -> ucitext.Package:
    pkg = ucitext.Package("wireless")
    for _ in range(draw(st.integers(1, 6))):
        name = draw(st.one_of(st.none(), st.sampled_from(NAMES)))
        if name is not None and pkg.get(name) is not None:
            name = None
        sec = pkg.add(draw(st.sampled_from(TYPES)), name)
        for opt in draw(st.lists(st.sampled_from(OPTIONS), max_size=4, unique=True)):
            if draw(st.booleans()):
                sec.set(opt, draw(st.lists(VALUE, min_size=1, max_size=3)))
            else:
                sec.set(opt, draw(VALUE))
    return pkg


def _uci(confdir, *args: str, stdin: str | None = None) -> str:
    return subprocess.run(["uci", "-c", str(confdir), *args], input=stdin, capture_output=True,
                          text=True, check=True, timeout=30).stdout


def _q(v: str) -> str:
    return "'" + v.replace("'", "'\\''") + "'"


def show(pkg: ucitext.Package) -> str:
    """What ``uci -X show`` prints for ``pkg`` (cli.c: uci_show_section / uci_show_option)."""
    out = []
    for s in pkg.sections:
        out.append(f"{pkg.name}.{s.name}={s.type}")
        for opt, v in s.options.items():
            val = " ".join(_q(x) for x in v) if isinstance(v, list) else _q(v)
            out.append(f"{pkg.name}.{s.name}.{opt}={val}")
    return "".join(line + "\n" for line in out)


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(pkg=packages())
def test_libuci_reads_what_wifimgr_writes(tmp_path, pkg):
    (tmp_path / "wireless").write_text(pkg.to_text())
    assert _uci(tmp_path, "-X", "show", "wireless") == show(pkg)
    assert _uci(tmp_path, "export", "wireless") == "package wireless\n" + pkg.to_text()
    for t in {s.type for s in pkg.sections}:
        for idx in ("0", "-1"):
            first = _uci(tmp_path, "-X", "show", f"wireless.@{t}[{idx}]").splitlines()[0]
            assert first == f"wireless.{pkg.get(f'@{t}[{idx}]').name}={t}"


@SETTINGS
@given(pkg=packages())
def test_wifimgr_reads_what_libuci_writes(tmp_path, pkg):
    (tmp_path / "wireless").write_text("")
    batch = []
    for s in pkg.sections:
        ref = f"wireless.{s.name}"
        batch.append(f"add wireless {s.type}" if s.anonymous else f"set {ref}={s.type}")
        if s.anonymous:                 # libuci names it; address it by position instead
            ref = f"wireless.@{s.type}[-1]"
        for opt, v in s.options.items():
            for x in (v if isinstance(v, list) else [v]):
                verb = "add_list" if isinstance(v, list) else "set"
                batch.append(f"{verb} {ref}.{opt}={_q(x)}")
    batch.append("commit wireless")
    _uci(tmp_path, "batch", stdin="\n".join(batch) + "\n")
    text = (tmp_path / "wireless").read_text()
    assert ucitext.parse(text, "wireless") == pkg
    assert show(ucitext.parse(text, "wireless")) == _uci(tmp_path, "-X", "show", "wireless")
