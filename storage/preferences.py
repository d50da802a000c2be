"""Per-user preferences (the language), who has written before, and small installation facts."""

from __future__ import annotations

from datetime import datetime

from bot.domain.bounded import BoundedMap
from storage.database import Database, Writes
from storage.timestamps import to_db

__all__ = ["MetaRepository", "PreferenceRepository"]


class PreferenceRepository:
    """Read on every message, so the ``cached`` most recent users' are kept in memory too (this
    process is the only writer)."""

    def __init__(self, db: Database, cached: int = 10_000) -> None:
        self._db = db
        self._cache: BoundedMap[tuple[str, str], str | None] = BoundedMap(cached)
        self._seen: BoundedMap[tuple[str, str], bool] = BoundedMap(cached)

    async def language(self, channel: str, user_id: str) -> str | None:
        key = (channel, user_id)
        if key in self._cache:
            return self._cache[key]
        row = await self._db.fetchone(
            "SELECT language FROM user_prefs WHERE channel = ? AND user_id = ?", key
        )
        language = row["language"] if row else None
        self._cache[key] = language
        return language

    async def set_language(self, channel: str, user_id: str, language: str) -> None:
        self._cache[(channel, user_id)] = language
        await self._db.execute(
            "INSERT INTO user_prefs (channel, user_id, language) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, user_id) DO UPDATE SET language = excluded.language",
            (channel, user_id, language),
        )

    async def seen(self, channel: str, user_id: str) -> bool:
        """Whether this chat identity has written to the bot before (remembered once known)."""
        key = (channel, user_id)
        if key in self._seen:
            return True
        row = await self._db.fetchone(
            "SELECT 1 FROM first_contacts WHERE channel = ? AND user_id = ?", key
        )
        if row is not None:
            self._seen[key] = True
        return row is not None

    def first_contact_into(self, writes: Writes, channel: str, user_id: str, now: datetime) -> None:
        writes.add(
            "INSERT OR IGNORE INTO first_contacts (channel, user_id, at) VALUES (?, ?, ?)",
            (channel, user_id, to_db(now)),
        )

        def remember() -> None:
            self._seen[(channel, user_id)] = True

        writes.on_commit(remember)


class MetaRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        row = await self._db.fetchone("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else None

    async def set(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
