"""rpcd's access model: ``acl.d`` groups with read/write ubus grants, logins whose ``list read``
and ``list write`` patterns pick groups (``!`` denies first, write implies read), fnmatch on
object and method (openwrt/rpcd session.c; spec/anchors.md §4)."""

from __future__ import annotations

import fnmatch
import glob
import json
import os

from ..record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

UNAUTHENTICATED = {"unauthenticated": {"description": "Access controls for unauthenticated "
                                                      "requests",
                                       "read": {"ubus": {"session": ["access", "login"]}}}}


def load_groups(directories: list[str]) -> dict[str, Any]:
    groups: dict[str, Any] = dict(UNAUTHENTICATED)
    for d in directories:
        for path in sorted(glob.glob(os.path.join(d, "*.json"))):
            try:
                with open(path, encoding="utf-8") as fh:
                    data = json.load(fh)
            except (OSError, ValueError):
                continue  # rpcd skips a malformed file ("Failed to parse")
            if isinstance(data, dict):
                groups.update(data)
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

    def allows(self, obj: str, method: str) -> bool:
        return any(fnmatch.fnmatchcase(obj, o) and fnmatch.fnmatchcase(method, m)
                   for o, m in self.ubus)

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
            for obj, methods in ((spec.get(level) or {}).get("ubus") or {}).items():
                for m in methods:
                    g.ubus.append((obj, m))
    return g


def anonymous(groups: dict[str, Any]) -> Grants:
    g = Grants()
    g.groups["unauthenticated"] = {"read"}
    for obj, methods in groups["unauthenticated"]["read"]["ubus"].items():
        g.ubus.extend((obj, m) for m in methods)
    return g
