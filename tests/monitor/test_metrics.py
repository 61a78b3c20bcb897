"""The Prometheus text exposition: valid per the format (checked by the reference parser,
prometheus_client, and by the grammar below), hostile SSIDs cannot break it, written to
/var/prometheus/wifimgr.prom for node-exporter-lua's textfile collector."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from prometheus_client.parser import text_string_to_metric_families

from wifimgr.monitor import daemon, metrics, sample
from wifimgr.surface.api import dispatch

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(rf"^({NAME})(?:\{{(?:{LABEL}(?:,{LABEL})*)?\}})? "
                    r"(?:[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|Inf)|NaN)$")
UNITS = ("_dbm", "_celsius", "_ratio", "_hertz", "_seconds", "_bits_per_second", "_total",
         "_info", "_up", "_locked", "_links", "_clients", "_disabled_links")


def check_exposition(text: str) -> dict[str, str]:
    """The text format's grammar: HELP and TYPE once per family, before its samples, samples
    of a family together, names and labels well-formed, a final line feed. → {name: type}"""
    assert text.endswith("\n") and "\r" not in text
    types: dict[str, str] = {}
    done: set[str] = set()
    current = None
    for line in text[:-1].split("\n"):
        if line.startswith("# HELP "):
            name = line.split(" ", 3)[2]
            assert re.fullmatch(NAME, name) and name not in done
            if current is not None and current != name:
                done.add(current)
            current = name
        elif line.startswith("# TYPE "):
            _h, _t, name, kind = line.split(" ")
            assert name == current and name not in types and kind in ("gauge", "counter")
            types[name] = kind
        else:
            m = SAMPLE.match(line)
            assert m, f"not a sample line: {line!r}"
            assert m.group(1) == current, f"{m.group(1)} outside its family"
    return types


HOSTILE = ['evil"} 1\nwifimgr_pwned 1 #', "back\\slash\\", "new\nline", "{}=,#",
           "caf\u00e9 \U0001f4f6", "bad\udcff bytes"]


def _sample_with(ssid: str) -> dict:
    return {"t": 1.5, "radios": {"radio0": {"band": "2g", "up": True, "channel": 6,
                                            "freq_mhz": 2437, "width_mhz": 40,
                                            "ifname": "ap-mld-1", "txpower_dbm": 20.0,
                                            "noise_dbm": -92, "busy_pct": 35.0,
                                            "util_pct": 30, "temp_c": 50.0}},
            "networks": {"net1": {"ifname": "phy0.0-ap0", "ssid": ssid, "mode": "ap",
                                  "mlo": False, "wanted": True, "up": True}},
            "mlds": {"mld": {"ifname": "ap-mld-1", "ssid": ssid, "links_up": 1,
                             "links_expected": 2,
                             "links": {"0": {"band": "2g", "radio": "radio0"}}}},
            "clients": {"02:00:00:00:00:01": {
                "ifname": "ap-mld-1", "section": "mld", "ssid": ssid, "mlo_iface": True,
                "type": "mlmr", "hostname": ssid, "signal_dbm": -50, "tx_mbps": 100.0,
                "rx_mbps": 90.0, "inactive_ms": 10, "connected_s": 5, "tx_packets": 10,
                "tx_retries": 1, "links": {"0": {"band": "2g", "signal_dbm": -50,
                                                 "active": True, "tx_mbps": 100.0,
                                                 "rx_mbps": 90.0, "inactive_ms": 10,
                                                 "tx_packets": 10, "tx_retries": 1}}}},
            "attlm": {"ap-mld-1": {"active": True, "disabled_mask": 4, "remaining_ms": 9}},
            "chip": {"locked": False}}


@pytest.mark.parametrize("ssid", HOSTILE)
def test_hostile_ssid_cannot_break_the_exposition(ssid):
    text = metrics.render(_sample_with(ssid))
    check_exposition(text)
    fams = {f.name: f for f in text_string_to_metric_families(text)}
    assert "wifimgr_pwned" not in fams and "wifimgr_pwned" not in text.split("\n")[0]
    (up,) = fams["wifimgr_network_up"].samples
    want = ssid.encode("utf-8", "replace").decode("utf-8")   # not UTF-8: replaced, not raw
    assert up.labels["ssid"] == want                          # escaped, and back intact


def test_control_without_escaping_the_format_breaks(monkeypatch):
    """The guard matters: without label escaping the hostile SSID injects a series."""
    monkeypatch.setattr(metrics, "escape_label", lambda v: str(v))
    text = metrics.render(_sample_with(HOSTILE[0]))
    with pytest.raises(AssertionError):
        check_exposition(text)


def test_twin_metrics_names_units_and_labels(router, twin):
    pkg = router.uci.load("wireless")
    pkg["default_radio1"].set("ssid", 'Caf\u00e9 "5G" \\ {x}')
    router.uci.commit(pkg)
    twin.reboot()
    twin.advance(90)
    reply = dispatch("metrics", {})
    assert reply["format"] == "prometheus" and reply["content_type"].startswith("text/plain")
    types = check_exposition(reply["text"])
    assert all(n.startswith("wifimgr_") and n.endswith(UNITS) for n in types), types
    assert all(n.endswith("_total") == (k == "counter") for n, k in types.items())
    fams = {f.name: f for f in text_string_to_metric_families(reply["text"])}
    labels = {k for f in fams.values() for s in f.samples for k in s.labels}
    assert {"radio", "band", "ssid", "mld", "link", "mac"} <= labels
    ssids = {s.labels.get("ssid") for s in fams["wifimgr_network_up"].samples}
    assert 'Caf\u00e9 "5G" \\ {x}' in ssids
    links = fams["wifimgr_client_link_signal_dbm"].samples
    assert links and all(s.labels["mld"] == "ap_mld_1" and s.labels["link"] in "012"
                         for s in links)
    assert {s.labels["link"] for s in fams["wifimgr_mld_link_up"].samples} == {"0", "1", "2"}
    assert fams["wifimgr_radio_noise_dbm"].samples[0].value < -80


def test_textfile_written_atomically_when_the_folder_exists(router, twin):
    d = daemon.textfile_dir(router)
    daemon.once(router)
    assert not os.path.exists(os.path.join(d, daemon.TEXTFILE))   # no collector installed
    os.makedirs(d)
    daemon.once(router)
    path = os.path.join(d, daemon.TEXTFILE)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    check_exposition(text)
    # the collector globs *.prom: only our file, no temp file left beside it
    assert [n for n in os.listdir(d) if n.endswith(".prom")] == [daemon.TEXTFILE]
    assert os.listdir(d) == [daemon.TEXTFILE]
    # `wifimgr metrics` prints the same text (fresh: the monitor's last sample)
    env = dict(os.environ, WIFIMGR_SIM=twin.dir)
    out = subprocess.run([sys.executable, "-m", "wifimgr", "metrics"], env=env,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert out == text


def test_metrics_without_a_monitor_take_a_sample(router):
    text = dispatch("metrics", {})["text"]          # no monitor ran: sampled now
    check_exposition(text)
    assert "wifimgr_client_info{" in text
    assert sample.retries_pct({"tx_packets": 100, "tx_retries": 30},
                              {"tx_packets": 50, "tx_retries": 20}) == 20.0
    assert sample.retries_pct({"tx_packets": 60, "tx_retries": 30},
                              {"tx_packets": 50, "tx_retries": 20}) is None   # < 20 packets
