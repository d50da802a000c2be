"""One-time links: unguessable tokens, stored hashed, bound to a person and a purpose."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage.database import Database, Writes
from storage.timestamps import from_db, to_db
from storage.tokens import new_token, token_hash

__all__ = ["Link", "LinkProblem", "LinkRepository"]


class LinkProblem(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    TRIED = "tried"
    """An upload link whose attempts are all spent, none of them stored."""


@dataclass(frozen=True, slots=True)
class Link:
    token_hash: str
    kind: str
    officer_id: int | None
    deliverable: str | None
    channel: str
    chat_id: str
    sha256: str | None
    file_name: str | None
    mime: str | None
    expires_at: datetime
    cluster_year_id: int | None = None
    """The cluster-year the link was made in (an upload counts there)."""
    attempts: int = 0
    """Uploads begun on it so far."""


class LinkRepository:
    def __init__(self, db: Database, year_id: int) -> None:
        self._db = db
        self._year = year_id
        """The cluster-year every row read or written here belongs to."""

    async def create(
        self,
        kind: str,
        channel: str,
        chat_id: str,
        now: datetime,
        valid_for: timedelta,
        officer_id: int | None = None,
        deliverable: str | None = None,
        sha256: str | None = None,
        file_name: str | None = None,
        mime: str | None = None,
    ) -> str:
        token = new_token()
        await self._db.execute(
            "INSERT INTO links (token_hash, kind, officer_id, deliverable, channel, chat_id,"
            " sha256, file_name, mime, created_at, expires_at, cluster_year_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                token_hash(token),
                kind,
                officer_id,
                deliverable,
                channel,
                chat_id,
                sha256,
                file_name,
                mime,
                to_db(now),
                to_db(now + valid_for),
                self._year,
            ),
        )
        return token

    async def check(self, token: str, kind: str, now: datetime) -> Link | LinkProblem:
        row = await self._db.fetchone(
            "SELECT * FROM links WHERE token_hash = ? AND kind = ?", (token_hash(token), kind)
        )
        if row is None:
            return LinkProblem.UNKNOWN
        if row["used_at"] is not None:
            return LinkProblem.USED
        if from_db(row["expires_at"]) <= now:
            return LinkProblem.EXPIRED
        return Link(
            row["token_hash"],
            row["kind"],
            row["officer_id"],
            row["deliverable"],
            row["channel"],
            row["chat_id"],
            row["sha256"],
            row["file_name"],
            row["mime"],
            from_db(row["expires_at"]),
            row["cluster_year_id"],
            row["attempts"],
        )

    async def attempt(self, link: Link, limit: int) -> LinkProblem | None:
        """Count one more upload begun on the link, if it has one of its ``limit`` attempts
        left and is not used; otherwise why not."""

        def count(conn: sqlite3.Connection) -> LinkProblem | None:
            cur = conn.execute(
                "UPDATE links SET attempts = attempts + 1"
                " WHERE token_hash = ? AND used_at IS NULL AND attempts < ?",
                (link.token_hash, limit),
            )
            if cur.rowcount == 1:
                return None
            row = conn.execute(
                "SELECT used_at FROM links WHERE token_hash = ?", (link.token_hash,)
            ).fetchone()
            return LinkProblem.USED if row is None or row[0] is not None else LinkProblem.TRIED

        return await self._db.atomically(count, Writes())

    async def use(self, link: Link, now: datetime) -> bool:
        """Spend a single-use link; False when somebody spent it first."""
        return await self._db.atomically(lambda conn: self.use_on(conn, link, now), Writes())

    @staticmethod
    def use_on(conn: sqlite3.Connection, link: Link, now: datetime) -> bool:
        """:meth:`use`, inside the caller's transaction (a body of ``Database.atomically``,
        with what the link's use stores)."""
        cur = conn.execute(
            "UPDATE links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
            (to_db(now), link.token_hash),
        )
        return cur.rowcount == 1
