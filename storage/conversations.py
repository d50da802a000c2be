"""The conversation-state store, keyed by the person: (channel, chat id, user id); written
through on every step. In a private chat the user id is the chat id, the default."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.bounded import BoundedMap
from storage.database import Database, Writes
from storage.timestamps import from_db, to_db

__all__ = ["ConversationRepository", "ConversationState"]


@dataclass
class ConversationState:
    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
    started_at: datetime | None = None
    updated_at: datetime | None = None
    expires_at: datetime | None = None

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


Row = tuple[str, str, str, str, str, str]


class ConversationRepository:
    """Read on every message, so the rows of the ``cached`` most recent chats are also kept in
    memory, written through (this process is the only writer); each read builds a fresh state,
    so a handler that fails half-way leaves nothing behind."""

    def __init__(self, db: Database, cached: int = 10_000) -> None:
        self._db = db
        self._cached = cached
        self._rows: BoundedMap[tuple[str, str, str], Row | None] = BoundedMap(cached)

    async def get(
        self, channel: str, chat_id: str, user_id: str | None = None
    ) -> ConversationState | None:
        key = (channel, chat_id, user_id or chat_id)
        if key not in self._rows:
            row = await self._db.fetchone(
                "SELECT flow, step, data, started_at, updated_at, expires_at FROM conversations"
                " WHERE channel = ? AND chat_id = ? AND user_id = ?",
                key,
            )
            cached: Row | None = tuple(row) if row else None  # type: ignore[assignment]
            self._rows[key] = cached
        else:
            cached = self._rows[key]
        if cached is None:
            return None
        flow, step, data, started, updated, expires = cached
        return ConversationState(
            flow=flow,
            step=step,
            data=json.loads(data),
            started_at=from_db(started),
            updated_at=from_db(updated),
            expires_at=from_db(expires),
        )

    async def save(
        self,
        channel: str,
        chat_id: str,
        state: ConversationState,
        now: datetime,
        expires: datetime,
        user_id: str | None = None,
    ) -> None:
        writes = Writes()
        self.save_into(writes, channel, chat_id, state, now, expires, user_id)
        await self._db.commit(writes)

    def save_into(
        self,
        writes: Writes,
        channel: str,
        chat_id: str,
        state: ConversationState,
        now: datetime,
        expires: datetime,
        user_id: str | None = None,
    ) -> None:
        """:meth:`save`, its statement added to ``writes`` (cached once committed)."""
        key = (channel, chat_id, user_id or chat_id)
        started = state.started_at or now
        row = (
            state.flow,
            state.step,
            json.dumps(state.data, ensure_ascii=False),
            to_db(started),
            to_db(now),
            to_db(expires),
        )
        writes.add(
            "INSERT INTO conversations"
            " (channel, chat_id, user_id, flow, step, data, started_at, updated_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel, chat_id, user_id) DO UPDATE SET flow = excluded.flow,"
            " step = excluded.step, data = excluded.data, started_at = excluded.started_at,"
            " updated_at = excluded.updated_at, expires_at = excluded.expires_at",
            (*key, *row),
        )
        writes.on_commit(lambda: self._rows.__setitem__(key, row))
        state.started_at, state.updated_at, state.expires_at = started, now, expires

    async def all(self) -> list[tuple[str, str, str, ConversationState]]:
        """Every stored conversation as (channel, chat id, user id, state)."""
        rows = await self._db.fetchall("SELECT channel, chat_id, user_id FROM conversations")
        found = []
        for row in rows:
            state = await self.get(row["channel"], row["chat_id"], row["user_id"])
            if state is not None:
                found.append((row["channel"], row["chat_id"], row["user_id"], state))
        return found

    async def clear(self, channel: str, chat_id: str, user_id: str | None = None) -> None:
        writes = Writes()
        self.clear_into(writes, channel, chat_id, user_id)
        await self._db.commit(writes)

    def clear_into(
        self, writes: Writes, channel: str, chat_id: str, user_id: str | None = None
    ) -> None:
        """:meth:`clear`, its statement added to ``writes``."""
        key = (channel, chat_id, user_id or chat_id)
        writes.add(
            "DELETE FROM conversations WHERE channel = ? AND chat_id = ? AND user_id = ?", key
        )
        writes.on_commit(lambda: self._rows.__setitem__(key, None))

    async def forget(self, flow: str, **match: str | int) -> None:
        """:meth:`forget_into`, committed at once."""
        writes = Writes()
        self.forget_into(writes, flow, **match)
        await self._db.commit(writes)

    def forget_into(self, writes: Writes, flow: str, **match: str | int) -> None:
        """Delete every person's draft of ``flow`` whose data has the ``match`` values (a
        round's ballot drafts, a unit's): whoever's they are, they are gone once committed."""
        if not all(name.isidentifier() for name in match):
            raise ValueError("draft fields are plain names")
        where = "".join(f" AND json_extract(data, '$.{name}') = ?" for name in match)
        writes.add(f"DELETE FROM conversations WHERE flow = ?{where}", (flow, *match.values()))
        writes.on_commit(self._forget_cached)

    def _forget_cached(self) -> None:
        """Rows were deleted by what they hold, not by person: read them afresh."""
        self._rows = BoundedMap(self._cached)
