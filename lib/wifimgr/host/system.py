"""The composition root: which system this process works on.

:func:`get_system` returns the real router (:func:`wifimgr.platform.real_system`) or — when
``WIFIMGR_SIM=<dir>`` is set — the simulated BPI-R4 from :mod:`wifimgr.sim`, whose state lives
in ``<dir>``. This is the one place below the surface that knows the twin exists; nothing that
is handed the :class:`~wifimgr.platform.System` knows which one it got.
"""

from __future__ import annotations

import os

from ..platform import real_system

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..platform import System


_cached: System | None = None


def get_system(*, refresh: bool = False) -> System:
    """The system this process works on (cached per process)."""
    global _cached
    if _cached is not None and not refresh:
        return _cached
    sim_dir = os.environ.get("WIFIMGR_SIM")
    if sim_dir:
        from ..sim import open_twin

        _cached = open_twin(sim_dir).system()
    else:
        _cached = real_system()
    return _cached


def set_system(system: System | None) -> None:
    """Install ``system`` as this process's system (tests); None forgets the cache."""
    global _cached
    _cached = system
