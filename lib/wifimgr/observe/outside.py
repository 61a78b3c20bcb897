"""The record of an unsafe wireless configuration written from outside wifimgr: the monitor's
config watch (:mod:`wifimgr.monitor.watch`) writes it, ``status`` and LuCI's Status → Overview
read it. In ``persist_dir`` (flash, written only when an unsafe file appears or goes): a write
that locked the chip must still be named after the reboots the owner tries."""

from __future__ import annotations

import os

from ..platform import state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..platform import System

NAME = "outside.json"


def path(system: System) -> str:
    return os.path.join(system.persist_dir, NAME)


def read(system: System) -> dict[str, Any] | None:
    """The unsafe config written from outside, as the last check found it."""
    doc = state.read_json(path(system))
    return doc if isinstance(doc, dict) else None
