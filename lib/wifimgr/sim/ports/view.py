"""One consistent look at the twin's state, shared by every port of one command or call.

Also what the twin and its ports both derive from the state (:func:`up_since`, :func:`busy_ms`,
:func:`procd_instance`), and :class:`TwinAccess`: what the ports use of the twin. The twin
(:class:`wifimgr.sim.twin.Twin`) builds the ports and imports them; the ports know it only
through that protocol, so the two modules do not import each other.
"""

from __future__ import annotations

from ...core.record import record
from .. import profiles, render
from ..clients import associations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from typing import Any, ClassVar, Protocol

    from ...platform.uci import FileUciStore
    from ...platform.ucitext import Package
    from ..clients import Association
    from ..runtime import RBss, RRadio, Runtime

    class TwinAccess(Protocol):
        """What the ports use of the twin (:class:`wifimgr.sim.twin.Twin` implements it)."""

        dir: str
        state_path: str
        uci: FileUciStore

        def load(self) -> dict[str, Any]: ...
        def edit(self) -> AbstractContextManager[dict[str, Any]]: ...
        def now(self, st: dict[str, Any] | None = None) -> float: ...
        def phase(self, st: dict[str, Any] | None = None) -> str: ...
        def runtime(self, st: dict[str, Any] | None = None) -> Runtime | None: ...
        def packages(self, st: dict[str, Any] | None = None) -> tuple[Package, Package]: ...
        def wifi(self, action: str) -> tuple[int, str]: ...
        def reboot(self) -> None: ...
        def _log(self, st: dict[str, Any], line: str) -> None: ...
        def _kmsg(self, st: dict[str, Any], line: str) -> None: ...


EFUSE_DBM = {"2g": 25.0, "5g": 27.0, "6g": 26.0}
ZEROED_DBM = {"2g": 6.0, "5g": 7.0}


def up_since(st: dict[str, Any]) -> float:
    """When the interfaces last came up (survey counters restart then)."""
    return max(st["boot"]["ready_at"], st["reload"].get("ready_at") or 0)


def busy_ms(st: dict[str, Any], band: str, now: float) -> int:
    """Cumulative channel busy time of the in-use channel of ``band`` since it came up."""
    rf = st["rf"][band]
    start = up_since(st)
    base_t = rf.get("busy_base_t") or 0
    base = rf.get("busy_base_ms", 0) if base_t >= start else 0
    since = max(base_t, start)
    return int(base + max(0.0, now - since) * 1000 * rf["busy"] / 100)


