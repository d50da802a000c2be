"""Confirmed plan versions (from imports); the newest is the plan reminders follow."""

from __future__ import annotations

from datetime import datetime

from storage.audit import AuditLog
from storage.database import Database
from storage.timestamps import to_db

__all__ = ["PlanRepository"]


class PlanRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def latest(self) -> str | None:
        """The newest confirmed plan, as the JSON of the Plan model."""
        row = await self._db.fetchone("SELECT plan FROM plan_versions ORDER BY id DESC LIMIT 1")
        return row["plan"] if row else None

    async def confirm(
        self, plan_json: str, source: str, officer_id: int | None, actor: str, now: datetime
    ) -> int:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO plan_versions (plan, source, officer_id, confirmed_at)"
                " VALUES (?, ?, ?, ?)",
                (plan_json, source, officer_id, to_db(now)),
            )
            version = cur.lastrowid or 0
            await AuditLog.write(
                conn, now, actor, "plan.confirmed", f"plan:{version}", source=source
            )
        return version
