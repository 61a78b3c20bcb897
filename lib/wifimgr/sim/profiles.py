"""The twin's profiles: which router and which Wi-Fi stack the twin plays.

One record per profile: the board (``ubus call system board``), the radios of the one wiphy,
the factory ``/etc/config/wireless``, and the stack facts the twin's ports and bring-up model
ask (hostapd's command set, ``hostapd_cli -l``, per-link control sockets, the debugfs files,
the cold-boot TMAC=0 bug, per-link TX power, the `Radios:` line, who drops non-EHT MLD links, the
ACS-on-MLD drop). ``sources`` names, per output, the real capture or the upstream source it
follows (tests/fixtures/captures/README.md lists the captures).

The twin's state records its profile (``twin.json`` key ``profile``); a state file without the
key is the MTK SDK BPI-R4 (:data:`DEFAULT`), the only profile before issue 23. Nothing here
asks "is this the MTK SDK?": every difference is a named fact of the record.
"""

from __future__ import annotations

from ..core.record import field, record
from .factory import PCIE_PATH
from .factory import WIRELESS as MTK_WIRELESS

DEFAULT = "bpi-r4-mtk"


@record(frozen=True)
class Profile:
    name: str
    title: str
    #: the chip behind phy0, as the driver and iwinfo name it
    chip: str
    #: ``ubus call system board`` as the board prints it
    board: dict
    #: (radio index, band) of the one wiphy, in radio order
    radios: tuple[tuple[int, str], ...]
    factory_wireless: str
    #: hostapd's control command set: ``mtk`` (the SDK's TTLM/TWT vendor commands) or
    #: ``upstream`` (none of them: ``UNKNOWN COMMAND``)
    hostapd: str = "mtk"
    #: hostapd_cli knows ``-l <link>`` (MTK SDK); upstream's getopt is "a:BhG:i:p:P:rs:v"
    cli_link_option: bool = True
    #: one control socket per AP MLD link, ``<mld>_link<N>`` (hostap 14cb3906)
    link_sockets: bool = False
    #: the MTK SDK debugfs (``mt76/sku_disable``, ``mt76/band*/txpower_info|txpower_sku``,
    #: ``eeprom_mode``); False: the upstream mt7996 files of :data:`UPSTREAM_DEBUGFS`
    mtk_debugfs: bool = True
    #: the cold-boot TMAC=0 TX power bug on band0/band2 (spec/platform.md §e.4)
    tmac0_bug: bool = True
    #: ``iw`` shows each MLD link's own TX power (MTK mt76 patch 0014); upstream
    #: mt7996_get_txpower reads the default link for every link
    per_link_txpower: bool = True
    #: who keeps a non-EHT radio out of an AP MLD: ``netifd`` (the MTK netifd drops it
    #: silently, spec/platform.md §a.1) or ``hostapd`` (mainline netifd gives the MLO vif to
    #: every listed device — openwrt/netifd e97e36f9 examples/wireless.uc config_init — and
    #: upstream hostapd does not join a BSS without 802.11be to the MLD:
    #: hostapd_bss_setup_multi_link returns early, hostap e4e91f53 src/ap/hostapd.c)
    non_eht_link_drop: str = "netifd"
    #: ACS (``channel auto``) on two or more links of an AP MLD leaves one link up
    #: (openwrt/openwrt#25181); the MTK SDK reading of the same hazard is a one-shot fault
    acs_mld_drop: bool = False
    #: netifd's ``config.radios`` of each interface in ``network.wireless status``
    status_radios: bool = False
    #: what ``Radios:`` prints for a single-band vif: its own radio (``own``) or, as the
    #: mainline BPI-R4 capture openwrt#18487 shows, radio 0 for the vif on radio 0 and every
    #: radio for the others (``capture-18487``)
    vif_radio_line: str = "own"
    #: ``iw phy`` prints ``wiphy radio N:`` blocks (upstream iw on a multi-radio wiphy)
    iw_radio_blocks: bool = False
    #: the 6 GHz EHT PHY line ``320MHz in 6GHz Supported``
    eht_320: bool = True
    #: the kernel log's machine line (``Machine model: …``, the DTS model)
    machine: str = "Bananapi BPI-R4"
    #: the MLD of the factory config (MTK SDK ``lib/wifi/mac80211.uc``: ``ifname 'ap-mld-1'``);
    #: None: no factory MLD, netifd names the wizard's ``ap-mld<N>`` (:data:`MLD_PATTERN`)
    factory_mld: str | None = "ap-mld-1"
    #: output → where it comes from (a capture path under tests/fixtures/captures/, or an
    #: upstream source file with its commit)
    sources: dict = field(default_factory=dict)

    @property
    def bands(self) -> tuple[str, ...]:
        return tuple(b for _, b in self.radios)

    @property
    def radio_indices(self) -> tuple[int, ...]:
        return tuple(i for i, _ in self.radios)

    @property
    def debugfs_files(self) -> tuple[str, ...]:
        """The driver's files under ``phy0/`` the twin lists (while the chip is up)."""
        if self.mtk_debugfs:
            return ("mt76/sku_disable", "dfs_status",
                    *(f"mt76/band{i}/{f}" for i in self.radio_indices
                      for f in ("txpower_info", "txpower_sku")))
        return tuple(f"mt76/{f}" for f in UPSTREAM_DEBUGFS)


