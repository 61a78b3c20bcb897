"""API handlers: ``linkpolicy`` (read), ``steering_set`` and ``steering_daemon`` (writes) —
docs/steering.md.

``steering_set`` changes ``/etc/config/wifimgr`` only. It does not go through the wireless
safety verdict (``writes.commit_change`` judges the *wireless* config, and an unrelated
pre-existing wireless violation must not block a steering threshold); it commits the one package
atomically under the same UCI writer lock and returns the common write result shape with
``apply: "none"`` — the daemon reads the section at the start of every cycle.
"""

from __future__ import annotations

import os

from ..core.errors import InvalidArgument, WifimgrError
from ..platform import state
from ..platform.ucitext import Package
from ..settings import steering as config
from .classify import TABLE as CLASSIFICATION
from .daemon import STATE_NAME, log_path, tail

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context

#: where the daemon leaves its last decision (relative to ``System.state_dir``)
STATE_FILE = STATE_NAME


def _load_package(ctx: Context) -> Package | None:
    store = ctx.system.uci
    return store.load(config.PACKAGE) if store.exists(config.PACKAGE) else None


def _live(ctx: Context) -> dict[str, Any] | None:
    """The daemon's last decision, when it wrote one."""
    path = os.path.join(ctx.system.state_dir, STATE_FILE)
    data = state.read_json(path)
    return data if isinstance(data, dict) else None


def linkpolicy(ctx: Context) -> dict[str, Any]:
    """The steering configuration with its schema, the classification rule and — when the
    daemon runs — its last decision. A broken config section is reported, not raised, so the
    page can show it and offer a fix."""
    error = None
    try:
        cfg = config.load(_load_package(ctx))
    except WifimgrError as exc:
        cfg, error = config.DEFAULTS, exc.as_dict()
    live = _live(ctx)
    daemon = daemon_state(ctx, live)
    from ..host import probe
    from ..model import capabilities as capmod

    return {
        # offered on this stack? (A-TTLM and negotiated TTLM in hostapd); the page says why not
        "feature": capmod.features(probe.capabilities(ctx.system))["link_policy"],
        "config": cfg.as_dict(),
        "options": config.describe(cfg),
        "config_error": error,
        "modes": list(config.MODES),
        "populations": list(config.POPULATIONS),
        "classification": [dict(row) for row in CLASSIFICATION],
        "daemon": daemon,
        "live": live if daemon["running"] else None,
        "blocks": _blocks(live) if daemon["running"] else [],
        **_air(ctx),
        "log": tail(log_path(ctx.system), LOG_LINES),
    }


LOG_LINES = 25


