"""Build wireless/network configurations as real UCI text for the safety tests."""

from __future__ import annotations

from wifimgr.model.configset import ConfigSet
from wifimgr.platform.ucitext import parse

RADIOS = """
config wifi-device 'radio0'
	option type 'mac80211'
	option radio '0'
	option band '2g'
	option channel '6'
	option htmode 'EHT40'
	option country 'CZ'

config wifi-device 'radio1'
	option type 'mac80211'
	option radio '1'
	option band '5g'
	option channel '36'
	option htmode 'EHT160'
	option country 'CZ'

config wifi-device 'radio2'
	option type 'mac80211'
	option radio '2'
	option band '6g'
	option channel '37'
	option htmode 'EHT320'
	option country 'CZ'
"""

NETWORK = """
config interface 'lan'
	option device 'br-lan'
	option proto 'static'
	option ipaddr '192.168.1.1'
	option netmask '255.255.255.0'
"""


def mld(name="mld", radios=("radio0", "radio1", "radio2"), mode="ap", ssid="Home",
        enc="sae", extra=""):
    devs = "".join(f"\tlist device '{r}'\n" for r in radios)
    return (f"\nconfig wifi-iface '{name}'\n{devs}\toption mode '{mode}'\n\toption mlo '1'\n"
            f"\toption ssid '{ssid}'\n\toption encryption '{enc}'\n\toption key 'secret-pass'\n"
            f"\toption network '{'lan' if mode == 'ap' else 'wwan'}'\n{extra}")


def ap(name, radio, ssid=None, enc=None, extra=""):
    enc = enc or ("sae" if radio == "radio2" else "psk2")
    return (f"\nconfig wifi-iface '{name}'\n\toption device '{radio}'\n\toption mode 'ap'\n"
            f"\toption ssid '{ssid or name}'\n\toption encryption '{enc}'\n"
            f"\toption key 'secret-pass'\n\toption network 'lan'\n{extra}")


def sta(name, radio, ssid="Upstream", network="wwan", extra=""):
    return (f"\nconfig wifi-iface '{name}'\n\toption device '{radio}'\n\toption mode 'sta'\n"
            f"\toption ssid '{ssid}'\n\toption encryption 'psk2'\n\toption key 'secret-pass'\n"
            f"\toption network '{network}'\n{extra}")


RELAY_NET = """
config interface 'relayd_up'
	option proto 'dhcp'

config interface 'relay_bridge'
	option proto 'relay'
	list network 'relayd_up'
	list network 'lan'
"""


def config(*ifaces: str, network_extra: str = "", radios: str = RADIOS) -> ConfigSet:
    return ConfigSet.of(parse(radios + "".join(ifaces), "wireless"),
                        parse(NETWORK + network_extra, "network"))
