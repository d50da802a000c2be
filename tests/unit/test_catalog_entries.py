"""Every catalogue names each message once: engineers append entries by hand, and a message
written twice is read as one of them only (Babel keeps the last)."""

from __future__ import annotations

import re
from collections import Counter

from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALES_DIR

_MSGID = re.compile(r'^msgid ((?:".*"\n)+)', re.M)


def test_no_message_is_written_twice() -> None:
    for language in LANGUAGES:
        text = (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").read_text("utf-8")
        twice = [m for m, n in Counter(_MSGID.findall(text)).items() if n > 1 and m != '""\n']
        assert twice == [], language


def test_every_catalogue_reads_without_a_problem() -> None:
    """An entry appended without its ``msgstr`` line reads as untranslated, with a warning on
    every start (and in every file-check worker): Babel refuses it when asked to."""
    for language in LANGUAGES:
        with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
            read_po(po, locale=language, abort_invalid=True)
