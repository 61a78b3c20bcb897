"""``iw reg get`` (iw reg.c): the global and per-phy regulatory domains with their rules."""

from __future__ import annotations

import re

from ..core.record import field, record
from .common import guarded, to_int


@record
class RegRule:
    start_mhz: int
    end_mhz: int
    max_bw_mhz: int
    max_eirp_dbm: int | None
    flags: tuple[str, ...] = ()


@record
class RegDomain:
    scope: str  # "global" or "phy#0"
    country: str | None
    dfs_region: str | None = None
    rules: list[RegRule] = field(default_factory=list)
    self_managed: bool = False


@guarded("iw reg get")
def parse_reg(text: str) -> list[RegDomain]:
    out: list[RegDomain] = []
    scope = "global"
    self_managed = False
    cur: RegDomain | None = None
    for raw in text.splitlines():
        s = raw.strip()
        if not s:
            continue
        if s == "global" or s.startswith("phy#"):
            scope = s.split()[0]
            self_managed = "self-managed" in s
            continue
        m = re.match(r"country (\S\S): ?(\S*)", s)
        if m:
            cur = RegDomain(scope, m.group(1), m.group(2) or None, self_managed=self_managed)
            out.append(cur)
            continue
        rm = re.match(r"\((\d+) - (\d+) @ (\d+)\), \(([^,]+), ([^)]+)\)(.*)", s)
        if rm and cur is not None:
            flags = tuple(f.strip() for f in rm.group(6).split(",") if f.strip()
                          and not f.strip().startswith("("))
            cur.rules.append(RegRule(int(rm.group(1)), int(rm.group(2)), int(rm.group(3)),
                                     to_int(rm.group(5)), flags))
    return out