@record
class View:
    """One consistent look at the twin for a single command or call."""

    twin: TwinAccess
    st: dict[str, Any]
    now: float
    phase: str
    rt: Runtime | None  # None unless the phase is "up"
    assocs: list[Association]

    #: the last view per twin directory: the commands of one API call (often several ``iw``
    #: and ``hostapd_cli`` runs within milliseconds) share it while the state file is unchanged
    #: and the clock has not moved on by half a second — a tool samples, so does the twin
    _last: ClassVar[dict[str, tuple[int, int, View]]] = {}

    @classmethod
    def take(cls, twin: TwinAccess) -> View:
        st = twin.load()
        now = twin.now(st)
        hit = cls._last.get(twin.dir)
        if hit and hit[0] == id(st) and hit[1] == int(now * 2) and hit[2].now <= now:
            return hit[2]
        view = cls._build(twin, st, now)
        cls._last[twin.dir] = (id(st), int(now * 2), view)
        return view

    @classmethod
    def _build(cls, twin: TwinAccess, st: dict[str, Any], now: float) -> View:
        phase = twin.phase(st)
        rt = twin.runtime(st) if phase == "up" else None
        assocs: list[Association] = []
        if rt is not None:
            assocs = associations(st, rt, now, up_since(st))
            deauth = st.get("deauth", {})
            assocs = [a for a in assocs if deauth.get(a.mac, 0) <= now]
        return cls(twin, st, now, phase, rt, assocs)

    # ---------------------------------------------------------------- derived values
    @property
    def profile(self) -> profiles.Profile:
        """The router and stack the twin plays (:mod:`wifimgr.sim.profiles`)."""
        return profiles.of_state(self.st)

    def hostapd_objects(self) -> list[str]:
        """The ``hostapd.<ifname>`` ubus objects: one per AP while the radios are up."""
        return [] if self.rt is None else [f"hostapd.{b.ifname}" for b in self.rt.aps()]

    def radio_sku(self, r: RRadio) -> bool:
        """The radio runs from the SKU table (regdb limits apply). On the MTK SDK only once
        ``sku_idx`` cleared ``sku_disable``; upstream mt76 always applies the regdb limits
        (it has neither ``sku_idx`` nor ``sku_disable``)."""
        if not self.profile.mtk_debugfs:
            return True
        return r.section.get_str("sku_idx") is not None and self.st["sku_disable"] == 0

    def txpower(self, r: RRadio, *, target: bool = False) -> float:
        """What the radio transmits; ``target`` = what the firmware aims for (the TMAC=0 bug
        makes the two differ: the target is right, the radio sends ~3 dBm)."""
        tp = self.st["txpower"].get(str(r.index), {})
        if tp.get("tmac_zero") and not target:
            return 3.0
        if self.st["variant"] == "zeroed-eeprom" and r.band in ZEROED_DBM:
            return ZEROED_DBM[r.band]
        efuse = EFUSE_DBM[r.band]
        if not self.radio_sku(r):
            return efuse  # no SKU table: eFuse targets, iw txpower ignored (platform.md §e.1)
        rule = render.chan_rule(r.country, r.band, r.channel)
        cap = min(efuse, float(rule[0]) if rule else 0.0)
        if not tp.get("auto", True):
            cap = min(cap, tp.get("set_mbm", 2000) / 100)
        return cap

    def eeprom_max(self, r: RRadio) -> float:
        """The band's EEPROM maximum (``txpower_sku``): the eFuse target, or the 6–7 dBm of a
        BE14 card with a zeroed EEPROM on 2.4/5 GHz (platform.md §e.3)."""
        if self.st["variant"] == "zeroed-eeprom" and r.band in ZEROED_DBM:
            return ZEROED_DBM[r.band]
        return EFUSE_DBM[r.band]

    def txpowers(self) -> dict[int, float]:
        return {} if self.rt is None else {i: self.txpower(r) for i, r in self.rt.radios.items()}

    def link_txpowers(self, b: RBss) -> dict[int, float]:
        """What ``iw`` prints per link of the MLD ``b``: each link's own radio (MTK mt76 patch
        0014), or — upstream mt7996_get_txpower (openwrt/mt76 59676919 mt7996/main.c) — the
        radio of the default link, which for an AP MLD is the last radio of the vif's radio
        mask, on every link."""
        own = self.txpowers()
        if self.profile.per_link_txpower or not b.links:
            return own
        last = max(ln.radio for ln in b.links)
        return {ln.radio: own.get(last, 20.0) for ln in b.links}

    def up_for(self) -> float:
        return max(0.0, self.now - up_since(self.st))

    def cac_left(self, r: RRadio) -> int:
        if not r.dfs:
            return 0
        return max(0, int(r.cac_s - self.up_for()))

    def bss_state(self, b: RBss, link_radio: int | None = None) -> str:
        """hostapd's interface state; for one link of an AP MLD (``-l N``) that link's own
        state — a 5 GHz link sits in ``DFS`` during its CAC while the other links beacon."""
        if self.rt is None:
            return "DISABLED"
        if b.mode != "ap":
            return "ENABLED"
        radio = link_radio if b.mld else b.radio
        if radio is not None and self.cac_left(self.rt.radios[radio]) > 0:
            return "DFS"
        return "ENABLED"

    def chan_util(self, r: RRadio) -> int:
        busy = int(self.st["rf"][r.band]["busy"])
        if r.band == "6g" and r.section.get_bool("mbssid"):
            return 126  # hostapd's 6 GHz average with MBSSID (platform.md §g.4)
        return busy

    def sta_connection(self, b: RBss) -> dict[str, Any] | None:
        """Upstream association of a STA interface (None: not connected)."""
        if self.rt is None or b.mode != "sta":
            return None
        st = self.st
        bssid_lock = (b.options.get("bssid") or "").lower()
        if b.mld:
            links = [nb for nb in st["neighbours"] if nb.get("mld") and nb["ssid"] == b.ssid
                     and any(self.rt.radios[r].band == nb["band"] for r in b.radios
                             if r in self.rt.radios)]
            if not links or not self._key_ok(b, links[0]):
                return None
            return {"bssid": links[0]["bssid"], "mld": links[0]["mld"], "ssid": b.ssid,
                    "links": links, "freq": render.freq_of(links[0]["channel"],
                                                           links[0]["band"]),
                    "signal": max(nb["signal"] for nb in links), "nb": links[0]}
        band = self.rt.radios[b.radio].band
        if band == "6g":
            return None  # a standalone 6 GHz STA finds nothing (platform.md §g.3)
        for nb in st["neighbours"]:
            if nb["band"] != band or nb["ssid"] != b.ssid or not nb["ssid"]:
                continue
            if bssid_lock and nb["bssid"] != bssid_lock:
                continue
            if b.wds and not nb.get("wds"):
                continue
            if not self._key_ok(b, nb):
                return None
            return {"bssid": nb["bssid"], "mld": None, "ssid": nb["ssid"], "links": [nb],
                    "freq": render.freq_of(nb["channel"], band), "signal": nb["signal"],
                    "nb": nb}
        return None

    @staticmethod
    def _key_ok(b: RBss, nb: dict[str, Any]) -> bool:
        if nb["security"] in ("open", "owe"):
            return True
        return bool(nb.get("key")) and b.key == nb.get("key")


def procd_instance(twin: TwinAccess, service: str = "wifimgr", instance: str = "steerd"
                   ) -> dict[str, Any] | None:
    """The twin's running ``wifimgr/steerd`` (or another) instance (None when stopped or the
    process died)."""
    inst = (twin.load().get("procd") or {}).get(service, {}).get(instance)
    if not inst:
        return None
    try:
        with open(f"/proc/{inst['pid']}/stat", encoding="ascii") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None
    return None if state in ("Z", "X") else inst