#: the name netifd gives an MLO wifi-iface without ``option ifname`` (openwrt/netifd e97e36f9
#: examples/wireless.uc mlo_vif_create: N counts MLO sections per mode in file order)
MLD_PATTERN = "{mode}-mld{n}"

#: files upstream mt7996 creates under phy0/mt76 (openwrt/mt76 59676919 mt7996/debugfs.c
#: mt7996_init_debugfs, and debugfs.c mt76_register_debugfs_fops)
UPSTREAM_DEBUGFS = (
    "hw-queues", "xmit-queues", "tx_stats", "sys_recovery", "fw_debug_wm", "fw_debug_wa",
    "fw_debug_bin", "fw_util_wa", "implicit_txbf", "twt_stats", "rf_regval", "vow_atf",
    "dfs_hw_pattern", "radar_trigger", "rdd_monitor", "led_pin", "led_active_low", "regidx",
    "regval", "napi_threaded", "eeprom", "rx-queues")


def _mainline_wireless(radios: tuple[tuple[int, str], ...], max_width: dict[str, int]) -> str:
    """``/etc/config/wireless`` as mainline ``lib/wifi/mac80211.uc`` writes it for a wiphy with
    ``wiphy radio`` blocks (openwrt/openwrt 04fb0591
    package/network/config/wifi-scripts/files/lib/wifi/mac80211.uc): per radio a
    ``wifi-device`` (type, path, radio, band, channel ``auto``, htmode of the best mode at 20 MHz
    on 2.4 GHz and at most 80 MHz elsewhere, ``disabled '1'`` without board Wi-Fi defaults —
    the empty ``country`` and ``num_global_macaddr`` of its batch delete the option) and a
    ``default_radioN`` open AP ``OpenWrt``. No MLD: the MLO AP wizard writes one."""
    out = []
    for idx, band in radios:
        width = 20 if band == "2g" else min(max_width[band], 80)
        out.append(f"""
config wifi-device 'radio{idx}'
	option type 'mac80211'
	option path '{PCIE_PATH}'
	option radio '{idx}'
	option band '{band}'
	option channel 'auto'
	option htmode 'EHT{width}'
	option disabled '1'

config wifi-iface 'default_radio{idx}'
	option device 'radio{idx}'
	option network 'lan'
	option mode 'ap'
	option ssid 'OpenWrt'
	option encryption 'none'
""")
    return "".join(out)


_MTK_BOARD = {
    "kernel": "6.12.28", "hostname": "OpenWrt", "system": "ARMv8 Processor rev 4",
    "model": "Bananapi BPI-R4", "board_name": "bananapi,bpi-r4", "rootfs_type": "squashfs",
    "release": {"distribution": "OpenWrt", "version": "25.12-SNAPSHOT",
                "revision": "r30152-13ff2256", "target": "mediatek/filogic",
                "description": "OpenWrt 25.12-SNAPSHOT r30152-13ff2256 (MTK SDK)"}}

