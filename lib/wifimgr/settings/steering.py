"""The steering configuration: section ``config steering 'steering'`` of ``/etc/config/wifimgr``.

Every threshold and timer of mlo-steerd v0.6 (spec/platform.md §f.2) is an option with the v0.6
value as default, plus the mode, the interval, the A-TTLM population rule and the Neg-TTLM
knobs. The daemon loads the section at the start of every cycle, so a change (``steering_set``,
``uci set`` + ``uci commit``) is picked up on the next cycle without a restart.

* :func:`load` — package → :class:`SteeringConfig`, validated (errors name the option).
* :func:`apply_changes` — package + ``{option: value | None}`` → new package (``None`` removes
  the option, i.e. back to the default); the input package is never modified.
* :func:`describe` — the schema with current values, for ``linkpolicy`` and the UI.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.errors import InvalidArgument
from ..core.record import fields, record
from ..platform.ucitext import Package

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..platform.ucitext import Section

PACKAGE = "wifimgr"
SECTION = "steering"
SECTION_TYPE = "steering"

MODES = ("auto", "all_on", "5g_only", "off")
POPULATIONS = ("all", "majority", "none")
#: the A-TTLM vote of clients steered per station by Neg-TTLM (docs/steering.md, "Who votes")
MULTI_RADIO_VOTES = ("last_link", "member")

_TRUE = ("1", "true", "yes", "on", "enabled")
_FALSE = ("0", "false", "no", "off", "disabled")


@record(frozen=True)
class Option:
    name: str
    kind: str  # bool | int | choice
    default: Any
    doc: str
    unit: str = ""
    min: int | None = None
    max: int | None = None
    choices: tuple[str, ...] = ()
    #: the mlo-steerd v0.6 constant this option replaces
    v06: str = ""

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "type": self.kind, "default": self.default,
                             "doc": self.doc}
        if self.unit:
            d["unit"] = self.unit
        if self.min is not None:
            d["min"], d["max"] = self.min, self.max
        if self.choices:
            d["choices"] = list(self.choices)
        if self.v06:
            d["v06"] = self.v06
        return d


def _i(name: str, default: int, lo: int, hi: int, unit: str, doc: str, v06: str = "") -> Option:
    return Option(name, "int", default, doc, unit, lo, hi, (), v06)


SCHEMA: tuple[Option, ...] = (
    Option("enabled", "bool", False, "start the steering daemon at boot (procd)",
           v06="mlo-steerd.global.autostart"),
    Option("mode", "choice", "auto",
           "auto: score-based steering; all_on: never switch a link off; 5g_only: every link "
           "but 5 GHz switched off (2.4 GHz too); off: no steering, our Neg-TTLMs torn down",
           choices=MODES, v06="mlo-steerd.global.mode"),
    Option("population", "choice", "all",
           "whose readings may switch a link off for EVERY client (A-TTLM): all = every "
           "A-TTLM-steered client on that link is confirmed bad, majority = more than half, "
           "none = never use A-TTLM", choices=POPULATIONS),
    Option("multi_radio_vote", "choice", "last_link",
           "the A-TTLM vote of multi-radio clients (steered per station by Neg-TTLM) that read a "
           "band well: last_link = they keep the band on for everyone only when it is their last "
           "usable link (otherwise they keep another link and pay with throughput); member = "
           "they vote like any client (with population all, one of them keeps the band on)",
           choices=MULTI_RADIO_VOTES),
    Option("fallback_2g", "bool", False,
           "count 2.4 GHz as a fallback for a multi-radio client's 5 or 6 GHz link: off = a "
           "client whose last usable 5/6 GHz link it is keeps that band on (2.4 GHz carries a "
           "small fraction of a 6 GHz backhaul's traffic); on = keeping 2.4 GHz is enough"),
    _i("interval", 10, 2, 300, "s", "seconds between two policy cycles", "INTERVAL"),
    _i("snr_low_6g", 2, -20, 60, "dB", "6 GHz hard gate: SNR below → bad at once",
       "SNR_HARD_LOW_6"),
    _i("snr_high_6g", 20, -20, 60, "dB",
       "6 GHz hard gate: SNR above with retries below retries_confirm → good", "SNR_HARD_HIGH_6"),
    _i("snr_low_5g", 0, -20, 60, "dB", "5 GHz hard gate: SNR below → bad at once",
       "SNR_HARD_LOW_5"),
    _i("snr_high_5g", 15, -20, 60, "dB",
       "5 GHz hard gate: SNR above with retries below retries_confirm → good", "SNR_HARD_HIGH_5"),
    _i("score_disable", 4000, 0, 10000, "", "score below → bad (hysteresis lower edge)",
       "SCORE_DISABLE"),
    _i("score_enable", 6000, 0, 10000, "", "score above → good (hysteresis upper edge)",
       "SCORE_ENABLE"),
    _i("retries_confirm", 15, 0, 100, "%", "retry % per interval must stay below it for the "
       "hard enable gate", "RETRIES_CONFIRM"),
    _i("retries_bad", 50, 1, 100, "%",
       "retry % at or above it makes a reading bad whatever the SNR (interference: a hidden "
       "node, a neighbour on the same channel)"),
    _i("retries_min_pkts", 20, 1, 1000000, "packets",
       "fewer packets in an interval → its retry % is no evidence", "RETRIES_MIN_PKTS"),
    _i("rssi_floor", -92, -110, -40, "dBm",
       "a per-link RSSI at or below it is not a reading (idle links read 0 or about -105 dBm). "
       "A client really at or below the floor has no valid reading: it casts no vote and is "
       "never steered off that link (a 6 GHz client at -93 dBm stays on it). Lower the floor "
       "to steer such clients, but not below about -100 dBm, where idle-link sentinels start",
       "RSSI_FLOOR"),
    _i("link_inactive_max", 30000, 100, 3600000, "ms",
       "a link idle for longer has no fresh reading", "LINK_INACTIVE_MAX_MS"),
    _i("bad_confirm", 3, 1, 100, "readings",
       "consecutive valid bad readings before a link is switched off", "BAD_CONFIRM"),
    _i("confirm_window", 0, 0, 86400, "s",
       "the bad_confirm readings must fall inside this time (a sampling stall starts the count "
       "again); 0 = twice bad_confirm intervals"),
    _i("cooldown", 30, 0, 3600, "s", "minimum time between two changes of what A-TTLM "
       "switches off (the end of a block counts as one), and between two map changes of one "
       "station; also the wait before a failed command is retried", "COOLDOWN_S"),
    _i("vote_grace", 30, 0, 600, "s",
       "how long a client keeps its A-TTLM vote on a band after its last valid reading there "
       "(missing from the station dump while it re-associates, or quiet); a client hostapd "
       "reports gone loses it at once"),
    _i("veto_wait", 30, 0, 600, "s",
       "after a client that kept a band on leaves, the band waits this long, and for "
       "bad_confirm fresh readings, before it can go off (it may be back under a new random "
       "MAC); 0 = no wait"),
    _i("attlm_duration", 300000, 1, 16000000, "ms",
       "length of one A-TTLM block; its expiry re-enables the links and is the probe",
       "ATTLM_DURATION"),
    _i("attlm_switch_time", 200, 1, 30000, "ms", "A-TTLM switch time (beacons before it applies)",
       "set_attlm switch_time"),
    _i("max_fails", 3, 1, 100, "commands",
       "consecutive failed set_attlm (or Neg-TTLM requests to one station) before that "
       "mechanism pauses for one block (A-TTLM) or neg_ttlm_hold (Neg-TTLM); each further "
       "failure doubles the pause, up to backoff_max"),
    _i("backoff_max", 3600, 60, 86400, "s",
       "the longest pause after repeated hostapd failures (the pause doubles per failure)"),
    Option("neg_ttlm", "bool", True,
           "steer multi-radio clients per station with Neg-TTLM (else they join the A-TTLM "
           "population)"),
    _i("neg_ttlm_attempts", 2, 1, 20, "requests",
       "unanswered Neg-TTLM requests before a station is not asked for a pause "
       "(neg_ttlm_hold, doubled each time, up to backoff_max); then it is asked again"),
    _i("neg_ttlm_hold", 300, 10, 86400, "s",
       "how long a station's Neg-TTLM map keeps a bad link off before probing it again"),
    _i("neg_ttlm_link_map_size", 0, 0, 1, "",
       "link_map_size of requests: 0 = 2-octet maps (works on a stock MTK SDK; 1 needs the "
       "fixed hostapd)"),
    Option("rtwt", "bool", True, "keep the voice and video restricted-TWT groups",
           v06="RTWT_ENABLED"),
    _i("rtwt_check_interval", 6, 1, 10000, "cycles", "how often the R-TWT groups are checked",
       "RTWT_CHECK_INTERVAL"),
    _i("rtwt_max_fails", 3, 1, 100, "checks",
       "consecutive failed creations before R-TWT is given up until restart", "RTWT_MAX_FAILS"),
    _i("rtwt_voice_id", 1, 0, 31, "", "R-TWT group id for voice (TIDs 6, 7; ~524 ms)",
       "RTWT_VOICE_ID"),
    _i("rtwt_video_id", 2, 0, 31, "", "R-TWT group id for video (TIDs 4, 5; ~262 ms)",
       "RTWT_VIDEO_ID"),
)

OPTIONS: dict[str, Option] = {o.name: o for o in SCHEMA}


@record(frozen=True)
class SteeringConfig:
    enabled: bool = False
    mode: str = "auto"
    population: str = "all"
    multi_radio_vote: str = "last_link"
    fallback_2g: bool = False
    interval: int = 10
    snr_low_6g: int = 2
    snr_high_6g: int = 20
    snr_low_5g: int = 0
    snr_high_5g: int = 15
    score_disable: int = 4000
    score_enable: int = 6000
    retries_confirm: int = 15
    retries_bad: int = 50
    retries_min_pkts: int = 20
    rssi_floor: int = -92
    link_inactive_max: int = 30000
    bad_confirm: int = 3
    confirm_window: int = 0
    cooldown: int = 30
    vote_grace: int = 30
    veto_wait: int = 30
    attlm_duration: int = 300000
    attlm_switch_time: int = 200
    max_fails: int = 3
    backoff_max: int = 3600
    neg_ttlm: bool = True
    neg_ttlm_attempts: int = 2
    neg_ttlm_hold: int = 300
    neg_ttlm_link_map_size: int = 0
    rtwt: bool = True
    rtwt_check_interval: int = 6
    rtwt_max_fails: int = 3
    rtwt_voice_id: int = 1
    rtwt_video_id: int = 2

    def gates(self, band: str) -> tuple[int, int]:
        """(low, high) SNR gates of a band; 2.4 GHz is never steered."""
        if band == "6g":
            return self.snr_low_6g, self.snr_high_6g
        if band == "5g":
            return self.snr_low_5g, self.snr_high_5g
        raise ValueError(f"no SNR gates for {band}")

    def window(self) -> int:
        """The time the ``bad_confirm`` readings must fall inside (``confirm_window``; 0 =
        twice ``bad_confirm`` intervals)."""
        return self.confirm_window or 2 * self.bad_confirm * self.interval

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def replace(self, **changes: Any) -> SteeringConfig:
        """A validated copy with some values changed (tests, replay overrides)."""
        values = self.as_dict()
        for k, v in changes.items():
            if k not in OPTIONS:
                raise InvalidArgument(_unknown(k), field=k)
            values[k] = coerce(OPTIONS[k], v)
        return _checked(values, changed=set(changes))


DEFAULTS = SteeringConfig()


def _unknown(name: str) -> str:
    return f"unknown steering option {name!r} (known: {', '.join(OPTIONS)})"


def coerce(opt: Option, value: Any, what: str = "steering option") -> Any:
    """One value (UCI text, or JSON from ``steering_set``) → its typed form, or
    :class:`InvalidArgument` naming the option (``what`` names the section's kind: the monitor
    section of the same file uses this too)."""
    if isinstance(value, list):
        raise InvalidArgument(f"{what} '{opt.name}' must be a single value, not a list",
                              field=opt.name)
    if opt.kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise InvalidArgument(f"{what} '{opt.name}' must be 0 or 1 (got {value!r})",
                              field=opt.name)
    if opt.kind == "choice":
        if not isinstance(value, str) or value not in opt.choices:
            raise InvalidArgument(f"{what} '{opt.name}' must be one of "
                                  f"{', '.join(opt.choices)} (got {value!r})", field=opt.name)
        return value
    # int
    v: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        v = value
    elif isinstance(value, float) and value.is_integer():
        v = int(value)
    elif isinstance(value, str):
        s = value.strip()
        if s.lstrip("-").isdigit() and s.count("-") <= 1:
            v = int(s)
    unit = f" {opt.unit}" if opt.unit else ""
    if v is None:
        raise InvalidArgument(f"{what} '{opt.name}' must be an integer "
                              f"({opt.min}..{opt.max}{unit}; got {value!r})", field=opt.name)
    assert opt.min is not None and opt.max is not None
    if not opt.min <= v <= opt.max:
        raise InvalidArgument(f"{what} '{opt.name}' must be between {opt.min} and "
                              f"{opt.max}{unit} (got {v})", field=opt.name)
    return v


def _checked(values: dict[str, Any], changed: set[str] | None = None) -> SteeringConfig:
    """Cross-option rules. The error names the option of the pair that was changed (if any)."""
    def pick(a: str, b: str) -> str:
        if changed and b in changed and a not in changed:
            return b
        return a

    for band in ("6g", "5g"):
        lo, hi = f"snr_low_{band}", f"snr_high_{band}"
        if values[lo] >= values[hi]:
            name = pick(hi, lo)
            raise InvalidArgument(f"steering option '{name}': {lo} ({values[lo]} dB) must be "
                                  f"below {hi} ({values[hi]} dB)", field=name)
    if values["score_disable"] >= values["score_enable"]:
        name = pick("score_enable", "score_disable")
        raise InvalidArgument(f"steering option '{name}': score_disable "
                              f"({values['score_disable']}) must be below score_enable "
                              f"({values['score_enable']}) — that gap is the hysteresis",
                              field=name)
    if values["retries_confirm"] >= values["retries_bad"]:
        name = pick("retries_bad", "retries_confirm")
        raise InvalidArgument(f"steering option '{name}': retries_confirm "
                              f"({values['retries_confirm']} %) must be below retries_bad "
                              f"({values['retries_bad']} %)", field=name)
    span = (values["bad_confirm"] - 1) * values["interval"]
    if values["confirm_window"] and values["confirm_window"] < span:
        name = pick("confirm_window", "bad_confirm")
        raise InvalidArgument(f"steering option '{name}': confirm_window "
                              f"({values['confirm_window']} s) is shorter than bad_confirm "
                              f"readings one interval apart take ({span} s): nothing would "
                              "ever be confirmed", field=name)
    if values["rtwt_voice_id"] == values["rtwt_video_id"]:
        name = pick("rtwt_video_id", "rtwt_voice_id")
        raise InvalidArgument(f"steering option '{name}': the voice and video R-TWT groups need "
                              f"different ids (both {values['rtwt_voice_id']})", field=name)
    if values["attlm_duration"] < 2 * values["interval"] * 1000:
        name = pick("attlm_duration", "interval")
        raise InvalidArgument(f"steering option '{name}': attlm_duration "
                              f"({values['attlm_duration']} ms) must last at least two intervals "
                              f"({2 * values['interval'] * 1000} ms), or every block ends unseen "
                              "and is re-sent (the v0.2 'rolling' A-TTLM)", field=name)
    return SteeringConfig(**values)


def section_of(package: Package, name: str = SECTION, type_: str = SECTION_TYPE
               ) -> Section | None:
    """``wifimgr.steering`` (named), else the first section of type ``steering`` (the monitor
    section of the same file is found the same way)."""
    sec = package.get(name)
    if sec is not None:
        if sec.type != type_:
            raise InvalidArgument(f"wifimgr.{name} is a '{sec.type}' section, expected "
                                  f"'{type_}'", field=name)
        return sec
    typed = package.of_type(type_)
    return typed[0] if typed else None


def load(package: Package | None) -> SteeringConfig:
    """The steering config of a ``wifimgr`` package (defaults when the file or the section is
    missing). Unknown options are ignored (a newer version may have written them)."""
    if package is None:
        return DEFAULTS
    sec = section_of(package)
    if sec is None:
        return DEFAULTS
    return _checked(read_options(sec, OPTIONS, DEFAULTS), changed=set(sec.options))


def read_options(sec: Section, options: Mapping[str, Option], defaults: Any,
                 what: str = "steering option") -> dict[str, Any]:
    """The defaults with every known option of ``sec`` coerced over them (unknown options are
    ignored: a newer version may have written them). The monitor's section uses this too."""
    values = defaults.as_dict()
    for name, raw in sec.options.items():
        opt = options.get(name)
        if opt is not None:
            values[name] = coerce(opt, raw, what)
    return values


