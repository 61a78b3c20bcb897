"""docs/steering.md stays true: every option is documented, the trace example parses, the
replay excerpt is what the replay prints."""

from __future__ import annotations

import pathlib
import re

from click.testing import CliRunner

from wifimgr.settings import steering as config
from wifimgr.steering import replay
from wifimgr.surface.cli import main

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "steering.md").read_text(encoding="utf-8")


def test_every_option_is_in_the_table_with_its_default():
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| ([^|]+) \|", DOC, re.M)}
    for opt in config.SCHEMA:
        assert opt.name in rows, opt.name
        default = ("1" if opt.default else "0") if opt.kind == "bool" else str(opt.default)
        assert rows[opt.name].strip().replace("−", "-") == default, opt.name


def test_the_trace_example_parses():
    block = re.search(r"```json\n(.*?)\n```", DOC, re.S).group(1)
    line = " ".join(block.split())
    tr = replay.parse_trace([line], name="doc")
    s = tr.lines[0].sample
    assert s.links[2].band == "6g" and s.stations[0].links[2].rssi_dbm == -87
    assert tr.lines[0].config == {"mode": "5g_only"}
    assert tr.lines[0].outcomes == {"set_attlm": "fail"}


def test_the_replay_excerpt_is_real_output():
    block = re.search(r"\$ wifimgr steer replay (\S+)\n(.*?)\n…", DOC, re.S)
    res = CliRunner().invoke(main, ["steer", "replay", str(ROOT / block.group(1))])
    assert res.exit_code == 0
    for line in block.group(2).splitlines():
        assert line in res.output.splitlines(), line
