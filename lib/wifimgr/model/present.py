"""Presentation helpers shared by the read methods: labels, colour classes, generations.
Thresholds are those the original UI used (spec/original.md §4.4)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..parse.iw_common import Bitrate

ENCRYPTION_LABELS = {
    "none": "Open", "owe": "OWE (open secure)", "psk": "WPA", "psk2": "WPA2",
    "psk-mixed": "WPA/WPA2", "sae": "WPA3", "sae-mixed": "WPA2/WPA3", "sae-ext": "WPA3 (SAE-EXT)",
    "sae-ext-mixed": "WPA3 (SAE + SAE-EXT)", "wpa": "WPA Enterprise",
    "wpa2": "WPA2 Enterprise", "wpa3": "WPA3 Enterprise", "wpa-mixed": "WPA/WPA2 Enterprise",
    "wpa3-mixed": "WPA2/WPA3 Enterprise", "wpa3-192": "WPA3 Enterprise 192-bit",
}


def encryption_label(enc: str) -> str:
    return ENCRYPTION_LABELS.get(enc.split("+", 1)[0], enc)


def signal_class(dbm: int | None) -> str | None:
    """good (≥ −50) · fair (≥ −65) · weak (≥ −75) · bad."""
    if dbm is None:
        return None
    if dbm >= -50:
        return "good"
    if dbm >= -65:
        return "fair"
    if dbm >= -75:
        return "weak"
    return "bad"


def bitrate(br: Bitrate | None) -> dict[str, Any] | None:
    if br is None:
        return None
    return {"text": br.raw, "mbps": br.mbps, "mode": br.mode, "mcs": br.mcs, "nss": br.nss,
            "width_mhz": br.width_mhz}


def generation_from_htmode(htmode: str | None) -> int | None:
    h = htmode or ""
    for prefix, gen in (("EHT", 7), ("HE", 6), ("VHT", 5), ("HT", 4)):
        if h.startswith(prefix):
            return gen
    return None


def temp_class(celsius: float | None) -> str | None:
    if celsius is None:
        return None
    return "bad" if celsius > 80 else "weak" if celsius > 65 else "good"


def util_class(pct: float | None) -> str | None:
    if pct is None:
        return None
    return "good" if pct < 30 else "weak" if pct < 60 else "bad"
