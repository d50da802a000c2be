"""File names people send, made safe to store, display, re-send and write to disk: the
extension of the type actually detected, no control or bidi characters, no path parts, a
bounded length in UTF-8 bytes, and unique within one submission."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["MAX_NAME_BYTES", "display_name", "safe_file_name", "unique_names"]

MAX_NAME_BYTES = 180
"""Well under the 255-byte limit of common file systems, leaving room for a " (12)" suffix."""
FALLBACK_STEM = "tep"

_UNSAFE = re.compile(r'[\\/:*?"<>|]')
_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def _visible(text: str) -> str:
    """NFC, without control and format characters (bidi overrides and isolates, zero-width
    marks) or path separators, spaces collapsed."""
    kept = "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
        for c in unicodedata.normalize("NFC", text)
        if unicodedata.category(c) != "Cf"
    )
    return _SPACES.sub(" ", _UNSAFE.sub("_", kept)).strip(" .")


def _cut(text: str, max_bytes: int) -> str:
    """The longest prefix of whole characters that fits ``max_bytes`` in UTF-8."""
    encoded = text.encode("utf-8")[:max_bytes]
    return encoded.decode("utf-8", "ignore").rstrip(" .")


def display_name(name: str) -> str:
    """A name as sent, safe to show in a message: no control or bidi characters, bounded."""
    return _cut(_visible(name), MAX_NAME_BYTES) or FALLBACK_STEM


def safe_file_name(name: str, extension: str) -> str:
    """``name`` with the given extension (the claimed one dropped), safe and at most
    MAX_NAME_BYTES in UTF-8: "báo cáo.hta" judged a PDF becomes "báo cáo.pdf"."""
    stem = _EXTENSION.sub("", _visible(name))
    suffix = f".{extension}"
    if stem.lower().endswith(suffix):
        stem = stem[: -len(suffix)]
    stem = _cut(stem, MAX_NAME_BYTES - len(suffix.encode())) or FALLBACK_STEM
    return stem + suffix


def unique_names(names: Iterable[str]) -> list[str]:
    """The names in order, a repeated one (compared case-insensitively) numbered "a (2).pdf"."""
    taken: set[str] = set()
    result = []
    for name in names:
        stem, dot, extension = name.rpartition(".")
        if not dot:
            stem, extension = name, ""
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem} ({n}){dot}{extension}"
        taken.add(candidate.casefold())
        result.append(candidate)
    return result
