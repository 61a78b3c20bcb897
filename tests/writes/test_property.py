"""Issue 3.6: random sequences of write calls (valid and invalid arguments, reboots,
restores, clock jumps) never lock the twin's chip, and a refused call leaves every config file
byte-identical. The control test shows the same harness catches a lock when the safety module
is bypassed — so the property can fail."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writes.conftest import RADIOS_ONLY

RADIOS = st.sampled_from(["radio0", "radio1", "radio2", "radio9"])
SSIDS = st.sampled_from(["Home", "Guest", "Upstream-WiFi", "Upstream-MLO", "", "x" * 40])
ENCS = st.sampled_from(["psk2", "sae", "sae-mixed", "owe", "none", "wep-bogus"])
KEYS = st.sampled_from([None, "lan-password", "short", "upstream-pass", "upstream-mlo-key"])

CALL = st.one_of(
    st.builds(lambda rs, s, k: ("mlo_ap", {"radios": rs, "ssid": s, "key": k or "x"}),
              st.lists(RADIOS, min_size=1, max_size=3, unique=True), SSIDS, KEYS),
    st.builds(lambda r, s, e, k: ("ap", {"radio": r, "ssid": s, "encryption": e,
                                         **({"key": k} if k else {})}), RADIOS, SSIDS, ENCS,
              KEYS),
    st.builds(lambda r, m, s, e, k: ("station", {"ssid": s, "encryption": e,
                                                 **({"key": k} if k else {}),
                                                 **({"mlo": True} if m else {"radio": r})}),
              RADIOS, st.booleans(), SSIDS, ENCS, KEYS),
    st.builds(lambda r, m: ("wds", {"radio": r, "ssid": "Upstream-MLO", "encryption": "sae",
                                    "key": "upstream-mlo-key", "mode": m}), RADIOS,
              st.sampled_from(["wds", "relayd", "bogus"])),
    st.builds(lambda u, a: ("repeater", {"uplink_radio": u, "uplink_ssid": "Upstream-WiFi",
                                         "uplink_encryption": "psk2",
                                         "uplink_key": "upstream-pass", "ap_radio": a,
                                         "ap_ssid": "Rep", "ap_encryption": "sae",
                                         "ap_key": "rep-password"}), RADIOS, RADIOS),
    st.builds(lambda c: ("country", {"country": c}), st.sampled_from(["CZ", "US", "XX"])),
    st.builds(lambda r, c, h: ("radio_set", {"radio": r, **({"channel": c} if c else {}),
                                             **({"htmode": h} if h else {})}),
              RADIOS, st.sampled_from([None, "auto", "36", "149", "6", "37", "999"]),
              st.sampled_from([None, "EHT40", "EHT160", "EHT320", "HT20"])),
    st.builds(lambda i, v: ("network_set", {"section": f"wifinet{i}", "values": v}),
              st.integers(0, 3), st.sampled_from([{"ssid": "Renamed"}, {"disabled": "1"},
                                                  {"disabled": "0"}, {"device": "radio1"},
                                                  {"encryption": "psk2"}, {"mode": "ap"}])),
    st.builds(lambda i: ("network_remove", {"section": f"wifinet{i}"}), st.integers(0, 3)),
    st.builds(lambda t: ("restore", {"config": t}), st.sampled_from(["RADIOS", "X2", "junk"])),
    st.just(("reboot", {})),
    st.builds(lambda s: ("advance", s), st.sampled_from([5, 90, 400])),
)

X2 = RADIOS_ONLY + """
config wifi-iface 'mld'
	list device 'radio0'
	list device 'radio1'
	option mode 'ap'
	option mlo '1'
	option ssid 'M'
	option encryption 'sae'
	option key 'mld-password'

config wifi-iface 'a'
	option device 'radio1'
	option mode 'ap'
	option ssid 'a'
	option encryption 'none'

config wifi-iface 'b'
	option device 'radio1'
	option mode 'ap'
	option ssid 'b'
	option encryption 'none'
"""


def _bytes(confdir: str) -> dict[str, bytes]:
    out = {}
    for name in ("wireless", "network", "dhcp", "firewall"):
        with open(os.path.join(confdir, name), "rb") as fh:
            out[name] = fh.read()
    return out


def run_sequence(tmpdir: str, actions) -> str | None:
    """Run ``actions`` on a fresh twin; return the first broken invariant (or None)."""
    from wifimgr import platform
    from wifimgr.api import dispatch
    from wifimgr.sim import open_twin

    os.environ["WIFIMGR_SIM"] = tmpdir
    twin = open_twin(tmpdir)
    twin.freeze()
    twin.advance(90)
    platform.set_system(None)
    assert dispatch("restore", {"config": RADIOS_ONLY})["ok"]
    for n, (method, args) in enumerate(actions):
        if method == "advance":
            twin.advance(args)
            continue
        if method == "restore":
            args = {"config": {"RADIOS": RADIOS_ONLY, "X2": X2, "junk": "config x\n'"}[
                args["config"]]}
        before = _bytes(twin.confdir)
        reply = dispatch(method, args)
        if not reply.get("ok", True) and _bytes(twin.confdir) != before:
            return f"step {n} {method}: refused but the config changed"
        twin.advance(10)
        if twin.load()["chip"]["locked"]:
            return f"step {n} {method}{args}: the chip locked"
    return None


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(CALL, min_size=1, max_size=10))
def test_random_write_sequences_never_lock_the_chip(tmp_path_factory, actions):
    d = str(tmp_path_factory.mktemp("twin"))
    assert run_sequence(d, actions) is None


def test_control_the_harness_catches_a_lock_when_safety_is_bypassed(tmp_path, monkeypatch):
    from wifimgr import safety

    def allow_everything(applied, proposed):
        v = safety.Verdict()
        v.apply = "reload"
        return v

    seq = [("mlo_ap", {"radios": ["radio0", "radio1"], "ssid": "M", "key": "mld-password"}),
           ("advance", 90),
           ("ap", {"radio": "radio1", "ssid": "a", "encryption": "none"}),
           ("ap", {"radio": "radio1", "ssid": "b", "encryption": "none"})]
    assert run_sequence(str(tmp_path / "safe"), seq) is None
    monkeypatch.setattr(safety, "judge", allow_everything)
    result = run_sequence(str(tmp_path / "bypassed"), seq)
    assert result is not None and "the chip locked" in result
