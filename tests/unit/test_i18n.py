"""Every user-facing string has a Vietnamese translation, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, translator

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _source_msgids() -> set[str]:
    found: set[str] = set()
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
        ):
            if isinstance(message, str):
                found.add(message)
    return found


def _catalog(language: str) -> dict[str, str]:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and isinstance(m.id, str)}


def test_every_source_string_has_a_vietnamese_translation() -> None:
    vietnamese = _catalog("vi")
    missing = sorted(m for m in _source_msgids() if not vietnamese.get(m))
    assert missing == [], f"run `make locales` and translate: {missing}"


def test_translations_keep_their_placeholders() -> None:
    for msgid, msgstr in _catalog("vi").items():
        if msgstr:
            assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(msgstr)), msgid


def test_vietnamese_is_the_default_and_english_falls_back_to_the_source() -> None:
    assert translator("vi")("Continue") == "Làm tiếp"
    assert translator("en")("Continue") == "Continue"
    assert translator("xx")("Continue") == "Làm tiếp"
