"""The cross-inspection rounds of a cluster-year: pairs, the deliverable of the minutes, and the
inspected units' answers; audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.pairing import Pair
from storage.audit import AuditLog
from storage.database import Database
from storage.timestamps import from_db, to_db

__all__ = ["Answer", "InspectionRepository", "InspectionRound"]


@dataclass(frozen=True, slots=True)
class InspectionRound:
    id: int
    deliverable: str
    due: date
    pairs: tuple[Pair, ...]

    def inspector_of(self, unit_code: str) -> str | None:
        return next((p.inspector for p in self.pairs if p.inspected == unit_code), None)

    def inspected_by(self, unit_code: str) -> str | None:
        return next((p.inspected for p in self.pairs if p.inspector == unit_code), None)


@dataclass(frozen=True, slots=True)
class Answer:
    unit_code: str
    text: str
    at: datetime


class InspectionRepository:
    def __init__(self, db: Database, year_id: int) -> None:
        self._db = db
        self._year = year_id

    async def create(
        self, pairs: tuple[Pair, ...], deliverable: str, due: date, officer_id: int, now: datetime
    ) -> int:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO inspection_rounds (cluster_year_id, deliverable, due, created_by,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (self._year, deliverable, due.isoformat(), officer_id, to_db(now)),
            )
            round_id = cur.lastrowid or 0
            await conn.executemany(
                "INSERT INTO inspection_pairs (round_id, inspector, inspected) VALUES (?, ?, ?)",
                [(round_id, p.inspector, p.inspected) for p in pairs],
            )
            await AuditLog.write(
                conn,
                now,
                f"officer:{officer_id}",
                "inspection.created",
                f"inspection:{round_id}",
                cluster_year=self._year,
                pairs=[[p.inspector, p.inspected] for p in pairs],
            )
        return round_id

    async def current(self) -> InspectionRound | None:
        row = await self._db.fetchone(
            "SELECT * FROM inspection_rounds WHERE cluster_year_id = ? ORDER BY id DESC LIMIT 1",
            (self._year,),
        )
        if row is None:
            return None
        pairs = await self._db.fetchall(
            "SELECT inspector, inspected FROM inspection_pairs WHERE round_id = ?"
            " ORDER BY inspector",
            (row["id"],),
        )
        return InspectionRound(
            row["id"],
            row["deliverable"],
            date.fromisoformat(row["due"]),
            tuple(Pair(p[0], p[1]) for p in pairs),
        )

    async def history(self, cluster_id: int) -> tuple[Pair, ...]:
        """The pairs of the cluster's other years (what a new round avoids)."""
        rows = await self._db.fetchall(
            "SELECT p.inspector, p.inspected FROM inspection_pairs p"
            " JOIN inspection_rounds r ON r.id = p.round_id"
            " JOIN cluster_years y ON y.id = r.cluster_year_id"
            " WHERE y.cluster_id = ? AND r.cluster_year_id != ?",
            (cluster_id, self._year),
        )
        return tuple(Pair(r[0], r[1]) for r in rows)

    async def answer(
        self, round_id: int, unit_code: str, officer_id: int, text: str, now: datetime
    ) -> int:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO inspection_answers (round_id, unit_code, officer_id, text, at)"
                " VALUES (?, ?, ?, ?, ?)",
                (round_id, unit_code, officer_id, text, to_db(now)),
            )
            await AuditLog.write(
                conn,
                now,
                f"officer:{officer_id}",
                "inspection.answered",
                f"inspection:{round_id}",
                unit=unit_code,
            )
        return cur.lastrowid or 0

    async def answers(self, round_id: int) -> list[Answer]:
        rows = await self._db.fetchall(
            "SELECT unit_code, text, at FROM inspection_answers WHERE round_id = ? ORDER BY id",
            (round_id,),
        )
        return [Answer(r[0], r[1], from_db(r[2])) for r in rows]
