"""Submissions and their files, versions, and the chair's excused/reopened marks (the records
are the domain's, ``bot.domain.submissions``)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from bot.domain.submissions import Mark, Submission, SubmissionFile
from storage.audit import AuditLog
from storage.database import Database, Writes
from storage.timestamps import from_db, to_db

__all__ = ["Mark", "Submission", "SubmissionFile", "SubmissionRepository"]


class SubmissionRepository:
    def __init__(self, db: Database, year_id: int) -> None:
        self._db = db
        self._year = year_id
        """The cluster-year every row read or written here belongs to."""

    async def create(
        self,
        draft_key: str,
        deliverable: str,
        unit_code: str,
        officer_id: int,
        channel: str,
        received_at: datetime,
        due: date,
        days_late: int,
        note: str,
        files: list[SubmissionFile],
    ) -> int:
        """Store a confirmed submission as the next version; the same draft twice stores once."""
        args = (draft_key, deliverable, unit_code, officer_id, channel, received_at, due)
        rest = (days_late, note, files)
        return await self._db.atomically(
            lambda conn: self.create_on(conn, *args, *rest).id, Writes()
        )

    def create_on(
        self,
        conn: sqlite3.Connection,
        draft_key: str,
        deliverable: str,
        unit_code: str,
        officer_id: int,
        channel: str,
        received_at: datetime,
        due: date,
        days_late: int,
        note: str,
        files: list[SubmissionFile],
    ) -> Submission:
        """:meth:`create`, inside the caller's transaction (a body of ``Database.atomically``,
        with what the submission causes): the submission stored, or the one its draft made."""
        existing = conn.execute(
            "SELECT id FROM submissions WHERE draft_key = ?", (draft_key,)
        ).fetchone()
        if existing is not None:
            return self._select(conn, "s.id = ?", (existing[0],))[0]
        (version,) = conn.execute(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM submissions"
            " WHERE cluster_year_id = ? AND deliverable = ? AND unit_code = ?",
            (self._year, deliverable, unit_code),
        ).fetchone()
        cur = conn.execute(
            "INSERT INTO submissions (cluster_year_id, deliverable, unit_code, version,"
            " officer_id, channel, received_at, due, days_late, note, draft_key)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self._year,
                deliverable,
                unit_code,
                version,
                officer_id,
                channel,
                to_db(received_at),
                due.isoformat(),
                days_late,
                note,
                draft_key,
            ),
        )
        submission_id = cur.lastrowid or 0
        conn.executemany(
            "INSERT INTO submission_files (submission_id, position, sha256, name, size, kind,"
            " pages, caption) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (submission_id, i, f.sha256, f.name, f.size, f.kind, f.pages, f.caption)
                for i, f in enumerate(files, start=1)
            ],
        )
        AuditLog.write_on(
            conn,
            received_at,
            f"officer:{officer_id}",
            "submission.received",
            f"submission:{submission_id}",
            deliverable=deliverable,
            unit=unit_code,
            version=version,
            days_late=days_late,
        )
        return self._select(conn, "s.id = ?", (submission_id,))[0]

    async def history(
        self, deliverable: str | None = None, unit_code: str | None = None
    ) -> list[Submission]:
        """Submissions, oldest version first, optionally for one deliverable and/or unit."""
        return await self._read(
            "(? IS NULL OR s.deliverable = ?) AND (? IS NULL OR s.unit_code = ?)",
            (deliverable, deliverable, unit_code, unit_code),
        )

    async def latest(self) -> dict[tuple[str, str], Submission]:
        """The newest version of every (deliverable, unit), read alone (a unit may have sent
        dozens of versions over a year)."""
        newest = (
            "s.version = (SELECT MAX(t.version) FROM submissions t WHERE t.cluster_year_id ="
            " s.cluster_year_id AND t.deliverable = s.deliverable AND t.unit_code = s.unit_code)"
        )
        return {(s.deliverable, s.unit_code): s for s in await self._read(newest, ())}

    async def _read(self, where: str, params: tuple[object, ...]) -> list[Submission]:
        return await self._db.read(lambda conn: self._select(conn, where, params))

    def _select(
        self, conn: sqlite3.Connection, where: str, params: tuple[object, ...]
    ) -> list[Submission]:
        """On the database thread: the submissions ``where`` holds, with their files."""
        rows = conn.execute(
            "SELECT s.*, o.name AS officer_name FROM submissions s"
            " JOIN officers o ON o.id = s.officer_id"
            f" WHERE s.cluster_year_id = ? AND {where}"
            " ORDER BY s.deliverable, s.unit_code, s.version",
            (self._year, *params),
        ).fetchall()
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        files: dict[int, list[SubmissionFile]] = {}
        for f in conn.execute(
            f"SELECT * FROM submission_files WHERE submission_id IN ({marks})"
            " ORDER BY submission_id, position",
            ids,
        ):
            files.setdefault(f["submission_id"], []).append(
                SubmissionFile(
                    f["sha256"], f["name"], f["size"], f["kind"], f["pages"], f["caption"]
                )
            )
        return [
            Submission(
                id=r["id"],
                deliverable=r["deliverable"],
                unit_code=r["unit_code"],
                version=r["version"],
                officer_id=r["officer_id"],
                officer_name=r["officer_name"],
                channel=r["channel"],
                received_at=from_db(r["received_at"]),
                due=date.fromisoformat(r["due"]),
                days_late=r["days_late"],
                note=r["note"],
                files=tuple(files.get(r["id"], [])),
            )
            for r in rows
        ]

    async def marks(self) -> dict[tuple[str, str], Mark]:
        rows = await self._db.fetchall(
            "SELECT * FROM deliverable_marks WHERE cluster_year_id = ?", (self._year,)
        )
        return {
            (r["deliverable"], r["unit_code"]): Mark(
                r["deliverable"], r["unit_code"], r["status"], r["reason"], from_db(r["at"])
            )
            for r in rows
        }

    async def set_mark(
        self,
        deliverable: str,
        unit_code: str,
        status: str | None,
        reason: str,
        officer_id: int,
        now: datetime,
    ) -> None:
        """Excuse, reopen (``status``) or clear (None) a unit's deliverable, audited."""
        async with self._db.transaction() as conn:
            if status is None:
                await conn.execute(
                    "DELETE FROM deliverable_marks"
                    " WHERE cluster_year_id = ? AND deliverable = ? AND unit_code = ?",
                    (self._year, deliverable, unit_code),
                )
            else:
                await conn.execute(
                    "INSERT INTO deliverable_marks"
                    " (cluster_year_id, deliverable, unit_code, status, reason, officer_id, at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (cluster_year_id, deliverable, unit_code) DO UPDATE"
                    " SET status = excluded.status, reason = excluded.reason,"
                    " officer_id = excluded.officer_id, at = excluded.at",
                    (self._year, deliverable, unit_code, status, reason, officer_id, to_db(now)),
                )
            await AuditLog.write(
                conn,
                now,
                f"officer:{officer_id}",
                f"deliverable.{status or 'cleared'}",
                f"{deliverable}:{unit_code}",
                reason=reason,
            )
