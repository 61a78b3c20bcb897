"""The steering init script does not start the daemon where this boot's capability map says
the stack lacks A-TTLM / Neg-TTLM — read with OpenWrt's own jshn (libubox), as procd's
rc.common loads it. Runs under `make test-native` (libubox built from source); skipped
elsewhere."""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _jshn_sh() -> str:
    jshn = shutil.which("jshn")
    sh = (pathlib.Path(jshn).resolve().parent.parent / "share" / "libubox" / "jshn.sh"
          if jshn else None)
    if sh is None or not sh.is_file():
        pytest.skip("needs libubox's jshn and jshn.sh: `make test-native`")
    return str(sh)


def available(path: str) -> bool:
    fn = re.search(r"^steering_available\(\) \{.*?^\}", (ROOT / "init.d/wifimgr").read_text(),
                   re.S | re.M)
    assert fn, "init.d/wifimgr has no steering_available()"
    script = f'. "{_jshn_sh()}"\n{fn.group(0)}\nsteering_available "$1"\n'
    # OpenWrt's shell is busybox ash; jshn.sh needs its `export -n`, which bash has and dash
    # (Debian's sh) lacks
    shell = ["busybox", "sh"] if shutil.which("busybox") else ["bash"]
    res = subprocess.run([*shell, "-c", script, "sh", path], capture_output=True, text=True,
                         timeout=30, check=False, env=dict(os.environ))
    return res.returncode == 0


def _map(tmp_path, lp_available) -> str:
    from wifimgr.model import capabilities as cap

    caps = cap.Capabilities(attlm=lp_available, neg_ttlm=lp_available)
    p = tmp_path / "capabilities.json"
    p.write_text(json.dumps({"version": 1, "boot_id": "b", "map": cap.as_dict(caps)}))
    return str(p)


def test_the_init_script_reads_the_map(tmp_path):
    assert available(_map(tmp_path, True))
    assert not available(_map(tmp_path, False))          # upstream hostapd: not started
    assert available(str(tmp_path / "missing.json"))       # early boot: no map yet
    (tmp_path / "bad.json").write_text("{not json")
    assert available(str(tmp_path / "bad.json"))
