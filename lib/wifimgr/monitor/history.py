"""History: samples → ring files (writer, in the monitor) and ring files → series (reader, the
``history`` read method).

Two tiers per entity (``<state_dir>/monitor/history/<kind>/<id>.fine|.long``):

* ``fine``: every sample (``interval`` s) of the last hour — the sparklines;
* ``long``: the mean of each ``step`` s (default 300) over ``retention`` hours.

Entities: ``radio`` (utilisation, busy, noise, temperature, TX power, channel), ``mld`` (links up
and expected, clients), ``client`` (signal, rates, retries, inactive time, active links — and
the same per link ``l<N>_…``). Client history is kept for the ``clients`` most recently seen
clients; the files of the one seen longest ago make room for a new one.

Values are stored as half floats (3 significant digits: dBm, Mbit/s, %, seconds); the size of
a file is fixed at creation (:func:`wifimgr.platform.ring.file_size`).
"""

from __future__ import annotations

import math
import os

from ..platform import ring, state
from ..settings.monitor import FINE_WINDOW_S
from .sample import retries_pct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..platform import System
    from ..settings.monitor import MonitorConfig

KINDS = ("radio", "mld", "client")
RADIO_COLS = ("util_pct", "busy_pct", "noise_dbm", "temp_c", "txpower_dbm", "channel")
MLD_COLS = ("links_up", "links_expected", "clients")
CLIENT_COLS = ("signal_dbm", "tx_mbps", "rx_mbps", "retries_pct", "inactive_s", "links")
LINK_FIELDS = ("signal_dbm", "tx_mbps", "rx_mbps", "retries_pct", "inactive_s")
UNITS = {"util_pct": "%", "busy_pct": "%", "noise_dbm": "dBm", "temp_c": "°C",
         "txpower_dbm": "dBm", "channel": "", "links_up": "", "links_expected": "",
         "clients": "", "signal_dbm": "dBm", "tx_mbps": "Mbit/s", "rx_mbps": "Mbit/s",
         "retries_pct": "%", "inactive_s": "s", "links": "bitmask"}


def root(system: System) -> str:
    return os.path.join(system.state_dir, "monitor", "history")


def client_id(mac: str) -> str:
    return mac.lower().replace(":", "")


def client_mac(cid: str) -> str:
    return ":".join(cid[i:i + 2] for i in range(0, 12, 2))


def _safe(ident: str) -> bool:
    return bool(ident) and all(c.isalnum() or c == "_" for c in ident)


def link_columns(link_ids: list[int]) -> tuple[str, ...]:
    return tuple(f"l{lid}_{f}" for lid in link_ids for f in LINK_FIELDS)


def _secs(ms: Any) -> float | None:
    return None if ms is None else ms / 1000.0


def rows(sample: dict[str, Any], prev: dict[str, Any] | None
         ) -> list[tuple[str, str, tuple[str, ...], list[float | None]]]:
    """(kind, id, columns, values) of every entity in a sample (pure)."""
    out: list[tuple[str, str, tuple[str, ...], list[float | None]]] = []
    for name, r in sample["radios"].items():
        out.append(("radio", name, RADIO_COLS, [r.get(c) for c in RADIO_COLS]))
    for name, m in sample["mlds"].items():
        out.append(("mld", name, MLD_COLS, [m.get(c) for c in MLD_COLS]))
    old_clients = (prev or {}).get("clients", {})
    for mac, c in sample["clients"].items():
        old = old_clients.get(mac)
        mld = sample["mlds"].get(c.get("section") or "") or {}
        lids = sorted({int(x) for x in mld.get("links", {})} | {int(x) for x in c["links"]})
        mask = sum(1 << lid for lid in c.get("active_links", []))
        vals: list[float | None] = [c["signal_dbm"], c["tx_mbps"], c["rx_mbps"],
                                    retries_pct(c, old), _secs(c["inactive_ms"]),
                                    mask if c["links"] else None]
        for lid in lids:
            ln = c["links"].get(str(lid))
            if ln is None:
                vals += [None] * len(LINK_FIELDS)
                continue
            old_ln = ((old or {}).get("links") or {}).get(str(lid))
            vals += [ln["signal_dbm"], ln["tx_mbps"], ln["rx_mbps"], retries_pct(ln, old_ln),
                     _secs(ln["inactive_ms"])]
        out.append(("client", client_id(mac), CLIENT_COLS + link_columns(lids), vals))
    return out


class _Acc:
    """The running mean of the current ``long`` slot of one entity."""

    __slots__ = ("counts", "slot", "sums")

    def __init__(self, slot: int, n: int):
        self.slot, self.sums, self.counts = slot, [0.0] * n, [0] * n

    def add(self, values: list[float | None]) -> list[float | None]:
        for i, v in enumerate(values):
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                self.sums[i] += v
                self.counts[i] += 1
        return [s / n if n else None for s, n in zip(self.sums, self.counts, strict=True)]


