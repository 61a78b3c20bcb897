"""Per-link hostapd status on each stack: the MTK SDK's hostapd_cli takes ``-l <link>``;
upstream hostapd has one control socket per link (``<mld>_link<N>``, hostap 14cb3906) and its
hostapd_cli has no ``-l`` at all. The networks reply reads every MLD link's state either way."""

from __future__ import annotations

import pytest

from twin_profiles import ALL, MLD, make_twin
from wifimgr.observe.live import Live
from wifimgr.surface.api import dispatch


@pytest.mark.parametrize("profile", ALL)
def test_every_mld_link_is_read(tmp_path, monkeypatch, profile):
    _twin, system = make_twin(tmp_path, monkeypatch, profile)
    asked: list[tuple[str, ...]] = []
    real = system.run.run

    def run(argv, **kw):
        asked.append(tuple(argv))
        return real(argv, **kw)

    monkeypatch.setattr(system.run, "run", run)
    lv = Live(system)
    mld = lv.interface(MLD[profile])
    assert mld is not None and len(mld.links) >= 2
    for ln in mld.links:
        st = lv.hostapd_status(MLD[profile], ln.link_id)
        assert st is not None and st.state == "ENABLED", (profile, ln.link_id)
    per_link = [a for a in asked if a[0] == "hostapd_cli"]
    if profile.endswith("mainline"):
        assert all("-l" not in a and a[2].startswith(f"{MLD[profile]}_link") for a in per_link)
    else:
        assert all("-l" in a for a in per_link)
    net = next(n for n in dispatch("networks")["networks"] if n.get("mlo"))
    states = [ln["state"] for ln in net["links"]]
    assert len(states) >= 2 and set(states) == {"ENABLED"}, net["links"]


def test_without_the_link_socket_mainline_refuses_dash_l(tmp_path, monkeypatch):
    """The control: asking upstream hostapd_cli with ``-l`` (what wifimgr did before) gets its
    usage text, not the link's status."""
    _twin, system = make_twin(tmp_path, monkeypatch, "bpi-r4-mainline")
    res = system.run.run(["hostapd_cli", "-i", "ap-mld0", "-l", "0", "status"])
    assert res.rc != 0 and "usage" in (res.stdout + res.stderr).lower()
