"""JSON from outside with its nesting bounded before it is parsed (``json`` recurses: a body of
100,000 ``[`` would raise ``RecursionError`` from inside the parser)."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["MAX_DEPTH", "loads_bounded"]

MAX_DEPTH = 32
"""Deeper than any payload a platform sends (Zalo's webhook: about 4)."""

_SIGNIFICANT = re.compile(r'["\\\[\]{}]')


def loads_bounded(body: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The parsed JSON; ValueError when it is not UTF-8 JSON or nests deeper than
    ``max_depth``. One pass over the quotes, escapes and brackets only, stopping at the limit."""
    text = body.decode("utf-8")
    depth, in_string, escaped_at = 0, False, -1
    for match in _SIGNIFICANT.finditer(text):
        char, at = match.group(), match.start()
        if in_string:
            if at == escaped_at:
                continue
            if char == "\\":
                escaped_at = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                raise ValueError(f"JSON nested deeper than {max_depth}")
        elif char in "]}":
            depth -= 1
    return json.loads(text)
