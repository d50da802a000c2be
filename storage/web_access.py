"""The web pages' access: one-time sign-in links, browser sessions with an idle expiry, and the
secret address of each person's calendar feed. Tokens are stored hashed (``storage.tokens``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import aiosqlite

from storage.audit import AuditLog
from storage.database import Database
from storage.timestamps import from_db, to_db
from storage.tokens import new_token, token_hash

__all__ = ["Holder", "SigninProblem", "WebAccessRepository"]


class SigninProblem(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True, slots=True)
class Holder:
    """Who a link, a session or a calendar address belongs to: the officer and the chat
    identity that asked for it."""

    officer_id: int
    channel: str
    user_id: str
    created_at: datetime


def _holder(row: aiosqlite.Row) -> Holder:
    return Holder(row["officer_id"], row["channel"], row["user_id"], from_db(row["created_at"]))


class WebAccessRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # Sign-in links ---------------------------------------------------------------------------

    async def create_signin(self, holder: Holder, valid_for: timedelta) -> str:
        token = new_token()
        await self._db.execute(
            "INSERT INTO web_signin_links (token_hash, officer_id, channel, user_id, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                token_hash(token),
                holder.officer_id,
                holder.channel,
                holder.user_id,
                to_db(holder.created_at),
                to_db(holder.created_at + valid_for),
            ),
        )
        return token

    async def signin(self, token: str, now: datetime) -> Holder | SigninProblem:
        """Whose sign-in link this is, if it can still be used (nothing is spent)."""
        row = await self._db.fetchone(
            "SELECT * FROM web_signin_links WHERE token_hash = ?", (token_hash(token),)
        )
        if row is None:
            return SigninProblem.UNKNOWN
        if row["used_at"] is not None:
            return SigninProblem.USED
        if from_db(row["expires_at"]) <= now:
            return SigninProblem.EXPIRED
        return _holder(row)

    async def open_session(self, token: str, now: datetime) -> str | None:
        """Spend the sign-in link and open its session (audited), in one transaction; None when
        somebody spent the link first."""
        session, key = new_token(), token_hash(token)
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE web_signin_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL"
                " RETURNING officer_id, channel, user_id",
                (to_db(now), key),
            )
            row = await cur.fetchone()
            if row is None:
                return None
            await conn.execute(
                "INSERT INTO web_sessions (token_hash, officer_id, channel, user_id, created_at,"
                " seen_at) VALUES (?, ?, ?, ?, ?, ?)",
                (token_hash(session), row[0], row[1], row[2], to_db(now), to_db(now)),
            )
            await AuditLog.write(conn, now, f"officer:{row[0]}", "web.signed_in")
        return session

    # Sessions --------------------------------------------------------------------------------

    async def session(self, token: str, now: datetime, idle: timedelta) -> Holder | None:
        """The open session's holder, its idle time reset; a session idle for ``idle`` or
        longer is ended and None returned."""
        key = token_hash(token)
        row = await self._db.fetchone(
            "SELECT * FROM web_sessions WHERE token_hash = ? AND ended_at IS NULL", (key,)
        )
        if row is None:
            return None
        if now - from_db(row["seen_at"]) >= idle:
            await self.end_session(token, now)
            return None
        await self._db.execute(
            "UPDATE web_sessions SET seen_at = ? WHERE token_hash = ?", (to_db(now), key)
        )
        return _holder(row)

    async def end_session(self, token: str, now: datetime) -> None:
        await self._db.execute(
            "UPDATE web_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
            (to_db(now), token_hash(token)),
        )

    # Calendar addresses ----------------------------------------------------------------------

    async def renew_calendar(self, holder: Holder) -> str:
        """A new secret calendar address for the officer; their older ones stop working."""
        token = new_token()
        at = to_db(holder.created_at)
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE calendar_tokens SET revoked_at = ? WHERE officer_id = ?"
                " AND revoked_at IS NULL",
                (at, holder.officer_id),
            )
            await conn.execute(
                "INSERT INTO calendar_tokens (token_hash, officer_id, channel, user_id,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (token_hash(token), holder.officer_id, holder.channel, holder.user_id, at),
            )
            await AuditLog.write(
                conn, holder.created_at, f"officer:{holder.officer_id}", "calendar.renewed"
            )
        return token

    async def calendar_since(self, officer_id: int) -> datetime | None:
        """When the officer's working calendar address was made, if they have one."""
        row = await self._db.fetchone(
            "SELECT created_at FROM calendar_tokens WHERE officer_id = ? AND revoked_at IS NULL",
            (officer_id,),
        )
        return from_db(row["created_at"]) if row else None

    async def calendar(self, token: str) -> Holder | None:
        row = await self._db.fetchone(
            "SELECT * FROM calendar_tokens WHERE token_hash = ? AND revoked_at IS NULL",
            (token_hash(token),),
        )
        return _holder(row) if row else None
