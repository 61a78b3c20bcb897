"""A write whose configuration is changed by another program (LuCI's Save & Apply, the uci CLI)
between reading it and committing it is refused: the safety verdict was taken on what was read,
so committing on top of the other change could produce a combination nobody judged."""

from __future__ import annotations

import os

from transaction.conftest import config_bytes
from wifimgr.rules import safety
from wifimgr.surface.api import dispatch


def test_a_concurrent_commit_makes_the_write_fail_and_change_nothing(clean_twin, monkeypatch):
    path = os.path.join(clean_twin.confdir, "wireless")
    real_judge = safety.judge

    def judge_while_luci_saves(live, proposed, caps=None):
        with open(path, "a") as fh:      # LuCI commits a guest AP meanwhile
            fh.write("\nconfig wifi-iface 'guest'\n\toption device 'radio0'\n"
                     "\toption mode 'ap'\n\toption ssid 'Guest'\n")
        return real_judge(live, proposed, caps)

    monkeypatch.setattr(safety, "judge", judge_while_luci_saves)
    reply = dispatch("ap", {"radio": "radio1", "ssid": "Mine", "encryption": "psk2",
                            "key": "lan-password"})
    assert reply["ok"] is False and reply["error"]["code"] == "conflict", reply
    assert "changed by another program" in reply["error"]["message"]
    after = config_bytes(clean_twin)
    assert b"'Guest'" in after["wireless"] and b"'Mine'" not in after["wireless"]

    monkeypatch.setattr(safety, "judge", real_judge)   # trying again works on the new file
    again = dispatch("ap", {"radio": "radio1", "ssid": "Mine", "encryption": "psk2",
                            "key": "lan-password"})
    assert again["ok"], again
    text = config_bytes(clean_twin)["wireless"]
    assert b"'Guest'" in text and b"'Mine'" in text
