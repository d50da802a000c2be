"""Every catalogue names each message once: engineers append entries by hand, and a message
written twice is read as one of them only (Babel keeps the last)."""

from __future__ import annotations

import re
from collections import Counter

from bot.i18n import LANGUAGES, LOCALES_DIR

_MSGID = re.compile(r'^msgid ((?:".*"\n)+)', re.M)


def test_no_message_is_written_twice() -> None:
    for language in LANGUAGES:
        text = (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").read_text("utf-8")
        twice = [m for m, n in Counter(_MSGID.findall(text)).items() if n > 1 and m != '""\n']
        assert twice == [], language
