"""``backup`` and ``secret``: the two methods that return passphrases, so the ACL gives them
to the write grant only."""

from __future__ import annotations

import time

from .. import __version__
from ..core.errors import InvalidArgument, NotFound

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..host.context import Context


def backup(ctx: Context) -> dict[str, Any]:
    """``backup``: the wireless config text (with passphrases) and a file name for it."""
    text = ctx.system.uci.text("wireless")
    if text is None:
        raise NotFound("there is no /etc/config/wireless", field=None)
    day = time.strftime("%Y-%m-%d", time.gmtime(ctx.system.clock()))
    return {"filename": f"wireless-{day}.txt", "config": text, "version": __version__,
            "format": "uci"}


def secret(ctx: Context, section: str) -> dict[str, Any]:
    """``secret {section}``: the passphrase of one network (for edit forms)."""
    pkg = ctx.system.uci.load("wireless")
    sec = pkg.get(section)
    if sec is None or sec.type != "wifi-iface":
        raise InvalidArgument(f"no network {section!r}", field="section")
    return {"section": section, "key": sec.get_str("key") or ""}
