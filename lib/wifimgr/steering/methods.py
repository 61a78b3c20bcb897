"""API handlers: ``linkpolicy`` (read) and ``steering_set`` (write) — docs/steering.md.

``steering_set`` changes ``/etc/config/wifimgr`` only. It does not go through the wireless
safety verdict (``writes.commit_change`` judges the *wireless* config, and an unrelated
pre-existing wireless violation must not block a steering threshold); it commits the one package
atomically under the same UCI writer lock and returns the common write result shape with
``apply: "none"`` — the daemon reads the section at the start of every cycle.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ..context import Context
from ..errors import InvalidArgument, WifimgrError
from ..platform.uci import Package
from . import config
from .classify import TABLE as CLASSIFICATION

#: where the daemon leaves its last decision (relative to ``System.state_dir``)
STATE_FILE = os.path.join("steering", "last.json")


def _load_package(ctx: Context) -> Package | None:
    store = ctx.system.uci
    return store.load(config.PACKAGE) if store.exists(config.PACKAGE) else None


def _live(ctx: Context) -> dict[str, Any] | None:
    """The daemon's last decision, when it wrote one."""
    path = os.path.join(ctx.system.state_dir, STATE_FILE)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def linkpolicy(ctx: Context) -> dict[str, Any]:
    """The steering configuration with its schema, the classification rule and — when the
    daemon runs — its last decision. A broken config section is reported, not raised, so the
    page can show it and offer a fix."""
    error = None
    try:
        cfg = config.load(_load_package(ctx))
    except WifimgrError as exc:
        cfg, error = config.DEFAULTS, exc.as_dict()
    return {
        "config": cfg.as_dict(),
        "options": config.describe(cfg),
        "config_error": error,
        "modes": list(config.MODES),
        "populations": list(config.POPULATIONS),
        "classification": [dict(row) for row in CLASSIFICATION],
        "live": _live(ctx),
    }


def steering_set(ctx: Context, values: dict[str, Any] | None = None, dry_run: bool = False,
                 **options: Any) -> dict[str, Any]:
    """Change steering options: ``values`` (object of option → value, null = default) and/or
    options passed directly (``mode``, ``population``, …). Nothing is written on any error."""
    from ..model import ConfigSet
    from ..writes import diff, result

    changes: dict[str, Any] = dict(values or {})
    for k, v in options.items():
        if v is not None:
            if k in changes and changes[k] != v:
                raise InvalidArgument(f"'{k}' given twice with different values", field=k)
            changes[k] = v
    system = ctx.system
    with system.uci.lock():
        before = _load_package(ctx)
        after = config.apply_changes(before, changes)
        ops = diff(ConfigSet.of(before or Package(config.PACKAGE)), ConfigSet.of(after))
        cfg = config.load(after)
        extra = {"config": cfg.as_dict(), "note": "picked up by the steering daemon on its "
                                                  "next cycle; no restart needed"}
        if dry_run or not ops:
            return result(ok=True, apply="none", changes=ops, dry_run=dry_run, **extra)
        system.uci.commit(after)
    return result(ok=True, apply="none", changes=ops, **extra)
