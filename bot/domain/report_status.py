"""Where each unit stands on each deliverable (pure rules: no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.cluster import ClusterYear, Deliverable, Unit
from bot.domain.submissions import Mark, Submission

__all__ = [
    "PAPER_MARK",
    "Cell",
    "MarkAction",
    "StatusRow",
    "cell",
    "days_late",
    "local_day",
    "owed_by",
    "owed_report",
    "status_matrix",
]


class Cell(StrEnum):
    ON_TIME = "✅"
    LATE = "🕒"
    OPEN = "⏳"
    OVERDUE = "❌"
    EXCUSED = "➖"
    PAPER = "📄"
    """Sent on paper, as the chair confirmed."""

    @property
    def done(self) -> bool:
        return self in (Cell.ON_TIME, Cell.LATE, Cell.EXCUSED, Cell.PAPER)


class MarkAction(StrEnum):
    """What the chair does to a unit's report: the value is the mark's stored status."""

    EXCUSE = "excused"
    REOPEN = "reopened"
    CLEAR = "clear"
    """Remove the mark (nothing is stored as its status)."""

    @property
    def status(self) -> str | None:
        return None if self is MarkAction.CLEAR else self.value


PAPER_MARK = "paper"
"""The mark's status when the chair confirmed the report came on paper."""


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day ``moment`` falls on in the cluster's time zone."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def days_late(received_at: datetime, due: date, timezone: str) -> int:
    """Whole days after the due date, by the cluster's calendar; 0 when on time."""
    return max(0, (local_day(received_at, timezone) - due).days)


def cell(due: date, today: date, latest: Submission | None, mark: Mark | None) -> Cell:
    if mark is not None and mark.status == "excused":
        return Cell.EXCUSED
    if mark is not None and mark.status == PAPER_MARK and latest is None:
        return Cell.PAPER
    reopened_at = mark.at if mark is not None and mark.status == "reopened" else None
    if latest is not None and (reopened_at is None or latest.received_at > reopened_at):
        return Cell.ON_TIME if latest.days_late == 0 else Cell.LATE
    return Cell.OVERDUE if today > due else Cell.OPEN


@dataclass(frozen=True, slots=True)
class StatusRow:
    unit: Unit
    cells: tuple[Cell | None, ...]
    """One per deliverable of the plan; None where the unit owes nothing."""


def owed_by(year: ClusterYear, unit_code: str) -> list[Deliverable]:
    return [d for d in year.plan.deliverables if unit_code in {u.code for u in year.owers(d)}]


def owed_report(year: ClusterYear, unit_code: str, code: str | None) -> Deliverable | None:
    """The report of this code if the unit owes it."""
    return next((d for d in owed_by(year, unit_code) if d.code == code), None)


def status_matrix(
    year: ClusterYear,
    today: date,
    latest: dict[tuple[str, str], Submission],
    marks: dict[tuple[str, str], Mark],
) -> list[StatusRow]:
    rows = []
    for unit in year.cluster.units:
        owed = {d.code for d in owed_by(year, unit.code)}
        if not owed:
            continue
        cells = tuple(
            cell(d.due, today, latest.get((d.code, unit.code)), marks.get((d.code, unit.code)))
            if d.code in owed
            else None
            for d in year.plan.deliverables
        )
        rows.append(StatusRow(unit, cells))
    return rows
