"""docs/platforms.md: stacks and boards × features, built from the capability map.

Each column is one twin profile (a stack on a board, its outputs anchored in real captures):
the map is what :func:`wifimgr.host.probe.capabilities` detects on that profile, through the
same ports a router answers on. A cell is ✅ where the feature is offered, or "disabled" with
the capability that is missing. ``make docs`` writes the file; tests/surface/test_platforms.py
keeps it and the map from drifting apart (`wifimgr platforms-doc` prints it).
"""

from __future__ import annotations

from ..model import capabilities as cap

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

HEADER = """# Platforms: what wifimgr offers on each stack

Generated from the capability map (`wifimgr platforms-doc > docs/platforms.md`;
docs/capabilities.md says how each capability is detected). Each column is a profile of the
twin (`wifimgr sim profiles`), whose outputs are anchored in real captures of that stack; on a
router, `ubus call wifimgr status` shows the same map under `platform`, and the Diagnostics tab
shows it with its evidence. A feature the stack lacks is refused by the API with the error
`unsupported` and shown disabled, with the reason, in the views.

"""

_YES, _NO, _UNKNOWN = "yes", "no", "unknown"


def _cell_feature(caps: cap.Capabilities, name: str) -> str:
    lack = cap.missing(caps, name)
    if not lack:
        return "✅"
    why = ", ".join(f"{cap.CAPABILITY_TITLES.get(c, c)} "
                    f"{'unknown' if getattr(caps, c) is None else 'absent'}" for c in lack)
    return f"{cap.FEATURE_BY_NAME[name].off}: {why}"


def _cell_cap(value: object) -> str:
    return _YES if value is True else _NO if value is False else _UNKNOWN


def render(columns: Sequence[tuple[str, cap.Capabilities]]) -> str:
    """The whole page for ``columns`` of (title, map)."""
    head = "| | " + " | ".join(t for t, _ in columns) + " |"
    sep = "|---" * (len(columns) + 1) + "|"
    lines = [HEADER.rstrip("\n"), "", "## Features", "", head, sep]
    for f in cap.FEATURES:
        lines.append(f"| {f.title} (`{f.name}`) | "
                     + " | ".join(_cell_feature(c, f.name) for _, c in columns) + " |")
    lines += ["", "## The map", "", head, sep]
    lines.append("| platform | " + " | ".join(cap.platform_label(c) for _, c in columns) + " |")
    lines.append("| board | " + " | ".join(f"`{c.board_name}`" for _, c in columns) + " |")
    lines.append("| bands | " + " | ".join(", ".join(c.bands) or "—" for _, c in columns)
                 + " |")
    lines.append("| `wiphy radio` blocks in `iw phy` | "
                 + " | ".join(str(len(c.radios)) if c.radios else "none" for _, c in columns)
                 + " |")
    for name in cap.CAPABILITY_FIELDS:
        lines.append(f"| {cap.CAPABILITY_TITLES.get(name, name)} (`{name}`) | "
                     + " | ".join(_cell_cap(getattr(c, name)) for _, c in columns) + " |")
    lines.append("| TX power modes | " + " | ".join(", ".join(c.txpower_modes)
                                                     for _, c in columns) + " |")
    lines.append("| MLD name of a new MLO network | "
                 + " | ".join(f"`{c.mld_auto_pattern.format(mode='ap', n=0)}`"
                              for _, c in columns) + " |")
    lines.append("| factory MLD | " + " | ".join(f"`{c.mld_factory_ifname}`"
                                                 if c.mld_factory_ifname else "none"
                                                 for _, c in columns) + " |")
    return "\n".join(lines) + "\n"


def profile_maps() -> list[tuple[str, cap.Capabilities]]:
    """The map of every twin profile, detected on a fresh twin of it (booted, hostapd up)."""
    import os
    import tempfile

    from ..host import probe
    from ..sim import profiles
    from ..sim.twin import Twin

    out = []
    for name, prof in profiles.PROFILES.items():
        with tempfile.TemporaryDirectory() as d:
            twin = Twin(os.path.join(d, "twin"))
            twin.create(stations=False, profile=name)
            twin.freeze()
            profiles.owner_setup(twin, name)     # radios on and an MLO AP, as owners run it
            caps = probe.detect(twin.system())
        out.append((f"{prof.title} (`{name}`)", caps))
    return out


