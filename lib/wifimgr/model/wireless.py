"""Typed view of ``/etc/config/wireless`` in the MTK SDK 25.12 dialect.

An MLD is one ``wifi-iface`` with ``option mlo '1'`` and a ``list device`` of radios; netifd
drops disabled and non-EHT radios from an AP MLD silently (spec/platform.md §a.1). The model is a
view over :class:`~wifimgr.platform.ucitext.Package` sections: changes are made on the sections, so
options the model does not know survive a read-modify-write untouched.

The older 24.10 dialect (``config wifi-mld`` sections, ``mld_id`` on ifaces, §a.4) is detected
and reported; it is never read as 25.12.
"""

from __future__ import annotations

from ..core.record import record
from ..platform.ucitext import Package

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..platform.ucitext import Section
    from .configset import ConfigSet

BANDS = ("2g", "5g", "6g")
BAND_LABEL = {"2g": "2.4 GHz", "5g": "5 GHz", "6g": "6 GHz"}
WPA3_6G = ("sae", "sae-ext", "owe")


def enc_base(encryption: str | None) -> str:
    """``psk2+ccmp`` → ``psk2``."""
    return (encryption or "none").split("+", 1)[0]


@record
class Radio:
    section: Section

    @property
    def name(self) -> str:
        return self.section.name

    @property
    def band(self) -> str | None:
        b = self.section.get_str("band")
        return b if b in BANDS else None

    @property
    def label(self) -> str:
        return f"{self.name} ({BAND_LABEL.get(self.band or '', 'unknown band')})"

    @property
    def index(self) -> int | None:
        v = self.section.get_str("radio")
        return int(v) if v and v.isdigit() else None

    @property
    def channel(self) -> str:
        return self.section.get_str("channel", "auto") or "auto"

    @property
    def htmode(self) -> str | None:
        return self.section.get_str("htmode")

    @property
    def eht(self) -> bool:
        return (self.htmode or "").startswith("EHT")

    @property
    def country(self) -> str | None:
        return self.section.get_str("country")

    @property
    def disabled(self) -> bool:
        return self.section.get_bool("disabled")

    @property
    def txpower(self) -> int | None:
        v = self.section.get_str("txpower")
        return int(v) if v and v.lstrip("-").isdigit() else None

    @property
    def sku_idx(self) -> str | None:
        return self.section.get_str("sku_idx")


@record
class Iface:
    section: Section
    #: its bands as the owner reads them ("5 GHz", "2.4/5/6 GHz"), set by WirelessConfig
    bands_text: str = ""

    @property
    def name(self) -> str:
        return self.section.name

    @property
    def mode(self) -> str:
        return self.section.get_str("mode", "ap") or "ap"

    @property
    def devices(self) -> list[str]:
        return self.section.get_list("device")

    @property
    def mlo(self) -> bool:
        return self.section.get_bool("mlo")

    @property
    def disabled(self) -> bool:
        return self.section.get_bool("disabled")

    @property
    def ssid(self) -> str:
        return self.section.get_str("ssid", "") or ""

    @property
    def encryption(self) -> str:
        return self.section.get_str("encryption", "none") or "none"

    @property
    def network(self) -> str | None:
        return self.section.get_str("network")

    @property
    def networks(self) -> list[str]:
        return self.section.get_list("network")

    @property
    def wds(self) -> bool:
        return self.section.get_bool("wds")

    @property
    def repeater(self) -> bool:
        return self.section.get_bool("repeater")

    @property
    def is_ap(self) -> bool:
        return self.mode == "ap"

    @property
    def is_sta(self) -> bool:
        return self.mode == "sta"

    @property
    def label(self) -> str:
        """How messages name the network: by its SSID and band, as the owner knows it (the
        section name only when it has no SSID)."""
        where = f" on {self.bands_text}" if self.bands_text else ""
        return f"network '{self.ssid}'{where}" if self.ssid else f"network {self.name}{where}"


