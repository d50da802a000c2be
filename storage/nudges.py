"""The nudges' rows (migration 032): reminders put off to a later day, reports said to have
gone on paper, and the officers who turned their unit's weekly digest off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage.database import Database, Writes
from storage.timestamps import from_db, to_db

__all__ = ["NudgeRepository", "PaperClaim", "Snooze"]


@dataclass(frozen=True, slots=True)
class Snooze:
    deliverable: str
    unit_code: str
    until: date
    woken: bool


@dataclass(frozen=True, slots=True)
class PaperClaim:
    id: int
    deliverable: str
    unit_code: str
    officer_id: int
    claimed_at: datetime
    status: str
    """``pending``, ``confirmed`` or ``refused``."""


class NudgeRepository:
    def __init__(self, db: Database, year_id: int) -> None:
        self._db = db
        self._year = year_id
        """The cluster-year every snooze and paper claim read or written here belongs to."""

    # Snoozes ---------------------------------------------------------------------------------

    async def snooze(
        self, deliverable: str, unit_code: str, until: date, officer_id: int, now: datetime
    ) -> None:
        """The unit's reminders of the report wait until ``until`` (a later snooze replaces)."""
        await self._db.execute(
            "INSERT INTO reminder_snoozes (cluster_year_id, deliverable, unit_code, until_day,"
            " officer_id, created_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (cluster_year_id, deliverable, unit_code) DO UPDATE"
            " SET until_day = excluded.until_day, officer_id = excluded.officer_id,"
            " created_at = excluded.created_at, woken_at = NULL",
            (self._year, deliverable, unit_code, until.isoformat(), officer_id, to_db(now)),
        )

    async def snoozes(self) -> dict[tuple[str, str], Snooze]:
        rows = await self._db.fetchall(
            "SELECT * FROM reminder_snoozes WHERE cluster_year_id = ?", (self._year,)
        )
        return {
            (r["deliverable"], r["unit_code"]): Snooze(
                r["deliverable"],
                r["unit_code"],
                date.fromisoformat(r["until_day"]),
                r["woken_at"] is not None,
            )
            for r in rows
        }

    async def woken(self, deliverable: str, unit_code: str, now: datetime) -> None:
        await self._db.execute(
            "UPDATE reminder_snoozes SET woken_at = ?"
            " WHERE cluster_year_id = ? AND deliverable = ? AND unit_code = ?",
            (to_db(now), self._year, deliverable, unit_code),
        )

    # Paper -----------------------------------------------------------------------------------

    async def claim_paper(
        self, deliverable: str, unit_code: str, officer_id: int, now: datetime
    ) -> PaperClaim:
        """The unit's pending claim of this report (a new one unless one is pending)."""
        found = await self._pending(deliverable, unit_code)
        if found is not None:
            return found
        number = await self._db.execute(
            "INSERT INTO paper_submissions (cluster_year_id, deliverable, unit_code, officer_id,"
            " claimed_at) VALUES (?, ?, ?, ?, ?)",
            (self._year, deliverable, unit_code, officer_id, to_db(now)),
        )
        return PaperClaim(number, deliverable, unit_code, officer_id, now, "pending")

    async def _pending(self, deliverable: str, unit_code: str) -> PaperClaim | None:
        row = await self._db.fetchone(
            "SELECT * FROM paper_submissions WHERE cluster_year_id = ? AND deliverable = ?"
            " AND unit_code = ? AND status = 'pending'",
            (self._year, deliverable, unit_code),
        )
        return _claim(row) if row is not None else None

    async def paper_claim(self, claim_id: int) -> PaperClaim | None:
        row = await self._db.fetchone(
            "SELECT * FROM paper_submissions WHERE cluster_year_id = ? AND id = ?",
            (self._year, claim_id),
        )
        return _claim(row) if row is not None else None

    async def decide_paper(
        self, claim_id: int, confirmed: bool, officer_id: int, now: datetime
    ) -> bool:
        """Confirm or refuse a pending claim; False when it was decided already."""
        status = "confirmed" if confirmed else "refused"
        writes = Writes()
        writes.add(
            "UPDATE paper_submissions SET status = ?, decided_by = ?, decided_at = ?"
            " WHERE cluster_year_id = ? AND id = ? AND status = 'pending'",
            (status, officer_id, to_db(now), self._year, claim_id),
        )
        [(changed, _row)] = await self._db.commit(writes)
        return changed > 0

    # The weekly digest -----------------------------------------------------------------------

    async def digest_off(self) -> set[int]:
        """The officers who turned their unit's weekly digest off (of any cluster-year)."""
        rows = await self._db.fetchall("SELECT officer_id FROM digest_optouts")
        return {r["officer_id"] for r in rows}

    async def set_digest(self, officer_id: int, wanted: bool, now: datetime) -> None:
        if wanted:
            await self._db.execute("DELETE FROM digest_optouts WHERE officer_id = ?", (officer_id,))
        else:
            await self._db.execute(
                "INSERT OR IGNORE INTO digest_optouts (officer_id, at) VALUES (?, ?)",
                (officer_id, to_db(now)),
            )


def _claim(r: aiosqlite.Row) -> PaperClaim:
    return PaperClaim(
        r["id"],
        r["deliverable"],
        r["unit_code"],
        r["officer_id"],
        from_db(r["claimed_at"]),
        r["status"],
    )
