"""The one registry of ubus methods: name → argument schema → handler.

The rpcd plugin's ``list`` is generated from :data:`METHODS`, the CLI's ``call`` and commands use
:func:`dispatch`, the dev server dispatches through the rpcd plugin. A new method is added here
and nowhere else (the ACL file is checked against this table by a test).

This module must stay cheap to import: rpcd runs ``list`` at start-up with no timeout. Handlers
are named as ``"module:function"`` strings and imported only when called.

Reply conventions (DESIGN.md): reads return a JSON object; on bad input every method returns
``{"ok": false, "error": {"code", "field", "message"}}``. Writes return the write result shape
``{ok, apply, blocked, error, changes, ...}``; every write accepts ``dry_run``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

TYPES = ("string", "int", "bool", "number", "array", "object")

# rpcd derives the blobmsg type of an argument from the JSON type of its sample value:
# string → STRING, true/false → BOOL, 8/16/64 → INT8/16/64, other integers → INT32,
# float → DOUBLE, object → TABLE, array → ARRAY (rpcd exec.c / plugin.c).
_SAMPLES: dict[str, Any] = {
    "string": "",
    "int": 32,
    "bool": False,
    "number": 1.5,
    "array": [],
    "object": {},
}


class Arg:
    """One argument of a method (plain class: this module must import nothing heavy)."""

    __slots__ = ("choices", "doc", "name", "nullable", "required", "type")

    def __init__(self, name: str, type: str, required: bool = False, doc: str = "",
                 nullable: bool = False, choices: tuple[str, ...] = ()):
        self.name, self.type, self.required = name, type, required
        self.doc, self.nullable, self.choices = doc, nullable, choices


class Method:
    __slots__ = ("access", "args", "doc", "handler", "name", "write_result")

    def __init__(self, name: str, access: str, handler: str, args: tuple[Arg, ...] = (),
                 doc: str = "", write_result: bool = False):
        self.name = name
        self.access = access  # "read" | "write"
        self.handler = handler  # "module:function" under the wifimgr package
        self.args = args
        self.doc = doc
        #: writes get a ``dry_run`` argument and return the write result shape
        self.write_result = write_result

    def arg(self, name: str) -> Arg | None:
        return next((a for a in self.args if a.name == name), None)


DRY_RUN = Arg("dry_run", "bool", doc="only report what would be done; change nothing")


def _read(name: str, handler: str, *args: Arg, doc: str = "") -> Method:
    return Method(name, "read", handler, tuple(args), doc)


def _write(name: str, handler: str, *args: Arg, doc: str = "") -> Method:
    return Method(name, "write", handler, (*args, DRY_RUN), doc, write_result=True)


def _secret(name: str, handler: str, *args: Arg, doc: str = "") -> Method:
    """Reads that return passphrases: they need the ACL's write grant."""
    return Method(name, "write", handler, tuple(args), doc)


# ---------------------------------------------------------------------------------------
# the method table
# ---------------------------------------------------------------------------------------

