"""Issue 25, part 6: every tab and every wizard in the theme's light and dark mode and on a
390×844 phone — screenshots (``look-<variant>-<page>.png``; ``luci-`` / ``luci-material-``
prefixed in the real runtime), looked at by the maintainer. The page must render there: the
tab's content is present, nothing overflows the phone's width, no console error."""

from __future__ import annotations

import pytest
from harness import TABS, close_modal, open_wizard

WIZARDS = ("mlo_ap", "ap", "station", "wds", "repeater", "country")
VARIANTS = (("light", "light", None), ("dark", "dark", None), ("phone", "light", (390, 844)))


def _variant(b, scheme: str, size) -> None:
    b.d.execute_cdp_cmd("Emulation.setEmulatedMedia",
                        {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    if size:
        b.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": size[0], "height": size[1], "deviceScaleFactor": 1,
                             "mobile": True})
    else:
        b.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("variant", [v[0] for v in VARIANTS])
def test_every_page_looks_right(browser, variant):
    _name, scheme, size = next(v for v in VARIANTS if v[0] == variant)
    b = browser
    if not b.finds(".wm-header"):
        b.login()
    _variant(b, scheme, size)
    try:
        for tab in TABS:
            b.tab(tab)
            b.until(lambda: b.finds("#view h3, #view .wm-card, #view .cbi-section"), 30,
                    f"{tab} content")
            b.shot(f"look-{variant}-{tab}")
            if size:
                wide = b.js("var v = document.getElementById('view');"
                            "return [v.scrollWidth, v.clientWidth];")
                assert wide[0] <= wide[1] + 2, f"{tab}: {wide[0]}px of content in {wide[1]}px"
        for kind in WIZARDS:
            if kind == "country":
                b.tab("networks")
                b.js("L.require('wifimgr.wizards').then(function(w) { w.open('country'); });")
                b.wait(".modal #wm-wizard-submit")
            else:
                open_wizard(b, kind)
            b.shot(f"look-{variant}-wizard-{kind}")
            close_modal(b)
        assert b.console_errors() == []
    finally:
        _variant(b, "light", None)
