"""Shared pytest fixtures."""

from __future__ import annotations

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def repo_root() -> pathlib.Path:
    return ROOT


@pytest.fixture(autouse=True)
def _isolated_system(monkeypatch):
    """Every test starts without a cached system and without an inherited twin."""
    from wifimgr.host import system as system_root

    monkeypatch.delenv("WIFIMGR_SIM", raising=False)
    system_root.set_system(None)
    yield
    system_root.set_system(None)


os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")


@pytest.fixture
def twin(tmp_path, monkeypatch):
    """A fresh twin (factory state, booted and up) selected through WIFIMGR_SIM."""
    from wifimgr.host import system as system_root
    from wifimgr.sim import open_twin

    d = tmp_path / "twin"
    monkeypatch.setenv("WIFIMGR_SIM", str(d))
    t = open_twin(str(d))
    t.freeze()
    t.advance(90)  # boot (8 s) and the 5 GHz DFS CAC (60 s) are over
    system_root.set_system(None)
    return t


@pytest.fixture
def system(twin):
    from wifimgr.host.system import get_system

    return get_system(refresh=True)
