"""Small read methods about the package itself."""

from __future__ import annotations

import sys

from .. import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..host.context import Context

API_VERSION = 1


def version(ctx: Context) -> dict:
    """``version``: package and API version, and whether this is the simulated BPI-R4."""
    return {
        "package": "luci-app-wifimgr",
        "version": __version__,
        "api": API_VERSION,
        "python": ".".join(map(str, sys.version_info[:3])),
        "backend": "twin" if ctx.system.simulated else "router",
    }
