"""Network-side helpers for the wizards: logical interfaces, firewall zones, relayd.
All idempotent (the original's firewall add_list was not)."""

from __future__ import annotations

from ..core.errors import InvalidArgument

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..model.configset import ConfigSet
    from ..platform.ucitext import Section

RELAY_UPLINK = "relayd_up"
RELAY_BRIDGE = "relay_bridge"


def interface(cs: ConfigSet, name: str) -> Section | None:
    sec = cs["network"].get(name)
    return sec if sec is not None and sec.type == "interface" else None


def require_interface(cs: ConfigSet, name: str, field: str = "network") -> None:
    if interface(cs, name) is None:
        raise InvalidArgument(f"there is no network interface {name!r} (create it under "
                              "Network → Interfaces, or use lan)", field=field)


def ensure_dhcp_interface(cs: ConfigSet, name: str) -> Section:
    sec = interface(cs, name)
    if sec is None:
        sec = cs["network"].add("interface", name)
        sec.set("proto", "dhcp")
    return sec


def zone(cs: ConfigSet, zone_name: str) -> Section | None:
    return next((s for s in cs["firewall"].of_type("zone") if s.get_str("name") == zone_name),
                None)


def zone_add(cs: ConfigSet, zone_name: str, network: str) -> None:
    z = zone(cs, zone_name)
    if z is None:
        raise InvalidArgument(f"the firewall has no '{zone_name}' zone", field="network")
    nets = z.get_list("network")
    if network not in nets:
        z.set("network", [*nets, network])


def zone_remove(cs: ConfigSet, zone_name: str, network: str) -> None:
    z = zone(cs, zone_name)
    if z is None:
        return
    nets = z.get_list("network")
    if network in nets:
        z.set("network", [n for n in nets if n != network])


def relay_setup(cs: ConfigSet, local: str = "lan") -> None:
    ensure_dhcp_interface(cs, RELAY_UPLINK)
    net = cs["network"]
    br = net.get(RELAY_BRIDGE) or net.add("interface", RELAY_BRIDGE)
    br.set("proto", "relay")
    br.set("network", [RELAY_UPLINK, local])
    br.set("forward_bcast", "1")
    br.set("forward_dhcp", "1")
    lan = cs["dhcp"].get(local)
    if lan is not None:
        lan.set("ignore", "1")
    zone_add(cs, "lan", RELAY_UPLINK)


def relay_remove(cs: ConfigSet, local: str = "lan") -> None:
    net = cs["network"]
    br = net.get(RELAY_BRIDGE)
    if br is None or br.get_str("proto") != "relay":
        return
    net.remove(RELAY_BRIDGE)
    if net.get(RELAY_UPLINK) is not None:
        net.remove(RELAY_UPLINK)
    lan = cs["dhcp"].get(local)
    if lan is not None and lan.get_str("ignore") == "1":
        lan.set("ignore", None)
    zone_remove(cs, "lan", RELAY_UPLINK)
