"""The durable outbox: proactive messages as rows with a unique key, drained by the sender."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NewType

from storage.database import Database, Writes
from storage.timestamps import from_db, to_db

__all__ = ["KeyPrefix", "OutboxRepository", "OutboxRow"]

KeyPrefix = NewType("KeyPrefix", str)
"""The start that a family of outbox keys shares (every recipient of one announcement, one
cluster-year's rows); made by ``bot.delivery.outbox_keys``, which knows how keys are built."""


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    key: str
    channel: str
    chat_id: str
    is_group: bool
    officer_id: int | None
    payload: str
    attempts: int
    gathered: bool = False
    """It may share one message with the other gathered rows of its chat."""


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def commit(self, writes: Writes) -> list[tuple[int, int]]:
        """Commit rows added by :meth:`add_into` (and whatever else ``writes`` holds)."""
        return await self._db.commit(writes)

    @staticmethod
    def add_into(
        writes: Writes,
        key: str,
        channel: str,
        chat_id: str,
        payload: str,
        now: datetime,
        not_before: datetime,
        officer_id: int | None = None,
        is_group: bool = False,
        gathered: bool = False,
    ) -> None:
        """Queue a row unless its key exists, its statement added to ``writes``."""
        writes.add(
            "INSERT OR IGNORE INTO outbox (key, channel, chat_id, is_group, officer_id,"
            " payload, not_before, created_at, gathered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                channel,
                chat_id,
                int(is_group),
                officer_id,
                payload,
                to_db(not_before),
                to_db(now),
                int(gathered),
            ),
        )

    async def due(
        self, channel: str, now: datetime, skip: Collection[str] = (), limit: int = 500
    ) -> list[OutboxRow]:
        """The pending rows due by ``now``, oldest first, but those to the chats in ``skip``."""
        return await self._rows(
            "status = 'pending' AND channel = ? AND not_before <= ?"
            " AND chat_id NOT IN (SELECT value FROM json_each(?)) ORDER BY not_before, id LIMIT ?",
            (channel, to_db(now), json.dumps([*skip]), limit),
        )

    async def gathered_with(
        self, row: OutboxRow, leave: Collection[int], limit: int = 100
    ) -> list[OutboxRow]:
        """The other pending gathered rows of ``row``'s chat, due or not, oldest first, but
        those in ``leave``."""
        return await self._rows(
            "status = 'pending' AND gathered = 1 AND channel = ? AND chat_id = ? AND id != ?"
            " AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?",
            (row.channel, row.chat_id, row.id, json.dumps([*leave]), limit),
        )

    async def _rows(self, selection: str, params: tuple[Any, ...]) -> list[OutboxRow]:
        """The rows of ``SELECT ... FROM outbox WHERE <selection>`` (its order and limit too)."""
        rows = await self._db.fetchall(
            "SELECT id, key, channel, chat_id, is_group, officer_id, payload, attempts, gathered"
            f" FROM outbox WHERE {selection}",
            params,
        )
        return [
            OutboxRow(
                r["id"],
                r["key"],
                r["channel"],
                r["chat_id"],
                bool(r["is_group"]),
                r["officer_id"],
                r["payload"],
                r["attempts"],
                bool(r["gathered"]),
            )
            for r in rows
        ]

    async def next_gathered(
        self, channel: str, chat_id: str, now: datetime, interval: timedelta
    ) -> datetime:
        """When a new gathered row of this chat may go: with the one still waiting, or
        ``interval`` after the last one went (or falls due, as it may be going now)."""
        return await self._db.read(
            lambda conn: self.next_gathered_on(conn, channel, chat_id, now, interval)
        )

    @staticmethod
    def next_gathered_on(
        conn: sqlite3.Connection, channel: str, chat_id: str, now: datetime, interval: timedelta
    ) -> datetime:
        """:meth:`next_gathered` on the database thread (inside an event's transaction)."""
        row = conn.execute(
            "SELECT status, not_before, sent_at FROM outbox"
            " WHERE channel = ? AND chat_id = ? AND gathered = 1 ORDER BY id DESC LIMIT 1",
            (channel, chat_id),
        ).fetchone()
        if row is None:
            return now
        if row["status"] == "pending":
            waiting = from_db(row["not_before"])
            return waiting if waiting > now else now + interval
        if row["status"] == "sent" and row["sent_at"]:
            return max(now, from_db(row["sent_at"]) + interval)
        return now

    async def pending(self, now: datetime) -> int:
        """How many rows are due and not yet delivered (or given up)."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND not_before <= ?",
            (to_db(now),),
        )
        return int(row[0]) if row else 0

    async def mark_sent(self, row_ids: Sequence[int], message_id: str, now: datetime) -> None:
        """The rows went as the message ``message_id`` (several when gathered into one)."""
        await self._db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?,"
            " attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(?))",
            (to_db(now), message_id, json.dumps([*row_ids])),
        )

    async def mark_retry(self, row_id: int, error: str) -> int:
        """Count a failed attempt; returns the attempts made so far."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                (error, row_id),
            )
            cur = await conn.execute("SELECT attempts FROM outbox WHERE id = ?", (row_id,))
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def close(self, row_id: int, status: str, error: str) -> None:
        """End a row that will not be delivered: 'failed', 'unreachable' or 'cancelled'."""
        await self._db.execute(
            "UPDATE outbox SET status = ?, last_error = ? WHERE id = ?", (status, error, row_id)
        )

    async def cancel_prefix(self, key_prefix: KeyPrefix) -> int:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND key LIKE ?",
                (f"{key_prefix}%",),
            )
            return cur.rowcount

    async def statuses(self, key_prefix: KeyPrefix) -> dict[str, int]:
        rows = await self._db.fetchall(
            "SELECT status, COUNT(*) AS n FROM outbox WHERE key LIKE ? GROUP BY status",
            (f"{key_prefix}%",),
        )
        return {r["status"]: r["n"] for r in rows}

    async def find(self, key: str) -> tuple[str, str, str | None] | None:
        """(channel, chat id, platform message id once sent) of a row."""
        row = await self._db.fetchone(
            "SELECT channel, chat_id, message_id FROM outbox WHERE key = ?", (key,)
        )
        return (row["channel"], row["chat_id"], row["message_id"]) if row else None

    async def settle(self, key: str, now: datetime) -> None:
        """A pending row whose message went out another way is marked sent."""
        await self._db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ? WHERE key = ? AND status = 'pending'",
            (to_db(now), key),
        )

    async def release(self, key: str, now: datetime) -> None:
        """A pending row held back for later is due now."""
        await self._db.execute(
            "UPDATE outbox SET not_before = ? WHERE key = ? AND status = 'pending'",
            (to_db(now), key),
        )

    async def release_prefix(self, key_prefix: KeyPrefix, now: datetime) -> int:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE outbox SET not_before = ? WHERE status = 'pending' AND key LIKE ?"
                " AND not_before > ?",
                (to_db(now), f"{key_prefix}%", to_db(now)),
            )
            return cur.rowcount

    async def undelivered(self, key_prefix: KeyPrefix) -> list[tuple[str, str, int | None]]:
        """(channel, chat id, officer id) of the rows that will not be delivered."""
        rows = await self._db.fetchall(
            "SELECT channel, chat_id, officer_id FROM outbox WHERE key LIKE ?"
            " AND status IN ('unreachable', 'failed')",
            (f"{key_prefix}%",),
        )
        return [(r["channel"], r["chat_id"], r["officer_id"]) for r in rows]
