"""Write methods behind the wizards: ``mlo_ap``, ``ap``, ``station``, ``wds``, ``repeater``,
``country``. Each writes what the original app wrote (spec/original.md §2) without its bugs
(§8), and goes through :func:`wifimgr.transaction.writes.commit_change` — the safety verdict
decides.

New sections are named ``wifinet<N>`` like LuCI names them.
"""

from __future__ import annotations

from ..core.errors import InvalidArgument
from ..model.configset import CONFIGS
from ..model.wireless import WirelessConfig, enc_base
from ..rules import validate
from ..transaction.writes import commit_change
from . import netcfg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context
    from ..model.capabilities import Capabilities
    from ..model.configset import ConfigSet
    from ..model.wireless import Radio
    from ..platform.ucitext import Package, Section

VENDOR_IE = "dd07000ce700000000"  # MediaTek vendor IE the SDK puts on 6 GHz APs
PURE_WPA3 = ("sae", "sae-ext", "owe", "wpa3", "wpa3-192")


def new_iface(pkg: Package) -> Section:
    return pkg.add("wifi-iface", pkg.unique_name("wifinet"))


def set_security(sec: Section, encryption: str, key: str | None, bands: list[str], *,
                 field_prefix: str = "") -> None:
    """encryption + key + the options WPA3 needs (PMF required for WPA3, optional for the
    WPA2/WPA3 transition mode so WPA2 clients without PMF still join; SAE H2E on 6 GHz)."""
    enc = validate.encryption(encryption, field=f"{field_prefix}encryption")
    sec.set("encryption", enc)
    base = enc_base(enc)
    if validate.needs_key(enc):
        if key is None or key == "":
            raise InvalidArgument(f"encryption '{enc}' needs a password",
                                  field=f"{field_prefix}key")
        sec.set("key", validate.key(key, enc, field=f"{field_prefix}key"))
    else:
        if key:
            validate.key(key, enc, field=f"{field_prefix}key")
        sec.set("key", None)
    if base in PURE_WPA3:
        sec.set("ieee80211w", "2")
    elif base in ("sae-mixed", "sae-ext-mixed"):
        sec.set("ieee80211w", "1")
    else:
        sec.set("ieee80211w", None)
    if "6g" in bands and base in ("sae", "sae-ext", "sae-mixed", "sae-ext-mixed"):
        sec.set("sae_pwe", "2")


def require_band(caps: Capabilities, band: str, htmode: str | None = None) -> None:
    """Refuse (``unsupported``) a 6 GHz radio or a 320 MHz width the capability map says this
    chip lacks (an MT7992 has neither)."""
    from ..model import capabilities as capmod

    if band == "6g":
        capmod.require(caps, "band_6g")
    if htmode is not None and htmode.upper().endswith("320"):
        capmod.require(caps, "eht_320")


def apply_radio_settings(ctx: Context, r: Radio, channel: str | None, htmode: str | None
                         ) -> None:
    from ..observe.live import Live

    lv = Live(ctx.system)
    band = r.band or ""
    require_band(lv.caps, band, htmode)
    if htmode is not None:
        r.section.set("htmode", validate.htmode(htmode, band))
    if channel is not None:
        width = validate.width_of_htmode(r.section.get_str("htmode") or "")
        chans = lv.phy_channels
        r.section.set("channel", validate.channel(channel, band, chans, width=width))
    if channel is not None or htmode is not None:
        from ..radios.puncture import check_radio

        check_radio(r)


def mbssid_order(pkg: Package) -> None:
    """New 6 GHz APs come before the MLD in the file, so in the MBSSID set the wizard's AP is
    non-transmitted BSS #1 (iOS rejects #2) — spec/original.md §2.2."""
    for sec in list(pkg.of_type("wifi-iface")):
        if sec.get_bool("mlo") and "radio2" in sec.get_list("device"):
            pkg.move(sec.name, len(pkg.sections))


def _flag(sec: Section, option: str, value: bool | None) -> None:
    if value is not None:
        sec.set(option, "1" if value else None)


# ----------------------------------------------------------------------------- ap
def ap(ctx: Context, radio: str, ssid: str, encryption: str, key: str | None = None,
       channel: str | None = None, htmode: str | None = None, hidden: bool = False,
       isolate: bool = False, maxassoc: int | None = None, network: str = "lan",
       wds: bool = False, dry_run: bool = False) -> dict[str, Any]:
    """``ap``: one legacy AP on one radio."""
    ssid = validate.ssid(ssid)
    if maxassoc is not None and not 1 <= maxassoc <= 512:
        raise InvalidArgument("maxassoc must be between 1 and 512", field="maxassoc")

    def mutate(cs: ConfigSet) -> dict[str, Any]:
        r = validate.radio_of(cs, radio)
        netcfg.require_interface(cs, validate.name(network, field="network"))
        apply_radio_settings(ctx, r, channel, htmode)
        pkg = cs["wireless"]
        sec = new_iface(pkg)
        sec.set("device", r.name)
        sec.set("mode", "ap")
        sec.set("ssid", ssid)
        sec.set("network", network)
        set_security(sec, encryption, key, [r.band or ""])
        _flag(sec, "hidden", hidden)
        _flag(sec, "isolate", isolate)
        _flag(sec, "wds", wds)
        if maxassoc:
            sec.set("maxassoc", maxassoc)
        if r.band == "6g":
            sec.set("mbo", "1")
            sec.set("assocresp_elements", VENDOR_IE)
            mbssid_order(pkg)
        out: dict[str, Any] = {"section": sec.name}
        from ..radios.dfs import cac_wait

        wait = cac_wait(ctx, r)    # the radio restarts: on a radar channel the CAC runs again
        if wait:
            out["cac_s"] = wait
        return out

    return commit_change(ctx, mutate, dry_run=dry_run, summary=f"add AP '{ssid}' on {radio}")


