"""Invitation codes: long random tokens people can type on a phone, stored only as hashes.

A code is ``CTD`` and 20 Crockford base-32 characters (100 random bits), shown in groups of
four (``CTD-7KQ2-M9XP-4HRT-B2NW-5CJ8``). Typed codes are forgiving: case, spaces and dashes do
not matter, and O/I/L read as 0/1/1.
"""

from __future__ import annotations

import hashlib
import re
import secrets

__all__ = ["PREFIX", "display", "generate", "hash_code", "looks_like_code", "normalise"]

PREFIX = "CTD"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(rf"^(?:{PREFIX})?[{ALPHABET}]{{14,26}}$")


def generate() -> str:
    """A new code in its compact form (what deep links carry), with a digit in it: typed
    without its prefix, a code of letters alone would be read as a word."""
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if any(ch.isdigit() for ch in body):
            return PREFIX + body


def normalise(typed: str) -> str:
    compact = re.sub(r"[\s\-_.]", "", typed.upper())
    if compact.startswith(PREFIX):
        return PREFIX + compact[len(PREFIX) :].translate(_TRANSLATE)
    return PREFIX + compact.translate(_TRANSLATE)


def looks_like_code(typed: str) -> bool:
    """True when the text is shaped like a code (so a wrong one counts as a failed try)."""
    compact = re.sub(r"[\s\-_.]", "", typed.upper())
    has_digit = any(ch.isdigit() for ch in compact)
    return bool(_SHAPE.match(compact)) and (compact.startswith(PREFIX) or has_digit)


def display(code: str) -> str:
    body = code[len(PREFIX) :]
    return "-".join([PREFIX, *(body[i : i + 4] for i in range(0, len(body), 4))])


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", "replace")).hexdigest()
