"""A twin of each profile as its owner runs it, for the per-profile twin and conformance tests.

The MTK SDK profile boots its factory config (three radios, the factory MLD ``ap-mld-1``). A
mainline profile's factory config has every radio disabled and no MLD (mainline
``lib/wifi/mac80211.uc``): the owner enables the radios with a country and fixed channels and
adds the MLO AP the way 25.12's netifd reads it — ``option device 'radio0 radio1'``, a
space-separated option, and no ``ifname`` (netifd names it ``ap-mld0``).
"""

from __future__ import annotations

from wifimgr.sim import profiles

ALL = list(profiles.PROFILES)
MAINLINE = [n for n, p in profiles.PROFILES.items() if p.hostapd == "upstream"]
#: the MLD each profile runs in the owner's setup
MLD = {n: p.factory_mld or profiles.MLD_PATTERN.format(mode="ap", n=0)
       for n, p in profiles.PROFILES.items()}

FIXED = {"2g": "6", "5g": "36", "6g": "37"}


def owner_setup(twin, profile: str, *, acs: bool = False, devices: str = "radio0 radio1") -> None:
    """Turn a fresh mainline twin into the owner's: radios on (country DE, fixed channels, or
    ``channel auto`` everywhere with ``acs``), the MLO AP over ``devices``; then reboot (an
    MLO change needs one) and let boot and the DFS CAC pass."""
    if profiles.get(profile).hostapd == "mtk":
        twin.advance(90)
        return
    system = twin.system()
    with system.uci.lock():
        pkg = system.uci.load("wireless")
        for sec in pkg.of_type("wifi-device"):
            sec.set("disabled", None)
            sec.set("country", "DE")
            sec.set("channel", "auto" if acs else FIXED[sec.get_str("band")])
        mld = pkg.add("wifi-iface", "mld")
        for k, v in {"device": devices, "network": "lan", "mode": "ap", "mlo": "1",
                     "ssid": "Home-MLO", "encryption": "sae", "key": "secret-pass"}.items():
            mld.set(k, v)
        system.uci.commit(pkg)
    twin.reboot()
    twin.advance(90)


def make_twin(tmp_path, monkeypatch, profile: str, **kw):
    """(twin, system) of ``profile`` in the owner's setup, selected through WIFIMGR_SIM."""
    from wifimgr.host import system as system_root
    from wifimgr.host.system import get_system
    from wifimgr.sim import Twin

    d = tmp_path / f"twin-{profile}"
    monkeypatch.setenv("WIFIMGR_SIM", str(d))
    t = Twin(str(d))
    t.create(profile=profile)
    t.freeze()
    owner_setup(t, profile, **kw)
    system_root.set_system(None)
    return t, get_system(refresh=True)
