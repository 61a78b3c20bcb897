"""Nothing but ParseError leaves a parser: every parser is fed every real capture cut at every
line and every character, with CRLF line ends, tabs turned into spaces and back, random garbage
and numbers made of bytes that are not UTF-8. A parser may answer (a partial result) or raise
ParseError; any other exception is a bug."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import FIXTURES
from wifimgr.core.errors import ParseError
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

#: every parser of the project with the captures that are its input
PARSERS = {
    "iw_dev.parse_dev": (iw_dev.parse_dev, ["*/iw-dev*.out"]),
    "iw_station.parse_station_dump": (iw_station.parse_station_dump, ["*/station-*.out"]),
    "iw_survey.parse_survey": (iw_survey.parse_survey, ["*/survey-*.out"]),
    "iw_phy.parse_phy": (iw_phy.parse_phy, ["*/iw-phy*.out", "*/iw-list*.out"]),
    "iw_phy.parse_channels": (iw_phy.parse_channels, ["*/iw-phy*.out"]),
    "iw_link.parse_link": (iw_link.parse_link, ["*/iw-link*.out"]),
    "iw_reg.parse_reg": (iw_reg.parse_reg, ["*/reg-get*.out"]),
    "iw_scan.parse_scan": (iw_scan.parse_scan, ["*/scan*.out"]),
    "hostapd.parse_status": (hostapd.parse_status, ["*/hostapd-status*.out"]),
    "hostapd.parse_sta_list": (hostapd.parse_sta_list, ["*/hostapd-*sta*.out"]),
    "hostapd.parse_attlm": (hostapd.parse_attlm, ["*/get-attlm*.out"]),
    "hostapd.parse_neg_ttlm": (hostapd.parse_neg_ttlm, ["*/get-neg-ttlm*.out"]),
    "hostapd.parse_btwt": (hostapd.parse_btwt, ["*/get-neg-ttlm*.out"]),
    "wpa.parse_status": (wpa.parse_status, ["*/wpa-cli-status*.out"]),
    "wpa.parse_mlo_status": (wpa.parse_mlo_status, ["*/wpa-cli-status*.out"]),
    "wpa.parse_scan_results": (wpa.parse_scan_results, ["*/scan*.out"]),
    "dmesg.parse": (dmesg.parse, ["*/dmesg-*.out"]),
    "mt76.parse_txpower_info": (mt76.parse_txpower_info, ["*/hostapd-status*.out"]),
    "mt76.parse_txpower_sku": (mt76.parse_txpower_sku, ["*/iw-list*.out"]),
    "mt76.parse_dfs_status": (mt76.parse_dfs_status, ["*/dmesg-*.out"]),
}


def _inputs(globs: list[str]) -> list[str]:
    out = []
    for g in globs:
        out += [p.read_text(encoding="utf-8") for p in sorted(CAPTURES.glob(g))
                if not p.name.endswith(".golden.json")]
    assert out, globs
    return out


def _call(fn, text: str) -> None:
    with contextlib.suppress(ParseError):
        fn(text)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_every_cut_of_every_capture(name):
    fn, globs = PARSERS[name]
    for text in _inputs(globs):
        for i in range(len(text) + 1):          # every character (so every line end too)
            _call(fn, text[:i])
            _call(fn, text[i:])                  # the start cut off as well


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_line_ends_and_indentation(name):
    fn, globs = PARSERS[name]
    for text in _inputs(globs):
        for variant in (text.replace("\n", "\r\n"), text.replace("\t", "        "),
                        text.replace("        ", "\t"), text.replace("\n", "\r"),
                        text.expandtabs(4), "\n".join(ln.strip() for ln in text.splitlines())):
            _call(fn, variant)


def test_crlf_and_spaces_read_like_the_original():
    text = (CAPTURES / "openwrt-17489-bpi-r4/survey-dump-truncated.out").read_text()
    want = iw_survey.parse_survey(text)
    assert iw_survey.parse_survey(text.replace("\n", "\r\n")) == want
    assert iw_survey.parse_survey(text.replace("\t", "        ")) == want


_BAD_NUMBER = st.binary(min_size=1, max_size=4).map(
    lambda b: b.decode("utf-8", "surrogateescape"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(PARSERS)), junk=st.text(max_size=200),
       num=_BAD_NUMBER, pick=st.integers(min_value=0, max_value=10 ** 6))
def test_garbage_and_non_utf8_numbers(name, junk, num, pick):
    import re

    fn, globs = PARSERS[name]
    texts = _inputs(globs)
    text = texts[pick % len(texts)]
    _call(fn, junk)
    # a number (or every number) of a real capture replaced by undecodable bytes or junk
    nums = list(re.finditer(r"-?\d+(?:\.\d+)?", text))
    if nums:
        m = nums[pick % len(nums)]
        _call(fn, text[:m.start()] + num + text[m.end():])
        _call(fn, text[:m.start()] + junk + text[m.end():])
    _call(fn, re.sub(r"\d+", lambda _m: num, text))


def test_control_an_unguarded_crash_is_caught(monkeypatch):
    # control: take the guard away and the known crash inputs escape as ValueError/IndexError
    raw_scan = iw_scan.parse_scan.__wrapped__
    from wifimgr.parse import common

    def bad(text):
        return float("")                          # what parse_scan did on "freq:" before
    guarded_bad = common.guarded("iw scan")(bad)
    with pytest.raises(ParseError):
        guarded_bad("x")
    with pytest.raises(ValueError):
        bad("x")
    assert raw_scan("BSS 02:00:00:00:00:01(on x)\n\tsignal: 0.-55 dBm\n")[0].signal_dbm == -0.55
