"""wifimgr.monitor: defaults, validation naming the option, created once by uci-defaults, the
procd service script."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from wifimgr.core.errors import InvalidArgument
from wifimgr.platform.ucitext import parse
from wifimgr.settings import monitor as config


def _pkg(body: str):
    return parse("config monitor 'monitor'\n" + body, "wifimgr")


def test_defaults_and_values():
    assert config.load(None) == config.DEFAULTS
    cfg = config.load(_pkg("\toption interval '30'\n\toption retention '48'\n"
                           "\toption textfile '0'\n"))
    assert (cfg.interval, cfg.retention, cfg.textfile) == (30, 48, False)
    assert cfg.fine_slots == 120 and cfg.long_slots == 48 * 12


@pytest.mark.parametrize(("body", "field"), [
    ("\toption interval '1'\n", "interval"),
    ("\toption interval 'fast'\n", "interval"),
    ("\toption retention '0'\n", "retention"),
    ("\toption clients '-1'\n", "clients"),
    ("\toption rollback 'maybe'\n", "rollback"),
    ("\toption interval '120'\n\toption step '60'\n", "step"),
])
def test_bad_values_name_the_option(body, field):
    with pytest.raises(InvalidArgument) as exc:
        config.load(_pkg(body))
    assert exc.value.field == field and "monitor option" in exc.value.message


def test_ensure_section_writes_defaults_once(router):
    assert config.ensure_section(router) is True
    text = router.uci.text("wifimgr")
    assert "config monitor 'monitor'" in text and "option interval '10'" in text
    assert config.load(router.uci.load("wifimgr")) == config.DEFAULTS
    # an upgrade keeps what the owner set
    pkg = router.uci.load("wifimgr")
    pkg["monitor"].set("interval", "30")
    router.uci.commit(pkg)
    before = router.uci.text("wifimgr")
    assert config.ensure_section(router) is False
    assert router.uci.text("wifimgr") == before


def test_uci_defaults_script_creates_the_section(twin, tmp_path, repo_root):
    """The first-run script calls `wifimgr monitor --ensure-config` (a thin hook)."""
    script = (repo_root / "uci-defaults" / "40_luci-wifimgr").read_text()
    assert '"$R/usr/bin/wifimgr" monitor --ensure-config' in script
    env = dict(os.environ, WIFIMGR_SIM=twin.dir,
               PYTHONPATH=str(repo_root / "lib"))
    res = subprocess.run([sys.executable, "-m", "wifimgr", "monitor", "--ensure-config"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and "created" in res.stdout
    with open(os.path.join(twin.confdir, "wifimgr")) as fh:
        assert "config monitor 'monitor'" in fh.read()


def test_service_script(repo_root):
    path = repo_root / "init.d" / "wifimgr-monitor"
    text = path.read_text()
    assert "USE_PROCD=1" in text and "procd_add_reload_trigger wifimgr" in text
    assert "config_get_bool enabled monitor enabled 1" in text      # on by default
    assert "procd_set_param command /usr/bin/wifimgr monitor" in text
    assert subprocess.run(["sh", "-n", str(path)]).returncode == 0
    assert "init.d/wifimgr-monitor:/etc/init.d/wifimgr-monitor" in (
        repo_root / "Makefile").read_text()


def test_twin_procd_runs_the_real_monitor(router, twin):
    """/etc/init.d/wifimgr-monitor start on the twin starts `wifimgr monitor` as a process,
    which samples by itself; stop ends it."""
    import time

    from wifimgr.sim.ports.view import procd_instance

    config.ensure_section(router)
    pkg = router.uci.load("wifimgr")
    pkg["monitor"].set("interval", "2")
    router.uci.commit(pkg)
    router.run.run(["/etc/init.d/wifimgr-monitor", "start"], timeout=10)
    try:
        inst = procd_instance(twin, "wifimgr-monitor", "monitor")
        assert inst and inst["command"] == ["/usr/bin/wifimgr", "monitor"]
        state = os.path.join(router.state_dir, "monitor", "state.json")
        end = time.monotonic() + 60
        while time.monotonic() < end and not os.path.exists(state):
            time.sleep(0.2)
        assert os.path.exists(state)
    finally:
        router.run.run(["/etc/init.d/wifimgr-monitor", "stop"], timeout=10)
    assert procd_instance(twin, "wifimgr-monitor", "monitor") is None
