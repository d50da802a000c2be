"""When reminders are due (pure rules, no I/O).

For a due date: rungs 7, 3 and 1 days before and on the day, at 08:00 local time, each moved to
the previous working day when it falls on a weekend or a Vietnamese public holiday (Tết
included, from the ``holidays`` library, through its table in ``vietnam_holidays``); rungs that
land on the same day collapse into the later one. After the due date: an overdue reminder every
2 working days, at most 3, and the chair is told at the first. Recurring tasks get a monthly
nudge on the first working day of each month. Nothing is ever placed inside the quiet hours
(21:00–07:00).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.vietnam_holidays import VIETNAM_HOLIDAYS

__all__ = [
    "ReminderPolicy",
    "Rung",
    "WorkCalendar",
    "deadline_rungs",
    "monthly_rungs",
    "weekly_digests",
]


class ReminderPolicy(BaseModel):
    """The ladder, as the cluster's data may set it (``reminders:`` in ``cluster.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days_before: tuple[int, ...] = (7, 3, 1)
    send_at: time = time(8, 0)
    overdue_every_working_days: int = Field(default=2, ge=1)
    overdue_max: int = Field(default=3, ge=0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    digest_weekday: int = Field(default=0, ge=0, le=6)
    """0 is Monday."""


@dataclass(frozen=True, slots=True)
class Rung:
    name: str
    """Stable part of the outbox key: ``before-7``, ``due``, ``overdue-2``, ``escalate``..."""
    day: date
    at: datetime
    """When to send, timezone-aware."""


class WorkCalendar:
    """Working days: Monday to Friday, less Vietnam's public holidays."""

    def __init__(self, years: range) -> None:
        self._years = years

    @cached_property
    def _holidays(self) -> Container[date]:
        """From the table for the years it holds; beyond them from the library itself, which
        loads every country's calendar (8 MB) to give one."""
        if all(year in VIETNAM_HOLIDAYS for year in self._years):
            return {
                date(year, int(day[:2]), int(day[2:]))
                for year in self._years
                for day in VIETNAM_HOLIDAYS[year].split()
            }
        import holidays

        return holidays.country_holidays("VN", years=list(self._years))

    def is_working(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def on_or_before(self, day: date) -> date:
        while not self.is_working(day):
            day -= timedelta(days=1)
        return day

    def on_or_after(self, day: date) -> date:
        while not self.is_working(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        while count > 0:
            day += timedelta(days=1)
            if self.is_working(day):
                count -= 1
        return day


def _moment(day: date, at: time, policy: ReminderPolicy, timezone: str) -> datetime:
    """The send time on that day, moved out of the quiet hours."""
    if at >= policy.quiet_start:
        day, at = day + timedelta(days=1), policy.quiet_end
    elif at < policy.quiet_end:
        at = policy.quiet_end
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone))


def deadline_rungs(
    due: date, policy: ReminderPolicy, calendar: WorkCalendar, timezone: str, escalate: bool = True
) -> list[Rung]:
    by_day: dict[date, Rung] = {}
    ladder = [
        (f"before-{n}", due - timedelta(days=n)) for n in sorted(policy.days_before, reverse=True)
    ]
    for name, day in [*ladder, ("due", due)]:
        moved = calendar.on_or_before(day)
        by_day[moved] = Rung(name, moved, _moment(moved, policy.send_at, policy, timezone))
    rungs = sorted(by_day.values(), key=lambda r: r.at)
    day = due
    for n in range(1, policy.overdue_max + 1):
        day = calendar.add_working_days(day, policy.overdue_every_working_days)
        at = _moment(day, policy.send_at, policy, timezone)
        rungs.append(Rung(f"overdue-{n}", day, at))
        if n == 1 and escalate:
            rungs.append(Rung("escalate", day, at))
    return rungs


def monthly_rungs(
    start: date, end: date, policy: ReminderPolicy, calendar: WorkCalendar, timezone: str
) -> list[Rung]:
    """A nudge on the first working day of each month from ``start`` to ``end``."""
    rungs = []
    month = date(start.year, start.month, 1)
    while month <= end:
        day = calendar.on_or_after(month)
        if start <= day <= end:
            name = f"month-{month:%Y-%m}"
            rungs.append(Rung(name, day, _moment(day, policy.send_at, policy, timezone)))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return rungs


def weekly_digests(start: date, end: date, policy: ReminderPolicy, timezone: str) -> list[Rung]:
    """The chair's digest each week (on ``digest_weekday``) from ``start`` to ``end``."""
    day = start + timedelta(days=(policy.digest_weekday - start.weekday()) % 7)
    rungs = []
    while day <= end:
        year, week, _weekday = day.isocalendar()
        rungs.append(
            Rung(f"digest-{year}-W{week:02d}", day, _moment(day, policy.send_at, policy, timezone))
        )
        day += timedelta(days=7)
    return rungs
