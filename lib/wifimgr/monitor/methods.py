"""Read methods ``history``, ``events`` and ``metrics`` (docs/monitor.md)."""

from __future__ import annotations

import os

from ..core.errors import InvalidArgument, NotFound
from ..observe import events
from ..platform import state
from ..settings import monitor as config
from . import history, metrics, shared

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context

MAX_EVENTS = 1000
#: ids in one ``history`` call
MAX_IDS = 64


def _since(now: float, since: int | None, default: float) -> float:
    if since is None:
        return now - default
    return now + since if since < 0 else float(since)


def monitor_state(ctx: Context) -> dict[str, Any]:
    """Is the monitor running (its heartbeat is fresh)?"""
    cfg = config.read(ctx.system)
    st = state.read_json(os.path.join(ctx.system.state_dir, "monitor", "state.json"))
    if not isinstance(st, dict):
        st = {}
    beat = st.get("heartbeat")
    running = (st.get("status") == "running" and isinstance(beat, int | float)
               and 0 <= ctx.system.clock() - beat <= 3 * cfg.interval + 5)
    return {"running": running, "enabled": cfg.enabled, "interval": cfg.interval,
            "retention_h": cfg.retention, "step": cfg.step, "clients": cfg.clients,
            "samples": st.get("samples"), "last_cpu_s": st.get("last_cpu_s"),
            "history_bytes": st.get("history_bytes"), "heartbeat": beat}


def history_method(ctx: Context, kind: str | None = None, id: str | None = None,
                   since: int | None = None, step: int | None = None) -> dict[str, Any]:
    """``history``: series of radios, MLDs and clients from the monitor's ring files.

    ``since``: Unix time, or negative seconds back from now (default: the last hour);
    ``step``: seconds per point (default: the native resolution — the interval for the last
    hour, ``wifimgr.monitor.step`` before); a client without ``id`` gets its client-level
    columns only, with ``id`` every link too."""
    system = ctx.system
    cfg = config.read(system)
    now = system.clock()
    start = _since(now, since, 3600)
    if start > now:
        raise InvalidArgument("'since' is in the future", field="since")
    if step is not None and not 1 <= step <= 86400:
        raise InvalidArgument("'step' must be 1..86400 seconds", field="step")
    kinds = (kind,) if kind else history.KINDS
    idents: list[str] | None = None
    if id is not None:
        if not kind:
            raise InvalidArgument("'id' needs 'kind'", field="id")
        # several ids, comma-separated: one call for every expanded client of a page
        idents = []
        for one in id.split(",") if "," in id else [id]:
            if kind == "client":
                from ..rules.validate import mac as valid_mac

                idents.append(history.client_id(valid_mac(one.strip(), field="id")))
            elif not one or not all(c.isalnum() or c == "_" for c in one):
                raise InvalidArgument(f"not a {kind} name: {one!r}", field="id")
            else:
                idents.append(one)
        if len(idents) > MAX_IDS:
            raise InvalidArgument(f"at most {MAX_IDS} ids", field="id")
    last = shared.read_last(system) or {}
    out = []
    for k in kinds:
        ids = idents if idents is not None else history.entities(system, k)
        cols = (history.CLIENT_COLS if k == "client" and idents is None else None)
        for e in ids:
            s = history.series(system, cfg, k, e, start, now, step, cols)
            if s is None:
                continue
            s["labels"] = _labels(k, s["id"], last, ctx)
            out.append(s)
    if idents is not None and len(idents) == 1 and not out:
        raise NotFound(f"no history for {kind} {id}", field="id")
    return {"now": now, "since": start, "interval": cfg.interval, "step_long": cfg.step,
            "retention_s": cfg.retention * 3600, "series": out,
            "monitor": monitor_state(ctx)}


def _labels(kind: str, ident: str, last: dict[str, Any], ctx: Context) -> dict[str, Any]:
    if kind == "radio":
        r = (last.get("radios") or {}).get(ident) or {}
        return {"band": r.get("band")}
    if kind == "mld":
        m = (last.get("mlds") or {}).get(ident) or {}
        return {"ssid": m.get("ssid")}
    c = (last.get("clients") or {}).get(ident) or {}
    return {"ssid": c.get("ssid"), "hostname": c.get("hostname"), "ifname": c.get("ifname"),
            "connected": bool(c)}


def events_method(ctx: Context, since: int | None = None, kind: str | None = None,
                  subject: str | None = None, limit: int | None = None) -> dict[str, Any]:
    """``events``: the timeline (oldest first), filtered by kind (one, a group, or several
    separated by commas), subject (a MAC, radio, network or job) and time."""
    system = ctx.system
    now = system.clock()
    start = None if since is None else _since(now, since, 0)
    n = 200 if limit is None else limit
    if not 1 <= n <= MAX_EVENTS:
        raise InvalidArgument(f"'limit' must be 1..{MAX_EVENTS}", field="limit")
    kinds: list[str] | None = None
    if kind:
        kinds = []
        for k in (x.strip() for x in kind.split(",") if x.strip()):
            if k in events.GROUPS:
                kinds += events.GROUPS[k]
            elif k in events.KINDS:
                kinds.append(k)
            else:
                raise InvalidArgument(f"unknown event kind {k!r} (kinds: "
                                      f"{', '.join(events.KINDS)}; groups: "
                                      f"{', '.join(events.GROUPS)})", field="kind")
    evs, total = events.read(system, since=start, kinds=kinds, subject=subject, limit=n)
    return {"now": now, "events": evs, "matched": total,
            "kinds": [{"kind": k, "label": v} for k, v in events.KINDS.items()],
            "groups": {g: list(ks) for g, ks in events.GROUPS.items()},
            "monitor": monitor_state(ctx)}


def metrics_text(ctx: Context) -> str:
    """The monitor's last sample when fresh, else one taken now (without history)."""
    system = ctx.system
    cfg = config.read(system)
    last = shared.read_last(system)
    if last is not None and 0 <= system.clock() - last["t"] <= 2 * cfg.interval + 5:
        return metrics.render(last)
    from .sample import take

    cur, _lv = take(system, last, chip=True)
    return metrics.render(cur)


def metrics_method(ctx: Context) -> dict[str, Any]:
    """``metrics``: ``{"format": "prometheus", "text": …}`` (text exposition format 0.0.4)."""
    return {"format": "prometheus", "content_type": metrics.CONTENT_TYPE,
            "text": metrics_text(ctx)}
