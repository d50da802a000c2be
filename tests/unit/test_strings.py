"""Text helpers of the domain: the id an option carries."""

from __future__ import annotations

import pytest

from bot.domain.strings import row_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [("17", 17), ("007", 7), ("", 0), (None, 0), ("-3", 0), ("1.5", 0), ("²", 0), ("١٢", 0)],
)
def test_an_option_id_is_a_plain_ascii_number_or_none(text: str | None, expected: int) -> None:
    assert row_id(text) == expected
