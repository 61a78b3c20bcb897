"""Fixtures for the monitor tests: a twin after its first-run defaults (so writes are allowed),
and one whose MLD leaves radio0 out (so a change on radio0 applies by reload)."""

from __future__ import annotations

import pytest


@pytest.fixture
def router(twin):
    from wifimgr.host.system import get_system
    from wifimgr.lifecycle.defaults import run_first_boot

    system = get_system(refresh=True)
    run_first_boot(system)          # WPA3 + key: the factory config breaks a rule
    twin.advance(90)
    return system


@pytest.fixture
def reload_router(router, twin):
    """radio1 (5 GHz, 80 MHz on 36: no DFS) outside the MLD: a change of radio1 or
    default_radio1 is a reload."""
    pkg = router.uci.load("wireless")
    pkg["ap_mld_1"].set("device", ["radio0", "radio2"])
    pkg["radio1"].set("htmode", "EHT80")     # 36-48: no DFS channel availability check
    router.uci.commit(pkg)
    twin.reboot()
    twin.advance(90)
    return router


@pytest.fixture
def ctx(router):
    from wifimgr.host.context import Context

    return Context(system=router)
