"""Write methods for existing things: ``network_set``, ``network_remove``, ``radio_set``,
``restore``, ``reboot``; and the read ``check`` / ``apply_status``. All through
:func:`wifimgr.transaction.writes.commit_change`."""

from __future__ import annotations

import os
import re

from ..core.errors import InvalidArgument, WifimgrError
from ..model.wireless import WirelessConfig, enc_base
from ..platform.fs import atomic_write
from ..platform.ucitext import Package, parse, valid_name
from ..rules import safety, validate
from ..transaction import applied
from ..transaction import apply as apply_mod
from ..transaction.writes import advisory_dicts, ask_advisor, commit_change, result
from . import netcfg
from .wizards import PURE_WPA3, apply_radio_settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context
    from ..model.configset import ConfigSet
    from ..platform.ucitext import Section

_CTRL = re.compile(r"[\x00-\x1f\x7f]")
BOOL_OPTIONS = {"hidden", "isolate", "wds", "disabled", "mlo", "eml_disable", "mbo",
                "repeater", "wmm", "bss_transition", "ieee80211k", "rnr"}


def _bool(value: Any, field: str) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int) and value in (0, 1):
        return str(value)
    if isinstance(value, str) and value in ("0", "1"):
        return value
    raise InvalidArgument(f"'{field}' must be true/false or 0/1", field=field)


def _plain(value: Any, field: str) -> str | list[str]:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if _CTRL.search(value):
            raise InvalidArgument(f"'{field}' must not contain control characters", field=field)
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        for v in value:
            if _CTRL.search(v):
                raise InvalidArgument(f"'{field}' must not contain control characters",
                                      field=field)
        return list(value)
    raise InvalidArgument(f"'{field}' must be a string, number, boolean or list of strings",
                          field=field)


def _set_option(cs: ConfigSet, sec: Section, opt: str, value: Any) -> None:
    field = f"values.{opt}"
    if not valid_name(opt):
        raise InvalidArgument(f"{opt!r} is not a valid option name", field=field)
    if value is None:
        if opt in ("mode", "device"):
            raise InvalidArgument(f"'{opt}' cannot be deleted", field=field)
        sec.set(opt, None)
        return
    if opt == "ssid":
        sec.set(opt, validate.ssid(value, field=field))
    elif opt == "encryption":
        sec.set(opt, validate.encryption(value, field=field))
    elif opt == "key":
        if not isinstance(value, str):
            raise InvalidArgument("'key' must be a string", field=field)
        sec.set(opt, value)  # checked against the final encryption below
    elif opt in BOOL_OPTIONS:
        sec.set(opt, _bool(value, field))
    elif opt == "maxassoc":
        n = validate.integer(value, lo=1, hi=512, field=field, unit="clients")
        sec.set(opt, str(n))
    elif opt == "mode":
        if value not in ("ap", "sta"):
            raise InvalidArgument("mode must be 'ap' or 'sta'", field=field)
        sec.set(opt, value)
    elif opt == "device":
        devs = value if isinstance(value, list) else [value]
        for d in devs:
            validate.radio_of(cs, d, field)
        sec.set(opt, list(devs) if isinstance(value, list) else value)
    elif opt == "network":
        nets = value if isinstance(value, list) else str(value).split()
        for n in nets:
            netcfg.require_interface(cs, validate.name(n, field=field), field=field)
        sec.set(opt, value if isinstance(value, list) else str(value))
    elif opt == "macaddr" and value == "random":
        sec.set(opt, value)     # netifd draws one per start (refused on MLO: mld-random-mac)
    elif opt in ("bssid", "macaddr", "mld_addr"):
        sec.set(opt, validate.mac(value, field=field))
    elif opt in ("ieee80211w", "sae_pwe"):
        if str(value) not in ("0", "1", "2"):
            raise InvalidArgument(f"{opt} must be 0, 1 or 2", field=field)
        sec.set(opt, str(value))
    else:
        sec.set(opt, _plain(value, field))


