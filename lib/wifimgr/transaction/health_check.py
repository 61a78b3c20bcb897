"""The post-apply check the monitor runs every sample (and ``apply_status`` asks for): advance
the pending check of :mod:`.health` — healthy, still waiting, or degraded and then a rollback
(:mod:`.rollback`) once. The records it reads and writes are :mod:`.health`'s; this module is
the decision on top of them, so that the apply job (which records a check) and the rollback
(which needs those records) never import each other round a circle."""

from __future__ import annotations

import os

from ..platform import state
from ..platform.fs import remove_stale_temps
from .health import (
    CAC_DEFAULT_S,
    PENDING,
    _baseline,
    _current,
    _dir,
    _event,
    _finish,
    _locked,
    _read,
    _reboot_pending,
    _save_good,
    _uptime,
    observe,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..observe.live import Live
    from ..platform import System


def evaluate(system: System, cfg: Any = None, lv: Live | None = None,
             locked: bool | None = None) -> dict[str, Any]:
    """Advance the pending check (if any); returns the current health (see :func:`summary`).
    ``lv``/``locked``: the monitor's live reader and chip state of its sample."""
    from ..observe.live import Live
    from ..settings import monitor as mcfg
    from . import rollback

    cfg = cfg or mcfg.read(system)
    lv = lv or Live(system)
    with _locked(system):
        remove_stale_temps(_dir(system))         # of a write killed mid-way (.pending.json.…)
        doc = rollback.read(system)
        if doc is not None:                      # a rollback a kill or power cut interrupted
            rollback.resume(system, doc)
            lv = Live(system)                    # it may have reloaded or rebooted
        elif state.exists(rollback.path(system)):
            rollback._remove(system)             # unreadable (cannot happen via atomic_write)
        pending = _read(PENDING(system))
        now = system.clock()
        if not pending:
            obs = observe(lv, locked)
            _baseline(system, obs)
            return _current(system, obs)
        start = float(pending["created"])
        if pending.get("deferred") and _reboot_pending(system):
            return {"state": "ok", "phase": "pending_reboot", "job": pending["job"],
                    "missing": [], "message": "the change is saved and waits for a reboot"}
        if pending["method"] == "reboot":
            uptime = _uptime(system)
            if uptime is not None and now - uptime < start and not pending.get("deferred") \
                    and now - start >= rollback.REBOOT_GRACE_S:
                # the reboot this job asked for never happened (its worker was killed): ask
                # again, or the check would wait for it forever
                _event(system, "config_applied", f"apply job {pending['job']}: the reboot did "
                       f"not happen within {rollback.REBOOT_GRACE_S:.0f} s; rebooting now",
                       pending, None)
                from .apply import request_reboot

                request_reboot(system, pending["job"])
                uptime = _uptime(system)
            if uptime is None or now - uptime < start:
                return {"state": "checking", "phase": "rebooting", "job": pending["job"],
                        "message": "waiting for the reboot", "missing": []}
            start = now - uptime  # the deadline counts from the boot
        obs = observe(lv, locked)
        deadline = start + cfg.deadline
        if obs["locked"]:
            result = {"state": "degraded", "at": now, "missing": obs["missing"],
                      "message": "the WiFi chip is locked: no rollback helps — unplug the "
                                 "router for at least 15 minutes"}
            _event(system, "degraded", result["message"], pending, obs)
            _event(system, "rollback_refused", "rollback not done: the chip is locked",
                   pending, obs)
            _finish(system, pending, {**result, "rolled_back": False,
                                      "rollback_refused": "the chip is locked"})
            return result
        if not obs["missing"] and not obs["cac"]:
            text = system.uci.text("wireless") or ""
            _save_good(system, text)
            result = {"state": "healthy", "at": now, "missing": [],
                      "elapsed_s": round(now - start, 1),
                      "message": "every network and MLD link came up"}
            if pending["rollback"]:
                # what the owner needs to read: the apply failed, why, and that it was undone
                failed = _read(os.path.join(_dir(system), "last.json")) or {}
                undone = failed.get("undone") or []
                result.update(state="rolled_back", rolled_back=True,
                              failed_job=pending.get("rollback_of"),
                              missing=failed.get("missing", []), undone=undone,
                              kept=failed.get("kept") or [],
                              message=f"{failed.get('message', 'the apply did not come up')}"
                                      + ("; rolled back: " + "; ".join(
                                          f"undid {u}" for u in undone)
                                         + "".join(f"; kept {k}" for k in failed.get("kept")
                                                   or [])
                                         + "; the configuration from before it is up again"
                                         if undone and not failed.get("legacy") else
                                         "; rolled back to the last configuration that came "
                                         "up healthy, which is up again"))
            _event(system, "healthy", f"apply job {pending['job']}: every network and MLD "
                   f"link came up after {now - start:.0f} s", pending, obs)
            _finish(system, pending, result)
            return result
        if obs["cac"]:
            left = [c["seconds_left"] if c["seconds_left"] is not None
                    else (c["seconds"] if isinstance(c["seconds"], int) else CAC_DEFAULT_S)
                    for c in obs["cac"]]
            deadline = max(deadline, min(now + max(left), start + cfg.deadline
                                         + CAC_DEFAULT_S))
        if now < deadline:
            return {"state": "checking", "phase": "cac" if obs["cac"] else "waiting",
                    "job": pending["job"], "missing": obs["missing"], "cac": obs["cac"],
                    "deadline_s": round(deadline - now, 1),
                    "message": ("waiting for the DFS channel availability check"
                                if obs["cac"] else "waiting for every network to come up")}
        missing = obs["missing"] + [{"network": c["network"], "link": None,
                                     "message": f"{c['network']} is still in its DFS channel "
                                                "availability check"} for c in obs["cac"]]
        what = "; ".join(m["message"] for m in missing)
        message = f"not up {now - start:.0f} s after the apply: {what}"
        _event(system, "degraded", message, pending, obs, missing=missing)
        why = _refusal(cfg, pending)
        cand = None
        if not why:
            cand, why = rollback.plan(system, pending, lv.config)
        if cand is None:
            _event(system, "rollback_refused", f"rollback not done: {why}", pending, None)
            result = {"state": "degraded", "at": now, "missing": missing, "message": message,
                      "rolled_back": False, "rollback_refused": why, "rollback_job": None}
            _finish(system, pending, result)
            return result
        out = rollback.start(system, pending, cand, message=message, missing=missing)
        last = _read(os.path.join(_dir(system), "last.json")) or {}
        return {"state": "rolled_back" if out["state"] == "rolled_back" else "degraded",
                "at": now, "missing": missing, "message": message,
                "rolled_back": out["state"] == "rolled_back",
                "rollback_refused": out["why"] or None, "rollback_job": out["job"],
                "undone": last.get("undone")}


def _refusal(cfg: Any, pending: dict[str, Any]) -> str:
    """Why no rollback is tried at all (before looking at what it would undo)."""
    if not cfg.rollback:
        return "automatic rollback is off (wifimgr.monitor.rollback=0)"
    if pending["rollback"]:
        return ("the configuration rolled back to did not come up either; never two rollbacks "
                "in a row — fix it by hand")
    return ""


def job_status(system: System, job_id: str) -> dict[str, Any] | None:
    """The health of one apply job (``apply_status``). While it is the pending check, the
    check is advanced here too — so it also runs when the monitor is stopped."""
    pending = _read(os.path.join(_dir(system), "pending.json"))
    if pending and pending.get("job") == job_id:
        res = evaluate(system)
        if res.get("state") == "checking":
            return {k: res.get(k) for k in ("state", "phase", "message", "missing",
                                            "deadline_s")}
    last = _read(os.path.join(_dir(system), "last.json"))
    if last and last.get("job") == job_id:
        return {k: last.get(k) for k in ("state", "message", "missing", "rolled_back",
                                         "rollback_refused", "rollback_job", "at")}
    return None
