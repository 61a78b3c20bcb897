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
    from wifimgr import platform

    monkeypatch.delenv("WIFIMGR_SIM", raising=False)
    platform.set_system(None)
    yield
    platform.set_system(None)


def fixture_text(relpath: str) -> str:
    return (FIXTURES / relpath).read_text(encoding="utf-8")


os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
