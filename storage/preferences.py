"""Per-user preferences (today: the language) and small installation facts."""

from __future__ import annotations

from bot.domain.bounded import BoundedMap
from storage.database import Database

__all__ = ["MetaRepository", "PreferenceRepository"]


class PreferenceRepository:
    """Read on every message, so the ``cached`` most recent users' are kept in memory too (this
    process is the only writer)."""

    def __init__(self, db: Database, cached: int = 10_000) -> None:
        self._db = db
        self._cache: BoundedMap[tuple[str, str], str | None] = BoundedMap(cached)

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
