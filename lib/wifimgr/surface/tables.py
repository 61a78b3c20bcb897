"""Plain-text tables for the CLI (no dependency beyond the standard library)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))
    line = "  ".join(h.upper().ljust(widths[i]) for i, h in enumerate(headers))
    out = [line.rstrip()]
    for row in cells:
        out.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
    return "\n".join(out)


def dbm(v: Any) -> str:
    return "—" if v is None else f"{v} dBm"


def render_status(r: dict[str, Any]) -> str:
    chip = r["chip"]
    lines = [f"board     {r['board'].get('model')} ({r['board'].get('backend')}), "
             f"wifimgr {r['version']}",
             f"chip      {chip['state'].upper()} — {chip['message']}"]
    if chip.get("recovery"):
        lines.append(f"          {chip['recovery']}")
    for v in r["config"]["violations"]:
        lines.append(f"unsafe    [{v['rule']}] {v['message']}")
    p = r["config"]["pending"]
    if p["reboot"] or p["reload"]:
        lines.append(f"pending   {'reboot' if p['reboot'] else 'reload'}: "
                     + "; ".join(p["reasons"]))
    for n in r["config"]["notes"]:
        lines.append(f"note      {n}")
    lines.append(f"networks  {r['networks']['up']}/{r['networks']['total']} up, "
                 f"{r['clients']} clients")
    for kind in ("ap", "sta"):
        m = r["mlo"][kind]
        if m:
            lines.append(f"MLO {kind.upper():<5} {m['ssid']} on {m['ifname']} "
                         f"({m['links_up']} links up)")
    return "\n".join(lines)


def render_radios(r: dict[str, Any]) -> str:
    rows = [[x["name"], x["band_label"], "up" if x["up"] else ("off" if x["disabled"]
                                                                else "down"),
             x["config"]["channel"], x["live"]["channel"], x["config"]["htmode"],
             x["config"]["txpower_mode"], x["live"]["txpower_dbm"], dbm(x["noise_dbm"]),
             x["busy_pct"], x["chan_util_pct"]] for x in r["radios"]]
    return table(["radio", "band", "state", "channel", "live ch", "htmode", "tx mode",
                  "tx dBm", "noise", "busy %", "util %"], rows)


def render_networks(r: dict[str, Any]) -> str:
    rows = [[n["section"], n["kind"], n["ssid"], "+".join(n["bands"]), n["encryption_label"],
             n["ifname"], n["status"], n.get("clients", "")] for n in r["networks"]]
    return table(["section", "kind", "ssid", "bands", "security", "ifname", "status",
                  "clients"], rows)


def render_clients(r: dict[str, Any]) -> str:
    rows = []
    for c in r["clients"]:
        links = " ".join(f"L{ln['link_id']}:{ln['signal_dbm'] if ln['active'] else 'idle'}"
                         for ln in c["links"])
        rows.append([c["mac"], c["ssid"], c["type"], f"WiFi {c['generation']}"
                     if c["generation"] else "legacy", dbm(c["signal_dbm"]),
                     (c["tx_bitrate"] or {}).get("mbps"), links])
    return table(["mac", "ssid", "type", "gen", "signal", "tx Mbit/s", "links"], rows)


def render_diagnostics(r: dict[str, Any]) -> str:
    lines = ["firmware  " + ", ".join(f"{f['component']} {f['version']} ({f['build_time']})"
                                      for f in r["firmware"])]
    t = r["temperatures"]
    lines.append(f"temps     cpu {t['cpu_c']} °C, wifi " + ", ".join(
        f"{k} {v} °C" for k, v in t["wifi"].items()))
    if r["regdomain"]:
        lines.append(f"country   {r['regdomain']['country']} ({r['regdomain']['dfs_region']})")
    lines.append("")
    lines.append(table(["radio", "band", "channel", "util %", "busy %", "noise", "tx dBm",
                        "clients"],
                       [[x["radio"], x["band"], x["channel"], x["util_pct"] if x["util_pct"]
                         is not None else "n/a", x["busy_pct"], dbm(x["noise_dbm"]),
                         x["txpower_dbm"], x["clients"]] for x in r["radios"]]))
    return "\n".join(lines)


def render_scan(r: dict[str, Any]) -> str:
    rows = [[x["ssid"] or "(hidden)", x["bssid"], x["band"], x["channel"], x["width_mhz"],
             dbm(x["signal_dbm"]), x["security_label"]] for x in r["results"]]
    out = table(["ssid", "bssid", "band", "ch", "width", "signal", "security"], rows)
    notes = [f"{p['radio']}: {p['note']}" for p in r["radios"] if p.get("note")]
    return out + ("\n" + "\n".join(notes) if notes else "")


def render_advise(r: dict[str, Any]) -> str:
    head = (f"{r['radio']} ({r['band']}, {r['width_mhz']} MHz): {r['networks_seen']} networks "
            f"heard, {r['candidates']} usable channels; now on {r['current'] or 'auto'}"
            + (f" (score {r['current_score']})" if r.get("current_score") is not None else ""))
    rows = [[c["channel"], c["score"], c["class"], "yes" if c["dfs"] else "",
             "; ".join(c["reasons"])] for c in r["top"]]
    out = [head, table(["channel", "score", "class", "dfs", "why"], rows)]
    out += [f"note: {n}" for n in r.get("notes", [])]
    return "\n".join(out)
