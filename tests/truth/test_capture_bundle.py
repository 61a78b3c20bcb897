"""``wifimgr capture``: one masked bundle of every output the project reads."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from wifimgr.overview import capture
from wifimgr.parse import dmesg, hostapd, iw_dev, iw_reg, iw_station, iw_survey, mt76
from wifimgr.surface.cli import main

MAC = re.compile(r"(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}")


class Recorder:
    """The system's runner, recording every argv."""

    def __init__(self, run):
        self.inner, self.calls = run, []

    def run(self, argv, **kw):
        self.calls.append((argv, kw))
        return self.inner.run(argv, **kw)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _raw_macs(system) -> set[str]:
    out = set()
    for argv in (["iw", "dev"], ["iw", "dev", "ap-mld-1", "station", "dump"],
                 ["hostapd_cli", "-i", "ap-mld-1", "all_sta"]):
        out |= {m.lower() for m in MAC.findall(system.run.run(argv).stdout)}
    return out


def test_bundle_covers_every_source_and_masks(system, monkeypatch):
    rec = Recorder(system.run)
    monkeypatch.setattr(system, "run", rec)
    text = capture.bundle(system, now=0)
    sections = {(k, n): b for k, n, b in capture.split(text)}
    names = " | ".join(f"{k} {n}" for k, n in sections)
    for want in ("cmd iw dev", "info", "station dump", "survey dump", "scan dump", "cmd iw phy",
                 "iw phy phy0 channels", "cmd iw reg get", "hostapd_cli -i ap-mld-1 status",
                 "-l 2 status", "all_sta", "get_attlm", "get_btwt", "get_neg_ttlm", "cmd dmesg",
                 "txpower_info", "txpower_sku", "sku_disable", "hwmon", "temp1_input",
                 "thermal_zone0/temp", "ubus network.wireless status", "get_status",
                 "get_clients"):
        assert want in names, want
    # argv only, each with a timeout
    assert rec.calls and all(isinstance(a, list) and all(isinstance(x, str) for x in a)
                             and kw.get("timeout") for a, kw in rec.calls)
    # no real MAC address and no key survives
    raw = _raw_macs(system)
    assert raw and not any(m in text.lower() for m in raw)
    assert "12345678" not in text and "<masked>" in text
    # masked MACs keep their vendor octets and stay consistent across sections
    dev = iw_dev.parse_dev(sections[("cmd", "iw dev")])
    mld = next(i for i in dev if i.is_mld)
    st = hostapd.parse_status(sections[("cmd", f"hostapd_cli -i {mld.name} -l 1 status")])
    assert st.mld_addr == mld.addr.lower() and mld.addr.startswith("00:0c:43")


def test_every_section_parses(system):
    text = capture.bundle(system, now=0)
    parsers = {"station dump": iw_station.parse_station_dump, "survey dump": iw_survey.parse_survey,
               "iw reg get": iw_reg.parse_reg, "all_sta": hostapd.parse_sta_list,
               "get_attlm": hostapd.parse_attlm, "get_neg_ttlm": hostapd.parse_neg_ttlm,
               "txpower_sku": mt76.parse_txpower_sku, "txpower_info": mt76.parse_txpower_info}
    seen = set()
    for kind, name, body in capture.split(text):
        for key, fn in parsers.items():
            if key in name:
                fn(body)
                seen.add(key)
        if kind == "ubus":
            json.loads(body)
        if name == "dmesg":
            assert dmesg.parse(body).probed
    assert seen == set(parsers)


def test_masker_is_stable_and_keeps_zero_and_broadcast():
    m = capture.Masker()
    a = m.text("3E:35:54:dc:99:02 and 3e:35:54:DC:99:02, ff:ff:ff:ff:ff:ff 00:00:00:00:00:00")
    first, second = MAC.findall(a)[:2]
    assert first.lower() == second.lower() and first.lower().startswith("3e:35:54")
    assert "ff:ff:ff:ff:ff:ff" in a and "00:00:00:00:00:00" in a
    assert m.json({"key": "s3cret", "ssid": "x", "sae_password": "p"}) == {
        "key": "<masked>", "ssid": "x", "sae_password": "<masked>"}
    assert m.text("wpa_passphrase=hunter2\n") == "wpa_passphrase=<masked>\n"


def test_cli_capture_and_split(system, tmp_path):
    out = tmp_path / "bundle.txt"
    res = CliRunner().invoke(main, ["capture", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text().startswith("### wifimgr capture ")
    d = tmp_path / "sections"
    res = CliRunner().invoke(main, ["capture", "--split", str(d), "-i", str(out)])
    assert res.exit_code == 0, res.output
    files = sorted(p.name for p in d.iterdir())
    assert files[0] == "00-cmd-iw-dev.out" and any("txpower_sku" in f for f in files)
    assert "--- rc" not in (d / files[0]).read_text()


def test_the_bundle_keeps_a_panics_pstore_console(system, twin):
    # issue 26: after a driver panic the Oops is only in pstore
    twin.driver_panic()
    twin.advance(90)
    sections = {(k, n): b for k, n, b in capture.split(capture.bundle(system, now=0))}
    [body] = [b for (k, n), b in sections.items() if n.endswith("console-ramoops-0")]
    assert "mt7996_mcu_rx_event+0x238/0x5c8 [mt7996e]" in body
