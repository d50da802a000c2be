"""The audit log: who did what, when, to whom."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.database import Database, Writes
from storage.timestamps import from_db, to_db

__all__ = ["AuditEntry", "AuditLog"]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]


def _entry(row: aiosqlite.Row) -> AuditEntry:
    return AuditEntry(
        from_db(row["at"]), row["actor"], row["action"], row["subject"], json.loads(row["detail"])
    )


_INSERT = "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)"


def _row(
    now: datetime, actor: str, action: str, subject: str, detail: dict[str, Any]
) -> tuple[str, str, str, str, str]:
    return (to_db(now), actor, action, subject, json.dumps(detail, ensure_ascii=False))


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
        await conn.execute(_INSERT, _row(now, actor, action, subject, detail))

    @staticmethod
    def write_on(
        conn: sqlite3.Connection,
        now: datetime,
        actor: str,
        action: str,
        subject: str = "",
        **detail: Any,
    ) -> None:
        """:meth:`write`, on the database thread (a body of ``Database.atomically``)."""
        conn.execute(_INSERT, _row(now, actor, action, subject, detail))

    @staticmethod
    def write_into(
        writes: Writes, now: datetime, actor: str, action: str, subject: str = "", **detail: Any
    ) -> None:
        """:meth:`write`, its statement added to ``writes`` (an event's own transaction)."""
        writes.add(_INSERT, _row(now, actor, action, subject, detail))

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
        return [_entry(r) for r in rows]

    async def latest(
        self, limit: int, actors: set[str] | None = None, units: set[str] | None = None
    ) -> list[AuditEntry]:
        """The newest ``limit`` entries, newest first; with ``actors`` or ``units``, those done
        by one of the actors or about one of the units (``unit`` in the detail) only."""
        where, params = "1 = 1", []
        if actors is not None or units is not None:
            who, about = sorted(actors or ()), sorted(units or ())
            where = (
                f"actor IN ({','.join('?' * len(who))})"
                f" OR json_extract(detail, '$.unit') IN ({','.join('?' * len(about))})"
            )
            params = [*who, *about]
        rows = await self._db.fetchall(
            "SELECT at, actor, action, subject, detail FROM audit_log"
            f" WHERE {where} ORDER BY id DESC LIMIT ?",
            (*params, limit),
        )
        return [_entry(r) for r in rows]
