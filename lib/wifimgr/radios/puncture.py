"""Preamble puncturing (802.11be): method ``puncture_set`` and the ``puncture`` part of
``radios``.

The MTK SDK's wifi-device options (spec/platform.md): ``pp_mode`` 0 off, 1 firmware-chosen,
2 user-chosen; with 2, ``pp_bitmap`` (decimal) becomes hostapd's ``punct_bitmap``: bit *i* set
punctures the *i*-th 20 MHz subchannel of the operating width, lowest frequency first.

Unlike the original (which took any bitmap and left a stale one behind), a bitmap is accepted
only if it is one of the patterns 802.11be allows for the width — the same table cfg80211
checks before it lets an AP start (net/wireless/chan.c) — and it never punctures the primary
20 MHz channel. Leaving manual mode removes ``pp_bitmap``. A later channel or width change
that would make the stored bitmap invalid is refused (:func:`check_radio`).
"""

from __future__ import annotations

from ..core.errors import InvalidArgument
from ..rules import validate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context
    from ..model.configset import ConfigSet
    from ..model.wireless import Radio

MODES = {"off": "0", "auto": "1", "manual": "2"}
MODE_NAMES = {v: k for k, v in MODES.items()}

#: 802.11be puncturing patterns (bit set = punctured), per operating width
ALLOWED: dict[int, frozenset[int]] = {
    80: frozenset({0x8, 0x4, 0x2, 0x1}),
    160: frozenset({0x80, 0x40, 0x20, 0x10, 0x8, 0x4, 0x2, 0x1, 0xC0, 0x30, 0xC, 0x3}),
    320: frozenset({0xC000, 0x3000, 0xC00, 0x300, 0xC0, 0x30, 0xC, 0x3, 0xF000, 0xF00, 0xF0,
                    0xF, 0xFC00, 0xF300, 0xF0C0, 0xF030, 0xF00C, 0xF003, 0xC00F, 0x300F,
                    0xC0F, 0x30F, 0xCF, 0x3F}),
}


def eht_width(r: Radio) -> int | None:
    """The radio's width if it is an EHT mode of 80 MHz or more (the only ones with
    puncturing), else None."""
    mode = r.htmode or ""
    if not mode.startswith("EHT"):
        return None
    w = validate.width_of_htmode(mode)
    return w if w in ALLOWED else None


def layout(r: Radio) -> tuple[list[int], int | None] | None:
    """(the 20 MHz channels of the operating block, index of the primary) for a fixed
    channel; None when the channel is ``auto`` or the width has no puncturing."""
    width = eht_width(r)
    if width is None or not r.band or not r.channel.isdigit():
        return None
    ch = int(r.channel)
    members = validate.block(ch, r.band, width)
    if not members:
        return None
    return members, members.index(ch) if ch in members else None


