"""Kernel log: the MT7996 locked-semaphore signature and firmware versions.

The "EDCCA crash" leaves the MCU patch semaphore locked; on the next probe the driver logs
(real capture: tests/fixtures/captures/wozi-forum-bpi-r4/dmesg-semaphore-locked.out)::

    mt7996e 0000:01:00.0: Message 00000007 (seq 12) timeout
    mt7996e 0000:01:00.0: Failed to start patch
    mt7996e 0000:01:00.0: Failed to release patch semaphore
    mt7996e: probe of 0000:01:00.0 failed with error -11
"""

from __future__ import annotations

import re

from ..record import field, record

_TS = re.compile(r"^\[\s*\d+\.\d+\]\s*")
_LOCK_PATTERNS = (
    re.compile(r"Failed to start patch"),
    re.compile(r"Failed to release patch semaphore"),
    re.compile(r"probe of \S+ failed with error -11"),
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


def parse(text: str) -> ChipHealth:
    """Scan a kernel log for the mt7996e state. Only the LAST probe counts: a later successful
    firmware load (``WM Firmware Version``) after an old lock message means the chip recovered."""
    health = ChipHealth(locked=False)
    for raw in text.splitlines():
        line = _TS.sub("", raw.rstrip())
        if "mt7996" not in line and "Firmware Version" not in line and "HW/SW" not in line:
            continue
        m = _FW.search(line)
        if m:
            if m.group("what") == "HW/SW":
                # a new firmware load: everything before belongs to an earlier probe
                health.locked = False
                health.evidence = []
                health.mcu_timeouts = 0
                health.firmware = []
            health.firmware.append(Firmware(m.group("what"), m.group("ver").strip(),
                                            m.group("built")))
            health.probed = True
            continue
        if _TIMEOUT.search(line):
            health.mcu_timeouts += 1
            health.evidence.append(line)
            continue
        if any(p.search(line) for p in _LOCK_PATTERNS):
            health.locked = True
            health.probed = False
            health.evidence.append(line)
            continue
        if "corrupted EEPROM detected" in line:
            health.eeprom_corrupted = True
    return health
