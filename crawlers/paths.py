"""Dotted paths into parsed JSON: ``"data.results"``, ``"locatie.adres"``, ``"tags.0"``.

A numeric part indexes a list; any other part on a list is taken from each element
(``"tags.naam"`` on a list of tag objects gives the list of names).
"""

from __future__ import annotations

from typing import Any

#: Deeper JSON than this is refused before anything walks it.
MAX_DEPTH = 64


def get_path(data: Any, path: str | None) -> Any:
    """The value at ``path`` in ``data`` (``None``/empty path: ``data`` itself), else None."""
    if not path:
        return data
    current = data
    for part in path.split("."):
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list):
            if part.lstrip("-").isdigit():
                idx = int(part)
                current = current[idx] if -len(current) <= idx < len(current) else None
            else:
                current = [x.get(part) for x in current if isinstance(x, dict) and x.get(part) is not None]
        else:
            return None
        if current is None:
            return None
    return current


def depth(data: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of ``data``, walking iteratively and stopping once past ``limit``."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, d)
            if deepest > limit:
                return deepest
            children = node.values() if isinstance(node, dict) else node
            stack.extend((c, d + 1) for c in children if isinstance(c, (dict, list)))
    return deepest
