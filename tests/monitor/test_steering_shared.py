"""The steering daemon reads the monitor's sample instead of gathering twice (behind its
gather seam), and its Neg-TTLM maps are events of the timeline."""

from __future__ import annotations

from wifimgr.monitor import daemon as monitor
from wifimgr.observe import events
from wifimgr.steering.daemon import Daemon


def _enable_steering(system):
    pkg = system.uci.load("wifimgr")
    sec = pkg.get("steering") or pkg.add("steering", "steering")
    sec.set("enabled", "1")
    system.uci.commit(pkg)


def _recording(system, monkeypatch):
    ran: list[str] = []
    real = system.run.run

    def run(argv, **kw):
        ran.append(" ".join(argv))
        return real(argv, **kw)

    monkeypatch.setattr(system.run, "run", run)
    return ran


def test_the_daemon_uses_a_fresh_monitor_sample(router, twin, monkeypatch):
    _enable_steering(router)
    monitor.once(router)
    ran = _recording(router, monkeypatch)
    d = Daemon(router)
    dec = d.cycle()
    assert dec is not None and d.state is not None
    assert not [c for c in ran if c.startswith("iw ") or c.endswith(" all_sta")], ran
    assert any(c.endswith("get_attlm") for c in ran)       # its own read-back, always fresh


def test_without_a_fresh_sample_the_daemon_gathers_itself(router, twin, monkeypatch):
    _enable_steering(router)
    monitor.once(router)
    twin.advance(60)                                        # the monitor stopped a while ago
    ran = _recording(router, monkeypatch)
    Daemon(router).cycle()
    assert "iw dev ap-mld-1 station dump" in ran and "hostapd_cli -i ap-mld-1 all_sta" in ran


def test_neg_ttlm_maps_are_events(router, twin):
    _enable_steering(router)
    d = Daemon(router)
    for _ in range(4):
        d.cycle()
        twin.advance(10)
    evs, _n = events.read(router, kinds=["neg_ttlm"], limit=100)
    assert evs, "the MLMR client of the factory scene gets a Neg-TTLM map"
    assert evs[0]["mac"] == "3e:35:54:dc:99:02" and "TIDs" in evs[0]["message"]
