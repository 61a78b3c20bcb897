"""Write tests run on a twin whose wireless config starts with radios only (set by the real
`restore` method), so each case builds its combination with the real wizards."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

RADIOS_ONLY = """
config wifi-device 'radio0'
	option type 'mac80211'
	option radio '0'
	option band '2g'
	option channel '6'
	option htmode 'EHT40'
	option country 'DE'
	option sku_idx '0'

config wifi-device 'radio1'
	option type 'mac80211'
	option radio '1'
	option band '5g'
	option channel '36'
	option htmode 'EHT80'
	option country 'DE'
	option sku_idx '0'

config wifi-device 'radio2'
	option type 'mac80211'
	option radio '2'
	option band '6g'
	option channel '37'
	option htmode 'EHT320'
	option country 'DE'
	option sku_idx '0'
"""


class Plugin:
    """Calls the rpcd plugin exactly as rpcd does: argv, JSON on stdin, JSON on stdout."""

    def __init__(self, repo_root, env):
        self.path = str(repo_root / "rpcd" / "wifimgr")
        self.env = env

    def __call__(self, method: str, **args):
        res = subprocess.run([sys.executable, self.path, "call", method],
                             input=json.dumps(args), capture_output=True, text=True,
                             env=self.env, timeout=60, check=False)
        return json.loads(res.stdout)


@pytest.fixture
def clean_twin(twin, system):
    from wifimgr.surface.api import dispatch

    r = dispatch("restore", {"config": RADIOS_ONLY})
    assert r["ok"], r
    twin.advance(90)
    return twin


@pytest.fixture
def plugin(clean_twin, repo_root):
    return Plugin(repo_root, dict(os.environ))


def config_bytes(twin) -> dict[str, bytes]:
    out = {}
    for name in ("wireless", "network", "dhcp", "firewall"):
        path = os.path.join(twin.confdir, name)
        with open(path, "rb") as fh:
            out[name] = fh.read()
    return out
