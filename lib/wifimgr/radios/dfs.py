"""DFS on the 5 GHz radio: state and CAC progress for ``radios``, and the CAC wait that
``radio_set`` announces when it moves a radio onto a radar channel.

Sources: ``iw phy phy0 channels`` (which channels need radar detection and their CAC time —
600 s on the weather-radar channels 120–128 in ETSI) and ``hostapd_cli status``
(``state=DFS`` while the channel availability check runs, ``cac_time_seconds``,
``cac_time_left_seconds``). 2.4 GHz and 6 GHz have no DFS, so they report none.
"""

from __future__ import annotations

from ..observe.live import Live
from ..parse.common import to_int
from ..rules import validate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context
    from ..model.wireless import Radio

DEFAULT_CAC_S = 60


def radar_members(lv: Live, band: str, channel: int, width: int) -> list[Any]:
    """The phy channels of the block that need radar detection."""
    members = validate.block(channel, band, width) or [channel]
    table = {c.channel: c for c in lv.phy_channels if c.band == band}
    return [table[m] for m in members if m in table and table[m].radar]


def expected_cac_s(lv: Live, band: str, channel: int, width: int) -> int:
    radar = radar_members(lv, band, channel, width)
    if not radar:
        return 0
    return max((c.cac_ms // 1000 if c.cac_ms else DEFAULT_CAC_S) for c in radar)


def describe(ctx: Context, lv: Live, info: dict[str, Any]) -> None:
    """Add ``info["dfs"]`` (None off 5 GHz): ``state`` is ``none`` (not a radar channel),
    ``cac`` (check running: ``cac_left_s`` of ``cac_s``), ``active`` (in service, radar
    monitored) or ``down``."""
    if info.get("band") != "5g":
        info["dfs"] = None
        return
    r = lv.config.radios[info["name"]]
    live = info["live"]
    channel = live["channel"] or (int(r.channel) if r.channel and r.channel.isdigit() else None)
    width = live["width_mhz"] or validate.width_of_htmode(r.htmode or "HT20")
    out: dict[str, Any] = {"channel_dfs": False, "state": "none", "cac_s": 0,
                           "cac_left_s": 0, "progress_pct": None,
                           "background_radar": r.section.get_str("background_radar") == "1"}
    info["dfs"] = out
    if channel is None:
        out["state"] = "auto"
        return
    out["cac_s"] = expected_cac_s(lv, "5g", channel, width)
    out["channel_dfs"] = out["cac_s"] > 0
    st = lv.hostapd_status(live["ifname"], live["link_id"]) if live["ifname"] else None
    if st is None:
        out["state"] = "down" if out["channel_dfs"] else "none"
        return
    if st.state == "DFS":
        total = to_int(st.get("cac_time_seconds")) or out["cac_s"]
        left = to_int(st.get("cac_time_left_seconds"))
        out.update(state="cac", cac_s=total, cac_left_s=left)
        if left is not None and total:
            out["progress_pct"] = round(100 * (total - left) / total)
    elif out["channel_dfs"]:
        out["state"] = "active"


def cac_wait(ctx: Context, r: Radio) -> int | None:
    """Seconds of CAC the radio's (proposed) channel needs before its APs beacon; None when
    nothing applies (not 5 GHz, channel auto, no radar channel)."""
    if r.band != "5g" or not r.channel or not r.channel.isdigit():
        return None
    lv = Live(ctx.system)
    wait = expected_cac_s(lv, "5g", int(r.channel), validate.width_of_htmode(r.htmode or "HT20"))
    return wait or None
