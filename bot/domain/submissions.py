"""A unit's submitted report (one version of one deliverable), its files, and the chair's
excused/reopened mark on a unit's deliverable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["Mark", "Submission", "SubmissionFile"]


@dataclass(frozen=True, slots=True)
class SubmissionFile:
    """A file of a submission, stored once by content; ``name`` is the shown name."""

    sha256: str
    name: str
    size: int
    kind: str
    """The detected extension (``pdf``, ``docx``, ...)."""
    pages: int | None = None
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Submission:
    id: int
    deliverable: str
    unit_code: str
    version: int
    officer_id: int
    officer_name: str
    channel: str
    received_at: datetime
    due: date
    days_late: int
    note: str
    files: tuple[SubmissionFile, ...]


@dataclass(frozen=True, slots=True)
class Mark:
    deliverable: str
    unit_code: str
    status: str
    """``excused`` or ``reopened``."""
    reason: str
    at: datetime
