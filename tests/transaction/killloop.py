"""Shared by the all-or-nothing tests: twins to kill writes on, the plugin run as rpcd runs it
(with the crash hooks of wifimgr.platform.fs), and the checks made after each kill."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

from transaction.conftest import RADIOS_ONLY

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN = os.path.join(ROOT, "rpcd", "wifimgr")

#: the writes killed: four that change several packages, two that change one
SCENARIOS = {
    "station": ("station", {"ssid": "uplink", "encryption": "psk2", "key": "12345678",
                            "radio": "radio1"}),
    "wds-relayd": ("wds", {"radio": "radio1", "ssid": "bridge", "encryption": "psk2",
                           "key": "12345678", "mode": "relayd"}),
    "repeater": ("repeater", {"uplink_radio": "radio1", "uplink_ssid": "up",
                              "uplink_encryption": "psk2", "uplink_key": "12345678",
                              "ap_radio": "radio0", "ap_ssid": "rep", "ap_encryption": "psk2",
                              "ap_key": "abcdefgh"}),
    "network_remove": ("network_remove", {"section": "wifinet0"}),      # on the station twin
    "ap": ("ap", {"radio": "radio0", "ssid": "guest", "encryption": "psk2",
                  "key": "abcdefgh"}),
    "radio_set": ("radio_set", {"radio": "radio0", "channel": "11"}),
}
#: a twin that already has the station (what network_remove removes)
BASE = {"network_remove": "station"}
TEMP_RE = re.compile(r"^\..+\.([0-9]+\.[0-9a-f]{8}|uci-[A-Za-z0-9]{6})$")


def env_for(twin_dir: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIFIMGR_CRASH")}
    env["WIFIMGR_SIM"] = twin_dir
    env.update(extra)
    return env


def call(twin_dir: str, method: str, args: dict, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, PLUGIN, "call", method], input=json.dumps(args),
                          capture_output=True, text=True, env=env_for(twin_dir, **extra),
                          timeout=120, check=False)


def make_template(directory: str) -> str:
    """A twin with the radios only (every write above is allowed there), clock frozen."""
    from wifimgr.sim import open_twin

    t = open_twin(directory)
    t.freeze()
    t.advance(90)
    res = call(directory, "restore", {"config": RADIOS_ONLY})
    assert json.loads(res.stdout)["ok"], res.stdout
    t.advance(90)
    return directory


def clone(src: str, dst: str) -> str:
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, symlinks=True)
    return dst


def confdir(twin_dir: str) -> str:
    return os.path.join(twin_dir, "etc", "config")


def persist_dir(twin_dir: str) -> str:
    return os.path.join(twin_dir, "etc", "wifimgr")


def config_files(twin_dir: str) -> dict[str, bytes]:
    out = {}
    d = confdir(twin_dir)
    for name in sorted(os.listdir(d)):
        if not name.startswith("."):
            with open(os.path.join(d, name), "rb") as fh:
                out[name] = fh.read()
    return out


def temps(twin_dir: str) -> list[str]:
    found = []
    for top in (confdir(twin_dir), persist_dir(twin_dir)):
        for dirpath, _dirs, files in os.walk(top):
            found += [os.path.join(dirpath, f) for f in files if TEMP_RE.match(f)]
    return found


def journal_exists(twin_dir: str) -> bool:
    return os.path.exists(os.path.join(persist_dir(twin_dir), "commit.journal"))


def recover(twin_dir: str) -> dict:
    """What the boot hook runs (`wifimgr hotplug recover`), in this process."""
    from wifimgr.sim import open_twin
    from wifimgr.transaction.journal import recover as run

    return run(open_twin(twin_dir, create=False).system())


def classify(files: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes]) -> str:
    """'old', 'new' or 'mixed: …' for a whole config directory."""
    if files == old:
        return "old"
    if files == new:
        return "new"
    odd = {n: ("old" if files.get(n) == old.get(n) else
               "new" if files.get(n) == new.get(n) else "neither")
           for n in sorted(set(files) | set(old) | set(new))}
    return "mixed: " + ", ".join(f"{n}={v}" for n, v in odd.items())


def trace(log: str) -> list[tuple[float, str, list[str]]]:
    """The crash-point log: (monotonic time, op, paths)."""
    out = []
    with open(log, encoding="utf-8") as fh:
        for line in fh:
            t, op, *paths = line.rstrip("\n").split("\t")
            out.append((float(t), op, paths))
    return out


def commit_span(points: list[tuple[float, str, list[str]]], twin_dir: str) -> tuple[int, int]:
    """1-based indexes of the first and the last crash point of the commit itself: from the
    journal's (or the single config's) temp file to the last directory sync of the config
    dir or of the journal's removal."""
    cdir, pdir = confdir(twin_dir), persist_dir(twin_dir)
    jobs = os.path.join(pdir, "jobs")
    inside = [i for i, (_t, _op, paths) in enumerate(points, 1)
              if paths and not paths[0].startswith(jobs)
              and (paths[0] in (cdir, pdir) or os.path.dirname(paths[0]) in (cdir, pdir))]
    return inside[0], inside[-1]
