"""rpcd's access model: ``acl.d`` groups with read/write ubus grants, logins whose ``list read``
and ``list write`` patterns pick groups (``!`` denies first, write implies read), fnmatch on
object and method (openwrt/rpcd session.c; spec/anchors.md §4)."""

from __future__ import annotations

import fnmatch
import glob
import json
import os

from ..core.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

UNAUTHENTICATED = {"unauthenticated": {"description": "Access controls for unauthenticated "
                                                      "requests",
                                       "read": {"ubus": {"session": ["access", "login"]}}}}


def _merge(into: dict[str, Any], spec: dict[str, Any]) -> None:
    """rpcd applies every file's group of a name: union the grants per level and scope."""
    for key, value in spec.items():
        if key not in ("read", "write") or not isinstance(value, dict):
            into.setdefault(key, value)
            continue
        level = into.setdefault(key, {})
        for scope, grants in value.items():
            have = level.setdefault(scope, {} if isinstance(grants, dict) else [])
            if isinstance(grants, dict) and isinstance(have, dict):
                for obj, fns in grants.items():
                    have.setdefault(obj, [])
                    have[obj] = have[obj] + [f for f in fns if f not in have[obj]]
            elif isinstance(grants, list) and isinstance(have, list):
                have.extend(g for g in grants if g not in have)


def load_groups(directories: list[str]) -> dict[str, Any]:
    groups: dict[str, Any] = json.loads(json.dumps(UNAUTHENTICATED))
    for d in directories:
        for path in sorted(glob.glob(os.path.join(d, "*.json"))):
            try:
                with open(path, encoding="utf-8") as fh:
                    data = json.load(fh)
            except (OSError, ValueError):
                continue  # rpcd skips a malformed file ("Failed to parse")
            if isinstance(data, dict):
                for name, spec in data.items():
                    if isinstance(spec, dict):
                        _merge(groups.setdefault(name, {}), spec)
    return groups


def _matches(patterns: list[str], name: str) -> bool:
    for p in patterns:
        if p.startswith("!") and fnmatch.fnmatchcase(name, p[1:]):
            return False
    return any(not p.startswith("!") and fnmatch.fnmatchcase(name, p) for p in patterns)


@record
class Grants:
    #: group → {"read", "write"}
    groups: dict[str, set[str]] = field(default_factory=dict)
    #: (object pattern, method pattern)
    ubus: list[tuple[str, str]] = field(default_factory=list)
    #: other scopes of rpcd's session ACLs: (scope, object pattern, function pattern), e.g.
    #: ("uci", "wireless", "read"), ("file", "/*", "list")
    scoped: list[tuple[str, str, str]] = field(default_factory=list)

    def allows(self, obj: str, method: str) -> bool:
        return any(fnmatch.fnmatchcase(obj, o) and fnmatch.fnmatchcase(method, m)
                   for o, m in self.ubus)

    def allows_scope(self, scope: str, obj: str, function: str) -> bool:
        """rpcd's ``rpc_session_acl_allowed`` for any scope (fnmatch on object and
        function); ``access-group`` is the groups this login holds, per level."""
        if scope == "ubus":
            return self.allows(obj, function)
        if scope == "access-group":
            return any(fnmatch.fnmatchcase(g, obj) and any(fnmatch.fnmatchcase(lv, function)
                                                          for lv in levels)
                       for g, levels in self.groups.items())
        return any(s == scope and fnmatch.fnmatchcase(obj, o) and fnmatch.fnmatchcase(function, f)
                   for s, o, f in self.scoped)

    def dump(self) -> dict[str, dict[str, list[str]]]:
        """``session access`` without object/function: every grant by scope."""
        out: dict[str, dict[str, list[str]]] = {"access-group": self.access_groups(), "ubus": {}}
        for o, m in self.ubus:
            out["ubus"].setdefault(o, [])
            if m not in out["ubus"][o]:
                out["ubus"][o].append(m)
        for s, o, f in self.scoped:
            fns = out.setdefault(s, {}).setdefault(o, [])
            if f not in fns:
                fns.append(f)
        return out

    def access_groups(self) -> dict[str, list[str]]:
        return {g: sorted(levels) for g, levels in self.groups.items()}


def grants_for(groups: dict[str, Any], read: list[str], write: list[str]) -> Grants:
    g = Grants()
    for name, spec in groups.items():
        levels = []
        if _matches(write, name):
            levels = ["read", "write"]
        elif _matches(read, name):
            levels = ["read"]
        if not levels:
            continue
        g.groups[name] = set(levels)
        for level in levels:
            for scope, grants in (spec.get(level) or {}).items():
                if scope == "ubus":
                    for obj, methods in (grants or {}).items():
                        g.ubus.extend((obj, m) for m in methods)
                elif isinstance(grants, dict):     # "file": {path: [function, ...]}
                    for obj, fns in grants.items():
                        g.scoped.extend((scope, obj, f) for f in fns)
                elif isinstance(grants, list):     # "uci": [config, ...] → read / write
                    g.scoped.extend((scope, obj, level) for obj in grants)
    return g


def anonymous(groups: dict[str, Any]) -> Grants:
    g = Grants()
    g.groups["unauthenticated"] = {"read"}
    for obj, methods in groups["unauthenticated"]["read"]["ubus"].items():
        g.ubus.extend((obj, m) for m in methods)
    return g
