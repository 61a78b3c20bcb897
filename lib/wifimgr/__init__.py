"""luci-app-wifimgr: WiFi 7 / MLO manager for the Banana Pi BPI-R4 (MT7996, MTK SDK).

Everything with logic lives in this package; the rpcd plugin, the CLI, the hotplug hooks and
the dev server are thin front doors onto :mod:`wifimgr.surface.api`.

Keep this module import-free: the rpcd plugin's ``list`` imports it on every rpcd start-up.
"""

__version__ = "0.1.0"
