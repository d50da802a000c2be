"""Text from people written to a spreadsheet or CSV stays text: the OWASP CSV-injection rule."""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "csv_text", "starts_like_formula"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these may be read as a formula by a spreadsheet application."""


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_text(value: object) -> object:
    """A CSV field: text that could start a formula gets a leading apostrophe (the quote Excel
    and LibreOffice show as "this is text"); numbers and other text pass unchanged."""
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value
