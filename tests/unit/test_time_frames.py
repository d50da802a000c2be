"""Time frames of Vietnamese plans: the corpus in ``tests/fixtures/time_frames.yaml``, each
phrasing with the window it must give, or flagged."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.cluster import Window
from bot.domain.time_frames import parse_time_frame, read_time_frame, recurrence_of

CORPUS = yaml.safe_load(
    (Path(__file__).parents[1] / "fixtures" / "time_frames.yaml").read_text(encoding="utf-8")
)
CASES: list[dict[str, Any]] = [{**CORPUS["defaults"], **case} for case in CORPUS["cases"]]


def test_the_corpus_is_large_and_mixed() -> None:
    assert len(CASES) >= 80
    assert sum(bool(c.get("flagged")) for c in CASES) >= 10
    assert sum("recurs" in c for c in CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[repr(c["text"]) for c in CASES])
def test_each_phrasing_gives_its_window(case: dict[str, Any]) -> None:
    text = unicodedata.normalize("NFD", case["text"]) if case.get("nfd") else case["text"]
    found = read_time_frame(text, case["year"], case.get("issued"))
    if case.get("flagged"):
        assert found is None
        return
    assert found is not None, "not understood"
    window = found.window
    assert (window.start, window.end) == (case["start"], case["end"])
    assert window.recurring is ("recurs" in case)
    assert (found.recurrence.value if found.recurrence else None) == case.get("recurs")
    assert window.text == " ".join(unicodedata.normalize("NFC", case["text"]).split())


def test_parse_time_frame_is_the_window_of_the_reading() -> None:
    window = parse_time_frame("Tháng 01", 2022, date(2022, 3, 10))
    assert window is not None and (window.start, window.end) == (
        date(2023, 1, 1),
        date(2023, 1, 31),
    )
    assert parse_time_frame("Sớm nhất có thể", 2022) is None


def test_the_recurrence_is_read_again_from_a_stored_window() -> None:
    stored = Window(start=date(2026, 1, 1), end=date(2026, 12, 31), recurring=True, text="hằng quý")
    assert recurrence_of(stored).value == "quarterly"  # type: ignore[union-attr]
    assert recurrence_of(Window(end=date(2026, 6, 30), text="Trước ngày 01/7/2026")) is None


def test_a_very_long_cell_is_not_read() -> None:
    assert parse_time_frame("Tháng 3/2026 " * 30, 2026) is None


PIECES = [
    "tháng",
    "ngày",
    "quý",
    "từ",
    "đến",
    "trước",
    "hằng",
    "năm",
    "cuối",
    "đầu",
    "iv",
    "-",
    "/",
    ".",
    "12",
    "31",
    "2",
    "2026",
    "0",
    "99999",
    "xuyên",
    "nhất",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=12))
def test_any_text_is_read_or_flagged_never_a_crash(words: list[str]) -> None:
    found = read_time_frame(" ".join(words), 2026, date(2026, 3, 1))
    if found is not None:
        window = found.window
        assert window.start is None or window.start <= window.end
        assert date(1999, 1, 1) < window.end < date(2102, 1, 1)