#: captures/openwrt-22447-bpi-r4/system-board-excerpt.txt (mainline SNAPSHOT r33841, kernel
#: 6.12.80); the owner's host name replaced by the factory ``OpenWrt``
_MAINLINE_RELEASE = {"distribution": "OpenWrt", "version": "SNAPSHOT",
                     "firmware_url": "https://downloads.openwrt.org/",
                     "revision": "r33841-04f10eb796", "target": "mediatek/filogic",
                     "description": "OpenWrt SNAPSHOT r33841-04f10eb796",
                     "builddate": "1775601299"}

_MTK_SOURCES = {
    "system board": "twin's own (no MTK SDK capture is public; shape of "
                    "openwrt-luci-7584-bpi-r4/system-board.json)",
    "wireless factory": "MTK SDK lib/wifi/mac80211.uc (spec/platform.md §a.5, §h.1)",
    "iw dev": "xiaomi-ax6000-owrt2512/iw-dev.out, mtk-feeds-hostapd-0150/iw-dev-radios.out",
    "hostapd_cli status": "firewalla-wlan, tiiuae-mesh-com-438; hostap 8d434bf6",
    "hostapd TTLM/TWT": "mtk-openwrt-feeds 64e34317 hostapd patches 0096 0167 0184 0207",
    "debugfs": "MTK mt76 patch 0054 (sku_disable, band*/txpower_info|txpower_sku)",
    "network.wireless status": "xiaomi-ax6000-owrt2512/wifi-status.json",
    "dmesg": "gilly1970-bpi-r4-mtk-feeds/dmesg-boot-mt7996.out",
}

_UPSTREAM_SOURCES = {
    "wireless factory": "openwrt/openwrt 04fb0591 package/network/config/wifi-scripts/files/"
                        "lib/wifi/mac80211.uc (multi-radio wiphy); no MLD",
    "iw dev": "openwrt-18487-bpi-r4/iw-dev-info-*.out (Radios: lines); MLD name ap-mld<N>: "
              "openwrt/netifd e97e36f9 examples/wireless.uc mlo_vif_create; MLD radio mask: "
              "openwrt/openwrt#25181 log ('radio mask: 6')",
    "iw phy": "openwrt-luci-7483-multi-radio (wiphy radio N: blocks); freq ranges and "
              "interface combinations: openwrt/mt76 59676919 mt7996/init.c "
              "mt7996_init_wiphy_band",
    "hostapd_cli status": "hostap-8d434bf6-mld-status (num_links, link_id, link_addr, "
                          "partner_link[N]); per-link sockets <mld>_link<N>: hostap 14cb3906",
    "hostapd TTLM/TWT": "none upstream: hostapd/ctrl_iface.c answers 'UNKNOWN COMMAND' (hostap "
                        "e4e91f53); hostapd_cli's own table prints \"Unknown command '…'\" "
                        "(hostapd_cli.c wpa_request)",
    "hostapd_cli -l": "no such option: hostapd_cli.c getopt \"a:BhG:i:p:P:rs:v\" → musl's "
                      "'unrecognized option' line, usage(), exit status 255 (hostap e4e91f53)",
    "debugfs": "openwrt/mt76 59676919 mt7996/debugfs.c mt7996_init_debugfs + debugfs.c "
               "mt76_register_debugfs_fops (phy0/mt76/, no band<N>/ directories)",
    "txpower": "openwrt/mt76 59676919 mt7996/main.c mt7996_get_txpower (default link for "
               "every link)",
    "network.wireless status": "openwrt-21083-bpi-r4-pro-8x/wifi-status-cut.json; "
                               "openwrt/netifd e97e36f9 examples/wireless.uc config_init "
                               "(config.radios, MLO vif under every member radio)",
    "dmesg": "openwrt-20276-mt7996/dmesg-grep-mt7996.out (mainline mt7996e probe)",
    "mlo acs": "openwrt/openwrt#25181 (ACS on two AP MLD links: 'ap-mld0: AP-DISABLED')",
}

PROFILES: dict[str, Profile] = {}


def _add(p: Profile) -> None:
    PROFILES[p.name] = p


_add(Profile(
    name="bpi-r4-mtk",
    title="Banana Pi BPI-R4 (MT7996, BE14), OpenWrt 25.12 + MediaTek SDK feed",
    chip="MT7996E", board=_MTK_BOARD, radios=((0, "2g"), (1, "5g"), (2, "6g")),
    factory_wireless=MTK_WIRELESS, sources=dict(_MTK_SOURCES)))

