"""``wifimgr capture``: every output the project reads, in one file an owner can attach to a bug
report (docs/captures.md).

The bundle runs each command the parsers read (``iw``, ``hostapd_cli``, ``wpa_cli``, ``dmesg``)
as an argv list with a timeout — never through a shell —, reads the debugfs/sysfs files and
calls the ubus methods, and masks what identifies the owner: MAC addresses keep their first
three octets (vendor, locally-administered bit) and get a running number in place of the rest,
the same number wherever the address occurs, so link, MLD and station addresses still line up;
keys, passwords and secrets become ``<masked>``. Nothing is written to the router.

A bundle is plain text, one section per source::

    ### wifimgr capture 0.1.0 2026-12-01T20:00:00Z
    ### masked: MAC addresses (first three octets kept), keys and passwords
    === cmd iw dev
    phy#0
    …
    --- rc 0
    === file /sys/kernel/debug/ieee80211/phy0/mt76/band0/txpower_info
    …
    === ubus network.wireless status
    {…}

:func:`split` turns a bundle back into its sections (how a section becomes a fixture).
"""

from __future__ import annotations

import json
import re
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..platform import System

MAC_RE = re.compile(r"(?<![0-9A-Fa-f:])((?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2})(?![0-9A-Fa-f:])")
#: UCI/hostapd options whose values are secrets
SECRET_KEYS = re.compile(r"^(?:key[1-4]?|sae_password|password|priv_key_pwd|auth_secret|"
                         r"acct_secret|wpa_psk|wpa_passphrase|psk|passphrase|identity|"
                         r"anonymous_identity)$")
_KV_SECRET = re.compile(r"^(\s*(?:wpa_passphrase|wpa_psk|sae_password|passphrase|psk|password|"
                        r"key[1-4]?)\s*[=:]\s*)(.+)$", re.M)
DEBUGFS = "/sys/kernel/debug/ieee80211/phy0"
CMD_TIMEOUT = 10.0


