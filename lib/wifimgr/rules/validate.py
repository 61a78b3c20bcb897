"""Validation of user input. Every function raises :class:`InvalidArgument` naming the field,
or returns the normalised value. Nothing user-supplied reaches a shell, but values end up in
hostapd/wpa_supplicant config files written line by line, so control characters are refused.
"""

from __future__ import annotations

import re

from ..core.errors import InvalidArgument

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model.configset import ConfigSet
    from ..model.wireless import Radio

#: wifi-iface ``encryption`` values (wifi-scripts schema + hostapd.sh), base names before "+"
ENCRYPTIONS = (
    "none", "owe", "psk", "psk2", "psk-mixed", "sae", "sae-mixed", "sae-ext", "sae-ext-mixed",
    "wpa", "wpa2", "wpa3", "wpa-mixed", "wpa3-mixed", "wpa3-192",
)
PSK_FAMILY = ("psk", "psk2", "psk-mixed", "sae-mixed", "sae-ext-mixed")
SAE_ONLY = ("sae", "sae-ext")
ENTERPRISE = ("wpa", "wpa2", "wpa3", "wpa-mixed", "wpa3-mixed", "wpa3-192")
WPA3_FAMILY = ("sae", "sae-ext", "owe", "sae-mixed", "sae-ext-mixed", "wpa3", "wpa3-mixed",
               "wpa3-192")
CIPHERS = ("ccmp", "ccmp256", "gcmp", "gcmp256", "tkip", "auto")

