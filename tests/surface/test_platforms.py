"""docs/platforms.md is the capability map of every twin profile × the features, as rendered
now: a change of the map (a capability, a feature's needs, a profile) that is not written to
the page fails here."""

from __future__ import annotations

import pathlib

from wifimgr.model import capabilities as cap
from wifimgr.surface.platforms import profile_maps, render

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "platforms.md"


def test_the_page_is_the_map():
    assert DOC.read_text() == render(profile_maps()), \
        "run `wifimgr platforms-doc > docs/platforms.md`"


def test_a_changed_map_changes_the_page():
    maps = profile_maps()
    title, caps = maps[0]
    assert cap.features(caps)["link_policy"]["available"]
    caps.attlm = False                                # the control: one capability less
    changed = render([(title, caps), *maps[1:]])
    assert changed != DOC.read_text()
    row = next(ln for ln in changed.splitlines() if "(`link_policy`)" in ln)
    assert row.split(" | ")[1].startswith("disabled: advertised TID-to-link mapping")
