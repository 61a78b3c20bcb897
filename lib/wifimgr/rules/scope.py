"""Where each safety rule applies, and where its crash or limit is documented.

One entry per rule id of :mod:`wifimgr.rules.safety` (``RULES`` and ``ADVISORIES``): the source
of the rule, the stacks it applies on in words (docs/safety.md prints both), and the predicate
over the capability map (:class:`wifimgr.model.capabilities.Capabilities`) that decides it. A
rule is scoped by what the map says — never by ``stack_hint``, never by asking "is this the MTK
SDK?". Where nobody knows whether a limit measured on the MTK SDK holds on another stack, the
rule stays on every stack (the strict reading) and its ``why`` says so.

Pure data and predicates; no I/O.
"""

from __future__ import annotations

from ..core.record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..model.capabilities import Capabilities


def every_stack(caps: Capabilities) -> bool:
    """Known to apply everywhere, or not known anywhere else: the strict reading."""
    return True


def may_have_6g(caps: Capabilities) -> bool:
    """A 6 GHz radio exists, or the map cannot tell (``band_6g`` None)."""
    return caps.band_6g is not False


@record(frozen=True)
class RuleScope:
    rule: str
    #: where the crash or the limit is documented
    source: str
    #: the stacks it applies on, as docs/safety.md says it
    applies_on: str
    #: decides it from the capability map
    applies: Callable[[Capabilities], bool] = every_stack
    #: why it is kept on a stack where it was never seen (empty: it was seen on every stack)
    why: str = ""


#: the hardware-tested table of the original app (woziwrt/mt7996-wifi7-manager 3.0.0 @0adfdec
#: README / FORUM-POST, spec/combinations.md rows C/X): BPI-R4, MT7996, MTK SDK 25.12 only
TABLE = "hardware-tested table of the original app (spec/combinations.md {row}; " \
        "woziwrt/mt7996-wifi7-manager README, MTK SDK on BPI-R4)"
UNKNOWN_ELSEWHERE = ("measured only on the MTK SDK driver; nobody has tested it on upstream "
                     "mt76/hostapd, so the stricter rule stays on every stack")

