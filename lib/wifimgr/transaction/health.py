"""Apply that checks itself: after a reload or a reboot, did everything come up? If not, roll
back — once — to the last configuration that came up healthy (docs/monitor.md).

* :func:`begin` — an apply job was started (``apply.start``): remember it in
  ``<persist_dir>/health/pending.json`` (it must survive the reboot a reboot job does).
* :func:`.health_check.evaluate` (its own module, on top of these records and the rollback)
  — run by the monitor every sample and by ``apply_status``: every enabled
  network must be up (AP: hostapd ``ENABLED``) and every link of each AP MLD on a channel within
  ``wifimgr.monitor.deadline`` seconds of the reload, or of the boot for a reboot job; a DFS
  channel availability check adds its own time. Then:

  - all up → ``healthy``: the running wireless config becomes the *last good* one
    (``<persist_dir>/health/good.wireless``);
  - not up by the deadline → ``degraded`` (``status`` names what is missing) and a rollback to
    the last good configuration through the one write path (``writes.commit_change``: judged by
    the safety module like any write) — unless the rollback is off, there is no last good
    config, it is the one running, the rules block it, the chip is locked, or the failed apply
    was itself a rollback (never twice in a row). Every outcome is an event.

* :func:`summary` — the ``health`` part of ``status``; :func:`.health_check.job_status` — of
  ``apply_status``.

With no apply pending, a healthy router whose disk config is what runs refreshes the last good
config (only when it differs: ``persist_dir`` is flash).
"""

from __future__ import annotations

import contextlib
import json
import os

from ..platform import state
from ..platform.fs import atomic_write, crash_point, fsync_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..observe.live import Live
    from ..platform import System

#: a DFS channel availability check whose length hostapd does not report (weather radar: 600)
CAC_DEFAULT_S = 600


def _dir(system: System) -> str:
    return os.path.join(system.persist_dir, "health")


def _read(path: str) -> Any:
    return state.read_json(path)


def _write(path: str, doc: Any, mode: int = 0o644) -> None:
    atomic_write(path, json.dumps(doc).encode(), mode=mode)


def PENDING(system: System) -> str:
    return os.path.join(_dir(system), "pending.json")


def good_config(system: System) -> str | None:
    try:
        data = state.read_bytes(os.path.join(_dir(system), "good.wireless"))
    except OSError:
        return None
    return None if data is None else data.decode("utf-8", "surrogateescape")


def _save_good(system: System, text: str) -> bool:
    if good_config(system) == text:
        return False
    atomic_write(os.path.join(_dir(system), "good.wireless"),
                 text.encode("utf-8", "surrogateescape"))
    return True


_DEPTH = [0]


@contextlib.contextmanager
def _locked(system: System):
    """Serialise checks across processes (monitor, apply_status); re-entrant in a process (a
    rollback started inside a check starts an apply job, which calls :func:`begin`)."""
    if _DEPTH[0]:
        _DEPTH[0] += 1
        try:
            yield
        finally:
            _DEPTH[0] -= 1
        return
    with state.locked(os.path.join(_dir(system), ".lock")):
        _DEPTH[0] = 1
        try:
            yield
        finally:
            _DEPTH[0] = 0