class Writer:
    def __init__(self, system: System, cfg: MonitorConfig):
        self.dir = root(system)
        self.cfg = cfg
        self._rings: dict[tuple[str, str, str], ring.Ring] = {}
        self._acc: dict[tuple[str, str], _Acc] = {}
        cdir = os.path.join(self.dir, "client")
        self._clients = {n.split(".")[0] for n in state.listdir(cdir) if n.endswith(".fine")}

    def _ring(self, kind: str, ident: str, tier: str, cols: tuple[str, ...]) -> ring.Ring:
        key = (kind, ident, tier)
        r = self._rings.get(key)
        if r is None or r.columns != cols:
            if r is not None:
                r.close()
            step, slots = ((self.cfg.interval, self.cfg.fine_slots) if tier == "fine"
                           else (self.cfg.step, self.cfg.long_slots))
            r = ring.Ring(os.path.join(self.dir, kind, f"{ident}.{tier}"), step, slots, cols,
                          half=True)
            self._rings[key] = r
        return r

    def _admit(self, ident: str, present: set[str]) -> bool:
        """May this client have history? (evicts the one seen longest ago when full)"""
        if ident in self._clients:
            return True
        cap = self.cfg.clients
        if cap <= 0:
            return False
        if len(self._clients) >= cap:
            cdir = os.path.join(self.dir, "client")
            gone = []
            for other in self._clients - present:
                seen = state.mtime(os.path.join(cdir, f"{other}.fine"))
                gone.append((seen or 0.0, other))
            if not gone:
                return False
            self.forget("client", min(gone)[1])
        self._clients.add(ident)
        return True

    def forget(self, kind: str, ident: str) -> None:
        for tier in ("fine", "long"):
            r = self._rings.pop((kind, ident, tier), None)
            if r is not None:
                r.close()
            state.remove(os.path.join(self.dir, kind, f"{ident}.{tier}"))
        self._acc.pop((kind, ident), None)
        self._clients.discard(ident)

    def write(self, sample: dict[str, Any], prev: dict[str, Any] | None) -> None:
        t = sample["t"]
        entries = rows(sample, prev)
        present = {ident for kind, ident, _c, _v in entries if kind == "client"}
        seen_clients = set()
        for kind, ident, cols, vals in entries:
            if not _safe(ident):
                continue
            if kind == "client":
                if not self._admit(ident, present):
                    continue
                seen_clients.add(ident)
            self._ring(kind, ident, "fine", cols).write(t, vals)
            long = self._ring(kind, ident, "long", cols)
            slot = long.slot_time(t)
            acc = self._acc.get((kind, ident))
            if acc is None or acc.slot != slot or len(acc.sums) != len(cols):
                acc = self._acc[(kind, ident)] = _Acc(slot, len(cols))
            long.write(t, acc.add(vals))
        # clients that left: close their files (history stays until evicted or expired)
        for key in [k for k in self._rings if k[0] == "client" and k[1] not in seen_clients]:
            self._rings.pop(key).close()
            self._acc.pop((key[0], key[1]), None)

    def close(self) -> None:
        for r in self._rings.values():
            r.close()
        self._rings.clear()


# --------------------------------------------------------------------------- reading
def _merge(fine, long, since: float, fine_from: float):
    """Records from the long tier before the fine tier's first record, then the fine tier."""
    points: list[tuple[int, tuple[float | None, ...]]] = []
    cols: tuple[str, ...] = ()
    native = None
    if fine is not None:
        native, cols, frecs = fine
        frecs = [r for r in frecs if r[0] >= max(since, fine_from)]
    else:
        frecs = []
    first_fine = frecs[0][0] if frecs else math.inf
    if long is not None:
        lstep, lcols, lrecs = long
        if not cols:
            cols, native = lcols, lstep
        idx = [lcols.index(c) if c in lcols else None for c in cols]
        for t, vals in lrecs:
            if since <= t and t + lstep <= first_fine:
                points.append((t, tuple(vals[i] if i is not None else None for i in idx)))
    points += frecs
    return native, cols, points


def _resample(points, cols, step: int):
    buckets: dict[int, list[list[float]]] = {}
    for t, vals in points:
        b = buckets.setdefault(int(t // step) * step, [[] for _ in cols])
        for i, v in enumerate(vals):
            if v is not None:
                b[i].append(v)
    return [(t, tuple(sum(v) / len(v) if v else None for v in b))
            for t, b in sorted(buckets.items())]


def _round(v: float | None) -> float | int | None:
    if v is None or v != v or v in (math.inf, -math.inf):
        return None
    r = round(v, 1)
    return int(r) if r == int(r) else r


def series(system: System, cfg: MonitorConfig, kind: str, ident: str, since: float,
           now: float, step: int | None, columns: tuple[str, ...] | None = None
           ) -> dict[str, Any] | None:
    base = os.path.join(root(system), kind, ident)
    fine = ring.read(base + ".fine", since, now)
    long = ring.read(base + ".long", since, now)
    if fine is None and long is None:
        return None
    native, cols, points = _merge(fine, long, since, now - FINE_WINDOW_S)
    out_step = native or cfg.interval
    if step and native and step > native:
        points = _resample(points, cols, step)
        out_step = step
    keep = [i for i, c in enumerate(cols) if columns is None or c in columns]
    return {"kind": kind, "id": client_mac(ident) if kind == "client" else ident,
            "step": out_step, "t": [t for t, _v in points],
            "values": {cols[i]: [_round(v[i]) for _t, v in points] for i in keep},
            "units": {cols[i]: UNITS.get(cols[i].split("_", 1)[1] if cols[i][:1] == "l"
                                         and cols[i][1:2].isdigit() else cols[i], "")
                      for i in keep}}


def entities(system: System, kind: str) -> list[str]:
    names = state.listdir(os.path.join(root(system), kind))
    return sorted({n.rsplit(".", 1)[0] for n in names
                   if n.endswith((".fine", ".long")) and _safe(n.rsplit(".", 1)[0])})


def size_bytes(system: System) -> int:
    """What the history takes on the tmpfs now (apparent size of the ring files)."""
    total = 0
    for kind in KINDS:
        d = os.path.join(root(system), kind)
        total += sum(state.size(os.path.join(d, n)) or 0 for n in state.listdir(d))
    return total
