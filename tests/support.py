"""Helpers importable from any test module."""

from __future__ import annotations

import pathlib

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures"


def fixture_text(relpath: str) -> str:
    return (FIXTURES / relpath).read_text(encoding="utf-8")
ROOT = FIXTURES.parent.parent
