"""First-run defaults, applied exactly once (sentinel ``wifimgr.defaults.applied``, which lives
in ``/etc/config/wifimgr`` and so survives sysupgrade).

uci-defaults run before the wireless config exists on a first boot (spec/platform.md §h.2), so
this runs twice: from ``uci-defaults`` (the network part; the wireless part if the radios are
already there) and from the ``ieee80211`` hotplug hook once the radios were detected. Only the
run that found the radios sets the sentinel.

What it does (fixing the original's bugs, §h.2 / §g.8):

* ``country``: the firmware's (kept), or ``wifimgr.defaults.country`` when set, else the world
  domain ``00`` — never a hard-coded country; the owner confirms or chooses it in the Country
  wizard (``status.country``); ``sku_idx 0`` so the country's power limits apply;
* one random 16-character key for the factory networks (``MT76_AP_MLD``, ``OpenWrt``,
  ``OpenWrt-*``), replacing the published ``12345678`` or no key at all;
* WPA3 (``sae``, PMF required, SAE H2E) for every AP or MLD that includes a 6 GHz radio — the MLD
  whose ``device`` is a list included — and WPA2/WPA3 transition (PMF optional) elsewhere;
* ``MT76_AP_MLD`` → ``OpenWrt-MLD``; the LAN netmask /24 if it is /32;
* logs where to read the key (``wifimgr secret <section>``, LuCI, or ``uci show wireless``).

The whole result goes through the safety verdict like every other write.
"""

from __future__ import annotations

import secrets
import string

from ..host.context import Context
from ..model.wireless import WirelessConfig

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..model.configset import ConfigSet
    from ..platform import System
    from ..platform.ucitext import Package

FACTORY_SSIDS = ("MT76_AP_MLD", "OpenWrt")
#: passphrases printed in public sources (docs/safety.md "Publicly known keys" cites each):
#: the MTK SDK 25.12 factory config (6 GHz AP and the MLD), the original luci-app-wifimgr
#: ≤ 2.x first run (every factory network) and its EasyMesh images
PUBLISHED_KEYS = frozenset({"12345678"})
PUBLISHED_RULE = "published-key"
KEY_ALPHABET = string.ascii_letters + string.digits
#: the world regulatory domain: the country when neither the firmware nor the owner set one
WORLD = "00"


def new_key() -> str:
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(16))


def is_factory_ssid(ssid: str) -> bool:
    return ssid in FACTORY_SSIDS or ssid.startswith("OpenWrt-")


def settings(pkg: Package) -> dict[str, Any]:
    sec = pkg.get("defaults")
    return {
        "applied": bool(sec and sec.get_bool("applied")),
        "country": (sec.get_str("country") if sec else None),
        "enabled": sec.get_bool("enabled", True) if sec else True,
        "country_set": sec.get_str("country_set") if sec else None,
        "country_confirmed": bool(sec and sec.get_bool("country_confirmed")),
    }


def first_run(cs: ConfigSet, key: str | None = None, *, sku_idx: bool = True
              ) -> dict[str, Any]:
    """Change ``cs`` in place (pure: no I/O). Returns a report. ``sku_idx``: the stack has the
    MTK SDK's power-table option (the capability map); without it none is written."""
    report: dict[str, Any] = {"network": [], "wireless": [], "wireless_done": False,
                              "key": None}
    st = settings(cs["wifimgr"])
    if st["applied"] or not st["enabled"]:
        report["skipped"] = "already applied" if st["applied"] else "disabled"
        return report
    lan = cs["network"].get("lan")
    if lan is not None:
        if lan.get_str("netmask") == "255.255.255.255":
            lan.set("netmask", "255.255.255.0")
            report["network"].append("lan netmask /32 → /24")
        addr = lan.get("ipaddr")
        if isinstance(addr, str) and addr.endswith("/32"):
            lan.set("ipaddr", addr[:-3] + "/24")
            report["network"].append("lan ipaddr /32 → /24")
    w = WirelessConfig.from_set(cs)
    if not w.radios:
        return report  # uci-defaults time on a first boot: the radios come later
    from ..rules import validate

    # the firmware's country stays (never a hard-coded one); a country configured in
    # wifimgr.defaults.country wins; with neither, the world domain '00' until the owner
    # chooses (the UI shows a "choose your country" banner leading to the Country wizard)
    firmware = sorted({r.country for r in w.radios.values() if r.country})
    cc = (validate.country(st["country"], field="defaults.country") if st["country"]
          else firmware[0] if len(firmware) == 1 else WORLD)
    for r in w.radios.values():
        if r.country != cc:
            r.section.set("country", cc)
            report["wireless"].append(f"{r.name}: country {cc}")
        if r.sku_idx is None and sku_idx:
            r.section.set("sku_idx", "0")
            r.section.set("txpower_mode", "regdb")
    # nobody chose it yet (the firmware's default or the world domain): remember what first
    # run kept, so the UI asks the owner (the country wizard sets country_confirmed)
    wm_sec = cs["wifimgr"].get("defaults") or cs["wifimgr"].add("defaults", "defaults")
    wm_sec.set("country_set", cc)
    if not wm_sec.get_bool("country_confirmed"):
        wm_sec.set("country_confirmed", "0")
    key = key or new_key()
    for i in w.ifaces:
        if not i.is_ap or not is_factory_ssid(i.ssid):
            continue
        sec = i.section
        if i.ssid == "MT76_AP_MLD":
            sec.set("ssid", "OpenWrt-MLD")
            report["wireless"].append(f"{i.name}: SSID MT76_AP_MLD → OpenWrt-MLD")
        six = "6g" in w.bands_of(i)
        sec.set("encryption", "sae" if six else "sae-mixed")
        sec.set("key", key)
        sec.set("ieee80211w", "2" if six else "1")
        if six:
            sec.set("sae_pwe", "2")
        report["wireless"].append(f"{i.name}: {'WPA3' if six else 'WPA2/WPA3'} with the "
                                  "new key")
        report["key"] = key
    wm = cs["wifimgr"]
    sec = wm.get("defaults") or wm.add("defaults", "defaults")
    sec.set("applied", "1")
    report["wireless_done"] = True
    return report


