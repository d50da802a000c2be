"""Times are stored as ISO-8601 text in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["from_db", "to_db"]


def to_db(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
