"""The capability map of the router this process works on: its inputs asked through the ports,
once per boot.

:func:`capabilities` collects what :func:`wifimgr.model.capabilities.detect` reads — ``ubus
call system board``, hostapd's answers to the read-only probes (``hostapd_cli -i <iface> raw
<COMMAND>``), ``iw phy``, the names under ``/sys/kernel/debug/ieee80211/phy*/mt76/`` and the
installed kmod-mt76 version — and keeps the map in ``<state_dir>/capabilities.json``, stamped
with the kernel's boot id: a reboot (a new driver, a sysupgrade) asks again. A map in which
hostapd did not answer (it was down) is used but not kept, so the next call asks again.

:func:`require` is what a feature calls before it does something the stack may lack: it raises
:class:`~wifimgr.core.errors.Unsupported` naming the missing capability and the platform.
"""

from __future__ import annotations

import json

from ..model import capabilities as cap
from ..parse import pkgdb
from ..platform import state
from ..platform.ubus import UbusError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..platform import System

CACHE_NAME = "capabilities.json"
BOOT_ID = "/proc/sys/kernel/random/boot_id"
DEBUGFS = "/sys/kernel/debug/ieee80211"
#: the package databases holding the installed kmod-mt76 version: apk (25.12) and opkg (24.10)
APK_DB = "/lib/apk/db/installed"
OPKG_STATUS = "/usr/lib/opkg/status"
MT76_PACKAGES = ("kmod-mt76-core", "kmod-mt7996e", "kmod-mt7992e", "kmod-mt76")
#: bumped when the map's fields change, so an old cache is asked again
CACHE_VERSION = 1


def _boot_id(system: System) -> str:
    return (system.fs.read_text(BOOT_ID) or "").strip()


def _cache_path(system: System) -> str:
    return f"{system.state_dir}/{CACHE_NAME}"


def _hostapd_iface(system: System) -> str | None:
    """An interface hostapd serves (the MLD first: the TTLM commands live there)."""
    try:
        objs = system.bus.objects("hostapd.*")
    except (UbusError, OSError):  # no bus, no hostapd: the probes stay unknown
        return None
    names = [o.split(".", 1)[1] for o in objs if "." in o]
    names.sort(key=lambda n: (0 if "mld" in n else 1, n))
    return names[0] if names else None


def _hostapd_replies(system: System) -> dict[str, str | None]:
    iface = _hostapd_iface(system)
    out: dict[str, str | None] = {}
    for name, command in cap.HOSTAPD_PROBES.items():
        if iface is None:
            out[name] = None
            continue
        res = system.run.run(["hostapd_cli", "-i", iface, "raw", *command.split()], timeout=3.0)
        # hostapd_cli's exit status is not the daemon's verdict: read what it printed
        out[name] = res.stdout if res.stdout.strip() and not res.timed_out else None
    return out


def _debugfs(system: System) -> list[str] | None:
    paths = (system.fs.glob(f"{DEBUGFS}/phy*/mt76/*")
             + system.fs.glob(f"{DEBUGFS}/phy*/mt76/band*/*"))
    if not paths:
        return None
    # names relative to the phy directory: mt76/sku_disable, mt76/band0/txpower_info
    return sorted({p.split("/", 6)[-1] for p in paths})


def _mt76_version(system: System) -> str | None:
    for path in (APK_DB, OPKG_STATUS):
        text = system.fs.read_text(path)
        if text:
            return pkgdb.installed_version(text, MT76_PACKAGES)
    return None


def _board(system: System) -> dict | None:
    try:
        board = system.bus.call("system", "board", {})
    except (UbusError, OSError):  # display only: an unknown board is still a router
        return None
    return board if isinstance(board, dict) else None


def detect(system: System) -> cap.Capabilities:
    """Ask the router now (no cache)."""
    iw = system.run.run(["iw", "phy"], timeout=5.0)
    return cap.detect(board=_board(system), hostapd=_hostapd_replies(system),
                      iw_phy=iw.stdout if iw.ok else None, debugfs=_debugfs(system),
                      mt76_version=_mt76_version(system))


def _complete(caps: cap.Capabilities) -> bool:
    """Worth keeping for the boot: hostapd answered and iw listed the bands."""
    return (any(getattr(caps, c) is not None for c in cap.HOSTAPD_PROBES)
            and bool(caps.bands))


def capabilities(system: System, *, refresh: bool = False) -> cap.Capabilities:
    """The map for this boot: from the cache when it was made in this boot, else asked now."""
    key = _boot_id(system)
    path = _cache_path(system)
    if not refresh and key:
        data = state.read_json(path)
        if (isinstance(data, dict) and data.get("boot_id") == key
                and data.get("version") == CACHE_VERSION and isinstance(data.get("map"), dict)):
            return cap.from_dict(data["map"])
    caps = detect(system)
    if key and _complete(caps):
        blob = {"version": CACHE_VERSION, "boot_id": key, "map": cap.as_dict(caps)}
        state.write_cache(path, json.dumps(blob, separators=(",", ":")))
    return caps


def require(system: System, feature: str) -> cap.Capabilities:
    """The map, when ``feature`` is offered here; :class:`Unsupported` otherwise."""
    return cap.require(capabilities(system), feature)