_TABLE: tuple[Method, ...] = (
    # ---- reads
    _read("version", "overview.info:version",
          doc="package and API version, backend (router or twin)"),
    _read("status", "overview.status:status",
          doc="board, chip health (locked → unplug ≥15 min), config violations, pending "
              "reboot, MLO groups, counts"),
    _read("radios", "radios.inventory:radios",
          doc="per radio: configured vs live channel/width/TX power, noise, busy %, "
              "utilisation, temperature, DFS, MLO membership"),
    _read("networks", "radios.inventory:networks",
          doc="every wifi-iface (MLO first) with kind, live status, clients, MLD links, STA "
              "connection; never passphrases"),
    _read("clients", "clients.stations:clients",
          doc="stations on every AP interface: host name (DHCP leases, /etc/ethers, static "
              "leases), signal class, Wi-Fi generation, bitrates, EMLSR/MLMR type, per-link rows"),
    _read("diagnostics", "overview.diagnostics:diagnostics",
          doc="firmware, temperatures, per-radio utilisation/noise/TX, MLO internals, "
              "regulatory domain, txpower_info"),
    _read("scan", "radios.scan:scan",
          Arg("radio", "string", doc="radio section; all radios if absent"),
          doc="neighbouring networks (band-filtered per radio, merged by BSSID)"),
    _read("survey", "radios.scan:survey", doc="per radio in-use channel noise and busy % (deltas)"),
    _read("log", "overview.diagnostics:log", Arg("lines", "int", doc="1-5000, default 100"),
          Arg("filter", "string", choices=("wifi", "all"), doc="default wifi"),
          doc="last lines of the system log"),
    _read("constraints", "radios.inventory:constraints",
          doc="what the safety module allows now, per radio and for MLO (wizards use it)"),
    _read("advise", "radios.advisor:advise", Arg("radio", "string", required=True),
          Arg("width", "int", doc="MHz; default: the radio's current width"),
          doc="channel advisor: the three best channels with score, class and reasons"),
    _read("linkpolicy", "steering.methods:linkpolicy",
          doc="steering config with its schema, the station classification rule and the "
              "daemon's state and last decision"),
    # ---- reads that return passphrases (write grant)
    _secret("backup", "networks.backup:backup", doc="the wireless config text with passphrases"),
    _secret("secret", "networks.backup:secret", Arg("section", "string", required=True),
            doc="the passphrase of one network"),
    _read("check", "networks.edits:check",
          Arg("config", "string", doc="wireless UCI text; default: the file on disk"),
          doc="safety verdict for a whole wireless config (nothing written)"),
    _read("apply_status", "networks.edits:apply_status", Arg("job", "string", required=True),
          doc="progress of an apply job: phase, elapsed time, interfaces up/missing, and its "
              "health check (healthy, degraded, rolled back)"),
    _read("history", "monitor.methods:history_method",
          Arg("kind", "string", choices=("radio", "mld", "client")),
          Arg("id", "string", doc="radio or MLD section, or client MAC (with kind); several "
                                   "comma-separated (at most 64)"),
          Arg("since", "int", doc="Unix time, or negative seconds back (default -3600)"),
          Arg("step", "int", doc="seconds per point (default: native)"),
          doc="the monitor's history: series of radios (utilisation, busy, noise, "
              "temperature, TX power), MLDs (links up) and clients (signal, rates, retries, "
              "inactive time, per link)"),
    _read("events", "monitor.methods:events_method",
          Arg("since", "int", doc="Unix time, or negative seconds back"),
          Arg("kind", "string", doc="kinds or groups, comma-separated"),
          Arg("subject", "string", doc="a MAC, radio, network or job"),
          Arg("limit", "int", doc="1-1000, default 200"),
          doc="the event timeline: joins/leaves, link changes, MLD links, A-TTLM, Neg-TTLM, "
              "DFS, radar, channels, chip lock, applies, health checks and rollbacks"),
    _read("metrics", "monitor.methods:metrics_method",
          doc="Prometheus text exposition of radios, networks, MLD links and clients "
              "({format: prometheus, text})"),
    # ---- writes
    _write("mlo_ap", "networks.wizards:mlo_ap", Arg("radios", "array", required=True),
           Arg("ssid", "string", required=True), Arg("key", "string"),
           Arg("encryption", "string", doc="default sae"), Arg("network", "string"),
           Arg("isolate", "bool"), Arg("eml_disable", "bool"),
           doc="create the MLO AP over ≥2 radios (reboot)"),
    _write("ap", "networks.wizards:ap", Arg("radio", "string", required=True),
           Arg("ssid", "string", required=True), Arg("encryption", "string", required=True),
           Arg("key", "string"), Arg("channel", "string"), Arg("htmode", "string"),
           Arg("hidden", "bool"), Arg("isolate", "bool"), Arg("maxassoc", "int"),
           Arg("network", "string"), Arg("wds", "bool"),
           doc="add a legacy AP on one radio"),
    _write("station", "networks.wizards:station", Arg("ssid", "string", required=True),
           Arg("encryption", "string", required=True), Arg("key", "string"),
           Arg("radio", "string"), Arg("mlo", "bool"), Arg("bssid", "string"),
           Arg("network", "string"), Arg("mld_assoc_band", "string", choices=("2g", "5g", "6g")),
           doc="add a STA uplink (radio) or the MLO STA (mlo: true)"),
    _write("wds", "networks.wizards:wds", Arg("radio", "string", required=True),
           Arg("ssid", "string", required=True), Arg("encryption", "string", required=True),
           Arg("key", "string"), Arg("bssid", "string"),
           Arg("mode", "string", choices=("wds", "relayd")), Arg("network", "string"),
           doc="wireless bridge: 4-address WDS or relayd"),
    _write("repeater", "networks.wizards:repeater", Arg("uplink_radio", "string", required=True),
           Arg("uplink_ssid", "string", required=True),
           Arg("uplink_encryption", "string", required=True), Arg("uplink_key", "string"),
           Arg("uplink_bssid", "string"), Arg("ap_radio", "string", required=True),
           Arg("ap_ssid", "string", required=True), Arg("ap_encryption", "string",
                                                        required=True),
           Arg("ap_key", "string"),
           doc="STA uplink on one radio + local AP on another (L3 NAT), atomically"),
    _write("country", "networks.wizards:country", Arg("country", "string", required=True),
           doc="regulatory domain of every radio (reboot)"),
    _write("network_set", "networks.edits:network_set", Arg("section", "string", required=True),
           Arg("values", "object", required=True),
           doc="change options of one network (null deletes an option)"),
    _write("network_remove", "networks.edits:network_remove",
           Arg("section", "string", required=True),
           doc="remove a network and what only it needed"),
    _write("radio_set", "networks.edits:radio_set", Arg("radio", "string", required=True),
           Arg("channel", "string"), Arg("htmode", "string"), Arg("disabled", "bool"),
           doc="channel / width / enable of one radio"),
    _write("txpower_set", "radios.txpower:txpower_set",
           Arg("mode", "string", required=True, choices=("regdb", "efuse_max", "manual")),
           Arg("radio", "string", doc="one radio (default: all)"),
           Arg("dbm", "int", doc="manual cap in dBm (with radio)"),
           doc="TX power mode: regulatory, eFuse max (reboot) or a manual per-radio cap"),
    _write("puncture_set", "radios.puncture:puncture_set", Arg("radio", "string", required=True),
           Arg("mode", "string", choices=("off", "auto", "manual")),
           Arg("bitmap", "int", doc="bit i set = i-th 20 MHz subchannel punctured (manual)"),
           doc="preamble puncturing of one 5/6 GHz EHT radio"),
    _write("restore", "networks.edits:restore", Arg("config", "string", required=True),
           doc="replace the wireless config with a backup (validated and judged)"),
    _write("restore_good", "networks.edits:restore_good",
           doc="put back the last wireless config that came up healthy (judged like any "
               "write): the ready fix for an unsafe config written from outside wifimgr"),
    _write("key_rotate", "lifecycle.defaults:key_rotate",
           Arg("sections", "array", doc="networks to change; default: every network with a "
                                        "publicly known key"),
           doc="one new random key for the networks whose key is publicly known (12345678); "
               "the reply shows it once"),
    _write("reboot", "networks.edits:reboot", doc="apply pending changes by rebooting"),
    _write("client_disconnect", "clients.stations:client_disconnect",
           Arg("mac", "string", required=True), Arg("ifname", "string"),
           doc="deauthenticate a station"),
    _write("steering_set", "steering.methods:steering_set",
           Arg("values", "object", doc="option → value (null = default)"),
           Arg("mode", "string", choices=("auto", "all_on", "5g_only", "off")),
           Arg("population", "string", choices=("all", "majority", "none")),
           Arg("enabled", "bool"),
           doc="change steering options in /etc/config/wifimgr (picked up on the next cycle)"),
    _write("steering_daemon", "steering.methods:steering_daemon",
           Arg("action", "string", required=True, choices=("start", "stop", "restart")),
           doc="start, stop or restart the link steering daemon (procd service)"),
)

