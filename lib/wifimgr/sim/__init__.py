"""The simulated BPI-R4 (the twin). See DESIGN.md "The simulator sits below the parsers".

``open_twin(dir)`` opens (creating with the MTK SDK factory state when empty) a twin whose
state lives in ``dir``; ``Twin.system()`` is a :class:`wifimgr.platform.System` backed by it.
"""

from .twin import Twin, open_twin

__all__ = ["Twin", "open_twin"]
