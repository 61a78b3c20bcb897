"""The one path every wireless write takes.

    load the packages (under the UCI writer lock)
    → let the caller change copies
    → safety.judge(live config, whole proposed config)
    → blocked or dry run: nothing is written, the files stay byte-identical
    → else commit every changed package atomically (several: all or nothing, journal.py)
      and start the apply job

No write method commits UCI packages any other way (a test greps for it).
"""

from __future__ import annotations

from ..core.errors import WifimgrError
from ..model.configset import CONFIGS, ConfigSet
from ..model.wireless import WirelessConfig
from ..platform.ucitext import Package
from ..rules import safety
from . import applied, journal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

    from ..host.context import Context

    Mutator = Callable[[ConfigSet], Any]

SECRET_OPTIONS = {"key", "password", "sae_password", "auth_secret", "acct_secret",
                  "priv_key_pwd"}


def diff(before: ConfigSet, after: ConfigSet) -> list[dict[str, Any]]:
    """UCI operations that turn ``before`` into ``after`` (passphrases redacted)."""
    ops: list[dict[str, Any]] = []
    for name in sorted(set(before.packages) | set(after.packages)):
        a = before.packages.get(name) or Package(name)
        b = after.packages.get(name) or Package(name)
        a_secs = {s.name: s for s in a.sections}
        b_secs = {s.name: s for s in b.sections}
        for sname in a_secs:
            if sname not in b_secs:
                ops.append({"op": "remove", "config": name, "section": sname})
        for s in b.sections:
            old = a_secs.get(s.name)
            if old is None:
                ops.append({"op": "add", "config": name, "section": s.name, "type": s.type})
                old_opts: dict[str, Any] = {}
            else:
                old_opts = old.options
                if old.type != s.type:
                    ops.append({"op": "retype", "config": name, "section": s.name,
                                "type": s.type})
            for opt, val in s.options.items():
                if old_opts.get(opt) != val:
                    shown = "***" if opt in SECRET_OPTIONS else val
                    ops.append({"op": "set", "config": name, "section": s.name,
                                "option": opt, "value": shown})
            for opt in old_opts:
                if opt not in s.options:
                    ops.append({"op": "delete", "config": name, "section": s.name,
                                "option": opt})
        order_a = [s for s in (x.name for x in a.sections) if s in b_secs]
        order_b = [s for s in (x.name for x in b.sections) if s in a_secs]
        if order_a != order_b:
            ops.append({"op": "reorder", "config": name,
                        "order": [s.name for s in b.sections]})
    return ops


def result(*, ok: bool, apply: str = "none", blocked: Iterable[safety.Violation] = (),
           error: WifimgrError | None = None, changes: list | None = None,
           **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ok": ok,
        "apply": apply,
        "blocked": [v.as_dict() for v in blocked],
        "error": error.as_dict() if error else None,
        "changes": changes or [],
        "job": None,
    }
    out.update(extra)
    return out


def commit_change(ctx: Context, mutate: Mutator, *, dry_run: bool = False,
                  defer_reboot: bool = False, configs: Iterable[str] = CONFIGS,
                  summary: str = "") -> dict[str, Any]:
    """Apply ``mutate`` to fresh copies of ``configs`` and commit the result if it is safe.

    ``mutate`` raises :class:`WifimgrError` for bad input (nothing is written) and may return
    a dict merged into the reply (e.g. the name of the new section)."""
    from ..host import probe
    from . import apply as apply_mod

    system = ctx.system
    with system.uci.lock():
        before = ConfigSet.load(system.uci, configs)
        proposed = before.copy()
        extra = mutate(proposed) or {}
        live_pkg = applied.package(system, before["wireless"])
        live = WirelessConfig(live_pkg, before.get("network"))
        verdict = safety.judge(live, WirelessConfig.from_set(proposed),
                               probe.capabilities(system))
        changes = diff(before, proposed)
        info = {"reasons": verdict.reasons, "warnings": verdict.warnings,
                "advisories": advisory_dicts(verdict, WirelessConfig.from_set(proposed)),
                **extra}
        if summary:
            info["summary"] = summary
        if not verdict.ok:
            out = result(ok=False, blocked=verdict.violations, changes=changes, **info)
            _explain_refusal(out, verdict, before, mutate)
            return out
        if not changes:
            return result(ok=True, apply="none", changes=[], **info, dry_run=dry_run)
        if dry_run:
            return result(ok=True, apply=verdict.apply, changes=changes, dry_run=True, **info)
        changed = [n for n in proposed.changed(before)]
        old_texts = {n: system.uci.text(n) for n in changed}
        # all or nothing across packages: an intent journal, rolled back on any failure here
        # and — after a SIGKILL or a power cut — on the next plugin call or at boot
        with journal.transaction(system, before, proposed, changed):
            for name in changed:
                # base: refuse (Conflict) if LuCI or uci committed since ConfigSet.load —
                # the verdict above was taken on what was loaded
                system.uci.commit(proposed[name], base=before[name])
        # what this job wrote, so that a failed apply undoes exactly this job (rollback.py)
        undo = {"summary": summary or ctx.method, "changes": changes, "before": old_texts,
                "after": {n: system.uci.text(n) for n in changed}}
    job = apply_mod.start(ctx, verdict.apply, verdict.reasons, changed,
                          defer_reboot=defer_reboot, undo=undo)
    out = result(ok=True, apply=verdict.apply, changes=changes, **info)
    out["job"] = job.get("id") if job else None
    if job and job.get("pending"):
        out["pending_reboot"] = True
    return out