# ------------------------------------------------------------------------- mlo_ap
def mlo_ap(ctx: Context, radios: list, ssid: str, key: str | None = None,
           encryption: str = "sae", network: str = "lan", isolate: bool = False,
           eml_disable: bool = False, dry_run: bool = False) -> dict[str, Any]:
    """``mlo_ap``: one MLO AP over two or three radios (WPA3)."""
    ssid = validate.ssid(ssid)
    if not isinstance(radios, list) or not all(isinstance(r, str) for r in radios):
        raise InvalidArgument("radios must be a list of radio names", field="radios")
    if len(set(radios)) != len(radios):
        raise InvalidArgument("a radio is listed twice", field="radios")
    if len(radios) < 2:
        raise InvalidArgument("an MLO network needs at least two radios", field="radios")
    from ..observe.live import Live

    caps = Live(ctx.system).caps

    def mutate(cs: ConfigSet) -> dict[str, Any]:
        rs = [validate.radio_of(cs, r, "radios") for r in radios]
        for r in rs:
            require_band(caps, r.band or "")
        netcfg.require_interface(cs, validate.name(network, field="network"))
        sec = new_iface(cs["wireless"])
        sec.set("device", [r.name for r in rs])
        sec.set("mode", "ap")
        sec.set("mlo", "1")
        sec.set("ssid", ssid)
        sec.set("network", network)
        set_security(sec, encryption, key, [r.band or "" for r in rs])
        _flag(sec, "isolate", isolate)
        _flag(sec, "eml_disable", eml_disable)
        # the MLD's name as this stack's netifd will give it (ap-mld0 on mainline)
        w = WirelessConfig.from_set(cs)
        return {"section": sec.name,
                "ifname": w.mld_ifname(w.iface(sec.name), caps.mld_auto_pattern)}

    return commit_change(ctx, mutate, dry_run=dry_run,
                         summary=f"add MLO AP '{ssid}' on {', '.join(radios)}")


# ------------------------------------------------------------------------ station
def _uplink_network(cs: ConfigSet, network: str) -> None:
    """A STA uplink's network: created with DHCP when missing, and NATed through the wan
    zone (the original left a plain STA uplink without NAT)."""
    validate.name(network, field="network")
    if network == "lan":
        return
    netcfg.ensure_dhcp_interface(cs, network)
    if netcfg.zone(cs, "wan") is not None:
        netcfg.zone_add(cs, "wan", network)


def station(ctx: Context, ssid: str, encryption: str, key: str | None = None,
            radio: str | None = None, mlo: bool = False, bssid: str | None = None,
            network: str = "wwan", mld_assoc_band: str | None = None,
            dry_run: bool = False) -> dict[str, Any]:
    """``station``: a STA uplink on one radio, or an MLO STA over every radio."""
    ssid = validate.ssid(ssid)
    if bssid:
        bssid = validate.mac(bssid, field="bssid")
    if mlo and radio:
        raise InvalidArgument("give either radio or mlo, not both", field="radio")
    if not mlo and not radio:
        raise InvalidArgument("radio is required (or mlo: true)", field="radio")
    if mld_assoc_band is not None and mld_assoc_band not in ("2g", "5g", "6g"):
        raise InvalidArgument("mld_assoc_band must be 2g, 5g or 6g", field="mld_assoc_band")

    def mutate(cs: ConfigSet) -> dict[str, Any]:
        pkg = cs["wireless"]
        sec = new_iface(pkg)
        if mlo:
            w = WirelessConfig.from_set(cs)
            devs = [n for n, r in w.radios.items() if not r.disabled and r.band]
            sec.set("device", devs)
            sec.set("mlo", "1")
            bands = [w.radios[d].band or "" for d in devs]
            # MTK 25.12 schema: mld_assoc_band (2g|5g|6g) → wpa_s mld_connect_band_pref
            sec.set("mld_assoc_band", mld_assoc_band or "5g")
        else:
            r = validate.radio_of(cs, radio)
            sec.set("device", r.name)
            bands = [r.band or ""]
        sec.set("mode", "sta")
        sec.set("ssid", ssid)
        set_security(sec, encryption, key, bands)
        if bssid:
            sec.set("bssid", bssid)
        sec.set("network", network)
        _uplink_network(cs, network)
        return {"section": sec.name}

    what = "MLO STA" if mlo else f"STA on {radio}"
    return commit_change(ctx, mutate, dry_run=dry_run, summary=f"add {what} to '{ssid}'")