#: ISO 3166-1 alpha-2 (officially assigned codes)
_ISO3166_TEXT = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS YE YT ZA ZM ZW
"""
ISO3166 = frozenset(_ISO3166_TEXT.split())

HTMODES = {
    "2g": ("NOHT", "HT20", "HT40", "HT40+", "HT40-", "HE20", "HE40", "EHT20", "EHT40"),
    "5g": ("NOHT", "HT20", "HT40", "HT40+", "HT40-", "VHT20", "VHT40", "VHT80", "VHT160",
           "HE20", "HE40", "HE80", "HE160", "EHT20", "EHT40", "EHT80", "EHT160"),
    "6g": ("HE20", "HE40", "HE80", "HE160", "EHT20", "EHT40", "EHT80", "EHT160", "EHT320",
           "EHT320-1", "EHT320-2"),
}

_CTRL = re.compile(r"[\x00-\x1f\x7f]")
_MAC = re.compile(r"^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")
_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_HEX64 = re.compile(r"^[0-9A-Fa-f]{64}$")


if TYPE_CHECKING:  # the port's interface, for type checkers only (typing costs every call)
    from typing import Protocol

    class ChannelLike(Protocol):
        channel: int
        band: str
        freq_mhz: int
        disabled: bool
        radar: bool


def _str(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidArgument(f"'{field}' must be a string", field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgument(f"'{field}' is not valid UTF-8", field=field) from None
    return value


def ssid(value: object, field: str = "ssid") -> str:
    s = _str(value, field)
    n = len(s.encode("utf-8"))
    if n == 0:
        raise InvalidArgument("SSID is required", field=field)
    if n > 32:
        raise InvalidArgument(f"SSID is {n} bytes long; at most 32 bytes are allowed",
                              field=field)
    if _CTRL.search(s):
        raise InvalidArgument("SSID must not contain control characters (newline, tab …)",
                              field=field)
    return s


def encryption(value: object, field: str = "encryption") -> str:
    s = _str(value, field)
    base, _, cipher = s.partition("+")
    if base not in ENCRYPTIONS:
        raise InvalidArgument(
            f"unknown encryption {s!r}; use one of {', '.join(ENCRYPTIONS)}", field=field)
    for c in filter(None, cipher.split("+")):
        if c not in CIPHERS:
            raise InvalidArgument(f"unknown cipher {c!r} in {s!r}", field=field)
    return s


def needs_key(enc: str) -> bool:
    base = enc.partition("+")[0]
    return base in PSK_FAMILY or base in SAE_ONLY


def key(value: object, enc: str, field: str = "key") -> str:
    """WPA passphrase: 8–63 printable ASCII or 64 hex digits. SAE (WPA3-only) passwords:
    8–128 characters of any printable Unicode (hostapd ``sae_password`` has no upper limit in the
    standard; 128 keeps config lines sane; 8 is the WPA minimum users expect)."""
    s = _str(value, field)
    base = enc.partition("+")[0]
    if _CTRL.search(s):
        raise InvalidArgument("the password must not contain control characters", field=field)
    if base in PSK_FAMILY:
        if _HEX64.match(s):
            return s
        if not 8 <= len(s) <= 63:
            raise InvalidArgument(
                f"a WPA passphrase needs 8 to 63 characters (got {len(s)}), or 64 hex digits",
                field=field)
        if any(not (32 <= ord(c) <= 126) for c in s):
            raise InvalidArgument("a WPA passphrase may contain only printable ASCII "
                                  "characters", field=field)
        return s
    if base in SAE_ONLY:
        if not 8 <= len(s) <= 128:
            raise InvalidArgument(f"a WPA3 (SAE) password needs 8 to 128 characters (got "
                                  f"{len(s)})", field=field)
        return s
    if s:
        raise InvalidArgument(f"encryption '{enc}' takes no password", field=field)
    return s


def country(value: object, field: str = "country") -> str:
    s = _str(value, field).strip().upper()
    if s == "00" or s in ISO3166:
        return s
    raise InvalidArgument(f"{value!r} is not an ISO 3166-1 alpha-2 country code (or 00)",
                          field=field)


def mac(value: object, field: str = "mac") -> str:
    s = _str(value, field).strip()
    if not _MAC.match(s):
        raise InvalidArgument(f"{value!r} is not a MAC address (aa:bb:cc:dd:ee:ff)", field=field)
    return s.lower()


def name(value: object, field: str = "section") -> str:
    s = _str(value, field)
    if not _NAME.match(s):
        raise InvalidArgument(f"{value!r} is not a valid name (letters, digits, _; max 64)",
                              field=field)
    return s


def htmode(value: object, band: str, field: str = "htmode") -> str:
    s = _str(value, field).strip()
    allowed = HTMODES.get(band, ())
    if s not in allowed:
        hint = ("2.4 GHz allows at most 40 MHz" if band == "2g" else
                "320 MHz is only possible on 6 GHz" if band == "5g" and "320" in s else "")
        raise InvalidArgument(f"htmode {s!r} is not valid on {band}"
                              + (f" ({hint})" if hint else "")
                              + f"; use one of {', '.join(allowed)}", field=field)
    return s


def width_of_htmode(mode: str) -> int:
    digits = re.search(r"(\d+)", mode)
    if mode == "NOHT" or not digits:
        return 20
    return int(digits.group(1))


_5G_BLOCKS = {
    40: [(36, 40), (44, 48), (52, 56), (60, 64), (100, 104), (108, 112), (116, 120),
         (124, 128), (132, 136), (140, 144), (149, 153), (157, 161), (165, 169), (173, 177)],
    80: [(36, 48), (52, 64), (100, 112), (116, 128), (132, 144), (149, 161), (165, 177)],
    160: [(36, 64), (100, 128), (149, 177)],
}


def block(channel_no: int, band: str, width: int) -> list[int] | None:
    """The 20 MHz channels of the ``width`` block containing ``channel_no`` (None: no such
    block)."""
    if width <= 20:
        return [channel_no]
    if band == "2g":
        if width > 40:
            return None
        return [channel_no, channel_no + 4] if channel_no <= 9 else [channel_no - 4, channel_no]
    if band == "6g":
        span = width // 5
        lo = ((channel_no - 1) // span) * span + 1
        return list(range(lo, lo + span, 4))
    for lo, hi in _5G_BLOCKS.get(width, []):
        if lo <= channel_no <= hi:
            return list(range(lo, hi + 1, 4))
    return None


def channel(value: object, band: str, channels: Iterable[ChannelLike], *, width: int = 20,
            field: str = "channel", for_ap: bool = True) -> str:
    """``auto`` or a channel number valid for ``band``, ``width`` and the regulatory domain
    the live system reports (``channels`` from ``iw phy``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    s = _str(value, field).strip().lower()
    if s == "auto":
        return s
    if not s.isdigit():
        raise InvalidArgument(f"channel must be a number or 'auto' (got {value!r})", field=field)
    n = int(s)
    table = {c.channel: c for c in channels if c.band == band}
    c = table.get(n)
    if c is None:
        raise InvalidArgument(f"channel {n} does not exist on {band}", field=field)
    if c.disabled:
        raise InvalidArgument(f"channel {n} is disabled in the current regulatory domain",
                              field=field)
    if for_ap and getattr(c, "no_ir", False):
        raise InvalidArgument(
            f"channel {n} is passive-only (no IR) in the current regulatory domain; an AP "
            "cannot start there — set the country first", field=field)
    members = block(n, band, width)
    if members is None or any(m not in table or table[m].disabled for m in members):
        raise InvalidArgument(f"channel {n} cannot be used with a {width} MHz width on {band}",
                              field=field)
    return str(n)


def integer(value: object, *, lo: int, hi: int, field: str, unit: str) -> int:
    """A whole number of ``unit`` (``clients``, …) within ``lo``–``hi``."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidArgument(f"'{field}' must be a whole number of {unit}", field=field)
    try:
        v = int(str(value).strip())
    except ValueError:
        raise InvalidArgument(f"'{field}' must be a whole number of {unit}",
                              field=field) from None
    if not lo <= v <= hi:
        raise InvalidArgument(f"{field} {v} is outside {lo}–{hi} {unit}", field=field)
    return v


def txpower(value: object, *, lo: int = 1, hi: int = 30, field: str = "dbm") -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidArgument(f"'{field}' must be a whole number of dBm", field=field)
    try:
        v = int(str(value).strip())
    except ValueError:
        raise InvalidArgument(f"'{field}' must be a whole number of dBm", field=field) from None
    if not lo <= v <= hi:
        raise InvalidArgument(f"TX power {v} dBm is outside {lo}–{hi} dBm", field=field)
    return v


def radio_of(cs: ConfigSet, name: object, field: str = "radio") -> Radio:
    """The radio ``name`` of the configuration set, refused by argument when it is none."""
    if not isinstance(name, str):
        raise InvalidArgument(f"'{field}' must be a radio name", field=field)
    from ..model.wireless import WirelessConfig

    w = WirelessConfig.from_set(cs)
    r = w.radios.get(name)
    if r is None:
        raise InvalidArgument(f"no radio {name!r} (radios: {', '.join(w.radios)})", field=field)
    if r.band is None:
        raise InvalidArgument(f"{name} has no band option", field=field)
    return r
