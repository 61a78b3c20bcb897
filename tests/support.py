"""Helpers importable from any test module."""

from __future__ import annotations

import pathlib

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"


def fixture_text(relpath: str) -> str:
    return (FIXTURES / relpath).read_text(encoding="utf-8")
ROOT = FIXTURES.parent.parent


# ------------------------------------------------------------ OpenWrt daemons (make test-native)
def start_ubusd(sock: str):
    """``ubusd`` on ``sock``, returned once the socket exists."""
    import os
    import subprocess
    import time

    daemon = subprocess.Popen(["ubusd", "-s", sock])
    for _ in range(100):
        if os.path.exists(sock):
            break
        time.sleep(0.02)
    return daemon


def start_rpcd(sock: str, sim: str):
    """``rpcd`` on ``sock`` with the plugin working on the twin in ``sim`` (rpcd passes its
    environment to plugins), returned once it has registered ``wifimgr`` (after the plugin's
    ``list``)."""
    import os
    import subprocess
    import sys
    import time

    env = dict(os.environ, WIFIMGR_SIM=sim,
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    daemon = subprocess.Popen(["rpcd", "-s", sock], env=env)
    for _ in range(200):
        listed = subprocess.run(["ubus", "-s", sock, "list"], capture_output=True, text=True,
                                check=False)
        if "wifimgr" in listed.stdout.split():
            break
        time.sleep(0.05)
    return daemon


# ------------------------------------------------------------ lines quoted by the spec
#: ``hostapd_cli get_attlm`` of an active A-TTLM as a live MTK SDK MT7996 prints it
#: (spec/platform.md §c.3, "seen live … in 2026"); no public capture of an active block exists
SPEC_ATTLM_LIVE = ("Adv-TTLM Status:\nDirection: bi-direction\nMapping Switch Time: 200 (ms)\n"
                   "Expected Duration: 300000 (ms)\nLink Mapping: 0x0003\n")


# ------------------------------------------------------------ a read-only config directory
def readonly_argv(dirs: list[str], argv: list[str]) -> list[str] | None:
    """``argv`` run with ``dirs`` read-only: as root (which ignores file modes) inside a
    private mount namespace (``unshare -m``) with the dirs bind-mounted read-only; None when
    that is not possible here (no unshare, no CAP_SYS_ADMIN). Non-root callers can simply
    chmod the dirs instead."""
    import os
    import shutil
    import subprocess
    import sys

    if os.geteuid() != 0 or not shutil.which("unshare"):
        return None
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, timeout=30,
                           check=False)
    if probe.returncode != 0:
        return None
    helper = str(ROOT / "tests" / "readonly_exec.py")
    return ["unshare", "-m", sys.executable, helper, *dirs, "--", *argv]


# ------------------------------------------------------------ first run with an owner's country
def first_run_with_country(system, country: str = "CZ"):
    """First-run defaults on a router whose owner configured a country for them
    (``wifimgr.defaults.country``). Since issue 21 first run keeps the firmware's country (the
    twin's factory US); tests written around a European country's channels and power limits
    configure it this way."""
    from wifimgr.lifecycle.defaults import run_first_boot
    from wifimgr.platform.ucitext import parse

    old = system.uci.load("wifimgr") if system.uci.exists("wifimgr") else None
    system.uci.commit(parse(f"config defaults 'defaults'\n\toption country '{country}'\n",
                            "wifimgr"), base=old)
    return run_first_boot(system)
