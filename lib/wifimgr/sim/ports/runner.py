"""The twin's command runner (the ``run`` port): argv → what the real tool prints.

Each tool is a ``_cmd_<tool>`` method; they live with their kind: :mod:`.iw`, :mod:`.hostapd`
(``hostapd_cli``, ``wpa_cli``), :mod:`.services` (``wifi``, ``reboot``, init scripts, ``ubus``…).
"""

from __future__ import annotations

from ...platform.run import CmdResult, _check_argv
from .hostapd import HostapdTools
from .iw import IwTool
from .services import ServiceTools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from .view import TwinAccess


class TwinRunner(IwTool, HostapdTools, ServiceTools):
    """argv → the stdout/stderr/rc the real tool prints."""

    def __init__(self, twin: TwinAccess):
        self.twin = twin

    def run(self, argv: Sequence[str], *, timeout: float = 10.0, input: str | None = None
            ) -> CmdResult:
        args = _check_argv(argv)
        tool = args[0].rsplit("/", 1)[-1] if not args[0].startswith("/etc/init.d/") else "init.d"
        handler = getattr(self, f"_cmd_{tool.replace('-', '_').replace('.', '_')}", None)
        if handler is None:
            return CmdResult(args, 127, "", f"{args[0]}: not found\n")
        rc, out, err = handler(list(args[1:]), args[0])
        return CmdResult(args, rc, out, err)

    def spawn_detached(self, argv: Sequence[str], *, env: Mapping[str, str] | None = None
                       ) -> int:
        from ...platform.run import spawn_detached

        return spawn_detached(argv, env=env)