def _blocks(live: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The last A-TTLM blocks of the daemon's decision, newest first: per block its bands, when
    it started and ends, who voted for it (per band) and who paid (clients that read a
    switched-off band usable when it was sent)."""
    blocks = ((live or {}).get("decision") or {}).get("blocks") or []
    return [b for b in reversed(blocks) if isinstance(b, dict)]


def daemon_state(ctx: Context, live: dict[str, Any] | None) -> dict[str, Any]:
    """procd's view of the ``steerd`` instance (``ubus call service list``)."""
    try:
        reply = ctx.system.bus.call("service", "list", {"name": "wifimgr"})
    except Exception:  # no procd (dev machine without the twin): unknown
        reply = {}
    inst = ((reply or {}).get("wifimgr") or {}).get("instances", {}).get("steerd") or {}
    running = bool(inst.get("running"))
    return {"running": running, "pid": inst.get("pid") if running else None,
            "status": (live or {}).get("status") if running else "stopped",
            "heartbeat": (live or {}).get("heartbeat") if running else None,
            "interval": (live or {}).get("interval")}


def _air(ctx: Context) -> dict[str, Any]:
    """What is on air now, read directly (also while the daemon is stopped): the AP MLD, its
    links with noise and busy %, the A-TTLM read back from hostapd, the MLO clients."""
    from ..clients.stations import client_list
    from ..observe import attlm_block
    from ..observe.live import Live
    from ..parse import hostapd as hp

    lv = Live(ctx.system)
    mld_ap = lv.ap_mld()
    configured = [i.ssid or i.name for i in lv.config.mlo_aps()]
    if mld_ap is None:
        return {"mlo_ap": None, "mlo_ap_configured": configured, "links": [], "attlm": None,
                "clients": []}
    links = []
    for ln in mld_ap.links:
        if ln.channel is None:
            continue
        e = lv.survey_for(ln.channel.freq_mhz)
        busy, src = lv.busy_pct(e)
        links.append({"link_id": ln.link_id, "band": ln.channel.band,
                      "freq_mhz": ln.channel.freq_mhz, "channel": ln.channel.channel,
                      "noise_dbm": e.noise_dbm if e else None, "busy_pct": busy,
                      "busy_source": src})
    attlm = None
    text = lv.run("hostapd_cli", "-i", mld_ap.name, "get_attlm")
    if text is not None:
        try:
            st = hp.parse_attlm(text)
            all_links = sum(1 << ln["link_id"] for ln in links)
            attlm = {"active": st.active, "disabled_mask": st.disabled_mask(all_links),
                     "disabled_bands": [ln["band"] for ln in links
                                        if st.disabled_mask(all_links) >> ln["link_id"] & 1],
                     "remaining_ms": attlm_block.remaining_ms(ctx.system, mld_ap.name, st)}
        except WifimgrError:
            attlm = None
    clients = [c for c in client_list(lv) if c.get("mld")]
    return {"mlo_ap": mld_ap.name, "mlo_ap_configured": configured, "links": links,
            "attlm": attlm, "clients": clients}


def steering_daemon(ctx: Context, action: str, dry_run: bool = False) -> dict[str, Any]:
    """``steering_daemon {action}``: ``start`` sets ``steering.enabled=1`` (so it also starts at
    boot) and starts the procd service; ``stop`` sets it to 0 and stops it; ``restart`` restarts
    a daemon that is enabled."""
    from ..model.configset import ConfigSet
    from ..transaction.writes import diff, result

    if action not in ("start", "stop", "restart"):
        raise InvalidArgument("action must be start, stop or restart", field="action")
    system = ctx.system
    if action != "stop":
        from ..host import probe

        probe.require(system, "link_policy")   # stopping works on every stack
    with system.uci.lock():
        before = _load_package(ctx)
        cfg = config.load(before)
        if action == "restart" and not cfg.enabled:
            raise InvalidArgument("the steering daemon is not enabled: use start",
                                  field="action")
        after = before or Package(config.PACKAGE)
        if action != "restart":
            after = config.apply_changes(before, {"enabled": action == "start"})
        ops = diff(ConfigSet.of(before or Package(config.PACKAGE)), ConfigSet.of(after))
        if dry_run:
            return result(ok=True, apply="none", changes=ops, dry_run=True,
                          daemon=daemon_state(ctx, _live(ctx)))
        if ops:
            system.uci.commit(after, base=before or Package(config.PACKAGE))
    res = system.run.run(["/etc/init.d/wifimgr", action], timeout=15)
    if res.rc != 0:
        if ops and before is not None:     # the service did not follow: undo the switch
            with system.uci.lock():
                system.uci.commit(before, base=after)
        return result(ok=False, apply="none", changes=[],
                      error=WifimgrError(f"/etc/init.d/wifimgr {action} failed: "
                                         f"{(res.stderr or res.stdout).strip()[:200]}",
                                         code="service"))
    return result(ok=True, apply="none", changes=ops, daemon=daemon_state(ctx, _live(ctx)))


def steering_set(ctx: Context, values: dict[str, Any] | None = None, dry_run: bool = False,
                 **options: Any) -> dict[str, Any]:
    """Change steering options: ``values`` (object of option → value, null = default) and/or
    options passed directly (``mode``, ``population``, …). Nothing is written on any error."""
    from ..model.configset import ConfigSet
    from ..transaction.writes import diff, result

    changes: dict[str, Any] = dict(values or {})
    for k, v in options.items():
        if v is not None:
            if k in changes and changes[k] != v:
                raise InvalidArgument(f"'{k}' given twice with different values", field=k)
            changes[k] = v
    system = ctx.system
    with system.uci.lock():
        before = _load_package(ctx)
        after = config.apply_changes(before, changes)
        ops = diff(ConfigSet.of(before or Package(config.PACKAGE)), ConfigSet.of(after))
        cfg = config.load(after)
        if cfg.enabled and not config.load(before).enabled:
            from ..host import probe

            probe.require(system, "link_policy")   # switching it on needs A-TTLM/Neg-TTLM
        extra = {"config": cfg.as_dict(), "note": "picked up by the steering daemon on its "
                                                  "next cycle; no restart needed"}
        if dry_run or not ops:
            return result(ok=True, apply="none", changes=ops, dry_run=dry_run, **extra)
        system.uci.commit(after, base=before or Package(config.PACKAGE))
    return result(ok=True, apply="none", changes=ops, **extra)
