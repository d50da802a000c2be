"""The audit log: who did what, when, to whom."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.database import Database
from storage.timestamps import from_db, to_db

__all__ = ["AuditEntry", "AuditLog"]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]


class AuditLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    async def write(
        conn: aiosqlite.Connection,
        now: datetime,
        actor: str,
        action: str,
        subject: str = "",
        **detail: Any,
    ) -> None:
        """Record inside the caller's transaction, so the change and its record stand together."""
        await conn.execute(
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
            (to_db(now), actor, action, subject, json.dumps(detail, ensure_ascii=False)),
        )

    async def record(
        self, now: datetime, actor: str, action: str, subject: str = "", **detail: Any
    ) -> None:
        """Record an action that changes nothing else (it stands alone)."""
        async with self._db.transaction() as conn:
            await self.write(conn, now, actor, action, subject, **detail)

    async def entries(self, action_prefix: str = "") -> list[AuditEntry]:
        rows = await self._db.fetchall(
            "SELECT at, actor, action, subject, detail FROM audit_log"
            " WHERE action LIKE ? ORDER BY id",
            (f"{action_prefix}%",),
        )
        return [
            AuditEntry(
                from_db(r["at"]), r["actor"], r["action"], r["subject"], json.loads(r["detail"])
            )
            for r in rows
        ]
