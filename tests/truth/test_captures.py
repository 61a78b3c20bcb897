"""Every real capture against its golden file (tests/fixtures/captures/README.md).

A golden file ``<capture>.golden.json`` holds the parse that a person wrote by reading the
capture field by field: ``{"parser": "iw_survey.parse_survey", "expect": …}``. ``expect`` mirrors the
parser's result — a list for a list (or a set), a dict of attribute names for a record (only the
attributes written down are compared), ``null`` where the capture has no such value. A golden
file is never produced by running the parser.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from support import FIXTURES
from wifimgr.parse import (
    dmesg,
    hostapd,
    iw_dev,
    iw_link,
    iw_phy,
    iw_reg,
    iw_scan,
    iw_station,
    iw_survey,
    mt76,
    wpa,
)

CAPTURES = FIXTURES / "captures"
PARSERS = {"iw_dev": iw_dev, "iw_link": iw_link, "iw_phy": iw_phy, "iw_reg": iw_reg,
           "iw_scan": iw_scan, "iw_station": iw_station, "iw_survey": iw_survey,
           "hostapd": hostapd, "dmesg": dmesg, "mt76": mt76, "wpa": wpa}
#: captures without a parser of their own: JSON replies that the twin conformance tests
#: compare with (tests/conformance/test_conformance.py)
NO_GOLDEN = {
    "xiaomi-ax6000-owrt2512/wifi-status.json": "network.wireless status: conformance",
    "glinet-mt3000-mtk-sdk/network-wireless-status.json": "network.wireless status: conformance",
    "openwrt-wwan-guide-ath9k/wifi-status.json": "network.wireless status (older netifd): conformance",
    "dawn-139/hostapd-get-clients-cut.json": "hostapd get_clients: conformance (cut JSON)",
    "openwrt-hostapd-ubus-doc/get-status.json": "hostapd get_status: conformance",
    "openwrt-hostapd-ubus-doc/get-clients.json": "hostapd get_clients: conformance",
    "netifyd-hwsim-ubus/get-status.json": "hostapd get_status: conformance",
    "homeassistant-openwrt-clients/get-status.json": "hostapd get_status: conformance",
    "homeassistant-openwrt-clients/get-clients.json": "hostapd get_clients: conformance",
    "mtk-feeds-hostapd-0162/hostapd-sta-mld-excerpt.out": "a station's MLD lines without its MAC "
                                                          "line (the commit message elides the "
                                                          "rest); read in test_real_cases with "
                                                          "the MAC prepended",
    "mt7927-dkms-46/iw-dev-info-excerpt.out": "two body lines without the Interface header; "
                                              "read in test_iw with the header prepended",
    "openwrt-21083-bpi-r4-pro-8x/wifi-status-cut.json": "network.wireless status (25.12 netifd, "
                                                        "cut JSON): read in test_mainline_captures",
    "openwrt-luci-7584-bpi-r4/system-board.json": "system board: read by the capability tests",
    "openwrt-22447-bpi-r4/system-board-excerpt.txt": "system board as posted without its braces: "
                                                     "read by the capability tests",
}


def _captures() -> list[str]:
    return sorted(str(p.relative_to(CAPTURES)) for p in CAPTURES.rglob("*")
                  if p.is_file() and p.name != "README.md" and not p.name.endswith(".golden.json"))


def _goldens() -> list[str]:
    return sorted(str(p.relative_to(CAPTURES)) for p in CAPTURES.rglob("*.golden.json"))


def _match(got, want, where: str) -> None:
    if isinstance(want, dict):
        for key, sub in want.items():
            if isinstance(got, dict):
                k = int(key) if key.lstrip("-").isdigit() and key not in got else key
                assert k in got, f"{where}: no key {key!r} in {sorted(got)!r}"
                _match(got[k], sub, f"{where}.{key}")
            else:
                assert got is not None, f"{where}: None, expected {want!r}"
                assert hasattr(got, key), f"{where}: {type(got).__name__} has no {key!r}"
                _match(getattr(got, key), sub, f"{where}.{key}")
    elif isinstance(want, list) and isinstance(got, (set, frozenset)):
        assert got == set(want), f"{where}: {sorted(got)!r} != {sorted(want)!r}"
    elif isinstance(want, list):
        assert isinstance(got, (list, tuple)), f"{where}: {got!r} is not a list"
        assert len(got) == len(want), f"{where}: {len(got)} items, expected {len(want)}"
        for n, (g, w) in enumerate(zip(got, want, strict=True)):
            _match(g, w, f"{where}[{n}]")
    elif isinstance(want, float) and isinstance(got, (int, float)):
        assert math.isclose(got, want, abs_tol=1e-6), f"{where}: {got!r} != {want!r}"
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"


@pytest.mark.parametrize("golden", _goldens())
def test_capture_parses_as_its_golden_file(golden):
    spec = json.loads((CAPTURES / golden).read_text(encoding="utf-8"))
    capture = CAPTURES / golden.removesuffix(".golden.json")
    module, fn = spec["parser"].split(".")
    if module == "iw":
        # golden files written before the split name the old module: the parser is in the
        # iw_* module that holds it now
        module = next(m for m in PARSERS if m.startswith("iw_") and hasattr(PARSERS[m], fn))
    parsed = getattr(PARSERS[module], fn)(capture.read_text(encoding="utf-8"))
    _match(parsed, spec["expect"], capture.name)


def test_every_capture_has_a_golden_file_and_a_readme_row():
    goldens = {g.removesuffix(".golden.json") for g in _goldens()}
    readme = (CAPTURES / "README.md").read_text(encoding="utf-8")
    for cap in _captures():
        assert cap in goldens or cap in NO_GOLDEN, f"{cap}: no golden file"
        assert f"`{cap}`" in readme, f"{cap}: not listed in captures/README.md"
    for g in goldens:
        assert (CAPTURES / g).is_file(), f"golden without capture: {g}"


def test_golden_comparison_catches_a_wrong_field(tmp_path: Path):
    # control: a golden file that misreads one field must fail
    spec = json.loads((CAPTURES / "freifunk-dresden-62/survey-dump-in-use.out.golden.json")
                      .read_text(encoding="utf-8"))
    spec["expect"][0]["noise_dbm"] = -91
    text = (CAPTURES / "freifunk-dresden-62/survey-dump-in-use.out").read_text(encoding="utf-8")
    with pytest.raises(AssertionError, match="noise_dbm"):
        _match(iw_survey.parse_survey(text), spec["expect"], "control")
