"""Platform ports: the only place that touches the OS.

A :class:`System` bundles one implementation of each port. :func:`get_system` returns the real
router (``/etc/config`` through pyuci or the file store, ubus through python-ubus or the ``ubus``
CLI, commands through :mod:`subprocess`, files under ``/``), or — when ``WIFIMGR_SIM=<dir>`` is
set — the simulated BPI-R4 from :mod:`wifimgr.sim`, whose state lives in ``<dir>``.

Nothing above this package knows which one it got.
"""

from __future__ import annotations

import os
import time

from ..record import field, record
from .fs import RootFs
from .run import SubprocessRunner
from .uci import open_store

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .fs import Fs
    from .run import Runner
    from .ubus import Bus
    from .uci import UciStore


@record
class System:
    uci: UciStore
    bus: Bus
    run: Runner
    fs: Fs
    clock: Callable[[], float] = time.time
    #: a clock that never jumps (CLOCK_MONOTONIC: one for every process, reset at boot, as
    #: ``state_dir`` is): for "how long since", e.g. the end of an A-TTLM block
    monotonic: Callable[[], float] = time.monotonic
    #: writable directory for runtime state (apply jobs, history, steering log); /tmp on a router
    state_dir: str = "/tmp/wifimgr"  # noqa: S108 - tmpfs on OpenWrt, root only
    #: persistent directory (flash) for what must survive a reboot or a power cut: a reboot
    #: job's record, the commit journal; not kept over sysupgrade (keep.d)
    persist_dir: str = "/etc/wifimgr"
    #: a reboot kills the calling process (real router): run it from a detached worker
    detach_apply: bool = True
    #: the twin behind the ports, or None on a real router
    sim: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def simulated(self) -> bool:
        return self.sim is not None


def real_system() -> System:
    run = SubprocessRunner()
    bus: Bus
    try:
        from .ubus import PyUbusBus

        bus = PyUbusBus()
    except ImportError:
        from .ubus import CliUbusBus

        bus = CliUbusBus(run)
    return System(uci=open_store("/etc/config"), bus=bus, run=run, fs=RootFs("/"))


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