METHODS: dict[str, Method] = {m.name: m for m in _TABLE}
#: reads answered from the monitor's sample when it is fresh (monitor/replies.py); their replies
#: say ``source: sample|live`` and ``age``
SERVED = ("status", "networks", "clients", "radios", "diagnostics", "linkpolicy")


def signature_table() -> dict[str, dict[str, Any]]:
    """What ``rpcd/wifimgr list`` prints: ``{method: {arg: sample}}``."""
    return {m.name: {a.name: _SAMPLES[a.type] for a in m.args} for m in _TABLE}


def markdown() -> str:
    """docs/api.md, generated from the registry (a test keeps the committed file current)."""
    out = ["# The `wifimgr` ubus API", "",
           "Generated by `wifimgr api-doc` from `lib/wifimgr/surface/api.py` — do not edit by "
           "hand.", "",
           "Call from a shell: `ubus call wifimgr <method> '<json args>'`; from LuCI: "
           "`rpc.declare({object: 'wifimgr', method: …})`; on the twin: "
           "`wifimgr call <method> '<json>'`.", "",
           "Errors never change anything and come back inside the reply: "
           "`{\"ok\": false, \"error\": {\"code\", \"field\", \"message\"}}`. Writes "
           "return `{ok, apply: none|reload|reboot, blocked: [{rule, message, subject}], "
           "error, changes, job}` and accept `dry_run`.", "",
           "ACL: methods marked *read* are in the `luci-app-wifimgr` read grant; *write* "
           "methods — and `backup`/`secret`, which return passphrases — in its write grant.",
           "", "Served from the monitor's sample: " + ", ".join(f"`{n}`" for n in SERVED)
           + " answer from the monitor's last sample when it is fresh (at most one interval "
           "old, nothing changed since) — no command run — and read live otherwise; their "
           "replies say which: `source: \"sample\"|\"live\"` and `age` (seconds, 0 when "
           "live). docs/monitor.md \"Reads from the sample\".",
           "", "| method | access | arguments | what it does |", "|---|---|---|---|"]
    for m in _TABLE:
        args = ", ".join(f"`{a.name}`{'' if a.required else '?'}: {a.type}"
                         + (f" ({'/'.join(a.choices)})" if a.choices else "") for a in m.args)
        out.append(f"| `{m.name}` | {m.access} | {args or '—'} | {m.doc} |")
    from ..core.errors import ERROR_CODES

    out += ["", "## Error codes", "", "| `error.code` | meaning |", "|---|---|"]
    out += [f"| `{code}` | {text} |" for code, text in ERROR_CODES.items()]
    return "\n".join(out) + "\n"