def problem(r: Radio, bitmap: int) -> str | None:
    """Why ``bitmap`` cannot be used on radio ``r`` as configured (None: it can)."""
    if bitmap == 0:
        return None
    width = eht_width(r)
    if width is None:
        return (f"{r.name} runs {r.htmode or 'no htmode'}: puncturing needs an EHT width of "
                "80 MHz or more")
    if bitmap >= 1 << (width // 20):
        return f"the bitmap has more bits than the {width // 20} subchannels of {width} MHz"
    lay = layout(r)
    if lay is None:
        return (f"{r.name} uses an automatic channel: set a fixed channel before puncturing, "
                "so the primary 20 MHz is known")
    members, primary = lay
    if primary is not None and bitmap & (1 << primary):
        return (f"channel {members[primary]} is the primary 20 MHz channel and can never be "
                "punctured")
    if bitmap not in ALLOWED[width]:
        return (f"punctured {', '.join(str(m) for i, m in enumerate(members) if bitmap >> i & 1)}"
                f" is not a pattern 802.11be allows at {width} MHz (one 20 MHz at 80/160 MHz, "
                "or an adjacent pair at 160/320 MHz; see docs/radios.md)")
    return None


def describe_bitmap(members: list[int], bitmap: int) -> str:
    gone = [str(m) for i, m in enumerate(members) if bitmap >> i & 1]
    return f"channel{'s' if len(gone) > 1 else ''} {', '.join(gone)} punctured" if gone \
        else "nothing punctured"


def describe(ctx: Context, lv: Any, info: dict[str, Any]) -> None:
    """Add ``info["puncture"]`` to a radio of the ``radios`` reply."""
    r = lv.config.radios[info["name"]]
    width = eht_width(r)
    mode = MODE_NAMES.get(r.section.get_str("pp_mode") or "0", "off")
    bitmap = int(r.section.get_str("pp_bitmap") or 0) if mode == "manual" else 0
    lay = layout(r)
    out: dict[str, Any] = {"supported": width is not None and r.band in ("5g", "6g"),
                           "mode": mode, "bitmap": bitmap, "width_mhz": width,
                           "subchannels": [], "primary_index": None, "allowed": [],
                           "description": None, "reason": None}
    if not out["supported"]:
        out["reason"] = ("puncturing needs an EHT width of 80 MHz or more on 5 or 6 GHz "
                         f"(this radio runs {r.htmode or 'no htmode'})")
    elif lay is None:
        out["reason"] = "set a fixed channel to choose which 20 MHz subchannels to puncture"
    else:
        members, primary = lay
        out["subchannels"] = members
        out["primary_index"] = primary
        out["allowed"] = sorted(b for b in ALLOWED[width]  # type: ignore[index]
                                if primary is None or not b & (1 << primary))
        out["description"] = describe_bitmap(members, bitmap)
    info["puncture"] = out


def check_radio(r: Radio) -> None:
    """Refuse a configuration whose stored manual bitmap no longer fits (after a channel or
    width change)."""
    if (r.section.get_str("pp_mode") or "0") != "2":
        return
    raw = r.section.get_str("pp_bitmap") or "0"
    bitmap = int(raw) if raw.isdigit() else -1
    why = problem(r, bitmap) if bitmap >= 0 else f"pp_bitmap {raw!r} is not a number"
    if why:
        raise InvalidArgument(f"{r.name}: the puncturing bitmap no longer fits — {why}; "
                              "change or switch off puncturing first", field="channel")


def puncture_set(ctx: Context, radio: str, mode: str | None = None, bitmap: int | None = None,
                 dry_run: bool = False) -> dict[str, Any]:
    """``puncture_set {radio, mode?, bitmap?}``: ``mode`` off/auto/manual; ``bitmap`` (bit i =
    i-th 20 MHz subchannel punctured) implies manual."""
    from ..rules.validate import radio_of
    from ..transaction.writes import commit_change

    if mode is None:
        mode = "manual" if bitmap is not None else None
    if mode is None:
        raise InvalidArgument("give mode (off, auto, manual) or a bitmap", field="mode")
    if mode not in MODES:
        raise InvalidArgument(f"mode must be one of {', '.join(MODES)}", field="mode")
    if mode != "manual" and bitmap:
        raise InvalidArgument("a bitmap only applies in manual mode", field="bitmap")
    if bitmap is not None and (isinstance(bitmap, bool) or not isinstance(bitmap, int)
                               or bitmap < 0 or bitmap > 0xFFFF):
        raise InvalidArgument("bitmap must be an integer from 0 to 65535", field="bitmap")

    def mutate(cs: ConfigSet) -> dict[str, Any]:
        r = radio_of(cs, radio)
        if r.band not in ("5g", "6g"):
            raise InvalidArgument(f"{radio} is a {r.band} radio: puncturing exists only on 5 "
                                  "and 6 GHz", field="radio")
        if mode != "off" and eht_width(r) is None:
            raise InvalidArgument(f"{radio} runs {r.htmode or 'no htmode'}: puncturing needs "
                                  "an EHT width of 80 MHz or more", field="mode")
        r.section.set("pp_mode", MODES[mode])
        if mode == "manual":
            b = bitmap or 0
            why = problem(r, b)
            if why:
                raise InvalidArgument(why, field="bitmap")
            r.section.set("pp_bitmap", str(b))
            lay = layout(r)
            return {"description": describe_bitmap(lay[0], b) if lay else None}
        r.section.set("pp_bitmap", None)
        return {}

    return commit_change(ctx, mutate, dry_run=dry_run, summary=f"puncturing on {radio}")
