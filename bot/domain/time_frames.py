"""Vietnamese time frames of a plan as windows: the grammar's tree dated in the plan's year.

A frame without a year takes the plan's year, or the next one when it would end before the plan
was issued (the January conference of a plan issued in March); a range with the year on one side
completes the other from it. A frame with no reading, an impossible date or two readings that
disagree is not understood: None, kept verbatim and flagged, never guessed."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.domain.cluster import Window
from bot.domain.strings import nfc
from bot.domain.time_frame_grammar import Frame, Period, Point, Recurrence, parses

__all__ = ["Recurrence", "TimeFrame", "parse_time_frame", "read_time_frame", "recurrence_of"]

MAX_WRAP_DAYS = 183
"""A range written "Tháng 12 - 01/2023" crosses the year-end; "Tháng 5 - 3/2022" does not."""


@dataclass(frozen=True)
class TimeFrame:
    window: Window
    recurrence: Recurrence | None = None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _bounds(point: Point, year: int) -> tuple[date, date]:
    """The first and last day of a point in ``year`` (its own year when it has one)."""
    y = point.year or year
    if point.period is Period.DAY:
        if point.month is None or point.day is None:
            raise ValueError("a day without its month")
        day = date(y, point.month, point.day)
        return day, day
    if point.period is Period.MONTH:
        assert point.month is not None
        return date(y, point.month, 1), _month_end(y, point.month)
    if point.period is Period.PART:
        assert point.month is not None and point.index is not None
        first = date(y, point.month, 1 + 10 * (point.index - 1))
        last = _month_end(y, point.month) if point.index == 3 else first + timedelta(days=9)
        return first, last
    if point.period is Period.QUARTER:
        assert point.index is not None
        return date(y, 3 * point.index - 2, 1), _month_end(y, 3 * point.index)
    if point.period is Period.HALF:
        assert point.index is not None
        return (
            (date(y, 1, 1), date(y, 6, 30))
            if point.index == 1
            else (date(y, 7, 1), date(y, 12, 31))
        )
    return date(y, 1, 1), date(y, 12, 31)


def _range(first: Point, last: Point, year: int) -> tuple[date, date]:
    """A range whose sides complete each other: the day's month and the year on one side only."""
    if first.period is Period.DAY and first.month is None and last.period is Period.DAY:
        first = replace(first, month=last.month, year=first.year or last.year)
    written = first.year is not None
    first = replace(first, year=first.year or last.year or year)
    last_year = last.year or first.year
    start, end = _bounds(first, year)[0], _bounds(last, last_year)[1]
    if start > end and not (written and last.year):
        if last.year and not written:  # the year on the right only: the left is a year before
            start = _bounds(replace(first, year=first.year - 1), year)[0]
        else:
            end = _bounds(replace(last, year=last_year + 1), year)[1]
        if (end - start).days > MAX_WRAP_DAYS:
            raise ValueError("a range backwards")
    return start, end


def _has_year(frame: Frame) -> bool:
    points = (p for p in (frame.first, frame.last) if p is not None)
    return frame.year is not None or any(p.year is not None for p in points)


def _date(frame: Frame, year: int) -> tuple[date | None, date]:
    if frame.first is not None and frame.last is not None:
        return _range(frame.first, frame.last, year)
    if frame.last is not None:
        first, last = _bounds(frame.last, year)
        return None, first - timedelta(days=1) if frame.before else last
    assert frame.first is not None
    return _bounds(frame.first, year)


def _time_frame(frame: Frame, plan_year: int, issued: date | None, text: str) -> TimeFrame:
    if frame.recurrence is not None:
        y = frame.year or plan_year
        window = Window(start=date(y, 1, 1), end=date(y, 12, 31), recurring=True, text=text)
        return TimeFrame(window, frame.recurrence)
    start, end = _date(frame, plan_year)
    if issued is not None and end < issued and not _has_year(frame):
        start, end = _date(frame, plan_year + 1)
    return TimeFrame(Window(start=start, end=end, text=text))


def read_time_frame(text: str, plan_year: int, issued: date | None = None) -> TimeFrame | None:
    """The window (and recurrence) a time frame describes. ``plan_year`` completes frames that
    omit the year; ``issued``, the plan's date, moves those that would end before it a year on."""
    original = " ".join(nfc(text).split())
    readings: dict[tuple[object, ...], TimeFrame] = {}
    for frame in parses(original):
        try:
            found = _time_frame(frame, plan_year, issued, original)
        except ValueError:  # an impossible date such as 31/2, or a range backwards
            continue
        w = found.window
        readings.setdefault((w.start, w.end, w.recurring, found.recurrence), found)
    return next(iter(readings.values())) if len(readings) == 1 else None


def parse_time_frame(text: str, plan_year: int, issued: date | None = None) -> Window | None:
    """The window a time frame describes; ``plan_year`` completes frames that omit the year."""
    found = read_time_frame(text, plan_year, issued)
    return found.window if found else None


def recurrence_of(window: Window) -> Recurrence | None:
    """How a recurring window recurs, read again from its wording."""
    if not window.recurring:
        return None
    found = read_time_frame(window.text, window.end.year)
    return found.recurrence if found and found.recurrence else Recurrence.CONTINUOUS
