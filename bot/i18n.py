"""Gettext catalogs under ``locales/<lang>/LC_MESSAGES/messages.po``, read with Babel.

The ``.po`` files are the source of truth; they are compiled in memory at start-up, so there is
no build step and no compiled file to keep in step.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = ["LANGUAGES", "LOCALES_DIR", "N_", "Translator", "language_of", "translator"]

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("vi", "en")
DOMAIN = "messages"

Translator = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it where it is shown."""
    return message


@cache
def _translations(language: str) -> gettext.NullTranslations:
    po = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(language: str) -> Translator:
    """The ``_`` function for a language; unknown languages fall back to the msgid."""
    return _translations(language if language in LANGUAGES else "vi").gettext


LANGUAGE_CODE = N_("en")
"""Translated to its catalog's language code ("vi"): what language a translator speaks."""


def language_of(_: Translator) -> str:
    """The language code of the catalog ``_`` reads ("vi", "en")."""
    return _(LANGUAGE_CODE)
