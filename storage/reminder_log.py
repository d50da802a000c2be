"""What the reminder tick has already handled, and the chair's task marks."""

from __future__ import annotations

from datetime import datetime

from storage.audit import AuditLog
from storage.database import Database
from storage.timestamps import to_db

__all__ = ["ReminderLog"]


class ReminderLog:
    def __init__(self, db: Database, year_id: int) -> None:
        self._db = db
        self._year = year_id
        """The cluster-year every row read or written here belongs to."""

    async def handled(self, prefix: str = "") -> set[str]:
        rows = await self._db.fetchall(
            "SELECT key FROM reminder_log WHERE cluster_year_id = ? AND key LIKE ?",
            (self._year, f"{prefix}%"),
        )
        return {r["key"] for r in rows}

    async def record(self, key: str, status: str, now: datetime) -> None:
        await self._db.execute(
            "INSERT OR IGNORE INTO reminder_log (cluster_year_id, key, status, at)"
            " VALUES (?, ?, ?, ?)",
            (self._year, key, status, to_db(now)),
        )

    async def done_tasks(self) -> set[int]:
        rows = await self._db.fetchall(
            "SELECT task FROM task_marks WHERE cluster_year_id = ?", (self._year,)
        )
        return {r["task"] for r in rows}

    async def mark_task(self, task: int, status: str, officer_id: int, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO task_marks (cluster_year_id, task, status, officer_id, at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (cluster_year_id, task) DO UPDATE"
                " SET status = excluded.status, officer_id = excluded.officer_id, at = excluded.at",
                (self._year, task, status, officer_id, to_db(now)),
            )
            await AuditLog.write(
                conn, now, f"officer:{officer_id}", f"task.{status}", f"task:{task}"
            )
