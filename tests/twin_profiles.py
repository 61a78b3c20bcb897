"""A twin of each profile as its owner runs it, for the per-profile twin and conformance tests.

The MTK SDK profile boots its factory config (three radios, the factory MLD ``ap-mld-1``). A
mainline profile's factory config has every radio disabled and no MLD (mainline
``lib/wifi/mac80211.uc``): the owner enables the radios with a country and fixed channels and
adds the MLO AP the way 25.12's netifd reads it — ``option device 'radio0 radio1'``, a
space-separated option, and no ``ifname`` (netifd names it ``ap-mld0``).
"""

from __future__ import annotations

from wifimgr.sim import profiles
from wifimgr.sim.profiles import owner_setup

ALL = list(profiles.PROFILES)
MAINLINE = [n for n, p in profiles.PROFILES.items() if p.hostapd == "upstream"]
#: the MLD each profile runs in the owner's setup
MLD = {n: p.factory_mld or profiles.MLD_PATTERN.format(mode="ap", n=0)
       for n, p in profiles.PROFILES.items()}

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
