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
