"""Confirmed plan versions (from imports); the newest is the plan reminders follow."""

from __future__ import annotations

from datetime import datetime

from storage.audit import AuditLog
from storage.database import Database
from storage.timestamps import to_db

__all__ = ["PlanRepository"]


class PlanRepository:
    def __init__(self, db: Database, year_id: int) -> None:
        self._db = db
        self._year = year_id
        """The cluster-year every row read or written here belongs to."""

    async def latest(self) -> str | None:
        """The newest confirmed plan, as the JSON of the Plan model."""
        row = await self._db.fetchone(
            "SELECT plan FROM plan_versions WHERE cluster_year_id = ? ORDER BY id DESC LIMIT 1",
            (self._year,),
        )
        return row["plan"] if row else None

    async def confirm(
        self, plan_json: str, source: str, officer_id: int | None, actor: str, now: datetime
    ) -> int:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO plan_versions"
                " (cluster_year_id, plan, source, officer_id, confirmed_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (self._year, plan_json, source, officer_id, to_db(now)),
            )
            version = cur.lastrowid or 0
            await AuditLog.write(
                conn, now, actor, "plan.confirmed", f"plan:{version}", source=source
            )
        return version