def run_first_boot(system: System) -> dict[str, Any]:
    """The apply step (hooks and the preview server call it): judged and committed by the
    one write path."""
    from ..host import probe
    from ..model.capabilities import sku_option
    from ..transaction.writes import commit_change

    ctx = Context(system=system, method="first-run defaults", access="write")
    holder: dict[str, Any] = {}
    # decided by the driver's debugfs, which is there before hostapd is
    sku = sku_option(probe.capabilities(system))

    def mutate(cs: ConfigSet) -> dict[str, Any]:
        holder["report"] = first_run(cs, sku_idx=sku)
        return {}

    reply = commit_change(ctx, mutate, configs=("wireless", "network", "wifimgr"),
                          summary="first-run defaults")
    report = holder.get("report", {})
    report["reply"] = {k: reply[k] for k in ("ok", "apply", "blocked", "job")}
    _log(system, report)
    return report


def _log(system: System, report: dict[str, Any]) -> None:
    if report.get("skipped"):
        return
    lines = [f"first-run defaults: {x}" for x in report["network"] + report["wireless"]]
    if report.get("key"):
        lines.append("first-run defaults: the factory networks now share one new random key; "
                     "read it in LuCI (Network → WiFi Manager → Edit), with `wifimgr secret "
                     "<section>` or `uci show wireless | grep key`")
    if not report["reply"]["ok"]:
        lines.append("first-run defaults refused by the safety module: "
                     + "; ".join(b["message"] for b in report["reply"]["blocked"]))
    for line in lines:
        system.run.run(["logger", "-t", "wifimgr", line], timeout=5)


def published_key_findings(w: WirelessConfig) -> list[dict[str, Any]]:
    """Every AP network whose passphrase is publicly known: a security finding (never the
    key itself). ``factory``: its SSID is still a factory one (``hotplug migrate`` rotates
    those by itself)."""
    out = []
    for i in w.ifaces:
        if not i.is_ap or i.section.get_str("key") not in PUBLISHED_KEYS:
            continue
        out.append({"rule": PUBLISHED_RULE, "subject": i.name, "ssid": i.ssid,
                    "factory": is_factory_ssid(i.ssid or ""),
                    "message": f"{i.name} ({i.ssid}) uses a publicly known key (the factory "
                               "default printed in the firmware's and the original app's "
                               "sources): anyone nearby can join it. Set a new key.",
                    "fix": {"method": "key_rotate", "args": {"sections": [i.name]},
                            "label": "Set a new random key"}})
    return out


def rotate_published_keys(system: System, *, sections: list[str] | None = None,
                          factory_only: bool = False, dry_run: bool = False,
                          method: str = "key_rotate", defer_reboot: bool = False
                          ) -> dict[str, Any]:
    """Give every network with a publicly known key (or the named ones among them) one new
    random key, through the one write path. The reply carries the key once (``key``); callers
    that log or record must drop it."""
    from ..core.errors import InvalidArgument
    from ..transaction.writes import commit_change, result

    ctx = Context(system=system, method=method, access="write")
    key = new_key()
    holder: dict[str, Any] = {"done": []}

    def mutate(cs: ConfigSet) -> dict[str, Any]:
        w = WirelessConfig.from_set(cs)
        found = published_key_findings(w)
        names = {f["subject"] for f in found if f["factory"] or not factory_only}
        if sections is not None:
            unknown = [s for s in sections if s not in names]
            if unknown:
                raise InvalidArgument(f"no publicly known key on {', '.join(unknown)}",
                                      field="sections")
            names &= set(sections)
        for i in w.ifaces:
            if i.name in names:
                i.section.set("key", key)
                holder["done"].append(i.name)
        return {}

    reply = commit_change(ctx, mutate, dry_run=dry_run, defer_reboot=defer_reboot,
                          summary="new key for networks with a publicly known key")
    if not holder["done"] and reply.get("ok"):
        return result(ok=True, rotated=[], key=None)
    reply["rotated"] = sorted(holder["done"])
    reply["key"] = key if reply.get("ok") and not dry_run else None
    return reply


def key_rotate(ctx: Context, sections: list[str] | None = None,
               dry_run: bool = False) -> dict[str, Any]:
    """``key_rotate {sections?}``: one new random key for the networks with a publicly known
    key (all of them, or the named ones); the reply shows it once."""
    if sections is not None and not all(isinstance(s, str) for s in sections):
        from ..core.errors import InvalidArgument

        raise InvalidArgument("sections must be a list of section names", field="sections")
    return rotate_published_keys(ctx.system, sections=sections, dry_run=dry_run)
