"""Writes of ``/etc/config/wireless`` from outside wifimgr (docs/monitor.md "Watching the
wireless config").

Stock LuCI's Network → Wireless page, ``uci set …; uci commit; wifi reload`` and other tools
bypass the safety rules — wifimgr cannot sit in netifd's path. So the monitor looks at the file
at every sample, cheaply: ``stat`` (size, mtime); only when either moved it reads the file and
compares its hash. procd's config trigger for ``wireless`` (``/etc/init.d/wifimgr-monitor``,
``reload_config`` after LuCI's Save & Apply) runs the same check at once (``wifimgr monitor
--check-config``). A changed file is judged (``safety.check_config``; publicly known keys):

* unsafe → an ``unsafe_config`` event naming the sections and the rule, a syslog line at
  warning level, and ``<persist_dir>/outside.json`` for ``status`` (the Status → Overview
  include and the wifimgr header show it) with the ready fix: each violation's one-click fix,
  or "restore the last good config" (``restore_good``), and the change that was written
  (passphrases never: the diff shows them as ``***``);
* a publicly known key → a ``published_key`` event (sections and SSIDs, never the key);
* safe again → the record is removed (and an event says so).

The previous text the monitor saw stays in RAM (``<state_dir>``) so that the change can be
named. A write by wifimgr itself is judged too (it cannot be unsafe: the verdict refused it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os

from ..observe import outside as outside_record
from ..platform import state
from ..platform.fs import atomic_write

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..platform import System

SEEN = os.path.join("monitor", "wireless.seen")


def check(system: System, *, force: bool = False, source: str = "sample") -> dict[str, Any]:
    """Look at the wireless file; judge it when it changed (or ``force``). Returns
    ``{"changed": bool, "unsafe": [...], "published": [...]}``."""
    state_path = os.path.join(system.state_dir, "monitor", "wireless-watch.json")
    stamp = system.uci.stamp("wireless")
    prev = state.read_json(state_path) or {}
    if not force and prev.get("stamp") == stamp and stamp is not None:
        return {"changed": False}
    text = system.uci.text("wireless") or ""
    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
    same = prev.get("hash") == digest
    with contextlib.suppress(OSError):
        atomic_write(state_path, json.dumps({"stamp": stamp, "hash": digest}).encode())
    if same and not force:
        return {"changed": False}
    return _judge(system, text, source, first="hash" not in prev)


def _judge(system: System, text: str, source: str, *, first: bool) -> dict[str, Any]:
    from ..host import probe
    from ..lifecycle.defaults import published_key_findings
    from ..model.wireless import WirelessConfig
    from ..observe.events import record
    from ..platform.ucitext import parse
    from ..rules import safety

    seen_path = os.path.join(system.state_dir, SEEN)
    seen = state.read_bytes(seen_path)
    before = None if seen is None else seen.decode("utf-8", "surrogateescape")
    with contextlib.suppress(OSError):
        atomic_write(seen_path, text.encode("utf-8", "surrogateescape"), mode=0o600)
    try:
        pkg = parse(text, "wireless", source="/etc/config/wireless")
    except Exception as exc:
        record(system, "unsafe_config", f"/etc/config/wireless does not parse: {exc}",
               subject="wireless", source=source)
        return {"changed": True, "unsafe": [], "published": []}
    network = system.uci.load("network") if system.uci.exists("network") else None
    w = WirelessConfig(pkg, network)
    caps = probe.capabilities(system)
    violations = safety.check_config(w, caps)
    published = published_key_findings(w)
    changes = _changes(before, pkg) if before is not None else []
    ours = _written_by_wifimgr(system, text)
    out_path = outside_record.path(system)
    old = outside_record.read(system)
    if violations:
        sections = _sections(w, violations, pkg, before)
        rules = sorted({v.rule for v in violations})
        fixes = [f for f in (safety.fix_for(w, v, caps) for v in violations) if f is not None]
        from ..transaction.health import good_config

        good = good_config(system)
        doc = {"t": system.clock(), "source": source, "by_wifimgr": ours,
               "sections": sections, "rules": rules,
               "violations": [{**v.as_dict(), **({"fix": f} if f else {})}
                              for v, f in ((v, safety.fix_for(w, v, caps)) for v in violations)],
               "changes": changes if not first else [],
               "fixes": fixes, "restore": good is not None and good != text}
        same = old is not None and old.get("rules") == rules and old.get("sections") == sections
        if same:
            doc["t"], doc["changes"] = old.get("t", doc["t"]), old.get("changes") or doc["changes"]
        if not same or doc != old:
            atomic_write(out_path, json.dumps(doc).encode())
        if not same:
            what = "; ".join(f"[{v.rule}] {v.subject}: {v.message}" for v in violations)
            who = "" if ours else " from outside wifimgr"
            msg = (f"unsafe wireless configuration written{who} — sections "
                   f"{', '.join(sections)} break {', '.join(rules)}: {what}")
            record(system, "unsafe_config", msg, subject=",".join(sections), rules=rules,
                   sections=sections, changes=[c for c in changes][:50] or None,
                   source=source)
            system.run.run(["logger", "-t", "wifimgr", "-p", "daemon.warn", msg[:900]],
                           timeout=5)
    elif old is not None:
        state.remove(out_path)
        record(system, "unsafe_config", "the wireless configuration is safe again",
               subject="wireless", source=source, resolved=True)
    if published:
        names = sorted(f["subject"] for f in published)
        listed = ", ".join(f"{f['subject']} ({f['ssid']})" for f in published)
        record(system, "published_key", "networks with a publicly known key (anyone nearby "
               f"can join): {listed}",
               subject=",".join(names), sections=names, source=source)
    return {"changed": True, "unsafe": [v.as_dict() for v in violations],
            "published": [f["subject"] for f in published], "by_wifimgr": ours}


def _subjects(subject: str) -> list[str]:
    return [s.strip() for s in str(subject).replace("+", ",").split(",") if s.strip()]


def _sections(w: Any, violations: list[Any], pkg: Any, before: str | None) -> list[str]:
    """The sections to name: each violation's subject, and the sections the write added or
    changed that it concerns (an iface on the subject radio)."""
    from ..platform.ucitext import parse

    subjects = {s for v in violations for s in _subjects(v.subject)}
    changed: set[str] = set()
    if before is not None:
        with contextlib.suppress(Exception):
            old = {s.name: s for s in parse(before, "wireless").sections}
            changed = {s.name for s in pkg.sections
                       if s.name not in old or old[s.name].options != s.options}
    named = set(subjects)
    for i in w.ifaces:
        if i.name in changed and (i.name in subjects or subjects & set(i.devices)):
            named.add(i.name)
    return sorted(named)


def _changes(before: str, after: Any) -> list[str]:
    """The change written, in words (passphrases as ``***``)."""
    from ..model.configset import ConfigSet
    from ..platform.ucitext import parse
    from ..transaction.rollback import describe_op
    from ..transaction.writes import diff

    try:
        old = parse(before, "wireless")
    except Exception:
        return []
    return [describe_op(op) for op in diff(ConfigSet.of(old), ConfigSet.of(after))]


def _written_by_wifimgr(system: System, text: str) -> bool:
    """The text is what wifimgr's last write left (its job's ``after``)."""
    from ..transaction.health import PENDING, _read

    pending = _read(PENDING(system)) or {}
    for e in pending.get("chain") or []:
        if (e.get("after") or {}).get("wireless") == text:
            return True
    from ..transaction import applied

    return applied.read(system) == text
