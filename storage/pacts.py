"""The emulation pact of a cluster-year and the member units' signatures, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage.audit import AuditLog
from storage.database import Database
from storage.timestamps import from_db, to_db

__all__ = ["Pact", "PactRepository", "Signature"]


@dataclass(frozen=True, slots=True)
class Pact:
    id: int
    text: str
    sha256: str | None
    file_name: str | None
    mime: str | None
    due: date
    created_by: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Signature:
    unit_code: str
    officer_id: int
    officer_name: str
    channel: str
    at: datetime


class PactRepository:
    def __init__(self, db: Database, year_id: int) -> None:
        self._db = db
        self._year = year_id

    async def create(
        self,
        text: str,
        file: tuple[str, str, str] | None,
        due: date,
        officer_id: int,
        now: datetime,
    ) -> int:
        sha, name, mime = file or (None, None, None)
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO pacts (cluster_year_id, text, sha256, file_name, mime, due,"
                " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (self._year, text, sha, name, mime, due.isoformat(), officer_id, to_db(now)),
            )
            pact_id = cur.lastrowid or 0
            await AuditLog.write(
                conn,
                now,
                f"officer:{officer_id}",
                "pact.sent",
                f"pact:{pact_id}",
                cluster_year=self._year,
                due=due.isoformat(),
            )
        return pact_id

    async def current(self) -> Pact | None:
        """The year's pact (the newest, if the chair sent it again)."""
        row = await self._db.fetchone(
            "SELECT * FROM pacts WHERE cluster_year_id = ? ORDER BY id DESC LIMIT 1",
            (self._year,),
        )
        if row is None:
            return None
        return Pact(
            row["id"],
            row["text"],
            row["sha256"],
            row["file_name"],
            row["mime"],
            date.fromisoformat(row["due"]),
            row["created_by"],
            from_db(row["created_at"]),
        )

    async def sign(
        self, pact_id: int, unit_code: str, officer_id: int, channel: str, now: datetime
    ) -> bool:
        """Record a unit's confirmation; False when the unit had signed already (or the pact is
        not this year's)."""
        async with self._db.transaction() as conn:
            return await self.sign_in(conn, pact_id, unit_code, officer_id, channel, now)

    async def sign_in(
        self,
        conn: aiosqlite.Connection,
        pact_id: int,
        unit_code: str,
        officer_id: int,
        channel: str,
        now: datetime,
    ) -> bool:
        """:meth:`sign`, inside the caller's transaction (with the chair's notice)."""
        cur = await conn.execute(
            "INSERT OR IGNORE INTO pact_signatures"
            " (pact_id, unit_code, officer_id, channel, at) SELECT id, ?, ?, ?, ?"
            " FROM pacts WHERE id = ? AND cluster_year_id = ?",
            (unit_code, officer_id, channel, to_db(now), pact_id, self._year),
        )
        if cur.rowcount == 0:
            return False
        await AuditLog.write(
            conn,
            now,
            f"officer:{officer_id}",
            "pact.signed",
            f"pact:{pact_id}",
            unit=unit_code,
            channel=channel,
        )
        return True

    async def signatures(self, pact_id: int) -> dict[str, Signature]:
        rows = await self._db.fetchall(
            "SELECT s.*, o.name AS officer_name FROM pact_signatures s"
            " JOIN officers o ON o.id = s.officer_id JOIN pacts p ON p.id = s.pact_id"
            " WHERE s.pact_id = ? AND p.cluster_year_id = ? ORDER BY s.at",
            (pact_id, self._year),
        )
        return {
            r["unit_code"]: Signature(
                r["unit_code"], r["officer_id"], r["officer_name"], r["channel"], from_db(r["at"])
            )
            for r in rows
        }
