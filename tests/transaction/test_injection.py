"""Issue 3.7: user input never reaches a shell. Strings full of quotes, `;`, `$()`, newlines and
non-UTF-8 bytes go through every write method: each is stored verbatim and reads back
identically, or is refused with a field error (and nothing changes)."""

from __future__ import annotations

import pytest

from transaction.conftest import config_bytes
from wifimgr.surface.api import METHODS, dispatch

EVIL = ["it's", 'say "hi"', "a;reboot", "$(reboot)", "`id`", "a\nb", "caf\udce9", "x' '\\",
        "${IFS}cat${IFS}/etc/shadow", "|| true"]


def _args_for(method: str, field: str, value: str) -> dict:
    base = {
        "ap": {"radio": "radio0", "ssid": "Base", "encryption": "psk2", "key": "lan-password"},
        "mlo_ap": {"radios": ["radio0", "radio1"], "ssid": "Base", "key": "mld-password"},
        "station": {"radio": "radio0", "ssid": "Base", "encryption": "psk2",
                    "key": "upstream-pass"},
        "wds": {"radio": "radio0", "ssid": "Base", "encryption": "psk2", "key": "lan-password"},
        "repeater": {"uplink_radio": "radio0", "uplink_ssid": "Base",
                     "uplink_encryption": "psk2", "uplink_key": "upstream-pass",
                     "ap_radio": "radio1", "ap_ssid": "Rep", "ap_encryption": "psk2",
                     "ap_key": "rep-password"},
        "country": {"country": "CZ"},
        "network_set": {"section": "wifinet0", "values": {"ssid": "x"}},
        "network_remove": {"section": "wifinet0"},
        "radio_set": {"radio": "radio0", "channel": "6"},
        "txpower_set": {"mode": "manual", "radio": "radio0", "dbm": 15},
        "restore": {"config": "x"},
        "client_disconnect": {"mac": "aa:bb:cc:dd:ee:ff"},
        "reboot": {},
        "puncture_set": {"radio": "radio2", "mode": "manual", "bitmap": 0},
        "steering_set": {"mode": "auto"},
        "steering_daemon": {"action": "stop"},
    }[method]
    args = dict(base)
    if field.startswith("values."):
        args["values"] = {field.split(".", 1)[1]: value}
    elif field == "radios":
        args["radios"] = [value, "radio1"]
    else:
        args[field] = value
    return args


def _string_fields(method: str) -> list[str]:
    m = METHODS[method]
    out = [a.name for a in m.args if a.type == "string"]
    if method == "network_set":
        out += ["values.ssid", "values.key", "values.isolate", "values.custom_option"]
    if method == "mlo_ap":
        out.append("radios")
    return out


CASES = [(m, f, v) for m in sorted(n for n, x in METHODS.items() if x.write_result
                                   and n not in ("reboot",))
         for f in _string_fields(m) for v in EVIL]


@pytest.mark.parametrize(("method", "field", "value"), CASES)
def test_hostile_strings(method, field, value, clean_twin, system, monkeypatch):
    seen: list[list[str]] = []
    real_run = system.run.run

    def recording_run(argv, **kw):
        seen.append(list(argv))
        return real_run(argv, **kw)

    monkeypatch.setattr(system.run, "run", recording_run)
    setup = dispatch("ap", {"radio": "radio1", "ssid": "Target", "encryption": "psk2",
                            "key": "lan-password"})
    assert setup["ok"], setup
    before = config_bytes(clean_twin)
    reply = dispatch(method, _args_for(method, field, value))
    assert all(a[0] not in ("sh", "/bin/sh", "ash", "bash") for a in seen), seen
    if reply.get("ok"):
        # stored verbatim: find the value back in the UCI files
        stored = []
        for name in ("wireless", "network"):
            for sec in system.uci.load(name).sections:
                for v in sec.options.values():
                    stored.extend(v if isinstance(v, list) else [v])
        assert value in stored or field in ("mac", "ifname", "config", "radio", "section",
                                            "bssid"), (method, field, reply)
    else:
        err = reply.get("error")
        assert err is not None or reply.get("blocked"), reply
        if err:
            assert err["field"], reply
        assert config_bytes(clean_twin) == before
