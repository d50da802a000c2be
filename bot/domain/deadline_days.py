"""The day a deadline is shown on: the day its reminders treat as the deadline (a due date on
a weekend or a Vietnamese public holiday is reminded on the working day before it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.domain.reminder_policy import ReminderPolicy, WorkCalendar, deadline_rungs

__all__ = ["reminded_due", "work_calendar"]


def work_calendar(days: Iterable[date]) -> WorkCalendar:
    """The working days around these dates (a year either side, as the reminders take)."""
    years = [d.year for d in days]
    return WorkCalendar(range(min(years) - 1, max(years) + 2) if years else range(0))


def reminded_due(due: date, policy: ReminderPolicy, calendar: WorkCalendar, timezone: str) -> date:
    """The day of the reminders' "due" rung for this due date."""
    rungs = deadline_rungs(due, policy, calendar, timezone, escalate=False)
    return next(r.day for r in rungs if r.name == "due")
