"""The automatic rollback as a journaled job that can be resumed (docs/monitor.md).

The health check (:mod:`wifimgr.health`) decides that an apply did not come up; this module
undoes it. What to undo is the failed *job*: every apply job started while an earlier one was
not yet confirmed healthy is kept in the pending check's ``chain``, each with its own
``before`` and ``after`` text of every package it wrote (``writes.commit_change`` hands them
over). The rollback puts back the failed job's ``before`` — across all its packages — and
nothing else: an earlier job that is still waiting for its confirmation is kept whole. Only
when that target is refused by the rules does it go further back, and then by whole jobs
(all their packages). A pending check from before this was recorded (no chain) falls back to
the last healthy ``wireless`` (``health/good.wireless``).

The rollback has several durable steps — commit the packages (``writes.commit_change``, under
the commit journal), the rollback job's own pending check, ``wifi reload`` or the reboot, the
result — and a SIGKILL or a power cut may land between any two. So it is written down first:
``<persist_dir>/health/rollback.json`` (flash, mode 0600: it holds passphrases) names the failed
job, the jobs undone, the target and the expected text of every package. :func:`advance`
looks at what is on disk and what runs and does the next missing step; it runs right after the
plan is written, at every monitor sample (``health_check.evaluate``) and at every plugin call
(:func:`resume_pending`: one ``stat`` when there is no rollback), until the job is complete:
the target is on disk, the radios run it (reload done, or booted since the reboot was asked
for), the rollback's own check is pending, the event is recorded, the failed job's result is
written. Then the file is removed.
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

    from ..platform import System

NAME = "rollback.json"
#: a reboot that was asked for and has not happened after this long is asked for again
REBOOT_GRACE_S = 90.0


def path(system: System) -> str:
    return os.path.join(system.persist_dir, "health", NAME)


def read(system: System) -> dict[str, Any] | None:
    doc = state.read_json(path(system))
    return doc if isinstance(doc, dict) else None


def _save(system: System, doc: dict[str, Any]) -> None:
    atomic_write(path(system), json.dumps(doc).encode(), mode=0o600)


def _remove(system: System) -> None:
    if state.remove(path(system)):
        crash_point("unlink", path(system))
        fsync_dir(os.path.dirname(path(system)))


# --------------------------------------------------------------------------- what to undo
def describe_op(op: dict[str, Any]) -> str:
    """One undone change in words (passphrases are already ``***`` in the diff)."""
    where = ".".join(str(x) for x in (op.get("config"), op.get("section"), op.get("option"))
                     if x)
    kind = op.get("op")
    if kind == "set":
        val = op.get("value")
        return f"{where}='{' '.join(map(str, val)) if isinstance(val, list) else val}'"
    if kind == "add":
        return f"added {where} ({op.get('type')})"
    if kind == "remove":
        return f"removed {where}"
    if kind == "delete":
        return f"deleted {where}"
    if kind == "retype":
        return f"{where} became {op.get('type')}"
    return f"reordered {where}"


def describe_job(entry: dict[str, Any], *, ops: bool = True) -> str:
    """``job <id> (<what>: <packages>): <every change>`` (``ops``: with the changes)."""
    what = entry.get("summary") or entry.get("method") or "change"
    head = f"job {entry['job']} ({what}: {', '.join(sorted(entry.get('configs') or []))})"
    if not ops:
        return head
    done = [describe_op(op) for op in entry.get("changes") or []]
    return f"{head}: " + ("; ".join(done) if done else "no recorded change")


def _same(a: str | None, b: str | None, name: str) -> bool:
    if a == b:
        return True
    if a is None or b is None:
        return False
    from ..platform.ucitext import parse

    try:
        return parse(a, name) == parse(b, name)
    except Exception:
        return False


def candidates(pending: dict[str, Any], good: str | None, current: str | None
               ) -> list[dict[str, Any]]:
    """The rollbacks to try, the smallest first: undo the newest job, then the newest two …
    (whole jobs). Each: ``{"undo": [entries newest first], "target": {pkg: text|None},
    "expect": {pkg: text|None}}``. Without a chain (a check recorded by an older version):
    the last healthy wireless config."""
    chain = [e for e in pending.get("chain") or [] if isinstance(e, dict)]
    out = []
    for k in range(1, len(chain) + 1):
        undo = list(reversed(chain[-k:]))             # newest first
        target: dict[str, str | None] = {}
        expect: dict[str, str | None] = {}
        for e in undo:                                # older jobs overwrite: their `before`
            for name, text in (e.get("before") or {}).items():
                target[name] = text
        for e in reversed(undo):                      # newer jobs overwrite: their `after`
            for name, text in (e.get("after") or {}).items():
                expect[name] = text
        out.append({"undo": undo, "target": target, "expect": expect})
    if not chain and good is not None:
        out.append({"undo": [], "target": {"wireless": good},
                    "expect": {"wireless": current}, "legacy": True})
    return out


def plan(system: System, pending: dict[str, Any], running: Any) -> tuple[dict | None, str]:
    """The first candidate that changes something, that nobody else changed since, and that
    the rules let run; else (None, why not)."""
    from ..host import probe
    from ..model.configset import ConfigSet
    from ..model.wireless import WirelessConfig
    from ..platform.ucitext import Package, parse
    from ..rules import safety
    from .health import good_config

    uci = system.uci
    current = uci.text("wireless")
    cands = candidates(pending, good_config(system), current)
    if not cands:
        return None, "no configuration is known to have come up healthy"
    why = ""
    for cand in cands:
        disk = {n: uci.text(n) for n in cand["target"]}
        if all(_same(disk[n], t, n) for n, t in cand["target"].items()):
            why = ("the last healthy configuration is the one running" if cand.get("legacy")
                   else "the failed job changed nothing that could be undone")
            continue
        moved = [n for n, t in cand["expect"].items() if not _same(disk.get(n), t, n)]
        if moved:
            why = (f"{', '.join(sorted(moved))} changed since by another program (LuCI, uci): "
                   "not undone over that change")
            break        # going further back would overwrite it too
        cs = ConfigSet.load(uci, sorted(set(cand["target"]) | {"wireless", "network"}))
        try:
            for n, t in cand["target"].items():
                cs.packages[n] = parse(t, n) if t is not None else Package(n)
            verdict = safety.judge(running, WirelessConfig.from_set(cs),
                                   probe.capabilities(system))
        except Exception as exc:   # a stored text that no longer parses
            why = f"the configuration to go back to cannot be read: {exc}"
            continue
        if not verdict.ok:
            why = ("the rules block " + ("the last healthy configuration" if cand.get("legacy")
                                         else "the configuration before it") + ": "
                   + "; ".join(f"[{v.rule}] {v.message}" for v in verdict.violations))
            continue
        return cand, ""
    return None, why


# --------------------------------------------------------------------------- the job
def start(system: System, pending: dict[str, Any], cand: dict[str, Any], *, message: str,
          missing: list[dict[str, Any]]) -> dict[str, Any]:
    """Write the rollback down (durably), then :func:`advance` it."""
    doc = {"failed": pending["job"], "failed_method": pending["method"],
           "started": system.clock(), "message": message, "missing": missing,
           "undo": [e["job"] for e in cand["undo"]],
           "undone": [describe_job(e) for e in cand["undo"]]
           or ["wireless: back to the last configuration that came up healthy"],
           "kept": [describe_job(e, ops=False) for e in pending.get("chain") or []
                    if e["job"] not in {u["job"] for u in cand["undo"]}],
           "target": cand["target"], "expect": cand["expect"],
           "legacy": bool(cand.get("legacy"))}
    _save(system, doc)
    return advance(system, doc)


def text_of(doc: dict[str, Any]) -> str:
    what = "; ".join(doc["undone"])
    kept = (f"; kept (not yet confirmed, not part of the failure): {'; '.join(doc['kept'])}"
            if doc.get("kept") else "")
    return f"undid {what}{kept}"


def advance(system: System, doc: dict[str, Any]) -> dict[str, Any]:
    """Do the next missing step of the rollback ``doc`` and every one after it. Idempotent:
    each step looks at what is on disk and what runs. Returns ``{"state": "rolled_back"|
    "refused", "job", "why"}``; the file is gone afterwards."""
    from . import applied, journal
    from .apply import request_reboot
    from .health import _ROLLING_BACK, PENDING, _read

    if state.exists(journal.path(system)):
        journal.recover_pending(system)      # a commit killed half-way: back to all old
    uci = system.uci
    target, expect = doc["target"], doc["expect"]
    disk = {n: uci.text(n) for n in target}
    pending = _read(PENDING(system)) or {}
    mine = pending.get("rollback") and pending.get("rollback_of") == doc["failed"]
    job_id = pending.get("job") if mine else doc.get("job")
    if not all(_same(disk[n], t, n) for n, t in target.items()):
        if not all(_same(disk[n], expect.get(n), n) for n in target):
            return _refuse(system, doc, "the configuration was changed by another program "
                                        "during the rollback: left as it is")
        from ..host.context import Context
        from ..platform.ucitext import Package, parse
        from .writes import commit_change

        def mutate(cs: Any) -> None:
            for n, t in target.items():
                cs.packages[n] = parse(t, n, source="rollback") if t is not None else Package(n)

        _ROLLING_BACK.append(doc["failed"])
        try:
            reply = commit_change(Context(system=system, method="rollback", access="write"),
                                  mutate, configs=sorted(set(target) | {"wireless", "network"}),
                                  summary="automatic rollback")
        finally:
            _ROLLING_BACK.pop()
        if not reply.get("ok"):
            why = "; ".join(b["message"] for b in reply.get("blocked", [])) or str(
                (reply.get("error") or {}).get("message"))
            return _refuse(system, doc, f"rollback refused: {why}")
        job_id = reply.get("job")
        return _complete(system, doc, job_id, reply.get("apply"))
    if not mine:
        # committed, but killed before its apply job started: start it now
        from ..host.context import Context
        from ..model.wireless import WirelessConfig
        from ..platform.ucitext import Package, parse
        from ..rules import safety
        from .apply import start as start_apply

        cur = uci.load("wireless") if uci.exists("wireless") else Package("wireless")
        running = applied.read(system)
        run_pkg = parse(running, "wireless") if running is not None else None
        method, reasons = (safety.apply_method(WirelessConfig(run_pkg), WirelessConfig(cur))
                           if run_pkg is not None else ("reboot", ["resuming a rollback"]))
        if run_pkg is None and _booted_since(system, doc["started"]):
            method = "none"                  # booted since the commit: the disk is what runs
        _ROLLING_BACK.append(doc["failed"])
        try:
            job = start_apply(Context(system=system, method="rollback", access="write"),
                              method, reasons, [n for n in target if n != "wireless"]
                              + (["wireless"] if "wireless" in target else []))
        finally:
            _ROLLING_BACK.pop()
        return _complete(system, doc, job["id"] if job else None, method)
    # the rollback's job is pending: did its reload or its reboot happen?
    if pending.get("method") == "reload":
        text = uci.text("wireless") or ""
        running = applied.read(system)
        if running is not None and running != text:
            res = system.run.run(["wifi", "reload"], timeout=30)
            if res.rc == 0:
                applied.write(system, text)
    elif pending.get("method") == "reboot" and not _booted_since(system, pending["created"]) \
            and system.clock() - float(pending["created"]) >= REBOOT_GRACE_S:
        request_reboot(system, pending["job"])
    return _complete(system, doc, job_id, pending.get("method"))


def resume(system: System, doc: dict[str, Any]) -> dict[str, Any]:
    """Finish a rollback found written down (a kill or a power cut stopped it)."""
    return advance(system, doc)


def _booted_since(system: System, t: float) -> bool:
    from .health import _uptime

    up = _uptime(system)
    return up is not None and system.clock() - up >= float(t)


def _complete(system: System, doc: dict[str, Any], job_id: str | None,
              method: str | None) -> dict[str, Any]:
    from .health import _event_once, _finish_failed

    text = text_of(doc)
    _event_once(system, "rolled_back", f"rolled back: {text} (apply by {method}, job "
                f"{job_id})", doc, rollback_job=job_id, undone=doc["undone"],
                kept=doc.get("kept") or None)
    _finish_failed(system, doc, {"state": "rolled_back", "at": system.clock(),
                                 "missing": doc["missing"], "message": doc["message"],
                                 "rolled_back": True, "rollback_refused": None,
                                 "rollback_job": job_id, "undone": doc["undone"],
                                 "legacy": doc.get("legacy") or None,
                                 "kept": doc.get("kept") or []})
    _remove(system)
    return {"state": "rolled_back", "job": job_id, "why": ""}


def _refuse(system: System, doc: dict[str, Any], why: str) -> dict[str, Any]:
    from .health import _event_once, _finish_failed

    _event_once(system, "rollback_refused", f"rollback not done: {why}", doc)
    _finish_failed(system, doc, {"state": "degraded", "at": system.clock(),
                                 "missing": doc["missing"], "message": doc["message"],
                                 "rolled_back": False, "rollback_refused": why,
                                 "rollback_job": None})
    _remove(system)
    return {"state": "refused", "job": None, "why": why}


def resume_pending(system: System) -> dict[str, Any] | None:
    """The plugin's start and every monitor sample: one ``stat`` when no rollback is under
    way; else finish it (under the health check's lock). Never raises."""
    if not state.exists(path(system)):
        return None
    from .health import _locked

    try:
        with _locked(system):
            doc = read(system)
            if doc is None:
                _remove(system)
                return None
            return resume(system, doc)
    except Exception as exc:
        with contextlib.suppress(Exception):
            system.run.run(["logger", "-t", "wifimgr", "-p", "daemon.err",
                            f"finishing an interrupted rollback failed: {exc}"], timeout=5)
        return None
