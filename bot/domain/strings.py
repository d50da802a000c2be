"""String helpers of the domain: normalising what people type before it is compared or stored,
the id an option carries, a title shortened at a word's end."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "nfc", "row_id", "shorten"]

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Unicode NFC with surrounding white space removed (Vietnamese keyboards also send NFD)."""
    return unicodedata.normalize("NFC", text).strip()


def fold(text: str) -> str:
    """A matching key: NFC, lower case, single spaces. Diacritics are kept (Mường ≠ Muong)."""
    return _SPACES.sub(" ", nfc(text).casefold())


def row_id(text: str | None) -> int:
    """The id an option carries (or a user typed); 0, which no row has, when it is not a plain
    ASCII number."""
    text = text or ""
    return int(text) if text.isascii() and text.isdigit() else 0


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word's end with "…" when it is
    longer: a title is never cut in the middle of a word (a single word longer than the limit
    is the one exception)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:–—-") + "…"