def _to_text(opt: Option, value: Any) -> str:
    if opt.kind == "bool":
        return "1" if value else "0"
    return str(value)


def apply_changes(package: Package | None, changes: Mapping[str, Any]) -> Package:
    """A copy of ``package`` with ``changes`` applied to its steering section (created, named
    ``steering``, when missing). ``None`` removes an option (default again). Raises
    :class:`InvalidArgument` naming the option; the input package is never touched."""
    if not isinstance(changes, Mapping):
        raise InvalidArgument("steering changes must be an object of option → value",
                              field="values")
    if not changes:
        raise InvalidArgument("no steering option given", field="values")
    typed: dict[str, Any] = {}
    for name, value in changes.items():
        opt = OPTIONS.get(name)
        if opt is None:
            raise InvalidArgument(_unknown(name), field=name)
        typed[name] = None if value is None else coerce(opt, value)
    new = package.copy() if package is not None else Package(PACKAGE)
    current = load(new)  # a broken file is reported before it is built upon
    values = current.as_dict()
    for name, value in typed.items():
        values[name] = OPTIONS[name].default if value is None else value
    _checked(values, changed=set(typed))
    sec = section_of(new)
    if sec is None:
        sec = new.add(SECTION_TYPE, SECTION)
    for name, value in typed.items():
        sec.set(name, None if value is None else _to_text(OPTIONS[name], value))
    return new


def describe(config: SteeringConfig | None = None) -> list[dict[str, Any]]:
    """Every option with its type, range, unit, default, current value and meaning."""
    cfg = config or DEFAULTS
    out = []
    for opt in SCHEMA:
        d = opt.as_dict()
        d["value"] = getattr(cfg, opt.name)
        out.append(d)
    return out