def read_methods() -> list[str]:
    return sorted(m.name for m in _TABLE if m.access == "read")


def write_methods() -> list[str]:
    return sorted(m.name for m in _TABLE if m.access == "write")


# ---------------------------------------------------------------------------------------
# validation and dispatch
# ---------------------------------------------------------------------------------------

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _coerce(arg: Arg, value: Any) -> Any:
    """Check/convert one argument. Shell callers send strings and 0/1 for booleans."""
    from ..core.errors import InvalidArgument

    if value is None:
        if arg.nullable:
            return None
        raise InvalidArgument(f"'{arg.name}' must not be null", field=arg.name)
    t = arg.type
    if t == "string":
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidArgument(f"'{arg.name}' must be a string", field=arg.name)
        value = str(value)
        if arg.choices and value not in arg.choices:
            raise InvalidArgument(
                f"'{arg.name}' must be one of {', '.join(arg.choices)} (got {value!r})",
                field=arg.name,
            )
        return value
    if t == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise InvalidArgument(f"'{arg.name}' must be a boolean", field=arg.name)
    if t == "int":
        if isinstance(value, bool):
            raise InvalidArgument(f"'{arg.name}' must be an integer", field=arg.name)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value.strip())
        raise InvalidArgument(f"'{arg.name}' must be an integer", field=arg.name)
    if t == "number":
        if isinstance(value, bool):
            raise InvalidArgument(f"'{arg.name}' must be a number", field=arg.name)
        if isinstance(value, int | float):
            return value
        try:
            return float(str(value))
        except ValueError:
            raise InvalidArgument(f"'{arg.name}' must be a number", field=arg.name) from None
    if t == "array":
        if not isinstance(value, list):
            raise InvalidArgument(f"'{arg.name}' must be an array", field=arg.name)
        return value
    if t == "object":
        if not isinstance(value, dict):
            raise InvalidArgument(f"'{arg.name}' must be an object", field=arg.name)
        return value
    raise AssertionError(f"unknown arg type {t}")


