"""Vietnamese time frames of a plan ("Tháng 11-12/2022", "Trước ngày 01/7/2022", "Quý II",
"Thường xuyên"…) as windows. What is not understood returns None: kept verbatim and flagged,
never guessed."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from bot.domain.cluster import Window
from bot.domain.text import nfc

__all__ = ["parse_time_frame"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_D = r"(\d{1,2})/(\d{1,2})"
_Y = r"(\d{4})"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _clean(text: str) -> str:
    text = nfc(text).lower().replace("–", "-").replace("—", "-")
    text = re.sub(r"\s*-\s*", " - ", text)
    text = re.sub(r"\s*/\s*", "/", text)
    return re.sub(r"\s+", " ", text).strip(" .;")


def _window(start: date | None, end: date, original: str, recurring: bool = False) -> Window | None:
    try:
        return Window(start=start, end=end, recurring=recurring, text=nfc(original))
    except ValueError:
        return None


def parse_time_frame(text: str, plan_year: int) -> Window | None:
    """The window a time frame describes; ``plan_year`` completes frames that omit the year."""
    t = _clean(text)
    try:
        return _parse(t, plan_year, text)
    except ValueError:  # an impossible date such as 31/2
        return None


def _parse(t: str, year: int, original: str) -> Window | None:
    if m := re.fullmatch(r"thường xuyên(?: trong năm " + _Y + r")?", t):
        y = int(m.group(1) or year)
        return _window(date(y, 1, 1), date(y, 12, 31), original, recurring=True)
    if m := re.fullmatch(r"6 tháng (đầu|cuối) năm(?: " + _Y + r")?", t):
        y = int(m.group(2) or year)
        if m.group(1) == "đầu":
            return _window(date(y, 1, 1), date(y, 6, 30), original)
        return _window(date(y, 7, 1), date(y, 12, 31), original)
    if m := re.fullmatch(r"quý (iv|iii|ii|i|[1-4])(?:/" + _Y + r")?(?: năm " + _Y + r")?", t):
        q, y = _ROMAN[m.group(1)], int(m.group(2) or m.group(3) or year)
        return _window(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), original)
    if m := re.fullmatch(r"trước ngày " + _D + r"(?:/" + _Y + r")?(?: hằng năm| hàng năm)?", t):
        y = int(m.group(3) or year)
        return _window(
            None, date(y, int(m.group(2)), int(m.group(1))) - timedelta(days=1), original
        )
    if m := re.fullmatch(r"ngày " + _D + "/" + _Y, t):
        day = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return _window(day, day, original)
    if m := re.fullmatch(r"từ ngày " + _D + r"(?:/" + _Y + r")? đến ngày " + _D + "/" + _Y, t):
        end = date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
        start = date(int(m.group(3) or end.year), int(m.group(2)), int(m.group(1)))
        return _window(start, end, original)
    if m := re.fullmatch(r"tháng (\d{1,2})/" + _Y + r" - (\d{1,2})/" + _Y, t):
        start = date(int(m.group(2)), int(m.group(1)), 1)
        return _window(start, _month_end(int(m.group(4)), int(m.group(3))), original)
    if m := re.fullmatch(r"tháng (\d{1,2})(?: - (\d{1,2}))?/" + _Y, t):
        y, first = int(m.group(3)), int(m.group(1))
        last = int(m.group(2) or first)
        return _window(date(y, first, 1), _month_end(y, last), original)
    return None