SCOPES: dict[str, RuleScope] = {s.rule: s for s in (
    RuleScope(
        "mlo-radio-extra-ap",
        TABLE.format(row="X2") + "; spec/platform.md §g.1 (EDCCA crash → `Failed to release "
        "patch semaphore`, probe error -11, chip locked until unplugged ≥15 min)",
        "every stack",
        why="the lock itself is in upstream mt76 too: mt7996/mcu.c takes the same patch "
            "semaphore and returns -EAGAIN (-11) when it is stuck, since the driver's first "
            "commit de3e7722 (openwrt/mt76 59676919), and MT7992 uses the same mt7996e "
            "driver; whether two legacy APs on an MLO radio trigger the crash upstream is "
            "unknown, and a crash that needs 15 minutes unplugged is not worth a test on "
            "the user's router"),
    RuleScope(
        "single-mlo-ap",
        TABLE.format(row="X4") + "; spec/platform.md §g.6 (one AP MLD per chip)",
        "every stack",
        why="one AP MLD per chip was measured on the MTK SDK only, and the same author's "
            "EasyMesh tool claims up to 16 MLD groups (woziwrt/openwrt-easymesh-wifi7 "
            "mlo-backhaul-setup): nobody knows the limit on upstream mt76, so the one-MLD "
            "rule stays"),
    RuleScope(
        "mlo-ap-sta-exclusive",
        TABLE.format(row="X1") + "; spec/platform.md §g.6",
        "every stack", why=UNKNOWN_ELSEWHERE),
    RuleScope(
        "single-mlo-sta",
        TABLE.format(row="X7") + "; spec/platform.md §g.6 (one wpa_supplicant)",
        "every stack", why=UNKNOWN_ELSEWHERE),
    RuleScope(
        "mlo-sta-single-uplink",
        TABLE.format(row="X8"),
        "every stack", why=UNKNOWN_ELSEWHERE),
    RuleScope(
        "no-6g-sta",
        TABLE.format(row="X3") + "; spec/platform.md §g.3 (band2 goes through the MLD path, "
        "a standalone 6 GHz scan returns nothing)",
        "where a 6 GHz radio exists (or the map cannot tell)",
        applies=may_have_6g,
        why="measured on the MTK SDK driver; not known for upstream mt76, so it stays on every "
            "stack with 6 GHz; a router without 6 GHz has no radio it could apply to"),
    RuleScope(
        "uplink-not-on-mlo-radio",
        TABLE.format(row="X6") + "; spec/platform.md §g.6",
        "every stack", why=UNKNOWN_ELSEWHERE),
    RuleScope(
        "repeater-distinct-radios",
        TABLE.format(row="X5"),
        "every stack", why=UNKNOWN_ELSEWHERE),
    RuleScope(
        "legacy-ap-limit",
        TABLE.format(row="C6, C10") + "; spec/platform.md §g.6 (~4 APs per radio)",
        "every stack",
        why="upstream mt76 advertises more (MT7996_MAX_INTERFACES 19 per band, "
            "mt7996/mt7996.h at openwrt/mt76 59676919) but more than four APs on a radio was "
            "never tested on it, so four stays the limit"),
    RuleScope(
        "mld-min-links",
        "MTK SDK netifd drops a disabled or non-EHT radio from an AP MLD (mtk-openwrt-feeds "
        "64e34317, 25.12 wifi-scripts lib/netifd/wireless.uc: `Disallow disabled device or AP "
        "using non-EHT device`; spec/platform.md §a.1); upstream hostapd attaches a BSS to an "
        "MLD only when its interface runs 802.11be (hostap e4e91f53 src/ap/hostapd.c "
        "hostapd_bss_setup_multi_link: `!hapd->iconf->ieee80211be` → no MLD)",
        "every stack"),
    RuleScope(
        "wpa3-on-6g",
        "upstream hostapd refuses a 6 GHz BSS without RSN, without required management frame "
        "protection, or with a PSK AKM (hostap e4e91f53 src/ap/ap_config.c "
        "hostapd_config_check_bss_6g); the MTK SDK's hostapd is the same code with patches",
        "where a 6 GHz radio exists (or the map cannot tell)",
        applies=may_have_6g),
    RuleScope(
        "unique-ssid",
        "spec/combinations.md (rule table): two BSSes with one SSID on one radio; a "
        "configuration error, not a driver limit",
        "every stack"),
    RuleScope(
        "mld-random-mac",
        "openwrt/openwrt PR #24955 (mainline 25.12: `Failed to create MLD ap-mld0 … attribute "
        "mac has invalid value random`); the MTK 25.12 feed's hostapd.uc mld_add_bss() takes "
        "config.macaddr / config.mld_addr verbatim too (mtk-openwrt-feeds 64e34317)",
        "every stack"),
    RuleScope(
        "mld-acs",
        "openwrt/openwrt #25181 (GL.iNet's 25.12 tree r33202, mainline netifd and hostapd, "
        "MT7996: the partner link's "
        "ACS scan fails with -EBUSY, `ap-mld0: AP-DISABLED`, a one-link MLD remains)",
        "every stack (a warning)",
        why="reported on mainline hostapd; whether the MTK SDK's hostapd collides the same "
            "way is not known, so it warns there too. A warning, not a "
            "refusal: nothing crashes or locks, the surviving link keeps serving, the fix is "
            "one fixed channel per link, and the post-apply check reports the missing link"),
)}


def applies(rule: str, caps: Capabilities | None) -> bool:
    """Does rule ``rule`` apply on the stack of ``caps``? ``None`` (stack unknown): yes."""
    return caps is None or SCOPES[rule].applies(caps)
