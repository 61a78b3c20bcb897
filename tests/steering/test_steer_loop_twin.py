"""The policy closed over the twin, the way the daemon will run it: the twin prints what iw and
hostapd_cli print, the parsers read it, gather.py builds the sample, the actions go back through
hostapd_cli and the replies (text, not exit codes) become the next sample's results."""

from __future__ import annotations

from wifimgr.parse import hostapd as hp
from wifimgr.parse import iw_dev, iw_station, iw_survey
from wifimgr.parse.common import is_mac
from wifimgr.settings.steering import DEFAULTS
from wifimgr.steering import gather, policy

IF = "ap-mld-1"
BPI, IPHONE = "3e:35:54:dc:99:02", "d2:43:8f:7b:e6:eb"


class Loop:
    def __init__(self, twin, cfg=DEFAULTS):
        self.twin, self.cfg = twin, cfg
        self.system = twin.system()
        self.state = None
        self.results: dict[str, str] = {}
        self.decisions = []
        self.commands: list[tuple[list[str], str]] = []

    def run(self, *argv: str) -> str:
        return self.system.run.run(list(argv), timeout=5).stdout

    def gather(self):
        iface = next(i for i in iw_dev.parse_dev(self.run("iw", "dev", IF, "info")) if i.name == IF)
        info = hp.parse_sta_list(self.run("hostapd_cli", "-i", IF, "all_sta"))
        neg = {s.mac: hp.parse_neg_ttlm(self.run("hostapd_cli", "-i", IF, "get_neg_ttlm", s.mac))
               for s in info if s.is_mld}
        return gather.sample(
            self.system.clock(), iface,
            iw_station.parse_station_dump(self.run("iw", "dev", IF, "station", "dump")),
            iw_survey.parse_survey(self.run("iw", "dev", IF, "survey", "dump")), info,
            attlm=hp.parse_attlm(self.run("hostapd_cli", "-i", IF, "get_attlm")),
            neg_ttlm=neg, btwt=hp.parse_btwt(self.run("hostapd_cli", "-i", IF, "get_btwt")),
            results=self.results)

    def cycle(self):
        d = policy.step(self.cfg, self.state, self.gather())
        self.state, self.results = d.state, {}
        for a in d.actions:
            outs = []
            for argv in a.commands():
                reply = self.run("hostapd_cli", "-i", IF, *argv)
                outs.append(gather.outcome(reply))
                self.commands.append((argv, reply.strip()))
            self.results[a.key] = next((o for o in outs if o != "ok"), "ok")
        self.decisions.append(d)
        self.twin.advance(self.cfg.interval)
        return d


def test_default_scene_maps_the_mlmr_client_and_keeps_everything_on(twin):
    loop = Loop(twin)
    for _ in range(8):
        loop.cycle()
    s = {v.mac: v for v in loop.decisions[-1].stations}
    assert (s[BPI].kind, s[BPI].steer, s[BPI].neg_ttlm) == ("mlmr", "neg_ttlm", "active")
    assert (s[IPHONE].kind, s[IPHONE].steer) == ("mlsr", "attlm")
    # the twin's hostapd holds the map the policy asked for, read back through the parser
    nt = hp.parse_neg_ttlm(loop.run("hostapd_cli", "-i", IF, "get_neg_ttlm", BPI))
    assert {t: m[1] for t, m in nt.tids.items()} == dict(enumerate((7, 3, 3, 7, 6, 6, 2, 2)))
    requests = [a for a, _ in loop.commands if a[:2] == ["negotiated_ttlm", "request"]]
    assert len(requests) == 1                   # asked once, not every cycle
    assert all(d.mask_on_air == 0 for d in loop.decisions)
    assert all(r == "OK" for _, r in loop.commands)


def test_a_noisy_6g_channel_is_steered_off_through_hostapd(twin):
    # the iPhone sits on 6 GHz (its strongest link), then 6 GHz gets noisy: SNR ~2 dB
    with twin.edit() as st:
        for sta in st["stations"]:
            if sta["mac"] == IPHONE:
                sta["signal"]["6g"] = -55
    loop = Loop(twin)
    loop.cycle()
    twin.set_rf("6g", noise=-57)
    for _ in range(8):
        loop.cycle()
    sent = [a for a, r in loop.commands if a[0] == "set_attlm"]
    assert sent == [["set_attlm", "disabled_links=4", "switch_time=200", "duration=300000",
                     "link_mapping_size=0"]]
    # read back from the twin: 6 GHz advertised off, links 0 and 1 still mapped
    state = hp.parse_attlm(loop.run("hostapd_cli", "-i", IF, "get_attlm"))
    assert state.active and state.enabled_links == 0b011
    assert loop.decisions[-1].mask_on_air == 0b100
    # our Neg-TTLM went first (A-TTLM and Neg-TTLM do not mix)
    kinds = [a[:2] for a, _ in loop.commands]
    assert kinds.index(["negotiated_ttlm", "teardown"]) < kinds.index(["set_attlm",
                                                                      "disabled_links=4"])
    assert all(is_mac(a[2]) for a in (x for x, _ in loop.commands) if a[0] == "negotiated_ttlm")