# ---------------------------------------------------------------------------- wds
def wds(ctx: Context, radio: str, ssid: str, encryption: str, key: str | None = None,
        bssid: str | None = None, mode: str = "wds", network: str = "lan",
        dry_run: bool = False) -> dict[str, Any]:
    """``wds``: a wireless bridge — 4-address WDS STA, or relayd (ARP proxy) STA."""
    ssid = validate.ssid(ssid)
    if mode not in ("wds", "relayd"):
        raise InvalidArgument("mode must be 'wds' or 'relayd'", field="mode")
    if bssid:
        bssid = validate.mac(bssid, field="bssid")

    def mutate(cs: ConfigSet) -> dict[str, Any]:
        r = validate.radio_of(cs, radio)
        sec = new_iface(cs["wireless"])
        sec.set("device", r.name)
        sec.set("mode", "sta")
        sec.set("ssid", ssid)
        set_security(sec, encryption, key, [r.band or ""])
        if bssid:
            sec.set("bssid", bssid)
        if mode == "wds":
            netcfg.require_interface(cs, validate.name(network, field="network"))
            sec.set("wds", "1")
            sec.set("network", network)
        else:
            sec.set("network", netcfg.RELAY_UPLINK)
            netcfg.relay_setup(cs, "lan")
        return {"section": sec.name}

    return commit_change(ctx, mutate, dry_run=dry_run,
                         summary=f"add {mode} bridge on {radio} to '{ssid}'")


# ------------------------------------------------------------------------ repeater
def repeater(ctx: Context, uplink_radio: str, uplink_ssid: str, uplink_encryption: str,
             ap_radio: str, ap_ssid: str, ap_encryption: str, uplink_key: str | None = None,
             ap_key: str | None = None, uplink_bssid: str | None = None,
             dry_run: bool = False) -> dict[str, Any]:
    """``repeater``: STA uplink on one radio + a local AP on another (L3 NAT via wwan), both
    written together or not at all."""
    uplink_ssid = validate.ssid(uplink_ssid, field="uplink_ssid")
    ap_ssid = validate.ssid(ap_ssid, field="ap_ssid")
    if uplink_bssid:
        uplink_bssid = validate.mac(uplink_bssid, field="uplink_bssid")

    def mutate(cs: ConfigSet) -> dict[str, Any]:
        ur = validate.radio_of(cs, uplink_radio, "uplink_radio")
        ar = validate.radio_of(cs, ap_radio, "ap_radio")
        pkg = cs["wireless"]
        st = new_iface(pkg)
        st.set("device", ur.name)
        st.set("mode", "sta")
        st.set("ssid", uplink_ssid)
        set_security(st, uplink_encryption, uplink_key, [ur.band or ""],
                     field_prefix="uplink_")
        if uplink_bssid:
            st.set("bssid", uplink_bssid)
        st.set("network", "wwan")
        st.set("repeater", "1")
        _uplink_network(cs, "wwan")
        a = new_iface(pkg)
        a.set("device", ar.name)
        a.set("mode", "ap")
        a.set("ssid", ap_ssid)
        a.set("network", "lan")
        a.set("repeater", "1")
        set_security(a, ap_encryption, ap_key, [ar.band or ""], field_prefix="ap_")
        if ar.band == "6g":
            a.set("mbo", "1")
            a.set("assocresp_elements", VENDOR_IE)
            mbssid_order(pkg)
        return {"section": st.name, "ap_section": a.name}

    return commit_change(ctx, mutate, dry_run=dry_run,
                         summary=f"repeater: {uplink_radio} → '{uplink_ssid}', AP "
                                 f"'{ap_ssid}' on {ap_radio}")


# ------------------------------------------------------------------------- country
def country(ctx: Context, country: str, dry_run: bool = False) -> dict[str, Any]:
    """``country``: the regulatory domain of every radio (applied by reboot). The SKU table
    (``sku_idx 0``) is switched on unless the radio is in eFuse-max mode."""
    cc = validate.country(country)

    from ..model.capabilities import sku_option
    from ..observe.live import Live

    # the MTK SDK selects the country's power table with sku_idx; upstream has no such option
    sku = sku_option(Live(ctx.system).caps)

    def mutate(cs: ConfigSet) -> None:
        from ..model.wireless import txpower_mode

        w = WirelessConfig.from_set(cs)
        if not w.radios:
            raise InvalidArgument("there are no radios to set", field="country")
        for r in w.radios.values():
            r.section.set("country", cc)
            if sku and txpower_mode(r) != "efuse_max":
                r.section.set("sku_idx", "0")
        # the owner chose it: the first-run default no longer needs confirming
        wm = cs["wifimgr"]
        (wm.get("defaults") or wm.add("defaults", "defaults")).set("country_confirmed", "1")

    return commit_change(ctx, mutate, dry_run=dry_run, summary=f"set country {cc}",
                         configs=(*CONFIGS, "wifimgr"))
