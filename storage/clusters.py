"""Clusters, units and cluster-years: what was a folder is rows, kept for every year."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.cluster import ClusterYear, Plan
from storage.audit import AuditLog
from storage.database import Database
from storage.timestamps import from_db, to_db

__all__ = ["ClusterRepository", "YearRecord", "YearStatus"]


class YearStatus:
    PENDING = "pending"
    """Cluster-year 1 of an upgraded database, until the configured folder fills it."""
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class YearRecord:
    """One cluster-year as stored: its id is what every year-scoped row carries."""

    id: int
    cluster_id: int
    cluster_key: str
    year: int
    status: str
    data: ClusterYear
    flagged: tuple[int, ...] = ()
    """Task numbers of a plan carried forward that the new chair has not confirmed yet."""
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status == YearStatus.OPEN

    @property
    def units(self) -> frozenset[str]:
        return frozenset(u.code for u in self.data.cluster.units)


class ClusterRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def pending(self) -> list[int]:
        rows = await self._db.fetchall(
            "SELECT id FROM cluster_years WHERE status = ? ORDER BY id", (YearStatus.PENDING,)
        )
        return [r["id"] for r in rows]

    async def years(self) -> list[YearRecord]:
        rows = await self._db.fetchall(
            "SELECT y.*, c.key AS cluster_key FROM cluster_years y JOIN clusters c"
            " ON c.id = y.cluster_id WHERE y.status != ? ORDER BY c.id, y.year",
            (YearStatus.PENDING,),
        )
        return [
            YearRecord(
                id=r["id"],
                cluster_id=r["cluster_id"],
                cluster_key=r["cluster_key"],
                year=r["year"],
                status=r["status"],
                data=ClusterYear.model_validate_json(r["data"]),
                flagged=tuple(json.loads(r["flagged"])),
                closed_at=from_db(r["closed_at"]) if r["closed_at"] else None,
            )
            for r in rows
        ]

    async def save_year(
        self,
        data: ClusterYear,
        source: str,
        actor: str,
        now: datetime,
        fill: int | None = None,
        flagged: tuple[int, ...] = (),
    ) -> tuple[int, bool]:
        """Add or update the cluster-year ``data`` describes (its cluster and units too);
        ``fill`` names the pending cluster-year of an upgrade to fill. Returns (id, created)."""
        async with self._db.transaction() as conn:
            year_id, created = await _save_year(conn, data, source, now, fill, flagged)
            await AuditLog.write(
                conn,
                now,
                actor,
                "cluster_year.imported" if created else "cluster_year.updated",
                f"cluster_year:{year_id}",
                cluster=data.cluster.name,
                year=data.cluster.year,
                source=source,
            )
            if fill is not None:
                await _attach_upgraded(conn, year_id)
        return year_id, created

    async def hand_over(
        self, old_id: int, new: ClusterYear, flagged: tuple[int, ...], actor: str, now: datetime
    ) -> int:
        """Open the next cluster-year and close the old one, in one transaction."""
        async with self._db.transaction() as conn:
            new_id, _created = await _save_year(conn, new, f"handover:{old_id}", now, None, flagged)
            await conn.execute(
                "UPDATE cluster_years SET status = ?, closed_at = ? WHERE id = ?",
                (YearStatus.CLOSED, to_db(now), old_id),
            )
            await AuditLog.write(
                conn,
                now,
                actor,
                "cluster_year.handed_over",
                f"cluster_year:{old_id}",
                next=new_id,
                chair=new.cluster.chair,
                deputy=new.cluster.deputy,
                year=new.cluster.year,
            )
        return new_id

    async def set_status(self, year_id: int, status: str, actor: str, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE cluster_years SET status = ?, closed_at = ? WHERE id = ?",
                (status, to_db(now) if status == YearStatus.CLOSED else None, year_id),
            )
            await AuditLog.write(
                conn, now, actor, f"cluster_year.{status}", f"cluster_year:{year_id}"
            )

    async def set_plan(
        self, year_id: int, plan: Plan, flagged: tuple[int, ...] = ()
    ) -> ClusterYear | None:
        """Make ``plan`` the plan of a cluster-year (a confirmed import, or confirmed rows)."""
        async with self._db.transaction() as conn:
            cur = await conn.execute("SELECT data FROM cluster_years WHERE id = ?", (year_id,))
            row = await cur.fetchone()
            if row is None or row["data"] is None:
                return None
            data = ClusterYear.model_validate_json(row["data"]).model_copy(update={"plan": plan})
            await conn.execute(
                "UPDATE cluster_years SET data = ?, flagged = ? WHERE id = ?",
                (data.model_dump_json(), json.dumps(list(flagged)), year_id),
            )
        return data


async def _save_year(
    conn: aiosqlite.Connection,
    data: ClusterYear,
    source: str,
    now: datetime,
    fill: int | None,
    flagged: tuple[int, ...],
) -> tuple[int, bool]:
    cluster = data.cluster
    await conn.execute(
        "INSERT INTO clusters (key, name, province, kind, created_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET name = excluded.name, province = excluded.province,"
        " kind = excluded.kind",
        (cluster.key, cluster.name, cluster.province, cluster.kind.value, to_db(now)),
    )
    cur = await conn.execute("SELECT id FROM clusters WHERE key = ?", (cluster.key,))
    cluster_id = (await cur.fetchone())[0]
    await conn.executemany(
        "INSERT INTO units (code, name, kind) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE"
        " SET name = excluded.name, kind = excluded.kind",
        [(u.code, u.name, u.kind.value) for u in cluster.units],
    )
    cur = await conn.execute(
        "SELECT id FROM cluster_years WHERE cluster_id = ? AND year = ?",
        (cluster_id, cluster.year),
    )
    found = await cur.fetchone()
    year_id = fill if found is None else found[0]
    created = found is None and fill is None
    values = (
        cluster_id,
        cluster.year,
        cluster.chair,
        cluster.deputy,
        data.model_dump_json(),
        source,
        json.dumps(list(flagged)),
    )
    if year_id is None:
        cur = await conn.execute(
            "INSERT INTO cluster_years (cluster_id, year, chair, deputy, data, source, flagged,"
            " status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, YearStatus.OPEN, to_db(now)),
        )
        year_id = cur.lastrowid or 0
    else:
        await conn.execute(
            "UPDATE cluster_years SET cluster_id = ?, year = ?, chair = ?, deputy = ?, data = ?,"
            " source = ?, flagged = ?,"
            " status = CASE status WHEN 'pending' THEN 'open' ELSE status END WHERE id = ?",
            (*values, year_id),
        )
    await conn.execute("DELETE FROM cluster_year_units WHERE cluster_year_id = ?", (year_id,))
    await conn.executemany(
        "INSERT INTO cluster_year_units (cluster_year_id, unit_code) VALUES (?, ?)",
        [(year_id, u.code) for u in cluster.units],
    )
    return year_id, created


async def _attach_upgraded(conn: aiosqlite.Connection, year_id: int) -> None:
    """Rows of before that are cluster-wide (groups, observers) join the upgraded cluster."""
    cur = await conn.execute("SELECT cluster_id FROM cluster_years WHERE id = ?", (year_id,))
    cluster_id = (await cur.fetchone())[0]
    for table in ("cluster_groups", "officers", "invitations"):
        await conn.execute(
            f"UPDATE {table} SET cluster_id = ? WHERE cluster_id IS NULL", (cluster_id,)
        )