_add(Profile(
    name="bpi-r4-mainline",
    title="Banana Pi BPI-R4 (MT7996, BE14), mainline OpenWrt (25.12/SNAPSHOT): upstream mt76 "
          "and hostapd",
    chip="MT7996E",
    board={"kernel": "6.12.80", "hostname": "OpenWrt", "system": "ARMv8 Processor rev 0",
           "model": "Banana Pi BPI-R4 (2x SFP+)", "board_name": "bananapi,bpi-r4",
           "rootfs_type": "squashfs", "release": dict(_MAINLINE_RELEASE)},
    radios=((0, "2g"), (1, "5g"), (2, "6g")),
    factory_wireless=_mainline_wireless(((0, "2g"), (1, "5g"), (2, "6g")),
                                        {"2g": 40, "5g": 160, "6g": 320}),
    hostapd="upstream", cli_link_option=False, link_sockets=True, mtk_debugfs=False,
    tmac0_bug=False, per_link_txpower=False, non_eht_link_drop="hostapd", acs_mld_drop=True,
    status_radios=True, vif_radio_line="capture-18487", iw_radio_blocks=True, eht_320=True,
    machine="Banana Pi BPI-R4 (2x SFP+)", factory_mld=None,
    sources={**_UPSTREAM_SOURCES,
             "system board": "openwrt-22447-bpi-r4/system-board-excerpt.txt (host name "
                             "reset to OpenWrt)"}))

_add(Profile(
    name="be7200-mainline",
    title="Routerich BE7200 (MT7987A + MT7992E, 2.4 + 5 GHz), mainline OpenWrt (25.12/SNAPSHOT)",
    chip="MT7992E",
    board={"kernel": "6.12.80", "hostname": "OpenWrt", "system": "ARMv8 Processor rev 4",
           "model": "Routerich BE7200", "board_name": "routerich,be7200",
           "rootfs_type": "squashfs", "release": dict(_MAINLINE_RELEASE)},
    radios=((0, "2g"), (1, "5g")),
    factory_wireless=_mainline_wireless(((0, "2g"), (1, "5g")), {"2g": 40, "5g": 160}),
    hostapd="upstream", cli_link_option=False, link_sockets=True, mtk_debugfs=False,
    tmac0_bug=False, per_link_txpower=False, non_eht_link_drop="hostapd", acs_mld_drop=True,
    status_radios=True, vif_radio_line="capture-18487", iw_radio_blocks=True, eht_320=False,
    machine="Routerich BE7200", factory_mld=None,
    sources={**_UPSTREAM_SOURCES,
             "system board": "model and board_name: openwrt/openwrt "
                             "target/linux/mediatek/dts/mt7987a-routerich-be7200.dts "
                             "(166345a2); release and kernel: the same mainline build as "
                             "bpi-r4-mainline (openwrt-22447 capture) — no BE7200 capture is "
                             "public",
             "iw phy": "openwrt-mt76-1078-mt7992e (MT7992E: 2.4 + 5 GHz, EHT up to 160 MHz) "
                       "and openwrt-luci-7483-multi-radio (wiphy radio N: blocks)",
             "radios": "openwrt/openwrt PR #21383 (MT7992E 2.4 GHz 4x4 + 5 GHz 4x4)"}))


def get(name: str | None) -> Profile:
    """The profile ``name`` (None: :data:`DEFAULT`); KeyError for an unknown name."""
    return PROFILES[name or DEFAULT]


def of_state(st: dict) -> Profile:
    """The profile a twin state records (older state files have none: the default)."""
    return PROFILES.get(st.get("profile") or DEFAULT, PROFILES[DEFAULT])


#: the owner's channels on a mainline profile (fixed: ACS on two MLO links drops one)
FIXED = {"2g": "6", "5g": "36", "6g": "37"}


def owner_setup(twin, profile: str, *, acs: bool = False, devices: str = "radio0 radio1") -> None:
    """Turn a fresh mainline twin into the owner's: radios on (country DE, fixed channels, or
    ``channel auto`` everywhere with ``acs``), the MLO AP over ``devices``; then reboot (an
    MLO change needs one) and let boot and the DFS CAC pass."""
    if get(profile).hostapd == "mtk":
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
