"""Fixtures of the browser tests: one dev server + twin and one Chromium per module."""

from __future__ import annotations

import os

import platforms
import pytest
from harness import Browser, Server, available, make_driver

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    why = available()
    if why and os.environ.get("WIFIMGR_BROWSER_REQUIRED"):
        pytest.fail(why)      # CI installs Chromium: a skipped browser suite must not pass there
    if why:
        pytest.skip(why)
    # a module may play other twin profiles: `pytest.mark.parametrize("server", [names],
    # indirect=True, scope="module")` (default: the MTK SDK BPI-R4)
    srv = Server(str(tmp_path_factory.mktemp("browser") / "twin"),
                 profile=getattr(request, "param", None))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser(server):
    drv = make_driver()
    b = Browser(drv, server)
    yield b
    drv.quit()


@pytest.fixture
def api(server, monkeypatch):
    """Call the API in-process on the dev server's twin — 'another admin' acting meanwhile."""
    from wifimgr.host import system as system_root
    from wifimgr.surface.api import dispatch

    monkeypatch.setenv("WIFIMGR_SIM", server.sim_dir)
    system_root.set_system(None)

    def call(method, args=None):
        return dispatch(method, args or {})

    return call


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" and rep.failed:
        b = item.funcargs.get("browser")
        if b is not None:
            try:
                path = b.shot(f"FAILED-{item.name}")
                rep.sections.append(("screenshot", str(path)))
            except Exception as exc:  # the browser itself may be gone
                rep.sections.append(("screenshot", f"none: {exc}"))


def pytest_generate_tests(metafunc):
    """``platform_profile``: the module runs once per profile of its ``PROFILES`` (default
    platforms.PROFILES) — parametrised here, so the merge can point it at the twin's own
    profiles in one place."""
    if "platform_profile" in metafunc.fixturenames:
        names = getattr(metafunc.module, "PROFILES", platforms.PROFILES)
        metafunc.parametrize("platform_profile", names, indirect=True, scope="module")


@pytest.fixture(scope="module")
def platform_profile(request, server):
    """The capability map the module's server reports (platforms.Platform), set before its
    first test and left to the next module's server (each module has its own twin)."""
    return platforms.apply(server, request.param)
