"""What a fresh BPI-R4 with the MTK SDK (OpenWrt 25.12 + MediaTek feed) has in /etc/config.

The wireless file is what the SDK's ``lib/wifi/mac80211.uc`` generates for the BE14 card
(spec/platform.md §a.5, §h.1): three radios on one wiphy (EHT40 / EHT160 / EHT320, country US,
6 GHz forced to channel 37), one open AP per 2.4/5 GHz radio, an SAE AP on 6 GHz, and the MLD
``ap_mld_1`` over all radios with the published key and ``sae-mixed`` (the factory bug of
§g.8). The other files are those of a fresh OpenWrt image for this board, including the
/32 LAN netmask quirk of §h.2.
"""

from __future__ import annotations

PCIE_PATH = "soc/11300000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0"
VENDOR_IE = "dd07000ce700000000"

WIRELESS = f"""
config wifi-device 'radio0'
	option type 'mac80211'
	option path '{PCIE_PATH}'
	option radio '0'
	option band '2g'
	option channel 'auto'
	option htmode 'EHT40'
	option country 'US'
	option disabled '0'
	option noscan '1'
	option rnr '1'
	option tx_burst '0.0'

config wifi-iface 'default_radio0'
	option device 'radio0'
	option network 'lan'
	option mode 'ap'
	option ssid 'OpenWrt-2g'
	option encryption 'none'
	option assocresp_elements '{VENDOR_IE}'

config wifi-device 'radio1'
	option type 'mac80211'
	option path '{PCIE_PATH}'
	option radio '1'
	option band '5g'
	option channel 'auto'
	option htmode 'EHT160'
	option country 'US'
	option disabled '0'
	option noscan '1'
	option rnr '1'
	option background_radar '1'
	option tx_burst '0.0'

config wifi-iface 'default_radio1'
	option device 'radio1'
	option network 'lan'
	option mode 'ap'
	option ssid 'OpenWrt-5g'
	option encryption 'none'
	option assocresp_elements '{VENDOR_IE}'

config wifi-device 'radio2'
	option type 'mac80211'
	option path '{PCIE_PATH}'
	option radio '2'
	option band '6g'
	option channel '37'
	option htmode 'EHT320'
	option country 'US'
	option disabled '0'
	option noscan '0'
	option mbssid '1'
	option tx_burst '0.0'

config wifi-iface 'default_radio2'
	option device 'radio2'
	option network 'lan'
	option mode 'ap'
	option ssid 'OpenWrt-6g'
	option encryption 'sae'
	option key '12345678'
	option sae_pwe '2'
	option ieee80211w '2'
	option mbo '1'
	option assocresp_elements '{VENDOR_IE}'

config wifi-iface 'ap_mld_1'
	list device 'radio0'
	list device 'radio1'
	list device 'radio2'
	option ifname 'ap-mld-1'
	option network 'lan'
	option mode 'ap'
	option mlo '1'
	option ssid 'MT76_AP_MLD'
	option encryption 'sae-mixed'
	option key '12345678'
	option sae_pwe '2'
"""

NETWORK = """
config interface 'loopback'
	option device 'lo'
	option proto 'static'
	option ipaddr '127.0.0.1'
	option netmask '255.0.0.0'

config globals 'globals'
	option ula_prefix 'fd3c:9f4e:71a2::/48'

config device
	option name 'br-lan'
	option type 'bridge'
	list ports 'lan1'
	list ports 'lan2'
	list ports 'lan3'

config interface 'lan'
	option device 'br-lan'
	option proto 'static'
	option ipaddr '192.168.1.1'
	option netmask '255.255.255.255'
	option ip6assign '60'

config interface 'wan'
	option device 'wan'
	option proto 'dhcp'

config interface 'wan6'
	option device 'wan'
	option proto 'dhcpv6'
"""

DHCP = """
config dnsmasq
	option domainneeded '1'
	option localise_queries '1'
	option rebind_protection '1'
	option local '/lan/'
	option domain 'lan'
	option expandhosts '1'
	option cachesize '1000'
	option authoritative '1'
	option readethers '1'
	option leasefile '/tmp/dhcp.leases'
	option localservice '1'
	option ednspacket_max '1232'

config dhcp 'lan'
	option interface 'lan'
	option start '100'
	option limit '150'
	option leasetime '12h'
	option dhcpv4 'server'
	option dhcpv6 'server'
	option ra 'server'

config dhcp 'wan'
	option interface 'wan'
	option ignore '1'

config odhcpd 'odhcpd'
	option maindhcp '0'
	option leasefile '/tmp/odhcpd.leases'
	option leasetrigger '/usr/sbin/odhcpd-update'
	option loglevel '4'
"""

