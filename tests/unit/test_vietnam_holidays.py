"""The bundled table of Vietnam's public holidays agrees with the ``holidays`` library, and the
working calendar reads the library only for years beyond the table."""

from datetime import date

import holidays

from bot.domain.reminder_policy import WorkCalendar
from bot.domain.vietnam_holidays import VIETNAM_HOLIDAYS
from scripts.make_vietnam_holidays import table


def test_the_table_is_what_the_library_gives() -> None:
    assert table() == VIETNAM_HOLIDAYS  # if not: run scripts/make_vietnam_holidays.py


def test_the_calendar_has_the_same_days_off_inside_and_beyond_the_table() -> None:
    last = max(VIETNAM_HOLIDAYS)
    for years in (range(2023, 2027), range(last, last + 2)):
        calendar = WorkCalendar(years)
        library = holidays.country_holidays("VN", years=list(years))
        days = [date.fromordinal(n) for n in _ordinals(years)]
        weekdays = [d for d in days if d.weekday() < 5]
        assert [d for d in weekdays if not calendar.is_working(d)] == [
            d for d in weekdays if d in library
        ]


def test_tet_is_a_day_off() -> None:
    assert not WorkCalendar(range(2026, 2027)).is_working(date(2026, 2, 17))  # Mùng 1 Tết


def _ordinals(years: range) -> range:
    return range(date(years.start, 1, 1).toordinal(), date(years.stop, 1, 1).toordinal())
