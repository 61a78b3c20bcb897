"""Assertions shared by the write tests."""

from __future__ import annotations


def assert_healthy(call) -> None:
    st = call("status")
    assert not st["chip"]["locked"], st["chip"]
    assert st["config"]["violations"] == [], st["config"]["violations"]
