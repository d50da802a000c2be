"""What an operator watches, read from the database: the outbox's state, totals of what the bot
did, the database's size, and the Zalo quota counter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.timestamps import from_db, to_db

__all__ = ["OperationsRepository", "OutboxState", "QuotaCount", "Totals"]


@dataclass(frozen=True, slots=True)
class OutboxState:
    pending: int
    """Rows due now and not yet delivered (or given up)."""
    oldest_due: datetime | None
    scheduled: int
    """Rows waiting for a later send time (scheduled announcements)."""
    failed: int
    unreachable: int


@dataclass(frozen=True, slots=True)
class Totals:
    reminders_enqueued: int
    unreachable_officers: int
    links_issued: dict[str, int]
    links_used: dict[str, int]


@dataclass(frozen=True, slots=True)
class QuotaCount:
    bot_id: str
    month: str
    sent: int
    newly_warned: bool
    """True exactly once a month: when this count crossed the warning level."""


class OperationsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def outbox(self, now: datetime) -> OutboxState:
        row = await self._db.fetchone(
            "SELECT"
            " SUM(status = 'pending' AND not_before <= ?),"
            " MIN(CASE WHEN status = 'pending' AND not_before <= ? THEN not_before END),"
            " SUM(status = 'pending' AND not_before > ?),"
            " SUM(status = 'failed'), SUM(status = 'unreachable')"
            " FROM outbox",
            (to_db(now),) * 3,
        )
        assert row is not None
        return OutboxState(
            pending=int(row[0] or 0),
            oldest_due=from_db(row[1]) if row[1] else None,
            scheduled=int(row[2] or 0),
            failed=int(row[3] or 0),
            unreachable=int(row[4] or 0),
        )

    async def totals(self) -> Totals:
        reminders = await self._db.fetchone(
            "SELECT COUNT(*) FROM reminder_log WHERE status = 'enqueued'"
        )
        unreachable = await self._db.fetchone(
            "SELECT COUNT(DISTINCT i.officer_id) FROM identities i"
            " JOIN officers o ON o.id = i.officer_id"
            " WHERE i.unreachable_at IS NOT NULL AND i.unlinked_at IS NULL"
            " AND o.removed_at IS NULL"
        )
        links = await self._db.fetchall(
            "SELECT kind, COUNT(*) AS issued, COUNT(used_at) AS used FROM links GROUP BY kind"
        )
        return Totals(
            reminders_enqueued=int(reminders[0]) if reminders else 0,
            unreachable_officers=int(unreachable[0]) if unreachable else 0,
            links_issued={r["kind"]: r["issued"] for r in links},
            links_used={r["kind"]: r["used"] for r in links},
        )

    async def database_bytes(self) -> int:
        pages = await self._db.fetchone("PRAGMA page_count")
        size = await self._db.fetchone("PRAGMA page_size")
        return int(pages[0]) * int(size[0]) if pages and size else 0

    async def count_zalo(self, bot_id: str, month: str, messages: int, warn_at: int) -> QuotaCount:
        """Add ``messages`` to the month's count; marks (once) when it reaches ``warn_at``."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO zalo_quota (bot_id, month, sent) VALUES (?, ?, ?)"
                " ON CONFLICT (bot_id, month) DO UPDATE SET sent = sent + excluded.sent",
                (bot_id, month, messages),
            )
            cur = await conn.execute(
                "UPDATE zalo_quota SET warned = 1"
                " WHERE bot_id = ? AND month = ? AND warned = 0 AND sent >= ?",
                (bot_id, month, warn_at),
            )
            newly_warned = cur.rowcount > 0
            cur = await conn.execute(
                "SELECT sent FROM zalo_quota WHERE bot_id = ? AND month = ?", (bot_id, month)
            )
            row = await cur.fetchone()
        return QuotaCount(bot_id, month, int(row[0]) if row else 0, newly_warned)

    async def zalo_counts(self, month: str) -> dict[str, int]:
        """Messages sent this month, per Zalo bot."""
        rows = await self._db.fetchall(
            "SELECT bot_id, sent FROM zalo_quota WHERE month = ? ORDER BY bot_id", (month,)
        )
        return {r["bot_id"]: r["sent"] for r in rows}
