"""Clusters, units and cluster-years: what was a folder is rows, kept for every year."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite
from pydantic import ValidationError

from bot.domain.cluster import ClusterYear, Plan, Unit, UnitKind
from bot.domain.cluster_checks import StoredYear
from bot.domain.listed_officers import ListedOfficer
from storage.audit import AuditLog
from storage.database import Database
from storage.listed_officers import replace_listed
from storage.timestamps import from_db, to_db

__all__ = [
    "GENERATION_KEY",
    "ClusterRepository",
    "UnreadableYear",
    "YearRecord",
    "YearStatus",
]

GENERATION_KEY = "clusters.generation"
"""The meta row every change to clusters, units or cluster-years counts up in the same
transaction: a running bot re-reads them when it moves (``YearRegistry.refresh``)."""
DISPOSABLE = ("cluster_year_units", "listed_officers", "reminder_log", "plan_versions")
"""What a removed cluster-year takes with it; rows in any other table that names a cluster-year
(submissions, scores, votes, marks …) are work, and refuse the removal."""


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


class UnreadableYear(Exception):
    """A stored cluster-year whose data is no longer valid (edited by hand, or written before a
    check existed): ``cumthidua check-config`` names its field."""

    def __init__(self, key: str, year: int, error: ValidationError) -> None:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in error.errors())
        super().__init__(f"{key} {year}: {fields}")
        self.key, self.year, self.fields = key, year, fields


async def _bump(conn: aiosqlite.Connection) -> None:
    await conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, '1')"
        " ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        (GENERATION_KEY,),
    )


class ClusterRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def generation(self) -> str:
        row = await self._db.fetchone("SELECT value FROM meta WHERE key = ?", (GENERATION_KEY,))
        return row["value"] if row else "0"

    async def units(self) -> dict[str, Unit]:
        """Every unit of the installation, by code."""
        rows = await self._db.fetchall("SELECT code, name, kind FROM units")
        return {
            r["code"]: Unit(code=r["code"], name=r["name"], kind=UnitKind(r["kind"])) for r in rows
        }

    async def stored(self) -> list[StoredYear]:
        """Every cluster-year's data as stored, unchecked (``check-config`` checks it)."""
        rows = await self._db.fetchall(
            "SELECT c.key, y.year, y.data FROM cluster_years y JOIN clusters c"
            " ON c.id = y.cluster_id WHERE y.data IS NOT NULL ORDER BY c.id, y.year"
        )
        return [StoredYear(r["key"], r["year"], r["data"]) for r in rows]

    async def save_years(
        self,
        datas: Sequence[ClusterYear],
        source: str,
        actor: str,
        now: datetime,
        listed: Mapping[tuple[str, int], Sequence[ListedOfficer]] | None = None,
        action: str | None = None,
    ) -> list[int]:
        """Add or update several cluster-years, and make ``listed`` (by cluster key and year)
        the officers listed for each year it names, in one transaction, each audited."""
        ids = []
        async with self._db.transaction() as conn:
            for data in datas:
                year_id, created = await _save_year(conn, data, source, now, None, ())
                ids.append(year_id)
                cluster = data.cluster
                verb = "imported" if created else "updated"
                await AuditLog.write(
                    conn,
                    now,
                    actor,
                    action or f"cluster_year.{verb}",
                    f"cluster_year:{year_id}",
                    cluster=cluster.name,
                    year=cluster.year,
                    chair=cluster.chair,
                    deputy=cluster.deputy,
                    units=len(cluster.units),
                    source=source,
                )
            for (key, year), officers in (listed or {}).items():
                cur = await conn.execute(
                    "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id"
                    " WHERE c.key = ? AND y.year = ?",
                    (key, year),
                )
                await replace_listed(conn, (await cur.fetchone())[0], officers, now)
            await _bump(conn)
        return ids

    async def holdings(self, year_id: int) -> list[str]:
        """The tables holding work of cluster-year ``year_id`` (what refuses its removal)."""
        held = []
        for table in await self._referring():
            if table in DISPOSABLE:
                continue
            row = await self._db.fetchone(
                f"SELECT 1 FROM {table} WHERE cluster_year_id = ? LIMIT 1", (year_id,)
            )
            if row is not None:
                held.append(table)
        return held

    async def remove_year(self, year_id: int, actor: str, now: datetime) -> None:
        """Delete a cluster-year that holds no work (see :meth:`holdings`), audited."""
        async with self._db.transaction() as conn:
            for table in DISPOSABLE:
                await conn.execute(f"DELETE FROM {table} WHERE cluster_year_id = ?", (year_id,))
            await conn.execute("DELETE FROM cluster_years WHERE id = ?", (year_id,))
            await AuditLog.write(
                conn, now, actor, "cluster_year.removed", f"cluster_year:{year_id}"
            )
            await _bump(conn)

    async def _referring(self) -> list[str]:
        rows = await self._db.fetchall(
            "SELECT DISTINCT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f"
            " WHERE m.type = 'table' AND f.\"table\" = 'cluster_years'"
            " AND f.\"from\" = 'cluster_year_id' ORDER BY m.name"
        )
        return [r["name"] for r in rows]

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
                data=_data(r),
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
            await _bump(conn)

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
            await _bump(conn)
        return data


def _data(row: aiosqlite.Row) -> ClusterYear:
    try:
        return ClusterYear.model_validate_json(row["data"])
    except ValidationError as exc:
        raise UnreadableYear(row["cluster_key"], row["year"], exc) from None


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
    await _bump(conn)
    return year_id, created


async def _attach_upgraded(conn: aiosqlite.Connection, year_id: int) -> None:
    """Rows of before that are cluster-wide (groups, observers) join the upgraded cluster."""
    cur = await conn.execute("SELECT cluster_id FROM cluster_years WHERE id = ?", (year_id,))
    cluster_id = (await cur.fetchone())[0]
    for table in ("cluster_groups", "officers", "invitations"):
        await conn.execute(
            f"UPDATE {table} SET cluster_id = ? WHERE cluster_id IS NULL", (cluster_id,)
        )
