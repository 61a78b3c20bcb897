"""The twin's ``ubus listen`` / ``ubus subscribe`` (what :meth:`.bus.TwinBus.listen` returns)."""

from __future__ import annotations

import fnmatch
import os
import time

from ...platform.ubus import BusEvent
from .view import View

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from ..clients import Association
    from .view import TwinAccess


class TwinListener:
    """The twin's ``ubus listen`` / ``ubus subscribe``: it watches the twin's state and emits
    what hostapd and ubusd would — to subscribers of ``hostapd.<ifname>`` a ``sta-authorized``
    when a station joins (with ``ap_mld_address``, ``assoc_link_id`` and ``links`` for an MLD
    station, as hostapd's ubus.c adds them) and a ``disassoc`` when it leaves; to listeners of
    ``ubus.object.add`` / ``ubus.object.remove`` the hostapd objects that appear and go (a
    reload, a boot). Stations present when the subscription starts send nothing, as on the
    router. Works across processes: any process that changes the twin changes its state file."""

    #: real seconds between two looks at an unchanged twin (its clock still moves on)
    IDLE_CHECK_S = 1.0

    def __init__(self, twin: TwinAccess, events: Sequence[str], subscribe: Sequence[str]):
        self.twin = twin
        self.events = list(events)
        self.subscribe = set(subscribe)
        self._mtime = -1
        self._checked = 0.0
        self._objects, self._stations = self._look()

    def _look(self) -> tuple[set[str], dict[str, dict[str, Any]]]:
        v = View.take(self.twin)
        objects = set(v.hostapd_objects())
        stations: dict[str, dict[str, Any]] = {}
        for a in v.assocs:
            stations[f"{a.bss.ifname}\0{a.mac}"] = {"ifname": a.bss.ifname, "mac": a.mac,
                                                    "assoc": a}
        return objects, stations

    @staticmethod
    def _authorized(a: Association) -> dict[str, Any]:
        data: dict[str, Any] = {"address": a.mac, "ifname": a.bss.ifname,
                                "auth-alg": "open" if a.bss.encryption == "none" else "sae"}
        if a.mld:
            data["ap_mld_address"] = a.bss.addr
            data["assoc_link_id"] = a.links[0].link_id if a.links else 0
            data["links"] = [{"link_id": ln.link_id, "address": ln.addr,
                              "bssid": next((bl.addr for bl in a.bss.links
                                             if bl.link_id == ln.link_id), a.bss.addr)}
                             for ln in a.links]
        return data

    def _events(self) -> list[BusEvent]:
        objects, stations = self._look()
        out: list[BusEvent] = []

        def wants(pattern_list: list[str], name: str) -> bool:
            return any(fnmatch.fnmatchcase(name, p) for p in pattern_list)

        for path in sorted(objects - self._objects):
            if wants(self.events, "ubus.object.add"):
                out.append(BusEvent("", "ubus.object.add", {"id": abs(hash(path)) % 2**31,
                                                            "path": path}))
        for key in sorted(set(self._stations) - set(stations)):
            old = self._stations[key]
            obj = f"hostapd.{old['ifname']}"
            if obj in self.subscribe:
                out.append(BusEvent(obj, "disassoc", {"address": old["mac"],
                                                      "ifname": old["ifname"]}))
        for key in sorted(set(stations) - set(self._stations)):
            new = stations[key]
            obj = f"hostapd.{new['ifname']}"
            if obj in self.subscribe:
                out.append(BusEvent(obj, "sta-authorized", self._authorized(new["assoc"])))
        for path in sorted(self._objects - objects):
            if wants(self.events, "ubus.object.remove"):
                out.append(BusEvent("", "ubus.object.remove", {"id": abs(hash(path)) % 2**31,
                                                               "path": path}))
        self._objects, self._stations = objects, stations
        return out

    def poll(self, timeout: float) -> list[BusEvent]:
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                mtime = os.stat(self.twin.state_path).st_mtime_ns
            except FileNotFoundError:
                return []
            now = time.monotonic()
            if mtime != self._mtime or now - self._checked >= self.IDLE_CHECK_S:
                self._mtime, self._checked = mtime, now
                found = self._events()
                if found:
                    return found
            left = deadline - time.monotonic()
            if left <= 0:
                return []
            time.sleep(min(0.1, left))

    def dead(self) -> list[str]:
        return []

    def close(self) -> None:
        self._stations = {}