def _explain_refusal(out: dict[str, Any], verdict: safety.Verdict, before: ConfigSet,
                     mutate: Mutator) -> None:
    """Mark the violations the configuration already had, attach the write that clears each,
    and — when the request is refused only because of them — say that the change asked for
    was fine (checked: the same change on the fixed configuration passes the rules)."""
    before_w = WirelessConfig.from_set(before)
    before_v = {(v.rule, v.subject) for v in safety.check_config(before_w, verdict.caps)}
    fixes = []
    for b, v in zip(out["blocked"], verdict.violations, strict=True):
        b["preexisting"] = (v.rule, v.subject) in before_v
        if b["preexisting"]:
            fix = safety.fix_for(before_w, v, verdict.caps)
            if fix is not None:
                b["fix"] = fix
                fixes.append(fix)
    if not all(b["preexisting"] for b in out["blocked"]) or not fixes:
        return
    fixed = before.copy()
    w = WirelessConfig.from_set(fixed)
    for fix in {repr(sorted(f["args"].items())): f for f in fixes}.values():
        sec = w.package.get(fix["args"]["section"])
        if sec is not None:
            for opt, val in fix["args"]["values"].items():
                sec.set(opt, val)
    try:
        trial = fixed.copy()
        mutate(trial)
    except WifimgrError:
        return
    if safety.check_config(WirelessConfig.from_set(trial), verdict.caps):
        return
    rules = ", ".join(sorted({b["rule"] for b in out["blocked"]}))
    out["requested_ok"] = True
    out["message"] = ("The change you asked for is fine; it is refused only because the "
                      f"current configuration already breaks {rules}. Fix that first: "
                      + "; ".join(f["label"] for f in fixes) + ".")


def advisory_dicts(verdict: safety.Verdict, w: WirelessConfig, *,
                   fix: Callable[[str], dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The verdict's advisories with their fixes. ``mld-acs``: one fixed channel per link on
    ACS — ``fix(radio)`` names it (``check`` asks the channel advisor, which scans); otherwise
    the fix is the ``advise`` call that names the channel, which the UI makes on demand."""
    out = []
    for v in verdict.advisories:
        d = v.as_dict()
        if v.rule == "mld-acs":
            radios = safety.acs_radios(w, v.subject)
            d["radios"] = radios
            d["fixes"] = [fix(r) if fix else ask_advisor(r) for r in radios]
        out.append(d)
    return out


def ask_advisor(radio: str) -> dict[str, Any]:
    """The fix that asks the channel advisor for ``radio`` (the UI makes the call)."""
    return {"method": "advise", "args": {"radio": radio},
            "label": f"Ask the channel advisor for {radio}"}


LOCKED_WARNING = ("The WiFi chip is locked: WiFi stays down until the router has been "
                  "unplugged for at least 15 minutes (a reboot does not clear the lock). Saved "
                  "changes take effect after that.")


def add_lock_warning(ctx: Context, reply: dict[str, Any]) -> dict[str, Any]:
    """Add :data:`LOCKED_WARNING` to a write reply while dmesg shows the locked chip."""
    from ..observe.live import Live

    try:
        locked = Live(ctx.system).health.locked
    except Exception:       # a reading that fails must never break the reply
        return reply
    if locked:
        warnings = reply.setdefault("warnings", [])
        if LOCKED_WARNING not in warnings:
            warnings.insert(0, LOCKED_WARNING)
        reply["chip_locked"] = True
    return reply
