"""The de-duplication window of incoming deliveries, kept in the database so that a delivery
repeated after a restart is still recognised; each is kept whole until its event's transaction
marks it handled, so that one a crash cut is answered at the next start. A delivery is
remembered by a digest of its key (never the platform's message id, which may name the sender)
and by the hour it came, so the rows neither name a chat nor line up with the steps of a
conversation (a ballot's ticks); the kept payload is cleared in the event's own commit."""

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

    async def receive(self, channel: str, key: str, payload: str, now: datetime) -> bool:
        """Remember a delivery and keep it until it is handled; True when it had not been seen
        before."""
        writes = Writes()
        writes.add(
            "INSERT OR IGNORE INTO seen_updates (channel, update_key, seen_at, payload)"
            " VALUES (?, ?, ?, ?)",
            (
                channel,
                seen_key(key),
                to_db(now.replace(minute=0, second=0, microsecond=0)),
                payload,
            ),
        )
        [(added, _row_id)] = await self._db.commit(writes)
        return added > 0

    @staticmethod
    def handled_into(writes: Writes, channel: str, key: str) -> None:
        """The delivery's event is handled: its statement joins the event's ``writes``."""
        writes.add(
            "UPDATE seen_updates SET payload = NULL"
            " WHERE channel = ? AND update_key = ? AND payload IS NOT NULL",
            (channel, seen_key(key)),
        )

    async def handled(self, channel: str, key: str) -> None:
        """:meth:`handled_into`, committed alone (for an event that wrote nothing)."""
        writes = Writes()
        self.handled_into(writes, channel, key)
        await self._db.commit(writes)

    async def unhandled(self, channel: str) -> list[str]:
        """The kept deliveries of a channel whose events a crash cut, oldest hour first."""
        rows = await self._db.fetchall(
            "SELECT payload FROM seen_updates WHERE channel = ? AND payload IS NOT NULL"
            " ORDER BY seen_at",
            (channel,),
        )
        return [r["payload"] for r in rows]
