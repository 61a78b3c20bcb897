"""Apply that checks itself: after a reload or a reboot, did everything come up? If not, roll
back — once — to the last configuration that came up healthy (docs/monitor.md).

* :func:`begin` — an apply job was started (``apply.start``): remember it in
  ``<persist_dir>/health/pending.json`` (it must survive the reboot a reboot job does).
* :func:`evaluate` — run by the monitor every sample and by ``apply_status``: every enabled
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

* :func:`summary` — the ``health`` part of ``status``; :func:`job` — of ``apply_status``.

With no apply pending, a healthy router whose disk config is what runs refreshes the last good
config (only when it differs: ``persist_dir`` is flash).
"""

from __future__ import annotations

import contextlib
import json
import os

from ..platform.fs import atomic_write, crash_point, fsync_dir, remove_stale_temps

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
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def _write(path: str, doc: Any, mode: int = 0o644) -> None:
    atomic_write(path, json.dumps(doc).encode(), mode=mode)


def PENDING(system: System) -> str:
    return os.path.join(_dir(system), "pending.json")


def good_config(system: System) -> str | None:
    try:
        with open(os.path.join(_dir(system), "good.wireless"), "rb") as fh:
            return fh.read().decode("utf-8", "surrogateescape")
    except OSError:
        return None


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
    import fcntl

    if _DEPTH[0]:
        _DEPTH[0] += 1
        try:
            yield
        finally:
            _DEPTH[0] -= 1
        return
    os.makedirs(_dir(system), exist_ok=True)
    fd = os.open(os.path.join(_dir(system), ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _DEPTH[0] = 1
        yield
    finally:
        _DEPTH[0] = 0
        os.close(fd)


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
    if cur and cur.get("job") == pending["job"]:   # (a rollback has put its own job there)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(PENDING(system))
            crash_point("unlink", PENDING(system))
            fsync_dir(_dir(system))
    _write(os.path.join(_dir(system), "last.json"), {**result, "job": pending["job"],
                                                     "method": pending["method"],
                                                     "was_rollback": pending["rollback"]})


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
        elif os.path.exists(rollback.path(system)):
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
