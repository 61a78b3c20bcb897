"""The monitor's configuration: section ``config monitor 'monitor'`` of ``/etc/config/wifimgr``.

Created with its defaults by ``uci-defaults/40_luci-wifimgr`` (``wifimgr monitor
--ensure-config``); every option is validated like the steering section (same :func:`coerce`),
a broken value is reported naming the option and the monitor keeps its previous settings.

History lives in RAM (``System.state_dir``, a tmpfs on the router): its size is fixed by these
options — see :func:`history_bytes` and docs/monitor.md.
"""

from __future__ import annotations

from ..core.errors import InvalidArgument
from ..core.record import fields, record
from .steering import Option, read_options
from .steering import section_of as steering_section_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..platform import System
    from ..platform.ucitext import Package, Section

PACKAGE = "wifimgr"
SECTION = "monitor"
SECTION_TYPE = "monitor"
#: the fine tier always covers this long (the sparklines' "last hour")
FINE_WINDOW_S = 3600
WHAT = "monitor option"


def _i(name: str, default: int, lo: int, hi: int, unit: str, doc: str) -> Option:
    return Option(name, "int", default, doc, unit, lo, hi)


SCHEMA: tuple[Option, ...] = (
    Option("enabled", "bool", True, "run the monitor (procd service wifimgr, instance monitor)"),
    _i("interval", 10, 2, 300, "s", "seconds between two samples"),
    _i("retention", 24, 1, 168, "h", "hours of history kept (in RAM, lost at reboot)"),
    _i("step", 300, 60, 3600, "s", "resolution of the history older than one hour"),
    _i("clients", 64, 0, 1024, "clients",
       "clients with history (the most recently seen; 0 = none)"),
    _i("events", 1000, 50, 20000, "events", "length of the event timeline"),
    Option("textfile", "bool", True,
           "write /var/prometheus/wifimgr.prom when that folder exists "
           "(prometheus-node-exporter-lua's textfile collector)"),
    _i("deadline", 120, 20, 1800, "s",
       "after an apply every enabled network and every MLD link must be up within this "
       "(a DFS channel availability check adds its own time)"),
    Option("rollback", "bool", True,
           "roll back once to the last configuration that came up healthy when an apply "
           "does not come up"),
)

OPTIONS: dict[str, Option] = {o.name: o for o in SCHEMA}


@record(frozen=True)
class MonitorConfig:
    enabled: bool = True
    interval: int = 10
    retention: int = 24
    step: int = 300
    clients: int = 64
    events: int = 1000
    textfile: bool = True
    deadline: int = 120
    rollback: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def fine_slots(self) -> int:
        return max(2, -(-FINE_WINDOW_S // self.interval))

    @property
    def long_slots(self) -> int:
        return max(2, -(-self.retention * 3600 // self.step))


DEFAULTS = MonitorConfig()


def _check(values: dict[str, Any]) -> MonitorConfig:
    if values["step"] < values["interval"]:
        raise InvalidArgument(f"{WHAT} 'step' ({values['step']} s) must not be shorter than "
                              f"'interval' ({values['interval']} s)", field="step")
    return MonitorConfig(**values)


def section_of(package: Package) -> Section | None:
    return steering_section_of(package, SECTION, SECTION_TYPE)


def load(package: Package | None) -> MonitorConfig:
    """The monitor config of a ``wifimgr`` package (defaults when file or section are missing;
    unknown options are ignored). Raises :class:`InvalidArgument` naming a bad option."""
    if package is None:
        return DEFAULTS
    sec = section_of(package)
    if sec is None:
        return DEFAULTS
    return _check(read_options(sec, OPTIONS, DEFAULTS, WHAT))


def read(system: System) -> MonitorConfig:
    """The configuration on disk; the defaults when it is broken (callers that must report the
    error use :func:`load`)."""
    try:
        pkg = system.uci.load(PACKAGE) if system.uci.exists(PACKAGE) else None
        return load(pkg)
    except InvalidArgument:
        return DEFAULTS


def ensure_section(system: System) -> bool:
    """Create ``wifimgr.monitor`` with every default written out (uci-defaults; an upgrade keeps
    what is there). True when it wrote."""
    from ..platform.ucitext import Package as Pkg

    store = system.uci
    with store.lock():
        base = store.load(PACKAGE) if store.exists(PACKAGE) else None
        pkg = base.copy() if base is not None else Pkg(PACKAGE)
        if section_of(pkg) is not None:
            return False
        sec = pkg.add(SECTION_TYPE, SECTION)
        for opt in SCHEMA:
            sec.set(opt.name, ("1" if opt.default else "0") if opt.kind == "bool"
                    else str(opt.default))
        store.commit(pkg, base=base)
    return True

