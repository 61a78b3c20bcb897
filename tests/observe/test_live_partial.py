"""The live reader turns an unreadable reply into a partial result with a note for that datum:
one bad line never fails a whole read call."""

from __future__ import annotations

import pytest

from wifimgr.platform.run import CmdResult
from wifimgr.surface.api import dispatch, is_error

#: replies their parsers cannot read
BROKEN = {
    "station": "Station zz (on ap-mld-1)\n\tsignal: 0.-5\n",
    "survey": "\tnoise:\t-90 dBm\n",
}


def _break(system, monkeypatch, which: str) -> None:
    real = system.run.run

    def run(argv, **kw):
        res = real(argv, **kw)
        a = list(argv)
        if which == "station" and a[:1] == ["iw"] and "station" in a:
            return CmdResult(a, 0, BROKEN["station"], "")
        if which == "survey" and a[:1] == ["iw"] and "survey" in a:
            return CmdResult(a, 0, BROKEN["survey"], "")
        if which == "dmesg" and a[:1] == ["dmesg"]:
            return CmdResult(a, 0, "\udcff" * 3 + "\n", "")
        return res

    monkeypatch.setattr(system.run, "run", run)


@pytest.mark.parametrize(("method", "which"), [
    ("clients", "station"), ("radios", "survey"), ("diagnostics", "station"),
    ("diagnostics", "dmesg")])
def test_an_unreadable_reply_is_a_note_not_a_failed_call(system, monkeypatch, method, which):
    _break(system, monkeypatch, which)
    reply = dispatch(method, {})
    assert not is_error(reply), reply
    if which != "dmesg":
        assert any("could not parse" in n for n in reply.get("notes", [])), reply.get("notes")


def test_a_parser_bug_other_than_parse_error_is_a_note_too(system, monkeypatch):
    from wifimgr.parse import iw_station

    def boom(text):
        raise ZeroDivisionError("parser bug")

    monkeypatch.setattr(iw_station, "parse_station_dump", boom)
    reply = dispatch("clients", {})
    assert not is_error(reply)
    assert any("ZeroDivisionError" in n for n in reply["notes"])


def test_control_without_the_net_the_call_fails(system, monkeypatch):
    # control: a _parse that lets errors through makes the same broken reply fail the call
    from wifimgr.observe.live import Live

    _break(system, monkeypatch, "station")

    def strict(self, fn, text, what):
        return None if text is None else fn(text)

    monkeypatch.setattr(Live, "_parse", strict)
    assert is_error(dispatch("clients", {}))
