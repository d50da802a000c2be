"""Self-score sheets (versions), the chair's reviews and lock, explanations, award decisions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime

from bot.domain.score_sheet import (
    Review,
    ScoreSheet,
    SheetEntries,
    entries_from_json,
    entries_to_json,
)
from storage.audit import AuditLog
from storage.database import Database, Writes
from storage.timestamps import from_db, to_db

__all__ = ["Review", "ScoreRepository", "ScoreSheet"]


class ScoreRepository:
    def __init__(self, db: Database, year_id: int) -> None:
        self._db = db
        self._year = year_id
        """The cluster-year every row read or written here belongs to."""

    async def submit(
        self,
        unit_code: str,
        officer_id: int,
        entries: SheetEntries,
        now: datetime,
        told: Callable[[sqlite3.Connection, Writes, int], None] | None = None,
    ) -> int | None:
        """Store a new version; None when the scores are locked. ``told`` adds, on the
        database thread, what the version causes (its notices) to the same transaction."""
        stored = json.dumps(entries_to_json(entries), ensure_ascii=False)
        writes = Writes()

        def store(conn: sqlite3.Connection) -> int | None:
            if conn.execute(
                "SELECT 1 FROM score_lock WHERE cluster_year_id = ?", (self._year,)
            ).fetchone():
                return None
            (version,) = conn.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM score_sheets"
                " WHERE cluster_year_id = ? AND unit_code = ?",
                (self._year, unit_code),
            ).fetchone()
            conn.execute(
                "INSERT INTO score_sheets"
                " (cluster_year_id, unit_code, version, officer_id, submitted_at, entries)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (self._year, unit_code, version, officer_id, to_db(now), stored),
            )
            AuditLog.write_on(
                conn,
                now,
                f"officer:{officer_id}",
                "score.submitted",
                f"unit:{unit_code}",
                version=version,
            )
            if told is not None:
                told(conn, writes, int(version))
            return int(version)

        return await self._db.atomically(store, writes)

    async def latest(self) -> dict[str, ScoreSheet]:
        rows = await self._db.fetchall(
            "SELECT s.* FROM score_sheets s JOIN (SELECT unit_code, MAX(version) AS v"
            " FROM score_sheets WHERE cluster_year_id = ? GROUP BY unit_code) m"
            " ON m.unit_code = s.unit_code AND m.v = s.version WHERE s.cluster_year_id = ?",
            (self._year, self._year),
        )
        return {
            r["unit_code"]: ScoreSheet(
                r["unit_code"],
                r["version"],
                r["officer_id"],
                from_db(r["submitted_at"]),
                entries_from_json(json.loads(r["entries"])),
            )
            for r in rows
        }

    async def review(
        self,
        unit_code: str,
        criterion: str,
        old: float,
        new: float,
        reason: str,
        officer_id: int,
        now: datetime,
    ) -> bool:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "SELECT 1 FROM score_lock WHERE cluster_year_id = ?", (self._year,)
            )
            if await cur.fetchone():
                return False
            await conn.execute(
                "INSERT INTO score_reviews"
                " (cluster_year_id, unit_code, criterion, points, reason, officer_id, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self._year, unit_code, criterion, new, reason, officer_id, to_db(now)),
            )
            await AuditLog.write(
                conn,
                now,
                f"officer:{officer_id}",
                "score.reviewed",
                f"unit:{unit_code}",
                criterion=criterion,
                old=old,
                new=new,
                reason=reason,
            )
        return True

    async def reviews(self) -> dict[tuple[str, str], Review]:
        """The newest review of each (unit, criterion)."""
        rows = await self._db.fetchall(
            "SELECT * FROM score_reviews WHERE cluster_year_id = ? ORDER BY id", (self._year,)
        )
        return {
            (r["unit_code"], r["criterion"]): Review(
                r["unit_code"], r["criterion"], r["points"], r["reason"], from_db(r["at"])
            )
            for r in rows
        }

    async def explain(
        self, unit_code: str, criterion: str, text: str, officer_id: int, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO score_explanations"
                " (cluster_year_id, unit_code, criterion, text, officer_id, at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (self._year, unit_code, criterion, text, officer_id, to_db(now)),
            )
            await AuditLog.write(
                conn,
                now,
                f"officer:{officer_id}",
                "score.explained",
                f"unit:{unit_code}",
                criterion=criterion,
            )

    async def explanations(self) -> dict[tuple[str, str], str]:
        rows = await self._db.fetchall(
            "SELECT * FROM score_explanations WHERE cluster_year_id = ? ORDER BY id", (self._year,)
        )
        return {(r["unit_code"], r["criterion"]): r["text"] for r in rows}

    async def locked(self) -> bool:
        found = await self._db.fetchone(
            "SELECT 1 FROM score_lock WHERE cluster_year_id = ?", (self._year,)
        )
        return found is not None

    async def lock(self, officer_id: int, now: datetime, early_reason: str = "") -> bool:
        """Lock the year's scores, audited (with the chair's reason when it came early)."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO score_lock (cluster_year_id, officer_id, at)"
                " VALUES (?, ?, ?)",
                (self._year, officer_id, to_db(now)),
            )
            if cur.rowcount:
                detail = {"early_reason": early_reason} if early_reason else {}
                await AuditLog.write(
                    conn,
                    now,
                    f"officer:{officer_id}",
                    "score.locked_early" if early_reason else "score.locked",
                    f"cluster_year:{self._year}",
                    **detail,
                )
            return cur.rowcount > 0

    async def decide(self, unit_code: str, award: str, officer_id: int, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO award_decisions (cluster_year_id, unit_code, award, officer_id, at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (cluster_year_id, unit_code) DO UPDATE"
                " SET award = excluded.award, officer_id = excluded.officer_id, at = excluded.at",
                (self._year, unit_code, award, officer_id, to_db(now)),
            )
            await AuditLog.write(
                conn,
                now,
                f"officer:{officer_id}",
                "award.decided",
                f"unit:{unit_code}",
                award=award,
            )

    async def decisions(self) -> dict[str, str]:
        rows = await self._db.fetchall(
            "SELECT unit_code, award FROM award_decisions WHERE cluster_year_id = ?", (self._year,)
        )
        return {r["unit_code"]: r["award"] for r in rows}
