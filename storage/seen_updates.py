"""The de-duplication window of incoming deliveries, kept in the database so that a delivery
repeated after a restart is still recognised. A delivery is remembered by a digest of its key
(never the platform's message id, which may name the sender) and by the hour it came, so the
rows neither name a chat nor line up with the steps of a conversation (a ballot's ticks)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from storage.database import Database, Writes
from storage.timestamps import to_db

__all__ = ["SEEN_WINDOW", "SeenUpdates", "seen_key"]

SEEN_WINDOW = timedelta(days=7)
"""How long a delivery is remembered; platforms repeat within minutes to hours."""


def seen_key(key: str) -> str:
    """What is stored of a delivery's key: a digest, one length for every delivery."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class SeenUpdates:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def first_time(self, channel: str, key: str, now: datetime) -> bool:
        """Remember a delivery; True when it had not been seen before."""
        writes = Writes()
        writes.add(
            "INSERT OR IGNORE INTO seen_updates (channel, update_key, seen_at) VALUES (?, ?, ?)",
            (channel, seen_key(key), to_db(now.replace(minute=0, second=0, microsecond=0))),
        )
        [(added, _row_id)] = await self._db.commit(writes)
        return added > 0
