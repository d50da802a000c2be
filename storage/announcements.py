"""Announcement groups, announcements (sent or scheduled) and their read receipts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from storage.audit import AuditLog
from storage.database import Database
from storage.timestamps import from_db, to_db

__all__ = ["Announcement", "AnnouncementRepository", "LinkedGroup"]


@dataclass(frozen=True, slots=True)
class LinkedGroup:
    channel: str
    chat_id: str
    title: str


@dataclass(frozen=True, slots=True)
class Announcement:
    id: int
    text: str
    sha256: str | None
    file_name: str | None
    mime: str | None
    audience: str
    units: tuple[str, ...]
    send_at: datetime
    created_by: int
    cancelled: bool
    total: int
    reported: bool


class AnnouncementRepository:
    """A cluster's announcement groups and one cluster-year's announcements."""

    def __init__(self, db: Database, year_id: int, cluster_id: int) -> None:
        self._db = db
        self._year = year_id
        self._cluster = cluster_id

    async def link_group(
        self, channel: str, chat_id: str, title: str, officer_id: int, now: datetime
    ) -> bool:
        """True when the group was not linked before."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "SELECT unlinked_at, cluster_id FROM cluster_groups"
                " WHERE channel = ? AND chat_id = ?",
                (channel, chat_id),
            )
            row = await cur.fetchone()
            await conn.execute(
                "INSERT INTO cluster_groups"
                " (channel, chat_id, title, linked_by, linked_at, cluster_id)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id) DO UPDATE SET"
                " title = excluded.title, linked_by = excluded.linked_by,"
                " linked_at = excluded.linked_at, unlinked_at = NULL,"
                " cluster_id = excluded.cluster_id",
                (channel, chat_id, title, officer_id, to_db(now), self._cluster),
            )
            await AuditLog.write(
                conn, now, f"officer:{officer_id}", "group.linked", f"{channel}:{chat_id}"
            )
        return row is None or row["unlinked_at"] is not None or row["cluster_id"] != self._cluster

    async def unlink_group(self, channel: str, chat_id: str, actor: str, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE cluster_groups SET unlinked_at = ?"
                " WHERE channel = ? AND chat_id = ? AND unlinked_at IS NULL",
                (to_db(now), channel, chat_id),
            )  # the bot left the group: whichever cluster linked it
            if cur.rowcount:
                await AuditLog.write(conn, now, actor, "group.unlinked", f"{channel}:{chat_id}")
            return cur.rowcount > 0

    async def groups(self) -> list[LinkedGroup]:
        rows = await self._db.fetchall(
            "SELECT channel, chat_id, title FROM cluster_groups WHERE unlinked_at IS NULL"
            " AND cluster_id = ? ORDER BY linked_at",
            (self._cluster,),
        )
        return [LinkedGroup(r["channel"], r["chat_id"], r["title"]) for r in rows]

    async def create(
        self,
        text: str,
        file: tuple[str, str, str] | None,
        audience: str,
        units: list[str],
        send_at: datetime,
        officer_id: int,
        now: datetime,
    ) -> int:
        sha, name, mime = file or (None, None, None)
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO announcements (text, sha256, file_name, mime, audience, units,"
                " send_at, created_by, created_at, cluster_year_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    text,
                    sha,
                    name,
                    mime,
                    audience,
                    json.dumps(units),
                    to_db(send_at),
                    officer_id,
                    to_db(now),
                    self._year,
                ),
            )
            announcement_id = cur.lastrowid or 0
            await AuditLog.write(
                conn,
                now,
                f"officer:{officer_id}",
                "announcement.created",
                f"announcement:{announcement_id}",
                audience=audience,
                send_at=to_db(send_at),
            )
        return announcement_id

    async def set_total(self, announcement_id: int, total: int) -> None:
        await self._db.execute(
            "UPDATE announcements SET total = ? WHERE id = ?", (total, announcement_id)
        )

    async def mark_reported(self, announcement_id: int, now: datetime) -> None:
        await self._db.execute(
            "UPDATE announcements SET reported_at = ? WHERE id = ?", (to_db(now), announcement_id)
        )

    async def cancel(self, announcement_id: int, officer_id: int, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE announcements SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL"
                " AND send_at > ? AND cluster_year_id = ?",
                (to_db(now), announcement_id, to_db(now), self._year),
            )
            if cur.rowcount:
                await AuditLog.write(
                    conn,
                    now,
                    f"officer:{officer_id}",
                    "announcement.cancelled",
                    f"announcement:{announcement_id}",
                )
            return cur.rowcount > 0

    async def get(self, announcement_id: int) -> Announcement | None:
        found = await self._select("id = ?", (announcement_id,))
        return found[0] if found else None

    async def recent(self, limit: int = 5) -> list[Announcement]:
        return await self._select("1 = 1 ORDER BY id DESC LIMIT ?", (limit,))

    async def scheduled(self, now: datetime) -> list[Announcement]:
        return await self._select(
            "cancelled_at IS NULL AND send_at > ? ORDER BY send_at", (to_db(now),)
        )

    async def unreported(self) -> list[Announcement]:
        return await self._select("cancelled_at IS NULL AND reported_at IS NULL AND total > 0", ())

    async def _select(self, where: str, params: tuple[object, ...]) -> list[Announcement]:
        rows = await self._db.fetchall(
            f"SELECT * FROM announcements WHERE cluster_year_id = ? AND {where}",
            (self._year, *params),
        )
        return [
            Announcement(
                r["id"],
                r["text"],
                r["sha256"],
                r["file_name"],
                r["mime"],
                r["audience"],
                tuple(json.loads(r["units"])),
                from_db(r["send_at"]),
                r["created_by"],
                r["cancelled_at"] is not None,
                r["total"],
                r["reported_at"] is not None,
            )
            for r in rows
        ]

    async def acknowledge(
        self, announcement_id: int, officer_id: int, unit_code: str | None, now: datetime
    ) -> bool:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO announcement_acks"
                " (announcement_id, officer_id, unit_code, at) VALUES (?, ?, ?, ?)",
                (announcement_id, officer_id, unit_code, to_db(now)),
            )
            return cur.rowcount > 0

    async def acknowledged_units(self, announcement_id: int) -> set[str]:
        rows = await self._db.fetchall(
            "SELECT DISTINCT unit_code FROM announcement_acks WHERE announcement_id = ?"
            " AND unit_code IS NOT NULL",
            (announcement_id,),
        )
        return {r["unit_code"] for r in rows}
