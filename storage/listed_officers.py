"""The officers a province listed for its units, per cluster-year (``listed_officers``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from bot.domain.listed_officers import ListedOfficer
from storage.database import Database
from storage.timestamps import to_db

__all__ = ["ListedOfficerRepository", "replace_listed"]


async def replace_listed(
    conn: aiosqlite.Connection, year_id: int, officers: Sequence[ListedOfficer], now: datetime
) -> None:
    """Make ``officers`` the listed officers of cluster-year ``year_id`` (inside a write)."""
    await conn.execute("DELETE FROM listed_officers WHERE cluster_year_id = ?", (year_id,))
    await conn.executemany(
        "INSERT INTO listed_officers (cluster_year_id, unit_code, name, position, phone, email,"
        " telegram, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (year_id, o.unit_code, o.name, o.position, o.phone, o.email, o.telegram, to_db(now))
            for o in officers
        ],
    )


class ListedOfficerRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def of_years(self, year_ids: Sequence[int]) -> list[ListedOfficer]:
        marks = ", ".join("?" * len(year_ids))
        rows = await self._db.fetchall(
            "SELECT o.*, u.name AS unit_name, c.key AS cluster_key, y.year FROM listed_officers o"
            " JOIN units u ON u.code = o.unit_code JOIN cluster_years y"
            " ON y.id = o.cluster_year_id JOIN clusters c ON c.id = y.cluster_id"
            f" WHERE o.cluster_year_id IN ({marks}) ORDER BY c.id, o.unit_code, o.id",
            tuple(year_ids),
        )
        return [
            ListedOfficer(
                name=r["name"],
                position=r["position"],
                unit_code=r["unit_code"],
                unit_name=r["unit_name"],
                phone=r["phone"],
                email=r["email"],
                telegram=r["telegram"],
                cluster_key=r["cluster_key"],
                year=r["year"],
            )
            for r in rows
        ]
