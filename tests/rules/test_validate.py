"""Input validation: every error names its field."""

from __future__ import annotations

import pytest

from wifimgr.core.errors import InvalidArgument
from wifimgr.parse import iw_phy
from wifimgr.rules import validate as V
from wifimgr.sim import render


def _err(fn, *a, **kw):
    with pytest.raises(InvalidArgument) as exc:
        fn(*a, **kw)
    return exc.value


def test_ssid():
    assert V.ssid("Home $(x);'") == "Home $(x);'"
    assert _err(V.ssid, "").field == "ssid"
    assert "33 bytes" in _err(V.ssid, "é" * 16 + "x").message
    assert V.ssid("é" * 16) == "é" * 16
    assert _err(V.ssid, "a\nb").field == "ssid"


def test_keys_by_encryption():
    assert V.key("12345678", "psk2") == "12345678"
    assert V.key("ABCDEF0123456789" * 4, "psk2+ccmp")
    assert "8 to 63" in _err(V.key, "short", "psk2").message
    assert _err(V.key, "x" * 64, "psk2").field == "key"  # 64 chars but not hex
    assert "printable ASCII" in _err(V.key, "pässwörd1", "psk2").message
    assert V.key("pässwörd1", "sae") == "pässwörd1"
    assert _err(V.key, "line\nbreak1", "sae").field == "key"
    assert "takes no password" in _err(V.key, "secret12", "none").message
    assert V.needs_key("sae-mixed") and not V.needs_key("owe")


def test_encryption_country_mac_names():
    assert V.encryption("psk2+ccmp") == "psk2+ccmp"
    assert _err(V.encryption, "wep-open").field == "encryption"
    assert _err(V.encryption, "psk2+rot13").field == "encryption"
    assert V.country("cz") == "CZ" and V.country("00") == "00"
    assert _err(V.country, "XX").field == "country"
    assert V.mac("AA:BB:CC:DD:EE:FF") == "aa:bb:cc:dd:ee:ff"
    assert _err(V.mac, "aa:bb:cc").field == "mac"
    assert _err(V.name, "bad-name;rm").field == "section"


def test_htmode_per_band():
    assert V.htmode("EHT320", "6g") == "EHT320"
    assert "320 MHz is only possible on 6 GHz" in _err(V.htmode, "EHT320", "5g").message
    assert "at most 40 MHz" in _err(V.htmode, "EHT80", "2g").message
    assert _err(V.htmode, "VHT80", "2g").field == "htmode"


def test_channels_from_the_live_regulatory_domain():
    chans = iw_phy.parse_channels(render.iw_channels("DE", ["2g", "5g", "6g"], {}))
    assert V.channel("36", "5g", chans, width=160) == "36"
    assert V.channel(6, "2g", chans, width=40) == "6"
    assert V.channel("auto", "5g", chans) == "auto"
    assert "does not exist" in _err(V.channel, "15", "2g", chans).message
    assert "cannot be used with a 160 MHz" in _err(V.channel, "132", "5g", chans,
                                                   width=160).message
    assert "passive-only" in _err(V.channel, "149", "5g", chans).message  # ETSI SRD band
    us = iw_phy.parse_channels(render.iw_channels("US", ["2g", "5g", "6g"], {}))
    assert "passive-only" in _err(V.channel, "37", "6g", us, width=320).message
    assert V.channel("37", "6g", chans, width=320) == "37"
    assert _err(V.channel, "x1", "5g", chans).field == "channel"


def test_txpower():
    assert V.txpower("20") == 20
    assert _err(V.txpower, 31).field == "dbm"
    assert _err(V.txpower, True).field == "dbm"


def test_maxassoc_is_a_number_of_clients_not_dbm(twin):
    """issue 21: the maxassoc message said dBm."""
    from wifimgr.surface.api import dispatch

    twin.advance(1)
    r = dispatch("network_set", {"section": "default_radio1", "values": {"maxassoc": 900}})
    msg = (r.get("error") or {}).get("message", "")
    assert "900" in msg and "clients" in msg and "dBm" not in msg, r
