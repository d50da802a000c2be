"""An officer a province lists for a unit (its workbook's officers sheet): not registered, only
the person an invitation is made for."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ListedOfficer"]


@dataclass(frozen=True, slots=True)
class ListedOfficer:
    name: str
    position: str
    unit_code: str
    unit_name: str
    phone: str | None
    email: str | None
    telegram: str | None
    """The Telegram username, without "@"."""
    cluster_key: str
    year: int
