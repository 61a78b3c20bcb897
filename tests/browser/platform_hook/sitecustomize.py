"""Test-only, for tests/browser/platforms.py: a kernel boot id for the twin's capability cache.

``wifimgr.host.probe`` keeps the capability map in ``<state_dir>/capabilities.json`` stamped
with ``/proc/sys/kernel/random/boot_id`` and reads it only in the same boot. Where the twin
prints no boot id (it does not yet on this branch; the twin profiles of issue 23 add it), the
browser tests' server processes — the dev server, the rpcd plugin it runs per call, the
monitor — start with this directory on ``PYTHONPATH`` and ``WIFIMGR_TEST_BOOT_ID`` set: the
probe's ``_boot_id`` then answers that id *only when the twin gives none*. Everything else is
the production path (the cache written by the test is read by ``probe.capabilities``).
Inert without ``WIFIMGR_TEST_BOOT_ID``.
"""

from __future__ import annotations

import os
import sys

_BOOT_ID = os.environ.get("WIFIMGR_TEST_BOOT_ID")

if _BOOT_ID:
    import importlib.abc
    import importlib.util

    class _BootId(importlib.abc.MetaPathFinder):
        """Patches ``wifimgr.host.probe._boot_id`` when that module is first imported."""

        def find_spec(self, name, path=None, target=None):
            if name != "wifimgr.host.probe":
                return None
            sys.meta_path.remove(self)
            try:
                spec = importlib.util.find_spec(name)
            finally:
                sys.meta_path.insert(0, self)
            if spec is None or spec.loader is None:
                return spec
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                own = module._boot_id
                module._boot_id = lambda system: own(system) or _BOOT_ID

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, _BootId())