FIREWALL = """
config defaults
	option syn_flood '1'
	option input 'REJECT'
	option output 'ACCEPT'
	option forward 'REJECT'

config zone
	option name 'lan'
	list network 'lan'
	option input 'ACCEPT'
	option output 'ACCEPT'
	option forward 'ACCEPT'

config zone
	option name 'wan'
	list network 'wan'
	list network 'wan6'
	option input 'REJECT'
	option output 'ACCEPT'
	option forward 'REJECT'
	option masq '1'
	option mtu_fix '1'

config forwarding
	option src 'lan'
	option dest 'wan'

config rule
	option name 'Allow-DHCP-Renew'
	option src 'wan'
	option proto 'udp'
	option dest_port '68'
	option target 'ACCEPT'
	option family 'ipv4'

config rule
	option name 'Allow-Ping'
	option src 'wan'
	option proto 'icmp'
	option icmp_type 'echo-request'
	option family 'ipv4'
	option target 'ACCEPT'
"""

SYSTEM = """
config system
	option hostname 'OpenWrt'
	option timezone 'UTC'
	option ttylogin '0'
	option log_size '128'
	option urandom_seed '0'

config timeserver 'ntp'
	option enabled '1'
	option enable_server '0'
	list server '0.openwrt.pool.ntp.org'
	list server '1.openwrt.pool.ntp.org'
"""

CONFIGS: dict[str, str] = {
    "wireless": WIRELESS,
    "network": NETWORK,
    "dhcp": DHCP,
    "firewall": FIREWALL,
    "system": SYSTEM,
}

#: neighbours of the default RF scene (other people's networks and an upstream MLO router)
NEIGHBOURS: list[dict] = [
    {"bssid": "a4:2b:b0:11:22:01", "ssid": "Vodafone-5A3F", "band": "2g", "channel": 1,
     "width": 20, "signal": -61, "security": "wpa2-psk", "key": "vodafone-guest"},
    {"bssid": "c8:0e:14:77:10:02", "ssid": "UPC1234567", "band": "2g", "channel": 6,
     "width": 40, "signal": -72, "security": "sae-mixed", "key": "upc-secret-1"},
    {"bssid": "f0:9f:c2:30:40:03", "ssid": "Nachbar-5G", "band": "5g", "channel": 36,
     "width": 80, "signal": -67, "security": "wpa2-psk", "key": "nachbar12345"},
    {"bssid": "3c:a6:2f:aa:bb:04", "ssid": "CoffeeShop", "band": "5g", "channel": 149,
     "width": 80, "signal": -79, "security": "owe"},
    {"bssid": "3c:a6:2f:aa:bb:05", "ssid": "", "band": "5g", "channel": 52, "width": 40,
     "signal": -83, "security": "wpa2-psk"},
    {"bssid": "e8:9c:25:60:70:06", "ssid": "Upstream-WiFi", "band": "5g", "channel": 44,
     "width": 80, "signal": -55, "security": "wpa2-psk", "key": "upstream-pass"},
    # an upstream Wi-Fi 7 router with an AP MLD (for MLO STA, repeater and WDS demos)
    {"bssid": "02:5a:5a:00:00:10", "ssid": "Upstream-MLO", "band": "2g", "channel": 11,
     "width": 20, "signal": -58, "security": "wpa3-sae", "key": "upstream-mlo-key",
     "mld": "02:5a:5a:00:00:00", "link_id": 0, "wds": True},
    {"bssid": "02:5a:5a:00:00:11", "ssid": "Upstream-MLO", "band": "5g", "channel": 100,
     "width": 160, "signal": -60, "security": "wpa3-sae", "key": "upstream-mlo-key",
     "mld": "02:5a:5a:00:00:00", "link_id": 1, "wds": True},
    {"bssid": "02:5a:5a:00:00:12", "ssid": "Upstream-MLO", "band": "6g", "channel": 69,
     "width": 320, "signal": -63, "security": "wpa3-sae", "key": "upstream-mlo-key",
     "mld": "02:5a:5a:00:00:00", "link_id": 2, "wds": True},
]

#: clients of the default scene
STATIONS: list[dict] = [
    {"mac": "3e:35:54:dc:99:02", "name": "bpi-r4-sta", "kind": "mlmr", "ssid": "*mld",
     "signal": {"2g": -52, "5g": -57, "6g": -61}},
    {"mac": "d2:43:8f:7b:e6:eb", "name": "iphone-16", "kind": "mlsr", "ssid": "*mld",
     "signal": {"2g": -60, "5g": -66, "6g": -70}},
    {"mac": "a0:88:69:12:34:56", "name": "laptop", "kind": "legacy", "ssid": "*5g",
     "generation": 6, "signal": {"2g": -55, "5g": -62, "6g": -75}},
]