# --------------------------------------------------------------------------- observing
def observe(lv: Live, locked: bool | None = None) -> dict[str, Any]:
    """What the configuration wants running and what is missing (networks, MLD links, CAC).
    ``locked``: the chip state when the caller knows it (else the kernel log is read)."""
    from ..observe.live import networks_running

    nets, mlds = networks_running(lv)
    missing: list[dict[str, Any]] = []
    cac: list[dict[str, Any]] = []
    up = []
    for name, n in nets.items():
        if not n["wanted"]:
            continue
        if n["up"]:
            up.append(name)
        elif n["state"] == "DFS":
            st = lv.ubus(f"hostapd.{n['ifname']}", "get_status") or {}
            dfs = st.get("dfs") if isinstance(st.get("dfs"), dict) else {}
            left = dfs.get("cac_seconds_left")
            cac.append({"network": name, "ifname": n["ifname"],
                        "seconds_left": left if isinstance(left, int) else None,
                        "seconds": dfs.get("cac_seconds")})
        else:
            missing.append({"network": name, "ssid": n["ssid"], "link": None,
                            "message": f"{name} ({n['ssid']}) is not up"
                                       + (f" (hostapd: {n['state']})" if n["state"] else "")})
    for name, m in mlds.items():
        if not m["wanted"] or name not in up:
            continue
        have = {ln["radio"] for ln in m["links"].values()}
        for radio in m["expected"]:
            if radio not in have:
                band = lv.config.band(radio)
                missing.append({"network": name, "ssid": m["ssid"], "link": radio,
                                "message": f"{name} ({m['ssid']}) has no link on {radio}"
                                           f" ({band or '?'}): {m['links_up']} of "
                                           f"{m['links_expected']} links up"})
    return {"up": up, "missing": missing, "cac": cac,
            "locked": bool(lv.health.locked) if locked is None else locked}


def _reboot_pending(system: System) -> bool:
    from .applied import pending_reboot

    return pending_reboot(system) is not None


def _uptime(system: System) -> float | None:
    try:
        up = system.bus.call("system", "info", {}, timeout=5).get("uptime")
    except Exception:
        return None
    return float(up) if isinstance(up, int | float) else None


# --------------------------------------------------------------------------- the check
def begin(system: System, job: dict[str, Any], *, deferred: bool = False,
          undo: dict[str, Any] | None = None) -> None:
    """``apply.start`` made a job (called before a reboot job reboots): record the event and,
    for a reload or a reboot, check the job once it has had its time. Never raises.

    ``undo``: what the job wrote (``before``/``after`` text of every package, the redacted
    changes; from ``writes.commit_change``). It joins the ``chain`` of jobs not yet confirmed
    healthy, so that a rollback undoes exactly the job that failed (:mod:`wifimgr.rollback`).
    The pending record holds passphrases then: mode 0600."""
    from ..observe.events import record

    method = job.get("method")
    rollback_of = _ROLLING_BACK[-1] if _ROLLING_BACK else None
    with contextlib.suppress(Exception):
        text = {"reload": "applied by wifi reload", "reboot": (
            "saved; applied at the next reboot" if deferred else
            "applied by a reboot")}.get(str(method), "applied")
        record(system, "config_applied", f"configuration {text}"
               + (" (automatic rollback)" if rollback_of else "")
               + (f": {'; '.join(job.get('reasons', []))}" if job.get("reasons") else ""),
               subject=job["id"], job=job["id"], method=method, configs=job.get("configs"),
               rollback_of=rollback_of)
    if method not in ("reload", "reboot"):
        return
    with contextlib.suppress(OSError), _locked(system):
        chain: list[dict[str, Any]] = []
        if rollback_of is None:
            old = _read(PENDING(system))
            if isinstance(old, dict) and not old.get("rollback"):
                # accepted before the previous apply was confirmed healthy: both are pending
                chain = [e for e in old.get("chain") or [] if isinstance(e, dict)]
            entry = {"job": job["id"], "method": method, "created": job["created"],
                     "configs": job.get("configs") or [], **(undo or {})}
            chain.append(entry)
        _write(PENDING(system),
               {"job": job["id"], "method": method, "created": job["created"],
                "rollback": rollback_of is not None, "rollback_of": rollback_of,
                "deferred": deferred, "reasons": job.get("reasons", []), "chain": chain},
               mode=0o600)


def _finish(system: System, pending: dict[str, Any], result: dict[str, Any]) -> None:
    cur = _read(PENDING(system))
    # (a rollback has put its own job there)
    if cur and cur.get("job") == pending["job"] and state.remove(PENDING(system)):
        crash_point("unlink", PENDING(system))
        fsync_dir(_dir(system))
    _write(os.path.join(_dir(system), "last.json"), {**result, "job": pending["job"],
                                                     "method": pending["method"],
                                                     "was_rollback": pending["rollback"]})


