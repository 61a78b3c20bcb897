"""The installed-package databases: apk's ``/lib/apk/db/installed`` (OpenWrt 25.12) and opkg's
``/usr/lib/opkg/status`` (24.10). Pure.

apk-tools writes one block per package with ``P:<name>`` and ``V:<version>`` among other lines
(apk-tools src/database.c ``apk_db_fdb_write``); opkg's status file is RFC-822-like with
``Package:`` and ``Version:`` (opkg libopkg/pkg.c ``pkg_formatted_field``). Blocks are separated
by a blank line in both.
"""

from __future__ import annotations


def installed_version(db: str, names: tuple[str, ...]) -> str | None:
    """The version of the first of ``names`` in an apk ``installed`` database (``P:``/``V:``
    lines, one record per blank-line-separated block) or an opkg ``status`` file
    (``Package:``/``Version:``)."""
    found: dict[str, str] = {}
    for block in db.split("\n\n"):
        name = version = None
        for line in block.splitlines():
            if line.startswith(("P:", "Package: ")):
                name = line.split(":", 1)[1].strip()
            elif line.startswith(("V:", "Version: ")):
                version = line.split(":", 1)[1].strip()
        if name in names and version:
            found[name] = version
    return next((found[n] for n in names if n in found), None)
