"""The request context handed to every API handler."""

from __future__ import annotations

from ..core.record import record
from .system import get_system

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..platform import System


@record
class Context:
    system: System
    #: method being served
    method: str = ""
    #: rpcd/uhttpd session id of the caller (HTTP calls), None for shell/CLI/hooks
    session: str | None = None
    #: access the caller was granted for this method ("read" or "write")
    access: str = "read"

    @classmethod
    def default(cls, method: str = "") -> Context:
        return cls(system=get_system(), method=method)
