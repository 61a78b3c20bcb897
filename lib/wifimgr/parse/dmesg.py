"""Kernel log: the MT7996 locked-semaphore signature, failed probes and firmware versions.

The "EDCCA crash" leaves the MCU patch semaphore locked; on the next probe the driver logs
(real capture: tests/fixtures/captures/wozi-forum-bpi-r4/dmesg-semaphore-locked.out)::

    mt7996e 0000:01:00.0: Message 00000007 (seq 12) timeout
    mt7996e 0000:01:00.0: Failed to start patch
    mt7996e 0000:01:00.0: Failed to release patch semaphore
    mt7996e: probe of 0000:01:00.0 failed with error -11

Every wording of a locked chip counts (spec/platform.md §g.1 and Addenda):

* the driver-core line of older kernels ``mt7996e: probe of <dev> failed with error -11`` and
  of today's ``mt7996e <dev>: probe with driver mt7996e failed with error -11``;
* a re-probe (rmmod + modprobe, hotplug) that logs only ``Failed to get patch semaphore`` and
  ``failed to load patch: -11`` (the mt7915e form of the same lock is in
  tests/fixtures/captures/openwrt-mt76-688-mt7915/).

A probe that fails with another error (``-110`` after a WA firmware timeout, ``-22``) is a
failed probe, not the semaphore lock: ``probe_failed`` with ``probe_error``.
"""

from __future__ import annotations

import re

from ..core.record import field, record
from .common import guarded

_TS = re.compile(r"^(?:\[[^\]]*\]\s*)+")   # "[ 12.3]" and "[Tue Jul 26 …] [ 12.3]" prefixes
#: the MediaTek Wi-Fi drivers (mt7996e, mt7915e, mt7986-wmac, mt7925e …)
_DRIVER = re.compile(r"\bmt7\d{3}")
_PROBE_FAIL = re.compile(r"probe (?:of \S+|with driver \S+) failed with error (-?\d+)")
_LOCK_PATTERNS = (
    re.compile(r"Failed to start patch"),
    re.compile(r"Failed to (?:release|get) patch semaphore"),
    re.compile(r"failed to load patch: -11\b"),
)
_TIMEOUT = re.compile(r"Message [0-9a-fA-F]+ \(seq \d+\) timeout")
_FW = re.compile(
    r"(?P<what>HW/SW|WM Firmware|WA Firmware|DSP Firmware) Version: (?P<ver>[^,]+), "
    r"Build Time: (?P<built>\S+)"
)


@record
class Firmware:
    component: str
    version: str
    build_time: str


@record
class ChipHealth:
    locked: bool
    evidence: list[str] = field(default_factory=list)
    mcu_timeouts: int = 0
    probed: bool = False
    eeprom_corrupted: bool = False
    firmware: list[Firmware] = field(default_factory=list)
    probe_failed: bool = False
    probe_error: int | None = None


@guarded("dmesg")
def parse(text: str) -> ChipHealth:
    """Scan a kernel log for the chip's state. Only the LAST probe counts: a later successful
    firmware load (``HW/SW Version``) after an old lock message means the chip recovered."""
    health = ChipHealth(locked=False)
    for raw in text.splitlines():
        line = _TS.sub("", raw.rstrip())
        if not _DRIVER.search(line) and "Firmware Version" not in line and "HW/SW" not in line:
            continue
        m = _FW.search(line)
        if m:
            if m.group("what") == "HW/SW":
                # a new firmware load: everything before belongs to an earlier probe
                health = ChipHealth(locked=False, eeprom_corrupted=health.eeprom_corrupted)
            health.firmware.append(Firmware(m.group("what"), m.group("ver").strip(),
                                            m.group("built")))
            health.probed = True
            continue
        if _TIMEOUT.search(line):
            health.mcu_timeouts += 1
            health.evidence.append(line)
            continue
        pm = _PROBE_FAIL.search(line)
        if pm:
            health.probe_failed = True
            health.probe_error = int(pm.group(1))
            health.probed = False
            health.evidence.append(line)
            if health.probe_error == -11:   # EAGAIN: the MCU semaphore is held
                health.locked = True
            continue
        if any(p.search(line) for p in _LOCK_PATTERNS):
            health.locked = True
            health.probed = False
            health.evidence.append(line)
            continue
        if "corrupted EEPROM detected" in line:
            health.eeprom_corrupted = True
    return health
