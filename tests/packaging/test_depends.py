"""The recipe's LUCI_DEPENDS are package names of the openwrt-25.12 feeds, for the MTK SDK build
and for mainline alike, each with where it is defined or required on that branch.

[PKGS] openwrt/packages branch openwrt-25.12 at 57654a9f48f8 (2026-08-21).
[LUCI] openwrt/luci daf2e0bc2b (master, 2026-03-05; after the 25.12 branch point).
[MTK] GainStrongService/mtk-openwrt-feeds (mirror of MediaTek's feed) 64e34317: the 25.12
autobuild's ``autobuild/unified/filogic/mac80211/25.12/defconfig``. That feed ships only patches
and files for hostapd, iw and rpcd, no Makefile: the packages it selects are the ones the
openwrt-25.12 base tree defines, so a name it builds is a mainline 25.12 name too.
[OWRT] openwrt/openwrt package Makefiles, as stored in the search index (older copies: the
package names, not their versions).

What is not here on purpose: no kmod (kmod-mt7996e drives the MT7996 and the MT7992 on both
stacks, and the router has its driver already), no ``wpad-*`` variant (the owner's choice; the
utilities below work with any of them), nothing MTK-only (no ``mtk-*``, no ``mwctl``).
"""

from __future__ import annotations

import re

from support import ROOT

#: every name of LUCI_DEPENDS → where it is defined / depended on in the 25.12 feeds
DEPENDS: dict[str, str] = {
    "luci-base": "[LUCI] modules/luci-base; [PKGS] net/openthread-br/Makefile:27 "
                 "`DEPENDS:=+luci-base`",
    "rpcd": "[PKGS] net/travelmate/Makefile:20 `+rpcd`; [LUCI] modules/luci-base/Makefile:17 "
            "`+rpcd` (luci-base pulls it anyway)",
    "rpcd-mod-iwinfo": "[PKGS] admin/openwisp-monitoring/Makefile:40; [LUCI] "
                       "modules/luci-mod-network/Makefile:10; [OWRT] package/system/rpcd "
                       "`BuildPlugin,iwinfo` (the ubus object `iwinfo` the channel scan calls)",
    "python3-light": "[PKGS] lang/python/python3/Makefile:96 `define Package/python3-light` "
                     "(Python 3.13)",
    "python3-ubus": "[PKGS] lang/python/python-ubus/Makefile:29 (0.1.3-r1)",
    "python3-uci": "[PKGS] lang/python/python-uci/Makefile:25 (0.10.3-r2)",
    "python3-click": "[PKGS] lang/python/python-click/Makefile:26 (8.1.7-r2; pulls "
                     "python3-urllib and python3-uuid itself)",
    "iw": "[PKGS] utils/device-observatory/Makefile:21 `+iw`; [MTK] defconfig:32 "
          "`CONFIG_PACKAGE_iw-full=y`, and iw-full `PROVIDES:=iw` ([OWRT] "
          "package/network/utils/iw/Makefile)",
    "hostapd-utils": "[PKGS] utils/prometheus-node-exporter-lua/Makefile:98 `+hostapd-utils`; "
                     "[MTK] defconfig:28 `CONFIG_PACKAGE_hostapd-utils=y` (hostapd_cli)",
    "wpa-cli": "[MTK] defconfig:29 `CONFIG_PACKAGE_wpa-cli=y` on the openwrt-25.12 base "
               "tree's hostapd Makefile (wpa_cli, for the STA uplink's status)",
}

#: names that only the MediaTek SDK builds
MTK_ONLY = re.compile(r"^(mtk|kmod-|mwctl|datconf|wifi-dats|mt76-)")


def luci_depends(makefile=None) -> list[str]:
    text = (makefile or ROOT / "Makefile").read_text(encoding="utf-8")
    m = re.search(r"^LUCI_DEPENDS:=((?:.*\\\n)*.*)$", text, re.M)
    assert m, "no LUCI_DEPENDS in the recipe"
    words = m.group(1).replace("\\\n", " ").split()
    assert all(w.startswith("+") for w in words), words
    return [w[1:] for w in words]


def test_depends_are_exactly_the_cited_names():
    assert sorted(luci_depends()) == sorted(DEPENDS)
    for name, source in DEPENDS.items():
        assert re.search(r"\[(PKGS|LUCI|MTK|OWRT)\]", source), name


def test_no_mtk_only_package_and_no_driver():
    assert not [n for n in luci_depends() if MTK_ONLY.match(n)]


def test_install_doc_lists_the_same_names():
    doc = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    for name in DEPENDS:
        assert f"`{name}`" in doc, name


def test_control_a_name_added_to_the_recipe_is_seen(tmp_path):
    # control: the same recipe with one more name must fail both checks above
    fake = tmp_path / "Makefile"
    fake.write_text((ROOT / "Makefile").read_text(encoding="utf-8")
                    .replace("+wpa-cli", "+wpa-cli +kmod-mt7996e"), encoding="utf-8")
    names = luci_depends(fake)
    assert sorted(names) != sorted(DEPENDS)
    assert [n for n in names if MTK_ONLY.match(n)] == ["kmod-mt7996e"]
