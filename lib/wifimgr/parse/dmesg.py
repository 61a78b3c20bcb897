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

A card whose EEPROM power table is zeroed or unreadable (BE14 cards, openwrt/openwrt#17489)
shows in the driver's own lines (mt76 ``mt7996/eeprom.c``): ``eeprom load fail, use default
bin`` (mainline ``mt7996_eeprom_init`` / ``mt7996_eeprom_check_or_use_default``) and
``eeprom tx_power zeros detected, using defaults`` (the EEPROM fix-up patch "Use tx_power from
default fw if EEPROM contains 0s", also ``… (5g boost +N dB)``); the older ``corrupted EEPROM
detected, forcing default`` counts too. All set ``eeprom_corrupted`` with the lines in
``eeprom_evidence``.

A kernel Oops (or a panic) whose trace runs through a MediaTek Wi-Fi module
(``… [mt7996e]``; real capture openwrt/openwrt PR #18750) is kept in ``oops``: the marker line
and the driver's frames.
"""

from __future__ import annotations

import re

from ..core.record import field, record
from .common import guarded

#: "[ 12.3]", "[Tue Jul 26 …] [ 12.3]" and the pstore/console "<7>[ 12.3]" prefixes
_TS = re.compile(r"^(?:<\d+>)?(?:\[[^\]]*\]\s*)*")
#: the MediaTek Wi-Fi drivers (mt7996e, mt7915e, mt7986-wmac, mt7925e …)
_DRIVER = re.compile(r"\bmt7\d{3}")
_PROBE_FAIL = re.compile(r"probe (?:of \S+|with driver \S+) failed with error (-?\d+)")
_LOCK_PATTERNS = (
    re.compile(r"Failed to start patch"),
    re.compile(r"Failed to (?:release|get) patch semaphore"),
    re.compile(r"failed to load patch: -11\b"),
)
_EEPROM = re.compile(r"eeprom load fail, use default bin|eeprom tx_power zeros detected"
                     r"|corrupted EEPROM detected")
_OOPS = re.compile(r"Internal error: Oops|Unable to handle kernel|Kernel panic - not syncing"
                   r"|BUG: unable to handle|general protection fault")
#: a trace line of a MediaTek Wi-Fi module: "mt7996_mcu_rx_event+0x238/0x5c8 [mt7996e]"
_DRIVER_FRAME = re.compile(r"\[(?:mt7\d{3}\w*|mt76\w*)(?:@[0-9a-f]+\+0x[0-9a-f]+)?\]")
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
    #: the driver's lines about an EEPROM it replaced by defaults (zeroed power table)
    eeprom_evidence: list[str] = field(default_factory=list)
    #: a kernel Oops/panic in a MediaTek Wi-Fi module: the marker line(s) and driver frames
    oops: list[str] = field(default_factory=list)


def _add_oops(health: ChipHealth, lines: list[str]) -> None:
    for ln in lines:
        if ln not in health.oops and len(health.oops) < 12:
            health.oops.append(ln)


@guarded("dmesg")
def parse(text: str) -> ChipHealth:
    """Scan a kernel log for the chip's state. Only the LAST probe counts: a later successful
    firmware load (``HW/SW Version``) after an old lock message means the chip recovered."""
    health = ChipHealth(locked=False)
    marker: str | None = None       # an Oops/panic line whose trace is still to come
    frames: list[str] = []           # the driver's frames of the last call trace
    for raw in text.splitlines():
        line = _TS.sub("", raw.rstrip())
        if _OOPS.search(line):
            # the marker comes before the trace ("Internal error: Oops") or after it ("Kernel
            # panic - not syncing: Oops: …"): either way the trace's driver frames count
            if frames:
                _add_oops(health, [line.strip(), *frames])
                frames = []
            else:
                marker = line.strip()
            continue
        if line.strip() == "Call trace:":
            frames = []
            continue
        if "---[ end trace" in line:
            marker = None
            continue
        if _DRIVER_FRAME.search(line) and "+0x" in line:
            frames.append(line.strip())
            if marker is not None:
                _add_oops(health, [marker, line.strip()])
            continue
        if _EEPROM.search(line):
            # the driver's own words (mt76 mt7996/eeprom.c; quoted without the device prefix
            # in some reports): the card's EEPROM was replaced by defaults
            health.eeprom_corrupted = True
            if len(health.eeprom_evidence) < 6:
                health.eeprom_evidence.append(line.strip())
            continue
        if not _DRIVER.search(line) and "Firmware Version" not in line and "HW/SW" not in line:
            continue
        m = _FW.search(line)
        if m:
            if m.group("what") == "HW/SW":
                # a new firmware load: everything before belongs to an earlier probe (an EEPROM
                # replaced by defaults and an Oops since boot stay: they concern the card)
                health = ChipHealth(locked=False, eeprom_corrupted=health.eeprom_corrupted,
                                    eeprom_evidence=health.eeprom_evidence, oops=health.oops)
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
    return health
