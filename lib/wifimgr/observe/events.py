"""The event timeline: one bounded JSON-lines file in RAM (``<state_dir>/monitor/events.jsonl``).

Any process records an event with :func:`record` — the monitor (joins, leaves, links, DFS,
channels, chip lock, A-TTLM blocks), an apply job (config applied), the health check (degraded,
rolled back), the steering daemon (Neg-TTLM maps). An append is one ``write`` on an
``O_APPEND`` descriptor under an ``flock``; when the file grows past its budget it is cut to the
newest ``wifimgr.observe.events`` lines (temp file + rename), so the timeline is bounded. The
``events`` read method serves it (newest last).

Cheap to import (the rpcd plugin's apply path records events): standard library only.
"""

from __future__ import annotations

import contextlib
import json
import os

from ..platform import state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from ..platform import System

FILE = os.path.join("monitor", "events.jsonl")
#: kinds that are also kept on flash (``<persist_dir>/events.jsonl``, the newest
#: ``PERSIST_KEEP``): what an apply did must still be there after the reboot it caused
PERSIST = ("config_applied", "healthy", "degraded", "rolled_back", "rollback_refused",
           "chip_locked", "unsafe_config", "published_key")
PERSIST_KEEP = 100
#: bytes an event takes at most on average before the file is cut (the cut keeps `keep` lines)
BYTES_PER_EVENT = 320
#: never cut below this (so small files never read the config on every append)
MIN_CUT_BYTES = 1000 * BYTES_PER_EVENT

#: every kind the timeline knows, with its label (the Events view filters by these)
KINDS: dict[str, str] = {
    "client_joined": "client joined",
    "client_left": "client left",
    "client_links": "client changed links",
    "link_up": "MLD link up",
    "link_down": "MLD link down",
    "attlm": "A-TTLM block",
    "neg_ttlm": "Neg-TTLM map",
    "dfs_cac": "DFS channel availability check",
    "radar": "radar detected",
    "channel": "channel change",
    "chip_locked": "chip lock detected",
    "config_applied": "configuration applied",
    "healthy": "apply came up healthy",
    "degraded": "apply degraded",
    "rolled_back": "rolled back",
    "rollback_refused": "rollback not done",
    "unsafe_config": "unsafe configuration written",
    "published_key": "publicly known key",
    "monitor": "monitor",
}
#: the groups the view offers as filters
GROUPS: dict[str, tuple[str, ...]] = {
    "clients": ("client_joined", "client_left", "client_links"),
    "links": ("link_up", "link_down", "attlm", "neg_ttlm"),
    "radio": ("dfs_cac", "radar", "channel", "chip_locked"),
    "config": ("config_applied", "healthy", "degraded", "rolled_back", "rollback_refused"),
    "security": ("unsafe_config", "published_key"),
    "monitor": ("monitor",),
}


def path(system: System) -> str:
    return os.path.join(system.state_dir, FILE)


def _keep(system: System) -> int:
    from ..settings.monitor import read

    return read(system).events


def record(system: System, kind: str, message: str, *, subject: str | None = None,
           **data: Any) -> dict[str, Any]:
    """Append one event (never raises: the timeline must not break the caller)."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    ev: dict[str, Any] = {"t": round(system.clock(), 3), "kind": kind, "message": message}
    if subject is not None:
        ev["subject"] = subject
    ev.update({k: v for k, v in data.items() if v is not None})
    line = (json.dumps(ev, ensure_ascii=False, separators=(",", ":"), default=str)
            + "\n").encode("utf-8", "surrogateescape")
    _append(system, path(system), line, None)
    if kind in PERSIST:
        _append(system, os.path.join(system.persist_dir, "events.jsonl"), line, PERSIST_KEEP)
    return ev


def _append(system: System, p: str, line: bytes, keep: int | None) -> None:
    def cut_to(size: int) -> int | None:
        n = keep
        if n is None and size > MIN_CUT_BYTES:      # pre-check before reading the config
            n = _keep(system)
        return n if n and size > n * BYTES_PER_EVENT else None

    with contextlib.suppress(OSError):
        state.append(p, line, keep_lines=cut_to)


def read(system: System, *, since: float | None = None, kinds: Iterable[str] | None = None,
         subject: str | None = None, limit: int = 200) -> tuple[list[dict[str, Any]], int]:
    """(the newest ``limit`` matching events, oldest first; how many matched)."""
    lines: list[str] = []
    for p in (os.path.join(system.persist_dir, "events.jsonl"), path(system)):
        try:
            lines += (state.read_text(p, errors="replace") or "").splitlines()
        except OSError:
            continue
    want = set(kinds) if kinds else None
    out = []
    seen: set[str] = set()
    for line in lines:
        if line in seen:     # a persistent kind is in both files
            continue
        seen.add(line)
        try:
            ev = json.loads(line)
        except ValueError:
            continue  # a torn line (power cut during a write) is skipped
        if not isinstance(ev, dict):
            continue
        if since is not None and float(ev.get("t", 0)) < since:
            continue
        if want is not None and ev.get("kind") not in want:
            continue
        if subject is not None and subject.lower() not in (
                str(ev.get("subject", "")).lower(), str(ev.get("mac", "")).lower()):
            continue
        out.append(ev)
    out.sort(key=lambda e: float(e.get("t", 0)))
    return out[-limit:], len(out)
