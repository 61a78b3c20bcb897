"""Platform ports: the only place that touches the OS.

A :class:`System` bundles one implementation of each port. :func:`real_system` builds the real
router's (``/etc/config`` through pyuci or the file store, ubus through python-ubus or the
``ubus`` CLI, commands through :mod:`subprocess`, files under ``/``); the simulated BPI-R4 of
:mod:`wifimgr.sim` implements the same ports. Which one a process works on is chosen above the
ports, at the composition root (:mod:`wifimgr.host.system`); nothing here knows the twin.
"""

from __future__ import annotations

import time

from ..core.record import field, record
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

    def gone(self) -> bool:
        """The twin behind the ports was removed (its state directory deleted: a test or ``make
        clean`` ended it) — a resident part working on it stops. Never on a router."""
        import os

        return self.sim is not None and not os.path.isdir(self.sim.dir)


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
