"""The scoring tables a cluster-year took from the province's documents, as versions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.domain.cluster import ClusterYear
from bot.domain.scoring_table import ScoringTable
from storage.audit import AuditLog
from storage.database import Database
from storage.timestamps import to_db

__all__ = ["NotApplied", "ScoringTableRepository"]


class NotApplied(StrEnum):
    LOCKED = "locked"
    """The scores are locked: the table can no longer change."""
    SCORED = "scored"
    """A unit has sent its self-score: a new table needs the chair's confirmation."""
    NO_YEAR = "no_year"


class ScoringTableRepository:
    def __init__(self, db: Database, year_id: int) -> None:
        self._db = db
        self._year = year_id
        """The cluster-year every row read or written here belongs to."""

    async def latest_version(self) -> int:
        """The newest applied version (0: the table came with the cluster's folder)."""
        row = await self._db.fetchone(
            "SELECT COALESCE(MAX(version), 0) FROM scoring_versions WHERE cluster_year_id = ?",
            (self._year,),
        )
        return int(row[0]) if row else 0

    async def apply(
        self,
        table: ScoringTable,
        source: str,
        officer_id: int | None,
        actor: str,
        confirmed: bool,
        now: datetime,
    ) -> int | NotApplied:
        """Make ``table`` the cluster-year's scoring table as its next version. Once a unit
        has sent its self-score only a ``confirmed`` table is applied (checked in the same
        transaction as the write, so a sheet sent meanwhile is not overlooked)."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "SELECT 1 FROM score_lock WHERE cluster_year_id = ?", (self._year,)
            )
            if await cur.fetchone():
                return NotApplied.LOCKED
            cur = await conn.execute(
                "SELECT 1 FROM score_sheets WHERE cluster_year_id = ? LIMIT 1", (self._year,)
            )
            after_scores = await cur.fetchone() is not None
            if after_scores and not confirmed:
                return NotApplied.SCORED
            cur = await conn.execute("SELECT data FROM cluster_years WHERE id = ?", (self._year,))
            row = await cur.fetchone()
            if row is None or row["data"] is None:
                return NotApplied.NO_YEAR
            data = ClusterYear.model_validate_json(row["data"]).model_copy(
                update={"scoring": table}
            )
            cur = await conn.execute(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM scoring_versions"
                " WHERE cluster_year_id = ?",
                (self._year,),
            )
            version = int((await cur.fetchone())[0])
            await conn.execute(
                "INSERT INTO scoring_versions (cluster_year_id, version, scoring, source,"
                " officer_id, after_scores, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    self._year,
                    version,
                    table.model_dump_json(),
                    source,
                    officer_id,
                    int(after_scores),
                    to_db(now),
                ),
            )
            await conn.execute(
                "UPDATE cluster_years SET data = ? WHERE id = ?",
                (data.model_dump_json(), self._year),
            )
            await AuditLog.write(
                conn,
                now,
                actor,
                "scoring.applied",
                f"cluster_year:{self._year}",
                version=version,
                source=source,
                after_scores=after_scores,
            )
        return version
