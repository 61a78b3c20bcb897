"""hostapd_cli / wpa_cli / dmesg / mt76 debugfs parsers."""

from __future__ import annotations

import pytest

from support import fixture_text
from wifimgr.core.errors import ParseError
from wifimgr.parse import dmesg, hostapd


@pytest.mark.parametrize(
    ("text", "kind"),
    [("OK\n", "ok"), ("FAIL\n", "fail"), ("FAIL-BUSY\n", "busy"),
     ("Failed to connect to hostapd - wpa_ctrl_open: No such file or directory\n", "error"),
     ("UNKNOWN COMMAND\n", "error"), ("Default mapping\n", "payload")],
)
def test_classify_reply(text, kind):
    assert hostapd.classify_reply(text) == kind


def test_neg_ttlm_real_bpi_r4_capture():
    st = hostapd.parse_neg_ttlm(fixture_text("captures/wozi-forum-bpi-r4/get-neg-ttlm.out"))
    assert st.active
    assert st.tids == {0: (7, 7), 1: (3, 3), 2: (3, 3), 3: (7, 7), 4: (6, 6), 5: (6, 6),
                       6: (2, 2), 7: (2, 2)}


def test_neg_ttlm_and_attlm_inactive_real_replies():
    assert not hostapd.parse_neg_ttlm(
        fixture_text("captures/wozi-notes-bpi-r4/get-neg-ttlm-inactive.out")).active
    assert not hostapd.parse_attlm(
        fixture_text("captures/wozi-notes-bpi-r4/get-attlm-inactive.out")).active
    with pytest.raises(ParseError):
        hostapd.parse_neg_ttlm("FAIL\n")


def test_dmesg_real_locked_capture():
    h = dmesg.parse(fixture_text("captures/wozi-forum-bpi-r4/dmesg-semaphore-locked.out"))
    assert h.locked and h.mcu_timeouts == 2
    assert any("Failed to release patch semaphore" in e for e in h.evidence)


def test_dmesg_recovered_after_later_good_probe():
    text = (fixture_text("captures/wozi-forum-bpi-r4/dmesg-semaphore-locked.out")
            + "[ 9.1] mt7996e 0000:01:00.0: HW/SW Version: 0x8a108a10, Build Time: 20240823161246a\n"
            + "[ 9.2] mt7996e 0000:01:00.0: WM Firmware Version: ____000000, Build Time: 20240823161319\n")
    h = dmesg.parse(text)
    assert not h.locked and h.probed
    assert [f.component for f in h.firmware] == ["HW/SW", "WM Firmware"]
    assert dmesg.parse("nothing here\n").locked is False