def _event_once(system: System, kind: str, message: str, doc: dict[str, Any],
                **extra: Any) -> None:
    """An outcome of the rollback of ``doc["failed"]`` — once, also when a resumed rollback
    gets here a second time."""
    from ..observe.events import read

    with contextlib.suppress(Exception):
        seen, _n = read(system, kinds=[kind], subject=doc["failed"], limit=1000)
        if any(e.get("job") == doc["failed"] and float(e.get("t", 0)) >= doc["started"] - 1
               for e in seen):
            return
    _event(system, kind, message, {"job": doc["failed"], "method": doc["failed_method"],
                                   "rollback": False}, None, **extra)


def _finish_failed(system: System, doc: dict[str, Any], result: dict[str, Any]) -> None:
    _finish(system, {"job": doc["failed"], "method": doc["failed_method"],
                     "rollback": False}, result)


#: jobs being rolled back right now (``begin`` marks the rollback's own job)
_ROLLING_BACK: list[str] = []


def _baseline(system: System, obs: dict[str, Any]) -> None:
    """No apply pending and everything up: what runs is a good configuration."""
    if obs["missing"] or obs["cac"] or obs["locked"]:
        return
    from . import applied

    text = system.uci.text("wireless") or ""
    snap = applied.read(system)
    if snap is not None and snap != text:
        return  # the disk holds changes that are not live (a pending reboot)
    _save_good(system, text)


def _current(system: System, obs: dict[str, Any]) -> dict[str, Any]:
    last = _read(os.path.join(_dir(system), "last.json")) or {}
    if obs["missing"] and not obs["cac"]:
        return {"state": "degraded", "missing": obs["missing"], "last": last or None,
                "message": "; ".join(m["message"] for m in obs["missing"])}
    return {"state": "ok", "missing": [], "last": last or None,
            "message": last.get("message") if last.get("state") == "rolled_back" else ""}


def _event(system: System, kind: str, message: str, pending: dict[str, Any],
           obs: dict[str, Any] | None, **extra: Any) -> None:
    from ..observe.events import record

    record(system, kind, message, subject=pending["job"], job=pending["job"],
           method=pending["method"], rollback=pending["rollback"] or None,
           missing=[m["message"] for m in (extra.pop("missing", None)
                                           or (obs or {}).get("missing", []))] or None,
           **extra)


NOW = os.path.join("monitor", "health.json")


def publish(system: System, result: dict[str, Any]) -> None:
    """The monitor leaves its latest :func:`evaluate` result for ``status`` (RAM)."""
    with contextlib.suppress(OSError):
        _write(os.path.join(system.state_dir, NOW), {**result, "t": system.clock()})


def summary(system: System, max_age: float = 120) -> dict[str, Any]:
    """``status.health`` without running anything: the monitor's latest check when fresh
    (``ok`` / ``checking`` / ``degraded`` with what is missing), the pending check, and the
    result of the last apply (``last``: healthy / degraded / rolled_back, with why)."""
    pending = _read(os.path.join(_dir(system), "pending.json"))
    last = _read(os.path.join(_dir(system), "last.json"))
    now = _read(os.path.join(system.state_dir, NOW))
    if now and not (0 <= system.clock() - float(now.get("t", 0)) <= max_age):
        now = None
    if now:
        out = {k: now.get(k) for k in ("state", "phase", "missing", "message", "job")}
        if out["state"] in ("healthy", "rolled_back"):   # what happened is in `last`
            out.update(state="ok", missing=[], message="")
    elif pending and pending.get("deferred") and _reboot_pending(system):
        out = {"state": "ok", "phase": "pending_reboot", "job": pending["job"], "missing": [],
               "message": "the change is saved and waits for a reboot"}
    elif pending:
        out = {"state": "checking", "job": pending["job"], "missing": [],
               "message": "checking that the last apply came up"}
    else:
        out = {"state": "unknown", "missing": [],
               "message": "the monitor is not running: no health check"}
    if pending:
        out["pending"] = {"job": pending["job"], "method": pending["method"],
                          "since": pending["created"], "rollback": pending["rollback"]}
    out["last"] = last
    out["monitor"] = now is not None
    return out
