"""The Vietnamese catalogue read as a civil servant writes: one polite register ("anh/chị"),
"nhập" and never "gõ", a deadline that is the day itself written "chậm nhất ngày …"; and titles
never cut in the middle of a word, wherever text is shortened for a screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.channels.render import split_text
from bot.domain.strings import shorten

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locales" / "vi" / "LC_MESSAGES" / "messages.po"


def _translations() -> list[str]:
    with CATALOGUE.open("rb") as po:
        return [str(m.string) for m in read_po(po) if m.id and m.string]


TRANSLATIONS = _translations()


def test_the_catalogue_says_nhap_never_go() -> None:
    typed = [t for t in TRANSLATIONS if re.search(r"\bgõ\b", t, re.IGNORECASE)]
    assert typed == []


def test_one_polite_register() -> None:
    familiar = [t for t in TRANSLATIONS if re.search(r"\b(bạn|mày|hãy)\b", t, re.IGNORECASE)]
    assert familiar == []
    curt = [t for t in TRANSLATIONS if re.match(r"Xin (gõ|nhập|chọn|gửi|kiểm tra)\b", t)]
    assert curt == []


def test_a_deadline_that_is_the_day_itself_reads_chậm_nhất() -> None:
    before = [t for t in TRANSLATIONS if "trước ngày {due}" in t]
    assert before == []
    assert any("chậm nhất ngày {due}" in t for t in TRANSLATIONS)


def _cut_mid_word(original: str, shown: str) -> bool:
    head = shown.removesuffix("…")
    if not original.startswith(head):
        return True
    rest = original[len(head) :]
    return bool(head and rest and head[-1].isalnum() and rest[0].isalnum())


@pytest.mark.parametrize("limit", [24, 40, 64, 90])
def test_no_title_of_the_catalogue_is_cut_in_the_middle_of_a_word(limit: int) -> None:
    longer = [t for t in TRANSLATIONS if len(t) > limit and " " in t[: limit - 1]]
    assert longer, "nothing long enough to shorten"
    cut = [t for t in longer if _cut_mid_word(t, shorten(t, limit))]
    assert cut == []
    assert all(len(shorten(t, limit)) <= limit for t in longer)


def test_long_lines_split_for_a_platform_at_spaces() -> None:
    line = " ".join(t for t in TRANSLATIONS if len(t) > 40)[:6000]
    parts = split_text(line, 500)
    assert "".join(p + " " for p in parts).split() == line.split()  # no word split in two
    assert all(len(p) <= 500 for p in parts)


def test_no_display_slices_a_title_or_a_name() -> None:
    """Titles and names shown are shortened by :func:`shorten`, never sliced (``title[:80]``)."""
    sliced = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("bot", "handlers")
        for path in (ROOT / folder).rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\b(title|name)\[:\d+\]", line)
    ]
    assert sliced == []
