"""docs/monitor.md follows the code: every option, event kind and metric family."""

from __future__ import annotations

import re

from wifimgr.monitor import metrics
from wifimgr.observe import events
from wifimgr.settings import monitor as config

from .test_metrics import _sample_with


def test_monitor_doc_lists_options_kinds_and_metrics(repo_root):
    doc = (repo_root / "docs" / "monitor.md").read_text()
    options = set(re.findall(r"^\| `([a-z_]+)` \| \d+ \|", doc, re.M))
    assert options == set(config.OPTIONS)
    for kind in events.KINDS:
        assert f"`{kind}`" in doc, kind
    text = metrics.render({**_sample_with("x"), "read_seconds": 0.1})
    for name in metrics.names(text):
        assert f"`{name}`" in doc, name
