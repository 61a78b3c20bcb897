"""How an MLD client uses its links — one rule shared by the Clients page and the steering
daemon (docs/steering.md).

``max_simul_links`` from hostapd is the MLD-capabilities field, i.e. *simultaneous links − 1*
(spec/platform.md §c.2). Observed on the BPI-R4: another BPI-R4 as MLO STA reports 2 (three
radios, all links carry traffic: MLMR); an iPhone 16 reports 1 with ``emlsr_support=0`` and
uses one link at a time — by the field it could do two, in practice it does not, and it never
answers a Neg-TTLM request. So the field alone is not trusted below 2:

* no ``max_simul_links``            → ``legacy`` (a non-MLD client, even on the AP MLD)
* ``emlmr_support=1``               → ``emlmr``
* ``emlsr_support=1``               → ``emlsr``
* ``max_simul_links`` ≥ 2           → ``mlmr``
* ``max_simul_links`` = 1 and two or more links seen carrying traffic → ``mlmr``
* otherwise                         → ``mlsr`` (one link at a time)
"""

from __future__ import annotations


def classify(max_simul_links: int | None, emlsr: bool | None, emlmr: bool | None,
             active_links: int) -> str:
    if max_simul_links is None:
        return "legacy"
    if emlmr:
        return "emlmr"
    if emlsr:
        return "emlsr"
    if max_simul_links >= 2:
        return "mlmr"
    if max_simul_links == 1 and active_links >= 2:
        return "mlmr"
    return "mlsr"


#: the RSSI validity gate of the original daemon v0.6 (spec/platform.md §f.3)
RSSI_FLOOR_DBM = -92
LINK_INACTIVE_MAX_MS = 30000


def link_reading_valid(signal_dbm: int | None, inactive_ms: int | None) -> bool:
    """An idle MLO link reports 0 or a sentinel around −105 dBm (spec §g.5): not a reading."""
    if signal_dbm is None or signal_dbm == 0 or signal_dbm <= RSSI_FLOOR_DBM:
        return False
    return inactive_ms is None or inactive_ms <= LINK_INACTIVE_MAX_MS