def network_set(ctx: Context, section: str, values: dict, dry_run: bool = False
                ) -> dict[str, Any]:
    """``network_set {section, values}``: change options of one network (null deletes)."""
    validate.name(section, field="section")
    if not values:
        raise InvalidArgument("values is empty: nothing to change", field="values")

    def mutate(cs: ConfigSet) -> None:
        sec = cs["wireless"].get(section)
        if sec is None or sec.type != "wifi-iface":
            raise InvalidArgument(f"no network {section!r}", field="section")
        for opt, value in values.items():
            _set_option(cs, sec, opt, value)
        enc = sec.get_str("encryption", "none") or "none"
        key = sec.get_str("key")
        if validate.needs_key(enc):
            if not key:
                raise InvalidArgument(f"encryption '{enc}' needs a password", field="values.key")
            validate.key(key, enc, field="values.key")
        elif key and "key" in values:
            validate.key(key, enc, field="values.key")
        if "encryption" in values and "ieee80211w" not in values:
            base = enc_base(enc)
            sec.set("ieee80211w", "2" if base in PURE_WPA3 else "1" if base in (
                "sae-mixed", "sae-ext-mixed") else None)
            w = WirelessConfig.from_set(cs)
            if "6g" in w.bands_of(w.iface(section)) and base.startswith("sae"):
                sec.set("sae_pwe", "2")

    return commit_change(ctx, mutate, dry_run=dry_run, summary=f"change network {section}")


def network_remove(ctx: Context, section: str, dry_run: bool = False) -> dict[str, Any]:
    """``network_remove {section}``: delete a network and what only it needed (relayd bridge,
    the wwan firewall membership of a repeater, the pairing marker of its AP)."""
    validate.name(section, field="section")

    def mutate(cs: ConfigSet) -> None:
        w = WirelessConfig.from_set(cs)
        iface = w.iface(section)
        if iface is None:
            raise InvalidArgument(f"no network {section!r}", field="section")
        kind = w.uplink_kind(iface)
        nets = set(iface.networks)
        cs["wireless"].remove(section)
        w = WirelessConfig.from_set(cs)
        others = {n for i in w.ifaces for n in i.networks}
        if kind == "relay" and netcfg.RELAY_UPLINK in nets and netcfg.RELAY_UPLINK not in others:
            netcfg.relay_remove(cs)
        if kind == "repeater":
            for i in w.ifaces:
                if i.is_ap and i.repeater:
                    i.section.set("repeater", None)
        if kind in ("sta", "repeater"):
            for n in nets - others - {"lan"}:
                netcfg.zone_remove(cs, "wan", n)

    return commit_change(ctx, mutate, dry_run=dry_run, summary=f"remove network {section}")


def radio_set(ctx: Context, radio: str, channel: str | None = None,
              htmode: str | None = None, disabled: bool | None = None,
              dry_run: bool = False) -> dict[str, Any]:
    """``radio_set {radio, channel?, htmode?, disabled?}``: channel validated against the live
    regulatory domain (``iw phy``), htmode against the band."""
    if channel is None and htmode is None and disabled is None:
        raise InvalidArgument("nothing to change: give channel, htmode or disabled",
                              field="radio")

    def mutate(cs: ConfigSet) -> dict[str, Any]:
        r = validate.radio_of(cs, radio)
        apply_radio_settings(ctx, r, channel, htmode)
        if disabled is not None:
            r.section.set("disabled", "1" if disabled else "0")
        extra: dict[str, Any] = {}
        try:
            from ..radios.dfs import cac_wait

            wait = cac_wait(ctx, r)
            if wait:
                extra["cac_s"] = wait
        except ImportError:
            pass
        return extra

    return commit_change(ctx, mutate, dry_run=dry_run, summary=f"change {radio}")


def restore(ctx: Context, config: str, dry_run: bool = False) -> dict[str, Any]:
    """``restore {config}``: replace the wireless config with a backup (validated, judged,
    the previous file kept in ``<persist_dir>/wireless.before-restore``)."""
    if not config.strip():
        raise InvalidArgument("the backup is empty", field="config")
    try:
        new = parse(config, "wireless", source="config")
    except Exception as exc:  # UciError with the line
        raise InvalidArgument(f"the backup does not parse: {exc}", field="config") from None
    w = WirelessConfig(new)
    if w.dialect == "mtk-24.10":
        raise InvalidArgument("; ".join(w.dialect_notes()), field="config")
    if not w.radios:
        raise InvalidArgument("the backup has no wifi-device sections", field="config")
    from ..radios.puncture import check_radio

    for r in w.radios.values():
        try:
            check_radio(r)          # hostapd would refuse to start the radio
        except InvalidArgument as exc:
            raise InvalidArgument(exc.message, field="config") from None
    for i in w.ifaces:
        for opt in ("ssid", "key"):
            v = i.section.get_str(opt)
            if v and _CTRL.search(v):
                raise InvalidArgument(f"{i.name}.{opt} contains control characters",
                                      field="config")

    def mutate(cs: ConfigSet) -> None:
        cs.packages["wireless"] = new.copy()

    if not dry_run:
        old = ctx.system.uci.text("wireless")
        if old is not None:
            atomic_write(os.path.join(ctx.system.persist_dir, "wireless.before-restore"),
                         old.encode("utf-8", "surrogateescape"))
    return commit_change(ctx, mutate, dry_run=dry_run, summary="restore wireless backup")


