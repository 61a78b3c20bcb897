"""One-shot bring-up failures the twin can be told to produce (``wifimgr sim fail-next-apply``).

The failure hits the *next* bring-up after it was set — the next ``wifi reload`` or the next
boot, whichever comes first — and only that one, like a flaky apply on the router:

* ``--network SECTION``: that wifi-iface does not come up (netifd reports it without an
  interface, hostapd has no object for it);
* ``--network SECTION --link RADIO``: the AP MLD comes up, but without its link on ``RADIO``
  (the MLO hazards of spec/platform.md Addenda: ``channel auto`` on two radios, a restarted
  sibling radio — the MLD is left a link short and nothing says so).

A bring-up is numbered ``(boot count, reload count)``; ``_boot`` resets the reload count, so the
next bring-up after ``(b, r)`` is ``(b, r + 1)`` or ``(b + 1, 0)``. This is a hook on the result
of :func:`wifimgr.sim.runtime.build` — the twin's bring-up model itself is not touched.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .runtime import Runtime


def _bringup(st: dict[str, Any]) -> tuple[int, int]:
    return int(st["boot"].get("count", 0)), int(st["reload"].get("count", 0))


def add(st: dict[str, Any], network: str, link: str | None = None) -> None:
    b, r = _bringup(st)
    st.setdefault("faults", []).append({"network": network, "link": link, "at": [b, r]})


def active(st: dict[str, Any]) -> list[dict[str, Any]]:
    """The faults of the current bring-up."""
    b, r = _bringup(st)
    return [f for f in st.get("faults", []) if (b, r) in ((f["at"][0], f["at"][1] + 1),
                                                          (f["at"][0] + 1, 0))]


def prune(st: dict[str, Any]) -> None:
    """Forget faults whose bring-up is over (called when a new one is set)."""
    b, r = _bringup(st)
    st["faults"] = [f for f in st.get("faults", []) if tuple(f["at"]) == (b, r)
                    or f in active(st)]


def key(st: dict[str, Any]) -> str:
    return repr(sorted((f["network"], f["link"] or "") for f in active(st)))


def apply(rt: Runtime, st: dict[str, Any]) -> Runtime:
    faults = active(st)
    if not faults:
        return rt
    by_radio = {r.name: r.index for r in rt.radios.values()}
    for f in faults:
        for b in list(rt.bsses):
            if b.section != f["network"]:
                continue
            if f["link"] is None:
                rt.bsses.remove(b)
                rt.dropped.append((b.section, "failed to come up (sim fail-next-apply)"))
            elif b.mld:
                idx = by_radio.get(f["link"])
                b.links = [ln for ln in b.links if ln.radio != idx]
                b.radios = [x for x in b.radios if x != idx]
    return rt
