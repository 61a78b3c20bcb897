"""Limits on JSON that comes from outside (the plugin's stdin, the dev server's request body).

The router's own parsers are json-c (uhttpd's ``/ubus``, the ``ubus`` CLI, rpcd reading a
plugin's reply) with its default depth of 32 nested arrays/objects: one more is a parse error
there. Python's ``json`` would go on until the interpreter's recursion limit and then raise
``RecursionError`` — not a ``ValueError``, so a reply would never be written. :func:`loads`
refuses both the same way, with a :class:`ValueError` that says which limit.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: json-c's JSON_TOKENER_DEFAULT_DEPTH: 32 nested containers parse, 33 do not
MAX_DEPTH = 32


class LimitExceeded(ValueError):
    """The text is larger or nested deeper than allowed."""


def depth(value: Any) -> int:
    """Nesting depth of a decoded value (containers only: ``[]`` is 1, ``5`` is 0)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            v = v.values()
        elif not isinstance(v, list):
            continue
        deepest = max(deepest, d)
        stack.extend((x, d + 1) for x in v if isinstance(x, dict | list))
    return deepest


def loads(data: bytes | str, *, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` within ``max_bytes`` and ``max_depth``: :class:`LimitExceeded` names the
    limit, another ValueError is bad JSON."""
    if len(data) > max_bytes:
        raise LimitExceeded(f"larger than {max_bytes} bytes")
    try:
        value = json.loads(data)
    except RecursionError:
        raise LimitExceeded(f"nested deeper than {max_depth} levels") from None
    if depth(value) > max_depth:
        raise LimitExceeded(f"nested deeper than {max_depth} levels")
    return value
