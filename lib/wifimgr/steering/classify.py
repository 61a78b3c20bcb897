"""What kind of MLD a station is, and how the policy may steer it (docs/steering.md).

The capability class is the one rule shared with the Clients page,
:func:`wifimgr.model.mld.classify`:
``max_simul_links`` encodes *simultaneous links − 1*; absent → ``legacy``; ``emlmr_support=1``
→ ``emlmr``; ``emlsr_support=1`` → ``emlsr``; ≥ 2 → ``mlmr``; 1 → ``mlmr`` only once the station
has been *seen* carrying traffic on two links at the same time in several samples in a row
(``policy.SIMUL_CONFIRM``; one sample right after a link hop is no evidence), else ``mlsr``.

Observed on the BPI-R4 (spec/platform.md §c.2, §g.9): another BPI-R4 as MLO STA → 2 → ``mlmr``,
answers Neg-TTLM; iPhone 16 → 1 with ``emlsr_support=0``, one link at a time → ``mlsr``, never
answers Neg-TTLM; a legacy client → no ``max_simul_links`` → ``legacy``.

How it is steered:

* ``mlmr`` / ``emlmr`` — can hold several links at once, so a Neg-TTLM map can move its traffic
  off one link while the others carry it: steered **per station** (``neg_ttlm``) — as long as it
  answers. A request hostapd accepts (``OK``) but the station never takes up (``get_neg_ttlm``
  still ``inactive`` on the next sample) counts as unanswered; after ``neg_ttlm_attempts``
  unanswered requests the MAC is remembered as unresponsive and not asked for a growing pause
  (even after re-associating; then it is asked again), and meanwhile it is steered like an
  EMLSR client.
* ``mlsr`` / ``emlsr`` (and unresponsive or failing multi-radio ones) — only the A-TTLM of the
  whole AP MLD moves them: they form the A-TTLM **population** (``attlm``).
* ``legacy`` — not steered (``none``); the link it is on is never switched off under it.
"""

from __future__ import annotations

from ..model.mld import classify as capability_class

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .model import StationSample

KINDS = ("legacy", "mlsr", "emlsr", "emlmr", "mlmr")
#: capability classes that can keep traffic on one link while another is mapped away
NEG_TTLM_KINDS = ("mlmr", "emlmr")

#: the rule as data (``linkpolicy``, docs/steering.md), first matching row wins
TABLE: tuple[dict[str, str], ...] = (
    {"kind": "legacy", "rule": "no max_simul_links line (not an MLD)",
     "observed": "a non-MLD client on the AP MLD (one Link block)", "steer": "none"},
    {"kind": "emlmr", "rule": "emlmr_support=1", "observed": "", "steer": "neg_ttlm"},
    {"kind": "emlsr", "rule": "emlsr_support=1", "observed": "", "steer": "attlm"},
    {"kind": "mlmr", "rule": "max_simul_links >= 2 (3+ simultaneous links)",
     "observed": "BPI-R4 as MLO STA: max_simul_links=2, answers Neg-TTLM", "steer": "neg_ttlm"},
    {"kind": "mlmr", "rule": "max_simul_links = 1 and seen carrying traffic on 2 links at once "
     "in 3 samples in a row (back to mlsr after 3 samples on one link, unless it took a map)",
     "observed": "", "steer": "neg_ttlm"},
    {"kind": "mlsr", "rule": "otherwise (max_simul_links 0, or 1 used one link at a time)",
     "observed": "iPhone 16: max_simul_links=1, emlsr_support=0, never answers Neg-TTLM",
     "steer": "attlm"},
)


def kind_of(st: StationSample, max_active_links: int) -> str:
    """Capability class; ``max_active_links`` is the most links seen carrying traffic at once."""
    if not st.mld:
        return "legacy"
    msl = st.max_simul_links if st.max_simul_links is not None else 0
    return capability_class(msl, st.emlsr, st.emlmr, max_active_links)


def steer_of(kind: str, *, neg_ttlm_enabled: bool, unresponsive: bool, failing: bool) -> str:
    """``neg_ttlm`` | ``attlm`` | ``none`` for a station of capability ``kind``."""
    if kind == "legacy":
        return "none"
    if kind in NEG_TTLM_KINDS and neg_ttlm_enabled and not unresponsive and not failing:
        return "neg_ttlm"
    return "attlm"
