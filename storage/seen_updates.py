"""The de-duplication window of incoming deliveries, kept in the database so that a delivery
repeated after a restart is still recognised; each is kept whole until its event's transaction
marks it handled, so that one a crash cut is answered at the next start."""

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

    async def receive(self, channel: str, key: str, payload: str, now: datetime) -> bool:
        """Remember a delivery and keep it until it is handled; True when it had not been seen
        before."""
        writes = Writes()
        writes.add(
            "INSERT OR IGNORE INTO seen_updates (channel, update_key, seen_at, payload)"
            " VALUES (?, ?, ?, ?)",
            (channel, key, to_db(now), payload),
        )
        [(added, _row_id)] = await self._db.commit(writes)
        return added > 0

    @staticmethod
    def handled_into(writes: Writes, channel: str, key: str) -> None:
        """The delivery's event is handled: its statement joins the event's ``writes``."""
        writes.add(
            "UPDATE seen_updates SET payload = NULL"
            " WHERE channel = ? AND update_key = ? AND payload IS NOT NULL",
            (channel, key),
        )

    async def handled(self, channel: str, key: str) -> None:
        """:meth:`handled_into`, committed alone (for an event that wrote nothing)."""
        writes = Writes()
        self.handled_into(writes, channel, key)
        await self._db.commit(writes)

    async def unhandled(self, channel: str) -> list[str]:
        """The kept deliveries of a channel whose events a crash cut, oldest first."""
        rows = await self._db.fetchall(
            "SELECT payload FROM seen_updates WHERE channel = ? AND payload IS NOT NULL"
            " ORDER BY seen_at",
            (channel,),
        )
        return [r["payload"] for r in rows]

    async def purge(self, now: datetime) -> int:
        """Forget deliveries older than the window (a periodic job)."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM seen_updates WHERE seen_at < ?", (to_db(now - SEEN_WINDOW),)
            )
            return cur.rowcount
