"""What the monitor shares with the other readers: its last sample and the raw command outputs
of that sample.

* ``<state_dir>/monitor/last.json`` — the last sample (the ``metrics`` read method, the health
  check and the views' "now" come from it);
* ``<state_dir>/monitor/outputs.json`` — the text of the commands that sample ran (``iw dev``,
  station and survey dumps, ``hostapd_cli all_sta``), written only while the steering daemon is
  enabled: :func:`live` hands the daemon a :class:`~wifimgr.observe.live.Live` pre-filled with
  them, so the router is read once per interval, not twice. Older than ``max_age`` → a plain
  Live (the daemon gathers by itself, as before, when the monitor is stopped).
"""

from __future__ import annotations

import json
import os

from ..platform import state
from ..platform.fs import atomic_write

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..observe.live import Live
    from ..platform import System

LAST = os.path.join("monitor", "last.json")
OUTPUTS = os.path.join("monitor", "outputs.json")


def _path(system: System, name: str) -> str:
    return os.path.join(system.state_dir, name)


def write_last(system: System, sample: dict[str, Any]) -> None:
    atomic_write(_path(system, LAST), json.dumps(sample, separators=(",", ":")).encode())


def read_last(system: System) -> dict[str, Any] | None:
    data = state.read_json(_path(system, LAST))
    return data if isinstance(data, dict) and "t" in data else None


def write_outputs(system: System, t: float, outputs: dict[str, str]) -> None:
    atomic_write(_path(system, OUTPUTS),
                 json.dumps({"t": t, "outputs": outputs}, separators=(",", ":")).encode())


def live(system: System, max_age: float) -> Live:
    """A live reader for the steering daemon: pre-filled with the monitor's last outputs when
    they are at most ``max_age`` seconds old (then ``lv.sampled_at`` is their time), else an
    empty one that runs every command itself (``sampled_at`` None)."""
    from .sample import MonitorLive

    lv = MonitorLive(system)
    doc = state.read_json(_path(system, OUTPUTS))
    try:
        t = float(doc["t"])
        outputs = doc["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return lv
    age = system.clock() - t
    if not (0 <= age <= max_age) or not isinstance(outputs, dict):
        return lv
    for key, text in outputs.items():
        if isinstance(key, str) and isinstance(text, str):
            lv._cache[("run", *key.split("\0"))] = text
    lv.sampled_at = t
    return lv
