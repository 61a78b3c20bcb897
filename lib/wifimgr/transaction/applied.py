"""The wireless configuration that was last made live (by a reload or a reboot job).

The safety verdict for a new write is computed against it, not against the file on disk: when
a reboot is pending the disk already holds changes that are not live yet, and a later
``wifi reload`` would apply them too. Kept in ``<state_dir>/applied/`` (tmpfs on the router,
so it disappears on reboot — after a boot the disk config *is* what runs).
"""

from __future__ import annotations

import os

from ..platform import state
from ..platform.fs import atomic_write
from ..platform.ucitext import parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..platform import System
    from ..platform.ucitext import Package


def _path(system: System, name: str) -> str:
    return os.path.join(system.state_dir, "applied", name)


def read(system: System, name: str = "wireless") -> str | None:
    data = state.read_bytes(_path(system, name))
    return None if data is None else data.decode("utf-8", "surrogateescape")


def write(system: System, text: str, name: str = "wireless") -> None:
    atomic_write(_path(system, name), text.encode("utf-8", "surrogateescape"))


def clear(system: System, name: str = "wireless") -> None:
    state.remove(_path(system, name))


def package(system: System, disk: Package) -> Package:
    """The live wireless package: the snapshot if one exists, else the disk config."""
    text = read(system)
    if text is None:
        return disk
    return parse(text, "wireless", source="applied snapshot")


def _pending_path(system: System) -> str:
    # a reboot applies what is pending, whoever reboots: tmpfs, gone with every boot
    return os.path.join(system.state_dir, "pending-reboot.json")


def pending_reboot(system: System) -> dict[str, Any] | None:
    return state.read_json(_pending_path(system))