class WirelessConfig:
    """Radios and interfaces of one wireless package (+ the network package for relayd)."""

    def __init__(self, wireless: Package, network: Package | None = None):
        self.package = wireless
        self.network = network or Package("network")
        self.radios: dict[str, Radio] = {s.name: Radio(s) for s in wireless.of_type("wifi-device")}
        self.ifaces: list[Iface] = [Iface(s, self._bands_text(s))
                                    for s in wireless.of_type("wifi-iface")]

    def _bands_text(self, s: Section) -> str:
        bands = [self.radios[d].band for d in s.get_list("device")
                 if d in self.radios and self.radios[d].band]
        labels = [BAND_LABEL[b] for b in ("2g", "5g", "6g") if b in bands]
        if len(labels) > 1:
            return "/".join(x.removesuffix(" GHz") for x in labels) + " GHz"
        return labels[0] if labels else ""

    @classmethod
    def from_set(cls, cs: ConfigSet) -> WirelessConfig:
        return cls(cs["wireless"], cs.get("network"))

    # ------------------------------------------------------------------ dialect
    @property
    def dialect(self) -> str:
        """``mtk-25.12`` | ``mtk-24.10`` (wifi-mld sections / mld_id) | ``empty``."""
        if self.package.of_type("wifi-mld") or any(
                i.section.get_str("mld_id") is not None for i in self.ifaces):
            return "mtk-24.10"
        if not self.radios:
            return "empty"
        return "mtk-25.12"

    def dialect_notes(self) -> list[str]:
        notes: list[str] = []
        if self.dialect == "mtk-24.10":
            mlds = [s.name for s in self.package.of_type("wifi-mld")]
            notes.append(
                "This wireless config uses the MTK SDK 24.10 MLO layout ("
                + (f"wifi-mld sections {', '.join(mlds)}" if mlds else "mld_id on ifaces")
                + "). On the 25.12 SDK netifd ignores wifi-mld sections, so these MLDs do not "
                "come up. Recreate them as one wifi-iface with option mlo '1' and a device "
                "list (the MLO AP wizard does this).")
        for r in self.radios.values():
            if r.band is None:
                notes.append(f"{r.name} has no band option; it is not managed by wifimgr.")
        return notes

    # ------------------------------------------------------------------ lookups
    def iface(self, name: str) -> Iface | None:
        return next((i for i in self.ifaces if i.name == name), None)

    def band(self, radio: str) -> str | None:
        r = self.radios.get(radio)
        return r.band if r else None

    def radio_enabled(self, radio: str) -> bool:
        r = self.radios.get(radio)
        return r is not None and not r.disabled

    def active(self) -> list[Iface]:
        """Enabled ifaces with at least one existing radio."""
        return [i for i in self.ifaces if not i.disabled and any(d in self.radios
                                                                  for d in i.devices)]

    def mlo_aps(self) -> list[Iface]:
        return [i for i in self.active() if i.mlo and i.is_ap]

    def mlo_stas(self) -> list[Iface]:
        return [i for i in self.active() if i.mlo and i.is_sta]

    def mld_radios(self, iface: Iface) -> list[str]:
        """Radios that really join the MLD (MTK filter: an AP MLD keeps enabled EHT radios)."""
        out = []
        for d in iface.devices:
            r = self.radios.get(d)
            if r is None or r.disabled:
                continue
            if iface.is_ap and not r.eht:
                continue
            out.append(d)
        return out

    def mld_ifname(self, iface: Iface, pattern: str = "{mode}-mld{n}") -> str | None:
        """The MLD name netifd gives this MLO iface: its ``option ifname``, else
        ``<mode>-mld<N>`` where N counts, per mode and in file order, the MLO sections before
        it that netifd creates (enabled, with an enabled radio) and that have no ``ifname``
        (openwrt/netifd examples/wireless.uc ``mlo_vif_create``; the MTK 25.12 feed's copy is
        the same). None for an iface that is not MLO or that netifd skips."""
        if not iface.mlo:
            return None
        own = iface.section.get_str("ifname")
        if own:
            return own
        n = 0
        for i in self.ifaces:
            if i.name == iface.name:
                break
            if (i.mlo and i.mode == iface.mode and not i.disabled
                    and not i.section.get_str("ifname")
                    and any(self.radio_enabled(d) for d in i.devices)):
                n += 1
        if iface.disabled or not any(self.radio_enabled(d) for d in iface.devices):
            return None
        return pattern.format(mode=iface.mode, n=n)

    def mlo_ap_radios(self) -> set[str]:
        """Radios listed in any enabled MLO AP (listed, not filtered: the safe reading)."""
        return {d for i in self.mlo_aps() for d in i.devices if d in self.radios}

    def mlo_sta_radios(self) -> set[str]:
        return {d for i in self.mlo_stas() for d in i.devices if d in self.radios}

    def legacy(self) -> list[Iface]:
        return [i for i in self.active() if not i.mlo]

    def legacy_aps_on(self, radio: str) -> list[Iface]:
        """Enabled legacy APs with a BSS on ``radio``: a ``device`` list is one BSS on every
        listed radio, and an AP on a disabled radio counts too (re-enabling the radio is one
        click; spec/combinations.md)."""
        return [i for i in self.legacy() if i.is_ap and radio in i.devices]

    def radio_of(self, iface: Iface) -> str | None:
        """The first listed radio (for display; rules use :meth:`radios_of`)."""
        return iface.devices[0] if iface.devices else None

    def radios_of(self, iface: Iface) -> list[str]:
        """Every existing radio the iface lists, once each, in order."""
        out: list[str] = []
        for d in iface.devices:
            if d in self.radios and d not in out:
                out.append(d)
        return out

    def relay_networks(self) -> set[str]:
        """Logical networks bridged by a relayd (``proto relay``) interface."""
        out: set[str] = set()
        for s in self.network.of_type("interface"):
            if s.get_str("proto") == "relay":
                out.update(s.get_list("network"))
        return out

    def uplink_kind(self, iface: Iface) -> str | None:
        """For a non-MLO STA: ``wds``, ``relay``, ``repeater`` or ``sta``."""
        if iface.mlo or not iface.is_sta:
            return None
        if iface.wds:
            return "wds"
        if iface.repeater:
            return "repeater"
        if any(n in self.relay_networks() for n in iface.networks):
            return "relay"
        return "sta"

    def uplinks(self) -> list[Iface]:
        return [i for i in self.legacy() if i.is_sta]

    def kind(self, iface: Iface) -> str:
        """mlo-ap | mlo-sta | ap | repeater-ap | sta | wds-sta | relay-sta | repeater-sta."""
        if iface.mlo:
            return "mlo-ap" if iface.is_ap else "mlo-sta"
        if iface.is_ap:
            return "repeater-ap" if iface.repeater else "ap"
        k = self.uplink_kind(iface)
        return {"sta": "sta", "wds": "wds-sta", "relay": "relay-sta",
                "repeater": "repeater-sta"}.get(k or "", iface.mode)

    def bands_of(self, iface: Iface) -> list[str]:
        return [b for b in (self.band(d) for d in iface.devices) if b]


def txpower_mode(r: Radio, *, sku_idx: bool = True) -> str:
    """The TX power mode of a radio: wifimgr's marker, else inferred like the original did.
    ``sku_idx``: the stack has the MTK SDK's power-table option (the capability map); without
    it (upstream mt76) no ``sku_idx`` means the country's table, not the eFuse mode."""
    marker = r.section.get_str("txpower_mode")
    if marker in ("regdb", "efuse_max", "manual"):
        return marker
    if r.sku_idx is None and sku_idx:
        return "efuse_max"
    return "manual" if r.txpower is not None else "regdb"
