"""Time frames of Vietnamese plans, with their spelling variants."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from bot.domain.time_frames import parse_time_frame

D = date
CASES = [
    ("Tháng 3/2022", D(2022, 3, 1), D(2022, 3, 31), False),
    ("Tháng 01/2023", D(2023, 1, 1), D(2023, 1, 31), False),
    ("Trước ngày 01/7/2022", None, D(2022, 6, 30), False),
    ("Trước ngày 15/12 hằng năm", None, D(2022, 12, 14), False),
    ("Tháng 11-12/2022", D(2022, 11, 1), D(2022, 12, 31), False),
    ("Tháng 12/2022 - 01/2023", D(2022, 12, 1), D(2023, 1, 31), False),
    ("Tháng 3 - 4/2023", D(2023, 3, 1), D(2023, 4, 30), False),
    ("Quý I/2023", D(2023, 1, 1), D(2023, 3, 31), False),
    ("Quý II", D(2022, 4, 1), D(2022, 6, 30), False),
    ("6 tháng đầu năm", D(2022, 1, 1), D(2022, 6, 30), False),
    ("6 tháng cuối năm", D(2022, 7, 1), D(2022, 12, 31), False),
    ("Thường xuyên", D(2022, 1, 1), D(2022, 12, 31), True),
    ("Thường xuyên trong năm 2022", D(2022, 1, 1), D(2022, 12, 31), True),
    ("Ngày 15/3/2022", D(2022, 3, 15), D(2022, 3, 15), False),
    ("Từ ngày 01/3 đến ngày 15/3/2022", D(2022, 3, 1), D(2022, 3, 15), False),
]
VARIANTS = [
    ("tháng 3/2022", "Tháng 3/2022"),
    ("Tháng  03 / 2022", "Tháng 3/2022"),
    ("Tháng 11–12/2022", "Tháng 11-12/2022"),
    ("Tháng 11 - 12/2022", "Tháng 11-12/2022"),
    ("Tháng 12/2022–01/2023", "Tháng 12/2022 - 01/2023"),
    ("Trước ngày 1/7/2022", "Trước ngày 01/7/2022"),
    ("TRƯỚC NGÀY 01/07/2022.", "Trước ngày 01/7/2022"),
    ("Quý 2", "Quý II"),
    ("Trước ngày 15/12 hàng năm", "Trước ngày 15/12 hằng năm"),
    (unicodedata.normalize("NFD", "Thường xuyên trong năm 2022"), "Thường xuyên trong năm 2022"),
    (unicodedata.normalize("NFD", "6 tháng đầu năm"), "6 tháng đầu năm"),
]


@pytest.mark.parametrize(("text", "start", "end", "recurring"), CASES)
def test_each_phrase(text: str, start: date | None, end: date, recurring: bool) -> None:
    window = parse_time_frame(text, 2022)
    assert window is not None
    assert (window.start, window.end, window.recurring) == (start, end, recurring)
    assert window.text == text


@pytest.mark.parametrize(("variant", "canonical"), VARIANTS)
def test_spelling_variants(variant: str, canonical: str) -> None:
    a, b = parse_time_frame(variant, 2022), parse_time_frame(canonical, 2022)
    assert a is not None and b is not None
    assert (a.start, a.end, a.recurring) == (b.start, b.end, b.recurring)


@pytest.mark.parametrize(
    "nonsense",
    [
        "Sớm nhất có thể",
        "Tháng 13/2022",
        "Ngày 31/2/2022",
        "Quý V/2023",
        "",
        "2022",
        "Tháng 5 - 3/2022",
    ],
)
def test_nonsense_is_flagged_not_guessed(nonsense: str) -> None:
    assert parse_time_frame(nonsense, 2022) is None
