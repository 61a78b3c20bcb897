"""The twin's files (the ``fs`` port): /proc, /sys (debugfs, hwmon, thermal, interface
statistics), /etc/board.json, dnsmasq's leases, rendered from the state on read."""

from __future__ import annotations

import contextlib
import fnmatch
import json
import math
import os
import zlib

from .. import render, render_driver
from ..profiles import UPSTREAM_DEBUGFS
from .view import View

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .view import TwinAccess

HWMON_BASE = ("/sys/devices/platform/soc/11300000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0/"
              "ieee80211/phy0")


class TwinFs:
    """Files rendered from the twin state on read (router paths)."""

    def __init__(self, twin: TwinAccess):
        self.twin = twin

    def _files(self, v: View) -> dict[str, Any]:
        prof = v.profile
        board = prof.board
        rel = board.get("release", {})
        files: dict[str, Any] = {
            "/proc/version": f"Linux version {board['kernel']} (builder@buildhost) (aarch64-"
                             "openwrt-linux-musl-gcc (OpenWrt GCC 14.3.0 "
                             f"{rel.get('revision', '')}) 14.3.0, GNU ld (GNU "
                             "Binutils) 2.44) #0 SMP Mon Nov 16 09:12:03 2026\n",
            "/sys/firmware/devicetree/base/model": f"{prof.machine}\0",
            "/etc/board.json": json.dumps({"model": {"id": board["board_name"],
                                                     "name": board["model"]},
                                           "wlan": {"phy0": {"path": "soc/11300000.pcie/"
                                                             "pci0000:00/0000:00:00.0/"
                                                             "0000:01:00.0"}}}, indent="\t")
                               + "\n",
            # a random UUID per boot (the kernel's); the capability map is cached per boot
            "/proc/sys/kernel/random/boot_id": f"{self._boot_id(v)}\n",
            "/sys/class/thermal/thermal_zone0/type": "cpu-thermal\n",
            "/sys/class/thermal/thermal_zone0/temp": f"{self._temp(v, 51.0, 0)}\n",
            "/sys/class/thermal/thermal_zone1/type": "eth2p5g-thermal\n",
            "/sys/class/thermal/thermal_zone1/temp": f"{self._temp(v, 58.0, 1)}\n",
        }
        if v.phase == "locked" or v.phase == "off":
            return files
        if prof.mtk_debugfs:
            files["/sys/kernel/debug/ieee80211/phy0/mt76/sku_disable"] = \
                f"{v.st['sku_disable']}\n"
            if v.st["variant"] == "zeroed-eeprom":
                files["/sys/kernel/debug/ieee80211/phy0/mt76/eeprom_mode"] = "efuse mode\n"
        else:
            # upstream mt7996's debugfs names (openwrt/mt76 59676919); the twin lists them
            # and renders none of their contents (no feature reads them)
            for name in UPSTREAM_DEBUGFS:
                files[f"/sys/kernel/debug/ieee80211/phy0/mt76/{name}"] = ""
        if v.st.get("pstore"):
            files["/sys/fs/pstore/console-ramoops-0"] = v.st["pstore"]
        for i in prof.radio_indices:
            d = f"{HWMON_BASE}/hwmon{i + 1}"
            files[f"{d}/name"] = f"mt7996_phy0.{i}\n"
            files[f"{d}/temp1_input"] = f"{self._temp(v, 47.0 + 4 * i, 10 + i)}\n"
        if v.rt is not None and prof.mtk_debugfs:
            # phy0/dfs_status is the MTK SDK's (the upstream mt76 of 59676919 has none)
            lines = []
            for r in v.rt.radios.values():
                if r.band == "5g" and r.dfs:
                    state = "Unavailable" if v.cac_left(r) else "Available"
                    lines.append(f"Channel = {r.channel}, DFS_state = {state}")
            files["/sys/kernel/debug/ieee80211/phy0/dfs_status"] = "\n".join(lines) + "\n"
        if v.rt is not None:
            for r in (v.rt.radios.values() if prof.mtk_debugfs else ()):
                files[f"/sys/kernel/debug/ieee80211/phy0/mt76/band{r.index}/txpower_info"] = \
                    render_driver.txpower_info(r.index, r.band, sku=v.radio_sku(r),
                                        auto_half_db=int(v.txpower(r, target=True) * 2),
                                        sku_idx=int(r.section.get_str("sku_idx") or 0))
                rule = render.chan_rule(r.country, r.band, r.channel)
                files[f"/sys/kernel/debug/ieee80211/phy0/mt76/band{r.index}/txpower_sku"] = \
                    render_driver.txpower_sku(r.index, r.channel,
                                       target_half_db=int(v.txpower(r, target=True) * 2),
                                       regdb_dbm=rule[0] if rule else 0,
                                       eeprom_dbm=int(v.eeprom_max(r)))
            for b in v.rt.bsses:
                if b.mode == "ap" and v.phase == "up":
                    # hostapd's control sockets (ctrl_interface /var/run/hostapd): one per
                    # interface, and one per link of an AP MLD where hostapd makes them
                    # (upstream hostap 14cb3906: "<ifname>_link<link id>")
                    files[f"/var/run/hostapd/{b.ifname}"] = ""
                    for ln in (b.links if prof.link_sockets else ()):
                        files[f"/var/run/hostapd/{b.ifname}_link{ln.link_id}"] = ""
                rx = sum(ln.rx_packets for a in v.assocs if a.bss.ifname == b.ifname
                         for ln in a.links) * 900
                tx = sum(ln.tx_packets for a in v.assocs if a.bss.ifname == b.ifname
                         for ln in a.links) * 1200
                files[f"/sys/class/net/{b.ifname}/statistics/rx_bytes"] = f"{rx}\n"
                files[f"/sys/class/net/{b.ifname}/statistics/tx_bytes"] = f"{tx}\n"
        return files

    @staticmethod
    def _boot_id(v: View) -> str:
        bid = v.st["boot"].get("id")
        if bid:
            return bid
        # a state file from before boot ids: one derived from the boot time and count
        h = f"{zlib.crc32(repr(v.st['boot'].get('time')).encode()):08x}"
        n = f"{int(v.st['boot'].get('count', 0)) & 0xFFFFFFFFFFFF:012x}"
        return f"{h}-0000-4000-8000-{n}"

    @staticmethod
    def _temp(v: View, base: float, seed: int) -> int:
        load = 3.0 * len(v.assocs) if v.rt else 0.0
        wobble = 1.5 * math.sin(v.now / 47.0 + seed)
        return int((base + load + wobble) * 1000)

    def _leases(self, v: View) -> dict[str, str]:
        """dnsmasq's lease file at the path(s) the twin's `dhcp` config names (default
        /tmp/dhcp.leases): one line per associated station that asked for a host name, as
        dnsmasq writes it (``<expiry> <mac> <ip> <hostname|*> <client-id>``), and
        /etc/ethers when the twin directory holds one."""
        out: dict[str, str] = {}
        ethers = os.path.join(self.twin.dir, "etc", "ethers")
        if os.path.isfile(ethers):
            with open(ethers, encoding="utf-8", errors="surrogateescape") as fh:
                out["/etc/ethers"] = fh.read()
        if v.rt is None:
            return out
        lines = []
        for a in v.assocs:
            sta = a.station
            h = zlib.crc32(sta["mac"].encode()) % 150 + 100
            lines.append(f"{int(v.now - a.connected_s) + 43200} {sta['mac']} 192.168.1.{h} "
                         f"{sta.get('hostname') or '*'} 01:{sta['mac']}")
        paths = []
        with contextlib.suppress(Exception):
            dhcp = self.twin.uci.load("dhcp")
            paths = [p for p in (s.get_str("leasefile") for s in dhcp.of_type("dnsmasq")) if p]
        for p in paths or ["/tmp/dhcp.leases"]:  # noqa: S108 — dnsmasq's default
            out[p] = "".join(line + "\n" for line in lines)
        return out

    def read_text(self, path: str) -> str | None:
        v = View.take(self.twin)
        if path == "/etc/ethers" or path.startswith("/tmp/"):  # noqa: S108 — router paths
            hit = self._leases(v).get(path)
            if hit is not None:
                return hit
        return self._files(v).get(path)

    def exists(self, path: str) -> bool:
        files = self._files(View.take(self.twin))
        if path in files:
            return True
        prefix = path.rstrip("/") + "/"
        return any(p.startswith(prefix) for p in files)

    def glob(self, pattern: str) -> list[str]:
        files = self._files(View.take(self.twin))
        dirs = {p.rsplit("/", k)[0] for p in files for k in range(1, p.count("/"))}
        return sorted(p for p in set(files) | dirs if fnmatch.fnmatchcase(p, pattern))

    def write_text(self, path: str, text: str) -> None:
        raise PermissionError(f"{path}: read-only in the twin")
