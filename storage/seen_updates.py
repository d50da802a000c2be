"""The de-duplication window of incoming deliveries, kept in the database so that a delivery
repeated after a restart is still recognised."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.database import Database, Writes
from storage.timestamps import to_db

__all__ = ["SEEN_WINDOW", "SeenUpdates"]

SEEN_WINDOW = timedelta(days=7)
"""How long a delivery is remembered; platforms repeat within minutes to hours."""


class SeenUpdates:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def first_time(self, channel: str, key: str, now: datetime) -> bool:
        """Remember a delivery; True when it had not been seen before."""
        writes = Writes()
        writes.add(
            "INSERT OR IGNORE INTO seen_updates (channel, update_key, seen_at) VALUES (?, ?, ?)",
            (channel, key, to_db(now)),
        )
        [(added, _row_id)] = await self._db.commit(writes)
        return added > 0