def validate(method: Method, args: Mapping[str, Any]) -> dict[str, Any]:
    """Return handler kwargs for ``args`` or raise InvalidArgument naming the field."""
    from ..core.errors import InvalidArgument

    out: dict[str, Any] = {}
    known = {a.name for a in method.args}
    for key in args:
        if key not in known:
            raise InvalidArgument(
                f"unknown argument '{key}' for {method.name}"
                + (f" (expected: {', '.join(sorted(known))})" if known else " (takes none)"),
                field=key,
            )
    for a in method.args:
        if a.name in args:
            out[a.name] = _coerce(a, args[a.name])
        elif a.required:
            raise InvalidArgument(f"'{a.name}' is required", field=a.name)
    return out


def error_reply(method: Method | None, err: Any) -> dict[str, Any]:
    reply: dict[str, Any] = {"ok": False, "error": err.as_dict()}
    if method is not None and method.write_result:
        reply.update({"apply": "none", "blocked": [], "changes": []})
    return reply


def dispatch(
    name: str,
    args: Mapping[str, Any] | None = None,
    *,
    context: Any = None,
    session: str | None = None,
) -> dict[str, Any]:
    """Serve one call. Never raises for bad input: errors travel inside the reply."""
    from ..core.errors import UnknownMethod, WifimgrError

    method = METHODS.get(name)
    if method is None:
        return error_reply(None, UnknownMethod(f"unknown method '{name}'", field="method"))
    args = dict(args or {})
    # uhttpd/LuCI inject the caller's session id into the arguments of HTTP calls
    sid = args.pop("ubus_rpc_session", None)
    served = name in SERVED
    if served and not args:
        # the monitor's sample, when it is fresh (monitor/replies.py): no command, no import
        from ..monitor import replies

        if context is not None:
            state_dir, clock = context.system.state_dir, context.system.clock
        else:
            # the system this process already opened (tests install one), else where
            # get_system() would look — without importing the platform for it
            import sys

            cached = getattr(sys.modules.get("wifimgr.platform"), "_cached", None)
            state_dir, clock = ((cached.state_dir, cached.clock) if cached is not None
                                else replies.locate())
        hit = replies.serve(name, args, state_dir, clock)
        if hit is not None:
            return hit
    try:
        if context is None:
            from ..host.context import Context

            context = Context.default(name)
        kwargs = validate(method, args)
        context.method = name
        context.session = session or sid
        context.access = method.access
        import importlib

        module_name, func_name = method.handler.split(":")
        module = importlib.import_module(f"wifimgr.{module_name}")
        result = getattr(module, func_name)(context, **kwargs)
    except WifimgrError as exc:
        return _write_warnings(method, context, error_reply(method, exc))
    except Exception as exc:  # a bug: report it in the reply, log the trace
        import traceback

        _log_internal(name, traceback.format_exc())
        from ..core.errors import WifimgrError as _E

        return error_reply(method, _E(f"internal error in {name}: {type(exc).__name__}: {exc}"))
    if not isinstance(result, dict):
        raise TypeError(f"handler of {name} returned {type(result).__name__}, not dict")
    if served:
        result = {"source": "live", "age": 0, **result}
    elif method.write_result and not kwargs.get("dry_run"):
        from ..monitor import replies

        replies.invalidate(context.system.state_dir)   # served replies predate this write
    return _write_warnings(method, context, result)


def _write_warnings(method: Method, context: Any, reply: dict[str, Any]) -> dict[str, Any]:
    """Every write result says so while the chip is locked (a reboot does not clear it)."""
    if not method.write_result or context is None:
        return reply
    from ..transaction.writes import add_lock_warning

    return add_lock_warning(context, reply)


def _log_internal(method: str, trace: str) -> None:
    try:
        import syslog

        syslog.openlog("wifimgr", syslog.LOG_PID, syslog.LOG_DAEMON)
        for line in trace.rstrip().splitlines():
            syslog.syslog(syslog.LOG_ERR, f"{method}: {line}")
    except Exception:  # noqa: S110 - logging must never break a reply
        pass


def is_error(reply: Mapping[str, Any]) -> bool:
    return reply.get("ok") is False and bool(reply.get("error"))


def exit_code(reply: Mapping[str, Any]) -> int:
    """For shell users (rpcd ignores it): 0 done, 1 an error reply, 2 unknown method, 3 a write
    the safety rules blocked (nothing written)."""
    if is_error(reply):
        return 2 if reply["error"].get("code") == "unknown_method" else 1
    return 3 if reply.get("ok") is False else 0
