"""Known defects of this router's stack that its configuration meets — for ``status`` and the
Diagnostics tab, not for the write path.

A finding is not a safety rule: the configuration is fine, the installed software is not, and
the remedy is an update, not an edit. It is built from the capability map
(:class:`wifimgr.model.capabilities.Capabilities`) and the configuration; with no map there is
nothing to say (a finding names the installed driver).

``mt76-mlo-client-crash``: the kmod-mt76 snapshot 59676919 (pinned by 25.12 r33202 trees)
stalls or oopses mt7996 in ``mt7996_mcu_rx_ps_sync`` when an MLO client associates: a
zero-length PS-sync TLV (openwrt/mt76 #1109, fixed by #1105, commit 06b69763; the
GL-BE14000 report in gl-inet/gl-openwrt PR #1). Nothing in the wireless config triggers it
but the MLO AP itself, and refusing MLO would refuse what the user came for: wifimgr says it
where the map shows that driver and an MLO AP is configured.

Pure; no I/O.
"""

from __future__ import annotations

from .safety import as_config

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..model.capabilities import Capabilities
    from ..model.configset import ConfigSet
    from ..model.wireless import WirelessConfig
    from ..platform.ucitext import Package

MT76_MLO_CLIENT_CRASH_SOURCE = ("openwrt/mt76 #1109 (RCU stall in mt7996_mcu_rx_event on a "
                                "zero-length PS-sync TLV), fixed by openwrt/mt76 #1105 "
                                "(commit 06b69763)")


def mt76_mlo_client_crash(w: WirelessConfig, caps: Capabilities) -> list[dict[str, Any]]:
    """One finding per enabled MLO AP when the installed kmod-mt76 is the crashing one."""
    if caps.mt76_mlo_client_crash is not True:
        return []
    version = caps.evidence.get("mt76", "kmod-mt76 59676919")
    return [{
        "id": "mt76-mlo-client-crash",
        "severity": "warning",
        "subject": i.name,
        "message": (f"{i.label} is an MLO AP, and the installed driver ({version}) crashes "
                    "when an MLO client joins it (an RCU stall in the mt7996 driver). "
                    "Update kmod-mt76 to a build with the fix, or keep MLO clients off this "
                    "network until then."),
        "source": MT76_MLO_CLIENT_CRASH_SOURCE,
    } for i in w.mlo_aps()]


def platform_findings(cfg: WirelessConfig | ConfigSet | Package,
                      caps: Capabilities | None) -> list[dict[str, Any]]:
    """Every finding for this configuration on the stack of ``caps`` (none without a map)."""
    if caps is None:
        return []
    w = as_config(cfg)
    return mt76_mlo_client_crash(w, caps)