class Masker:
    """Stable per-bundle replacement of MAC addresses; secrets become ``<masked>``."""

    def __init__(self) -> None:
        self.macs: dict[str, str] = {}

    def mac(self, m: re.Match) -> str:
        raw = m.group(1)
        sep = raw[2]
        norm = raw.lower().replace("-", ":")
        if norm in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"):
            return raw
        if norm not in self.macs:
            n = len(self.macs) + 1
            self.macs[norm] = norm[:8] + f":{n >> 16 & 0xff:02x}:{n >> 8 & 0xff:02x}:{n & 0xff:02x}"
        out = self.macs[norm].replace(":", sep)
        return out.upper() if raw.isupper() else out

    def text(self, text: str) -> str:
        text = _KV_SECRET.sub(lambda m: m.group(1) + "<masked>", text)
        return MAC_RE.sub(self.mac, text)

    def json(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {self.text(str(k)) if MAC_RE.search(str(k)) else k:
                    ("<masked>" if isinstance(k, str) and SECRET_KEYS.match(k) and v not in
                     (None, "") else self.json(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value


def _sections(system: System) -> list[tuple[str, str, str]]:
    """(kind, name, raw text) of every source, in the order a reader wants them."""
    from ..parse import iw_dev

    out: list[tuple[str, str, str]] = []

    def cmd(*argv: str) -> str:
        try:
            res = system.run.run(list(argv), timeout=CMD_TIMEOUT)
        except OSError as exc:
            out.append(("cmd", " ".join(argv), f"--- error {exc}\n"))
            return ""
        body = res.stdout or ""
        if res.stderr:
            body += "".join(f"--- stderr {ln}\n" for ln in res.stderr.splitlines())
        body += f"--- rc {'timeout' if res.timed_out else res.rc}\n"
        out.append(("cmd", " ".join(argv), body))
        return res.stdout or ""

    def file(path: str) -> None:
        text = system.fs.read_text(path)
        if text is not None:
            out.append(("file", path, text if text.endswith("\n") else text + "\n"))

    def ubus(obj: str, method: str) -> None:
        from ..platform.ubus import UbusError

        try:
            reply = system.bus.call(obj, method, {}, timeout=5)
        except UbusError as exc:
            out.append(("ubus", f"{obj} {method}", f"--- error {exc.status} {exc.message}\n"))
            return
        out.append(("ubus", f"{obj} {method}", json.dumps(reply, indent="\t") + "\n"))

    dev = cmd("iw", "dev")
    try:
        ifaces = iw_dev.parse_dev(dev)
    except Exception:  # an unreadable listing still goes into the bundle, as printed
        ifaces = []
    for i in ifaces:
        cmd("iw", "dev", i.name, "info")
    for i in ifaces:
        if i.type == "AP":
            cmd("iw", "dev", i.name, "station", "dump")
        elif i.type == "managed":
            cmd("iw", "dev", i.name, "link")
    if ifaces:
        cmd("iw", "dev", ifaces[0].name, "survey", "dump")
    for i in ifaces:
        cmd("iw", "dev", i.name, "scan", "dump")
    cmd("iw", "phy")
    cmd("iw", "phy", "phy0", "channels")
    cmd("iw", "reg", "get")
    for i in ifaces:
        if i.type == "AP":
            _hostapd(cmd, i, system)
        elif i.type == "managed":
            cmd("wpa_cli", "-i", i.name, "status")
            if i.is_mld:
                cmd("wpa_cli", "-i", i.name, "MLO_STATUS")
    cmd("dmesg")
    # a panic's console survives the reboot only here (ramoops): the Oops of the last crash
    for path in sorted(system.fs.glob("/sys/fs/pstore/*ramoops*")):
        file(path)
    for n in range(3):
        for name in ("txpower_info", "txpower_sku"):
            file(f"{DEBUGFS}/mt76/band{n}/{name}")
    for name in ("mt76/sku_disable", "mt76/eeprom_mode", "mt76/fw_version", "dfs_status"):
        file(f"{DEBUGFS}/{name}")
    for path in system.fs.glob("/sys/devices/platform/soc/*/*/*/*/ieee80211/phy0/hwmon*/name"):
        file(path)
        file(path.rsplit("/", 1)[0] + "/temp1_input")
    for path in system.fs.glob("/sys/class/thermal/thermal_zone*/type"):
        file(path)
        file(path.rsplit("/", 1)[0] + "/temp")
    ubus("network.wireless", "status")
    for i in ifaces:
        if i.type == "AP":
            ubus(f"hostapd.{i.name}", "get_status")
            ubus(f"hostapd.{i.name}", "get_clients")
    return out


def _hostapd(cmd, intf, system: System) -> None:
    from ..model.capabilities import HOSTAPD_PROBES
    from ..observe.live import HOSTAPD_CTRL
    from ..parse import hostapd

    cmd("hostapd_cli", "-i", intf.name, "status")
    for ln in intf.links:
        # upstream: the link's own socket; MTK SDK: ``-l`` (as observe.live asks)
        link_if = f"{intf.name}_link{ln.link_id}"
        if system.fs.exists(f"{HOSTAPD_CTRL}/{link_if}"):
            cmd("hostapd_cli", "-i", link_if, "status")
        else:
            cmd("hostapd_cli", "-i", intf.name, "-l", str(ln.link_id), "status")
    sta = cmd("hostapd_cli", "-i", intf.name, "all_sta")
    if not intf.is_mld:
        return
    # the capability probes, as hostapd answers them (UNKNOWN COMMAND where it lacks one)
    for probe in HOSTAPD_PROBES.values():
        cmd("hostapd_cli", "-i", intf.name, "raw", *probe.split())
    cmd("hostapd_cli", "-i", intf.name, "get_attlm")
    cmd("hostapd_cli", "-i", intf.name, "get_btwt")
    try:
        stations = hostapd.parse_sta_list(sta) if hostapd.classify_reply(sta) == "payload" else []
    except Exception:
        stations = []
    for s in stations:
        if s.is_mld:
            cmd("hostapd_cli", "-i", intf.name, "get_neg_ttlm", s.mac)


def bundle(system: System, *, now: float | None = None) -> str:
    """The whole capture as one masked text."""
    from .. import __version__

    mask = Masker()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now if now is not None
                                                            else time.time()))
    parts = [f"### wifimgr capture {__version__} {stamp}\n",
             "### masked: MAC addresses (first three octets kept, the rest numbered), keys "
             "and passwords\n"]
    for kind, name, text in _sections(system):
        if kind == "ubus" and not text.startswith("---"):
            text = json.dumps(mask.json(json.loads(text)), indent="\t") + "\n"
        else:
            text = mask.text(text)
        parts.append(f"=== {kind} {mask.text(name)}\n{text}")
    return "".join(parts)


def split(text: str) -> list[tuple[str, str, str]]:
    """A bundle's sections as (kind, name, body), the body without the ``--- rc`` trailer —
    what goes into tests/fixtures/captures/ (docs/captures.md)."""
    out: list[tuple[str, str, str]] = []
    for chunk in re.split(r"(?m)^=== ", text)[1:]:
        head, _, body = chunk.partition("\n")
        kind, _, name = head.partition(" ")
        body = "".join(ln for ln in body.splitlines(keepends=True)
                       if not ln.startswith("--- rc ") and not ln.startswith("--- stderr "))
        out.append((kind, name, body))
    return out
