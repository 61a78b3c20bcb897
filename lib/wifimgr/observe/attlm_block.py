"""When an active A-TTLM block ends, whichever way hostapd spells it.

``get_attlm`` prints the block's times in two spellings (spec/platform.md §c.3; the parser sets
``AttlmState.remaining``): ``Remaining Mapping Switch Time`` / ``Remaining Expected Duration``
(FEED patch 0184) count down — their sum is the time left; ``Mapping Switch Time`` /
``Expected Duration`` (what a live MTK SDK MT7996 prints) are the values as set and never move,
so their sum is the block's length, not what is left of it. For that spelling the end is
tracked from when the block was set — by the steering daemon (:func:`note_set`), else from when
wifimgr first saw it — on the monotonic clock, in ``state_dir`` (tmpfs, gone at boot like the
clock's zero), so every reader (the daemon, the monitor, a ``linkpolicy`` call in its own
process) counts down the same block.
"""

from __future__ import annotations

import contextlib
import json
import os

from ..core.errors import StorageError
from ..platform import state
from ..platform.fs import atomic_write

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..parse.hostapd import AttlmState
    from ..platform import System

FILE = "attlm-blocks.json"
#: a block still listed this long past its computed end is a new one with the same values
STALE_S = 5.0


def _path(system: System) -> str:
    return os.path.join(system.state_dir, FILE)


def _load(system: System) -> dict[str, Any]:
    data = state.read_json(_path(system))
    return data if isinstance(data, dict) else {}


def _save(system: System, data: dict[str, Any]) -> None:
    # best effort: without the file every reader counts from its own first look
    with contextlib.suppress(StorageError):
        atomic_write(_path(system), json.dumps(data).encode())


def note_set(system: System, ifname: str, switch_ms: int, duration_ms: int) -> None:
    """The steering daemon's ``set_attlm`` was answered ``OK``: the block starts now."""
    data = _load(system)
    data[ifname] = {"switch_ms": switch_ms, "duration_ms": duration_ms,
                    "t": system.monotonic(), "from": "set"}
    _save(system, data)


def remaining_ms(system: System, ifname: str, st: AttlmState | None) -> int | None:
    """Milliseconds left of the active block (switch time + duration still to run); None when
    inactive, unread or printed without times."""
    if st is None or not st.active:
        if st is not None:
            data = _load(system)
            if data.pop(ifname, None) is not None:
                _save(system, data)
        return None
    if st.switch_ms is None and st.duration_ms is None:
        return None
    total = (st.switch_ms or 0) + (st.duration_ms or 0)
    if st.remaining:
        return total                    # hostapd counts down itself
    now = system.monotonic()
    data = _load(system)
    rec = data.get(ifname)
    same = isinstance(rec, dict) and rec.get("switch_ms") == st.switch_ms \
        and rec.get("duration_ms") == st.duration_ms and isinstance(rec.get("t"), (int, float))
    if same and not 0 <= now - rec["t"] <= total / 1000 + STALE_S:
        same = False                    # a clock from before a reboot, or a later block
    if not same:
        rec = {"switch_ms": st.switch_ms, "duration_ms": st.duration_ms, "t": now,
               "from": "seen"}
        data[ifname] = rec
        _save(system, data)
    return max(0, total - int((now - rec["t"]) * 1000))
