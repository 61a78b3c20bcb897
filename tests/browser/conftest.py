"""Fixtures of the browser tests: one dev server + twin and one Chromium per module."""

from __future__ import annotations

import pytest
from harness import Browser, Server, available, make_driver

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    why = available()
    if why:
        pytest.skip(why)
    srv = Server(str(tmp_path_factory.mktemp("browser") / "twin"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser(server):
    drv = make_driver()
    b = Browser(drv, server)
    yield b
    drv.quit()
