"""The reminder ladder: working days, Vietnamese holidays (Tết), collapsing rungs, quiet hours."""

from __future__ import annotations

from datetime import date, time

from bot.domain.reminder_policy import (
    ReminderPolicy,
    WorkCalendar,
    deadline_rungs,
    monthly_rungs,
    weekly_digests,
)

TZ = "Asia/Ho_Chi_Minh"
CALENDAR = WorkCalendar(range(2021, 2025))
POLICY = ReminderPolicy()


def _days(rungs: list) -> list[tuple[str, str]]:
    return [(r.name, r.day.strftime("%a %d/%m/%Y")) for r in rungs]


def test_a_thursday_deadline() -> None:
    rungs = deadline_rungs(date(2022, 6, 30), POLICY, CALENDAR, TZ)
    assert _days(rungs) == [
        ("before-7", "Thu 23/06/2022"),
        ("before-3", "Mon 27/06/2022"),
        ("before-1", "Wed 29/06/2022"),
        ("due", "Thu 30/06/2022"),
        ("overdue-1", "Mon 04/07/2022"),  # Fri 1/7 is the first working day after, Mon 4/7 the 2nd
        ("escalate", "Mon 04/07/2022"),
        ("overdue-2", "Wed 06/07/2022"),
        ("overdue-3", "Fri 08/07/2022"),
    ]
    assert all(r.at.strftime("%H:%M %z") == "08:00 +0700" for r in rungs)


def test_a_saturday_deadline_collapses_and_skips_the_new_year_holiday() -> None:
    rungs = deadline_rungs(date(2022, 12, 31), POLICY, CALENDAR, TZ)
    assert _days(rungs) == [
        ("before-7", "Fri 23/12/2022"),  # Sat 24/12 moves back to Friday
        ("before-3", "Wed 28/12/2022"),
        ("due", "Fri 30/12/2022"),  # the due day (Sat) and the day before (Fri) are one rung
        ("overdue-1", "Wed 04/01/2023"),  # Mon 2/1 is the observed New Year holiday
        ("escalate", "Wed 04/01/2023"),
        ("overdue-2", "Fri 06/01/2023"),
        ("overdue-3", "Tue 10/01/2023"),
    ]


def test_tet_2023_moves_a_rung_before_the_holiday() -> None:
    rungs = deadline_rungs(date(2023, 1, 31), POLICY, CALENDAR, TZ, escalate=False)
    assert _days(rungs)[:4] == [
        ("before-7", "Thu 19/01/2023"),  # Tue 24/1 is the third day of Tết (20–26/1 off)
        ("before-3", "Fri 27/01/2023"),
        ("before-1", "Mon 30/01/2023"),
        ("due", "Tue 31/01/2023"),
    ]
    assert "escalate" not in {r.name for r in rungs}


def test_the_overdue_cap_and_ladder_are_data() -> None:
    policy = ReminderPolicy(days_before=(2,), overdue_every_working_days=1, overdue_max=1)
    assert [r.name for r in deadline_rungs(date(2022, 6, 30), policy, CALENDAR, TZ)] == [
        "before-2",
        "due",
        "overdue-1",
        "escalate",
    ]


def test_nothing_is_placed_in_the_quiet_hours() -> None:
    late = ReminderPolicy(send_at=time(22, 30))
    early = ReminderPolicy(send_at=time(5, 0))
    [due_late] = [
        r for r in deadline_rungs(date(2022, 6, 30), late, CALENDAR, TZ) if r.name == "due"
    ]
    [due_early] = [
        r for r in deadline_rungs(date(2022, 6, 30), early, CALENDAR, TZ) if r.name == "due"
    ]
    assert due_late.at.strftime("%d/%m %H:%M") == "01/07 07:00"
    assert due_early.at.strftime("%d/%m %H:%M") == "30/06 07:00"


def test_monthly_nudges_fall_on_the_first_working_day() -> None:
    rungs = monthly_rungs(date(2022, 1, 1), date(2022, 12, 31), POLICY, CALENDAR, TZ)
    assert len(rungs) == 12
    assert rungs[0].day == date(2022, 1, 4)  # 1/1 Sat, 3/1 observed New Year's Day
    assert rungs[1].day == date(2022, 2, 7)  # Tết 2022: 31/1–4/2
    assert rungs[8].day == date(2022, 9, 5)  # National Day 1–2/9, then the weekend


def test_weekly_digests_are_on_mondays() -> None:
    rungs = weekly_digests(date(2022, 3, 10), date(2022, 4, 4), POLICY, TZ)
    assert [r.day.isoformat() for r in rungs] == [
        "2022-03-14",
        "2022-03-21",
        "2022-03-28",
        "2022-04-04",
    ]
