"""The twin's profiles (issue 23): listing and starting one, the state key, and what each stack
prints where the stacks differ — read through the platform ports and the real parsers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from twin_profiles import ALL, MAINLINE, MLD, make_twin
from wifimgr.parse import hostapd as hp
from wifimgr.parse import iw_dev, iw_phy
from wifimgr.sim import Twin, profiles
from wifimgr.sim.cli import sim

PROBES = {"attlm": ["GET_ATTLM"], "neg_ttlm": ["GET_NEG_TTLM", "00:00:00:00:00:00"],
          "twt": ["GET_BROADCAST_TWT"]}


def run(system, *argv):
    return system.run.run(list(argv))


# ------------------------------------------------------------------ listing and starting
def test_profiles_are_listed_one_a_line_and_as_json():
    out = CliRunner().invoke(sim, ["profiles"])
    assert out.exit_code == 0
    lines = out.output.splitlines()
    assert [ln.split()[0] for ln in lines] == ALL and len(ALL) >= 3
    assert "(default)" in lines[0] and lines[0].startswith("bpi-r4-mtk ")
    data = json.loads(CliRunner().invoke(sim, ["profiles", "--json"]).output)
    assert [d["name"] for d in data] == ALL
    assert [d["name"] for d in data if d["default"]] == ["bpi-r4-mtk"]
    assert any(d["bands"] == ["2g", "5g"] for d in data)            # a two-band router
    assert all(d["sources"] and d["title"] for d in data)


def test_reset_profile_records_it_and_status_shows_it(tmp_path, monkeypatch):
    monkeypatch.setenv("WIFIMGR_SIM", str(tmp_path / "t"))
    out = CliRunner().invoke(sim, ["reset", "--profile", "be7200-mainline"])
    assert out.exit_code == 0, out.output
    st = json.loads((tmp_path / "t" / "twin.json").read_text())
    assert st["profile"] == "be7200-mainline"
    shown = json.loads(CliRunner().invoke(sim, ["status", "--json"]).output)
    assert shown["profile"] == "be7200-mainline"
    wireless = (tmp_path / "t" / "etc" / "config" / "wireless").read_text()
    assert "radio2" not in wireless and "mlo" not in wireless


def test_reset_with_an_unknown_profile_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("WIFIMGR_SIM", str(tmp_path / "t"))
    assert CliRunner().invoke(sim, ["reset", "--profile", "bpi-r4-mainline"]).exit_code == 0
    files = {p: p.read_bytes() for p in (tmp_path / "t").rglob("*") if p.is_file()}
    out = CliRunner().invoke(sim, ["reset", "--profile", "bpi-r4-nope"])
    assert out.exit_code == 2 and "no profile 'bpi-r4-nope'" in out.output
    assert "bpi-r4-mtk" in out.output                               # the names it knows
    assert {p: p.read_bytes() for p in (tmp_path / "t").rglob("*") if p.is_file()} == files
    with pytest.raises(KeyError):
        Twin(str(tmp_path / "u")).create(profile="bpi-r4-nope")
    assert not (tmp_path / "u").exists()


def test_default_and_old_state_files_are_the_mtk_profile(twin):
    assert twin.load()["profile"] == "bpi-r4-mtk" == twin.profile().name
    with twin.edit() as st:
        del st["profile"]                                   # a state file from before issue 23
    assert twin.profile().name == "bpi-r4-mtk"
    assert twin.system().bus.call("system", "board")["board_name"] == "bananapi,bpi-r4"


# ------------------------------------------------------------------ what each stack prints
@pytest.mark.parametrize("profile", ALL)
def test_capability_probes(tmp_path, monkeypatch, profile):
    _twin, system = make_twin(tmp_path, monkeypatch, profile)
    mtk = profiles.get(profile).hostapd == "mtk"
    for cap, cmd in PROBES.items():
        r = run(system, "hostapd_cli", "-i", MLD[profile], "raw", *cmd)
        assert r.rc == 0, (cap, r)
        if mtk:
            assert r.stdout != "UNKNOWN COMMAND\n", cap
        else:
            assert r.stdout == "UNKNOWN COMMAND\n", cap
    if mtk:
        assert run(system, "hostapd_cli", "-i", MLD[profile], "raw", "GET_ATTLM").stdout == \
            "Default mapping\n"
        # patch 0167: hostapd_ctrl_read_sta() finds no such station → FAIL
        assert run(system, "hostapd_cli", "-i", MLD[profile], "raw", *PROBES["neg_ttlm"]
                   ).stdout == "FAIL\n"
    # hostapd matches control commands case-sensitively
    assert run(system, "hostapd_cli", "-i", MLD[profile], "raw", "get_attlm").stdout == \
        "UNKNOWN COMMAND\n"


@pytest.mark.parametrize("profile", MAINLINE)
def test_mtk_only_commands_upstream(tmp_path, monkeypatch, profile):
    twin, system = make_twin(tmp_path, monkeypatch, profile)
    before = twin.load()["hostapd"]
    for cmd in ("set_attlm disabled_links=2 switch_time=100 duration=1000",
                "negotiated_ttlm request 3e:35:54:dc:99:02 dir=2 num_tids=1 0 1",
                "add_btwt 1 255 10 10", "get_btwt", "get_attlm"):
        name, *args = cmd.split()
        r = run(system, "hostapd_cli", "-i", "ap-mld0", name, *args)
        assert (r.rc, r.stdout) == (0, f"Unknown command '{name}'\n")      # hostapd_cli's own
    for raw in (["SET_ATTLM", "disabled_links=2"], ["NEGOTIATED_TTLM", "request"],
                ["ADD_BROADCAST_TWT", "1", "255", "10", "10"], ["NEG_TTLM_TEARDOWN", "x"]):
        assert run(system, "hostapd_cli", "-i", "ap-mld0", "raw", *raw).stdout == \
            "UNKNOWN COMMAND\n"
    assert twin.load()["hostapd"] == before


@pytest.mark.parametrize("profile", MAINLINE)
def test_upstream_per_link_sockets_and_no_dash_l(tmp_path, monkeypatch, profile):
    _twin, system = make_twin(tmp_path, monkeypatch, profile)
    links = {}
    for n in (0, 1):
        r = run(system, "hostapd_cli", "-i", f"ap-mld0_link{n}", "status")
        assert r.rc == 0
        links[n] = hp.parse_status(r.stdout)
    assert links[0].freq_mhz != links[1].freq_mhz
    text = run(system, "hostapd_cli", "-i", "ap-mld0_link1", "status").stdout
    assert "num_links=2\nlink_id=1\n" in text and "partner_link[0]=" in text
    # the MLD-level socket answers for the first link, or the link of a `LINKID <id>`
    # prefix (hostap 14cb3906)
    assert "link_id=0\n" in run(system, "hostapd_cli", "-i", "ap-mld0", "status").stdout
    assert "link_id=1\n" in run(system, "hostapd_cli", "-i", "ap-mld0", "raw", "LINKID", "1",
                                 "STATUS").stdout
    r = run(system, "hostapd_cli", "-i", "ap-mld0", "-l", "1", "status")
    assert r.rc == 255 and r.stdout == ""
    assert r.stderr.startswith("hostapd_cli: unrecognized option: l\nhostapd_cli v2.11-devel\n")
    assert "usage: hostapd_cli [-p<path>] [-i<ifname>] [-hvBr] [-a<path>] \\\n" in r.stderr
    assert run(system, "hostapd_cli", "-i", "ap-mld0_link7", "status").rc == 255


def test_mtk_keeps_dash_l(system):
    r = run(system, "hostapd_cli", "-i", "ap-mld-1", "-l", "2", "status")
    assert r.rc == 0 and "link_id=2\n" in r.stdout


def _radios_lines(text: str) -> dict[str, str]:
    out, name = {}, None
    for ln in text.splitlines():
        s = ln.strip()
        if s.startswith("Interface "):
            name = s.split()[1]
        elif s.startswith("Radios:") and name:
            out[name] = s
    return out


@pytest.mark.parametrize("profile", ALL)
def test_iw_dev_radios_lines_and_mld_name(tmp_path, monkeypatch, profile):
    _twin, system = make_twin(tmp_path, monkeypatch, profile)
    text = run(system, "iw", "dev").stdout
    lines = _radios_lines(text)
    ifaces = {i.name: i for i in iw_dev.parse_dev(text)}
    mld = ifaces[MLD[profile]]
    assert mld.links and lines[mld.name] == "Radios: " + " ".join(
        str(n) for n in sorted(ln_radio for ln_radio in range(len(mld.links))))
    prof = profiles.get(profile)
    if prof.vif_radio_line == "capture-18487":
        # captures/openwrt-18487-bpi-r4: radio 0's vif `Radios: 0`, the others every radio
        every = "Radios: " + " ".join(str(i) for i in prof.radio_indices)
        assert lines["phy0.0-ap0"] == "Radios: 0"
        assert lines["phy0.1-ap0"] == every
    else:
        assert lines["phy0.1-ap0"] == "Radios: 1" and lines["phy0.2-ap0"] == "Radios: 2"


@pytest.mark.parametrize("profile", ALL)
def test_mld_link_txpower_per_stack(tmp_path, monkeypatch, profile):
    _twin, system = make_twin(tmp_path, monkeypatch, profile)
    if profile == "bpi-r4-mtk":
        system.run.run(["iw", "phy", "phy0", "set", "txpower", "fixed", "1000", "radio", "0"])
    mld = next(i for i in iw_dev.parse_dev(run(system, "iw", "dev").stdout)
               if i.name == MLD[profile])
    powers = [ln.txpower_dbm for ln in mld.links]
    if profiles.get(profile).per_link_txpower:
        assert len(set(powers)) > 1, powers
    else:
        # upstream mt7996_get_txpower: the default link's (the mask's last radio) on every link
        legacy = {i.name: i.txpower_dbm for i in iw_dev.parse_dev(run(system, "iw", "dev").stdout)}
        assert len(set(powers)) == 1 and legacy["phy0.0-ap0"] != powers[0], (powers, legacy)


def test_mt7992_has_two_radios_everywhere(tmp_path, monkeypatch):
    twin, system = make_twin(tmp_path, monkeypatch, "be7200-mainline")
    st = twin.load()
    assert sorted(st["txpower"]) == ["0", "1"] and sorted(st["rf"]) == ["2g", "5g"]
    assert all(nb["band"] != "6g" for nb in st["neighbours"])
    assert all("6g" not in s["signal"] for s in st["stations"])
    phys = iw_phy.parse_phy(run(system, "iw", "phy").stdout)
    assert [r.index for r in phys[0].radios] == [0, 1]
    assert sorted(phys[0].bands) == [1, 2] and not phys[0].eht_320
    assert len(system.fs.glob("/sys/devices/platform/*/ieee80211/phy0/hwmon*/name")) == 2
    assert set(system.bus.call("network.wireless", "status")) == {"radio0", "radio1"}
    with pytest.raises(ValueError, match="2g, 5g"):
        twin.set_rf("6g", busy=10)
    # a hand-written 6 GHz radio finds no phy on this board
    with system.uci.lock():
        pkg = system.uci.load("wireless")
        sec = pkg.add("wifi-device", "radio2")
        for k, v in {"type": "mac80211", "radio": "2", "band": "6g", "channel": "37"}.items():
            sec.set(k, v)
        system.uci.commit(pkg)
    twin.reboot()
    twin.advance(90)
    assert twin.runtime().radios.keys() == {0, 1}


def test_bpi_r4_mainline_iw_phy_has_three_radios_and_320(tmp_path, monkeypatch):
    _twin, system = make_twin(tmp_path, monkeypatch, "bpi-r4-mainline")
    phy = iw_phy.parse_phy(run(system, "iw", "phy").stdout)[0]
    assert [r.index for r in phy.radios] == [0, 1, 2] and phy.eht_320


@pytest.mark.parametrize("profile", ALL)
def test_network_wireless_status_shape(tmp_path, monkeypatch, profile):
    _twin, system = make_twin(tmp_path, monkeypatch, profile)
    status = system.bus.call("network.wireless", "status")
    prof = profiles.get(profile)
    assert list(status) == [f"radio{i}" for i in prof.radio_indices]
    mld_under = [r for r, v in status.items()
                 if any(i["ifname"] == MLD[profile] for i in v["interfaces"])]
    for radio in status.values():
        for i in radio["interfaces"]:
            cfg = i["config"]
            assert isinstance(cfg["device"], list) and isinstance(cfg["network"], list)
            if prof.status_radios:
                # netifd config_init: the radio index of every listed device
                assert cfg["radios"] == [int(d[5:]) for d in cfg["device"]], cfg
                assert isinstance(radio["config"]["radio"], int)
            else:
                assert cfg["radios"] == []
    if prof.status_radios:
        # the MLO vif under each member radio, with its MLD name as config.ifname; the
        # space-separated `option device 'radio0 radio1'` read as a list
        assert mld_under == ["radio0", "radio1"]
        mlo = next(i for i in status["radio1"]["interfaces"] if i["ifname"] == "ap-mld0")
        assert mlo["config"]["device"] == ["radio0", "radio1"]
        assert mlo["config"]["ifname"] == "ap-mld0" and mlo["config"]["radios"] == [0, 1]


@pytest.mark.parametrize("profile", ALL)
def test_board_and_boot_id(tmp_path, monkeypatch, profile):
    twin, system = make_twin(tmp_path, monkeypatch, profile)
    board = system.bus.call("system", "board")
    assert board == profiles.get(profile).board
    bid = system.fs.read_text("/proc/sys/kernel/random/boot_id")
    assert len(bid.strip()) == 36 and bid.strip()[14] == "4"
    twin.advance(30)
    assert system.fs.read_text("/proc/sys/kernel/random/boot_id") == bid
    seen = {bid}
    for step in (twin.reboot, lambda: twin.power_off(1), lambda: twin.create(profile=profile)):
        step()
        new = twin.system().fs.read_text("/proc/sys/kernel/random/boot_id")
        assert new not in seen
        seen.add(new)


@pytest.mark.parametrize("profile", ALL)
def test_debugfs_per_stack(tmp_path, monkeypatch, profile):
    _twin, system = make_twin(tmp_path, monkeypatch, profile)
    names = {p.rsplit("/", 1)[-1] for p in
             system.fs.glob("/sys/kernel/debug/ieee80211/phy0/mt76/*")}
    bands = system.fs.glob("/sys/kernel/debug/ieee80211/phy0/mt76/band*/txpower_info")
    listed = {p.removeprefix("/sys/kernel/debug/ieee80211/phy0/") for p in
              system.fs.glob("/sys/kernel/debug/ieee80211/phy0/**")}
    assert set(profiles.get(profile).debugfs_files) <= listed
    if profiles.get(profile).mtk_debugfs:
        assert "sku_disable" in names and len(bands) == 3
    else:
        assert {"sys_recovery", "fw_util_wa", "twt_stats", "rdd_monitor",
                "implicit_txbf"} <= names
        assert not bands and not names & {"sku_disable", "eeprom_mode", "txpower_info",
                                          "txpower_sku"}


@pytest.mark.parametrize("profile", ALL)
def test_cold_boot_tmac_bug_only_on_the_mtk_sdk(tmp_path, monkeypatch, profile):
    twin, _system = make_twin(tmp_path, monkeypatch, profile)
    twin.power_off(1)
    zero = [r for r, tp in twin.load()["txpower"].items() if tp["tmac_zero"]]
    assert bool(zero) == profiles.get(profile).tmac0_bug


@pytest.mark.parametrize("profile", ALL)
def test_acs_on_two_mld_links(tmp_path, monkeypatch, profile):
    twin, system = make_twin(tmp_path, monkeypatch, profile, acs=True)
    if profile == "bpi-r4-mtk":
        with system.uci.lock():
            pkg = system.uci.load("wireless")
            for sec in pkg.of_type("wifi-device"):
                sec.set("channel", "auto")
            system.uci.commit(pkg)
        twin.reboot()
        twin.advance(90)
    mld = twin.runtime().by_ifname(MLD[profile])
    codes = [p.code for p in twin.runtime().problems]
    if profiles.get(profile).acs_mld_drop:
        assert len(mld.links) == 1 and "mld-acs-link-dropped" in codes
        assert any(line.endswith(f"hostapd: {MLD[profile]}: AP-DISABLED")
                   for _, line in twin.load()["log"])
    else:
        assert len(mld.links) == 3 and "mld-acs-link-dropped" not in codes


@pytest.mark.parametrize("profile", ALL)
def test_non_eht_radio_in_the_mld(tmp_path, monkeypatch, profile):
    twin, system = make_twin(tmp_path, monkeypatch, profile)
    with system.uci.lock():
        pkg = system.uci.load("wireless")
        pkg.get("radio0").set("htmode", "HE20")
        system.uci.commit(pkg)
    twin.reboot()
    twin.advance(90)
    mld = twin.runtime().by_ifname(MLD[profile])
    radios = {ln.radio for ln in mld.links}
    # MTK netifd drops the HE radio; mainline netifd keeps it, upstream hostapd does not join
    # it to the MLD: no link on either stack
    assert 0 not in radios and radios
    assert "mld-link-not-eht" in [p.code for p in twin.runtime().problems]
    status = system.bus.call("network.wireless", "status")
    on_radio0 = [i["ifname"] for i in status["radio0"]["interfaces"]]
    assert (MLD[profile] in on_radio0) == (profiles.get(profile).non_eht_link_drop == "hostapd")


@pytest.mark.parametrize("profile", ALL)
def test_the_capability_map_of_each_profile(tmp_path, monkeypatch, profile):
    """What the lead's capability map (wifimgr.model.capabilities.detect) reads from the twin's
    answers: each profile's stack facts come out of the router's own outputs."""
    from wifimgr.model.capabilities import detect

    _twin, system = make_twin(tmp_path, monkeypatch, profile)
    prof = profiles.get(profile)
    replies = {cap: run(system, "hostapd_cli", "-i", MLD[profile], "raw", *cmd).stdout
               for cap, cmd in PROBES.items()}
    listing = [p.removeprefix("/sys/kernel/debug/ieee80211/phy0/") for p in
               system.fs.glob("/sys/kernel/debug/ieee80211/phy0/mt76/*")
               + system.fs.glob("/sys/kernel/debug/ieee80211/phy0/mt76/band*/*")]
    caps = detect(board=system.bus.call("system", "board"), hostapd=replies,
                  iw_phy=run(system, "iw", "phy").stdout, debugfs=listing)
    mtk = prof.hostapd == "mtk"
    assert (caps.attlm, caps.neg_ttlm, caps.twt) == (mtk, mtk, mtk)
    assert caps.per_link_txpower is prof.per_link_txpower
    assert caps.sku_idx is prof.mtk_debugfs
    assert caps.tmac0_coldboot_bug is (True if prof.tmac0_bug else None)
    assert caps.bands == prof.bands and caps.band_6g is ("6g" in prof.bands)
    assert caps.stack_hint == ("mtk-sdk" if mtk else "upstream")
    assert caps.board_name == prof.board["board_name"]
    if prof.iw_radio_blocks:
        assert len(caps.radios) == len(prof.radios) and caps.eht_320 is prof.eht_320


def test_make_run_profile_resets_only_a_twin_of_another_profile(tmp_path):
    from wifimgr.devserver.__main__ import ensure_profile

    d = str(tmp_path / "sim")
    assert ensure_profile(d, "bpi-r4-mainline")                       # new twin
    Twin(d).advance(100)
    clock = Twin(d).load()["clock"]
    assert not ensure_profile(d, "bpi-r4-mainline")                   # kept as it is
    assert Twin(d).load()["clock"] == clock
    assert ensure_profile(d, "be7200-mainline")                       # another one: reset
    assert Twin(d).profile().name == "be7200-mainline"
    before = (tmp_path / "sim" / "twin.json").read_bytes()
    with pytest.raises(KeyError, match="no profile 'nope'"):
        ensure_profile(d, "nope")
    assert (tmp_path / "sim" / "twin.json").read_bytes() == before