def restore_good(ctx: Context, dry_run: bool = False) -> dict[str, Any]:
    """``restore_good``: the last wireless config that came up healthy, back on disk and live
    (through the one write path: judged like any write)."""
    from ..core.errors import NotFound
    from ..transaction.health import good_config

    good = good_config(ctx.system)
    if good is None:
        raise NotFound("no configuration is known to have come up healthy", field="config")
    new = parse(good, "wireless", source="last healthy configuration")

    def mutate(cs: ConfigSet) -> None:
        cs.packages["wireless"] = new.copy()

    return commit_change(ctx, mutate, dry_run=dry_run,
                         summary="restore the last configuration that came up healthy")


def check(ctx: Context, config: str | None = None) -> dict[str, Any]:
    """``check {config?}``: the verdict for a whole wireless file (default: the one on disk);
    nothing is written."""
    text = config if config is not None else (ctx.system.uci.text("wireless") or "")
    return judge_text(ctx, text)


def reboot(ctx: Context, dry_run: bool = False) -> dict[str, Any]:
    """``reboot``: apply pending changes (or simply restart) by rebooting."""
    pending = apply_mod.pending_reboot(ctx.system)
    if dry_run:
        return result(ok=True, apply="reboot", dry_run=True,
                      reasons=pending["reasons"] if pending else ["reboot requested"])
    job = apply_mod.start(ctx, "reboot", pending["reasons"] if pending else
                          ["reboot requested"], [])
    return result(ok=True, apply="reboot", job=job["id"] if job else None)


def apply_status(ctx: Context, job: str) -> dict[str, Any]:
    """The job's progress, and its health check (advanced here too, so that it runs when the
    monitor is stopped)."""
    from ..transaction.health_check import job_status

    out = apply_mod.apply_status(ctx, job)
    out["health"] = job_status(ctx.system, out["job"])
    return out


def judge_text(ctx: Context, text: str) -> dict[str, Any]:
    """Verdict for a whole proposed wireless file against what runs now (no write)."""
    try:
        proposed = parse(text, "wireless", source="config")
    except WifimgrError as exc:
        raise InvalidArgument(f"the config does not parse: {exc.message}",
                              field="config") from None
    system = ctx.system
    disk = system.uci.load("wireless") if system.uci.exists("wireless") else Package("wireless")
    network = system.uci.load("network") if system.uci.exists("network") else None
    live = WirelessConfig(applied.package(system, disk), network)
    w = WirelessConfig(proposed, network)
    from ..host import probe

    verdict = safety.judge(live, w, probe.capabilities(system))
    out = verdict.as_dict()
    out["advisories"] = advisory_dicts(verdict, w, fix=lambda r: _acs_fix(ctx, r))
    for b, v in zip(out["blocked"], verdict.violations, strict=True):
        fix = safety.fix_for(w, v, verdict.caps)
        if fix is not None:
            b["fix"] = fix
    out["dialect"] = w.dialect
    out["notes"] = w.dialect_notes()
    from ..lifecycle.defaults import published_key_findings

    out["security"] = published_key_findings(w)
    return out


def _acs_fix(ctx: Context, radio: str) -> dict[str, Any]:
    from ..radios.advisor import advise

    try:
        best = advise(ctx, radio)["top"][0]["channel"]
    except (WifimgrError, IndexError, KeyError):
        return ask_advisor(radio)
    return {"method": "radio_set", "args": {"radio": radio, "channel": str(best)},
            "label": f"Set {radio} to channel {best} (the channel advisor's best)"}
