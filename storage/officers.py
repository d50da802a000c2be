"""Officers and their chat identities: who is behind each (channel, user)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain.access import Actor, Role, effective_role
from bot.domain.bounded import BoundedMap
from bot.domain.officer_records import Identity, OfficerRecord
from storage.audit import AuditLog
from storage.database import Database
from storage.timestamps import from_db, to_db

__all__ = [
    "ActorCache",
    "OfficerRepository",
    "OfficerScope",
    "forget_actors",
]

SEEN_RESOLUTION = timedelta(minutes=5)
ACTORS_CACHED = 10_000


class ActorCache:
    """Who is behind each (channel, user) — read on every event — kept in memory: the actor
    (None for a stranger), when the officer was last seen, and the channels each officer is
    linked on (``/toi`` shows them). Every write to ``officers`` or
    ``identities`` that changes who someone is calls :func:`forget_actors` once committed; a
    read that overlapped such a write is not kept (the generation moved on meanwhile)."""

    def __init__(self) -> None:
        self.entries: BoundedMap[tuple[str, str], tuple[Actor | None, datetime | None]] = (
            BoundedMap(ACTORS_CACHED)
        )
        self.channels: BoundedMap[int, tuple[str, ...]] = BoundedMap(ACTORS_CACHED)
        self.generation = 0

    def forget(self) -> None:
        self.entries = BoundedMap(ACTORS_CACHED)
        self.channels = BoundedMap(ACTORS_CACHED)
        self.generation += 1


_CACHES: weakref.WeakKeyDictionary[Database, ActorCache] = weakref.WeakKeyDictionary()


def actor_cache(db: Database) -> ActorCache:
    """The cache of this database (one per connection, shared by every repository on it)."""
    cache = _CACHES.get(db)
    if cache is None:
        cache = _CACHES[db] = ActorCache()
    return cache


def forget_actors(db: Database) -> None:
    """Who someone is changed (a join, a link, a removal, a move): read it again."""
    actor_cache(db).forget()


_LINKED_CHANNELS = (
    "SELECT group_concat(channel, ',') FROM (SELECT DISTINCT channel FROM identities"
    " WHERE officer_id = {officer} AND unlinked_at IS NULL ORDER BY channel)"
)


def _channels(joined: str | None) -> tuple[str, ...]:
    return tuple(joined.split(",")) if joined else ()


@dataclass(frozen=True, slots=True)
class OfficerScope:
    """The officers one cluster-year sees: its units' officers, the cluster's observers and the
    installation's admins; a unit's officers have the role its chair unit gives them."""

    cluster_id: int
    units: frozenset[str]
    chair: str


class OfficerRepository:
    def __init__(self, db: Database, scope: OfficerScope | None = None) -> None:
        self._db = db
        self._scope = scope

    async def actor_in_chat(self, channel: str, chat_id: str, now: datetime) -> Actor | None:
        """The officer whose private chat this is."""
        row = await self._db.fetchone(
            "SELECT user_id FROM identities WHERE channel = ? AND chat_id = ?"
            " AND unlinked_at IS NULL",
            (channel, chat_id),
        )
        return await self.actor(channel, row["user_id"], now) if row else None

    async def actor(self, channel: str, user_id: str, now: datetime) -> Actor | None:
        """The registered officer behind a chat identity (from memory when known), their
        last-seen time brought up to date every few minutes."""
        cache, key = actor_cache(self._db), (channel, user_id)
        if key in cache.entries:
            actor, seen = cache.entries[key]
        else:
            generation = cache.generation
            actor, seen, channels = await self._read_actor(channel, user_id)
            if cache.generation == generation:
                cache.entries[key] = (actor, seen)
                if actor is not None:
                    cache.channels[actor.officer_id] = channels
        if actor is not None and (seen is None or now - seen > SEEN_RESOLUTION):
            await self._db.execute(
                "UPDATE officers SET last_seen_at = ? WHERE id = ?", (to_db(now), actor.officer_id)
            )
            if key in cache.entries:
                cache.entries[key] = (actor, now)
        return actor

    async def linked_channels(self, officer_id: int) -> tuple[str, ...]:
        """The channels an officer is linked on, in order (from memory when known)."""
        cache = actor_cache(self._db)
        known = cache.channels.get(officer_id)
        if known is not None:
            return known
        row = await self._db.fetchone(_LINKED_CHANNELS.format(officer="?"), (officer_id,))
        return _channels(row[0] if row else None)

    async def _read_actor(
        self, channel: str, user_id: str
    ) -> tuple[Actor | None, datetime | None, tuple[str, ...]]:
        row = await self._db.fetchone(
            "SELECT o.id, o.name, o.unit_code, o.role, o.is_primary, o.last_seen_at,"
            f" o.cluster_id, o.province, ({_LINKED_CHANNELS.format(officer='o.id')}) AS channels"
            " FROM identities i JOIN officers o ON o.id = i.officer_id"
            " WHERE i.channel = ? AND i.user_id = ? AND i.unlinked_at IS NULL"
            " AND o.removed_at IS NULL",
            (channel, user_id),
        )
        if row is None:
            return None, None, ()
        actor = Actor(
            officer_id=row["id"],
            name=row["name"],
            unit_code=row["unit_code"],
            role=Role(row["role"]),
            is_primary=bool(row["is_primary"]),
            cluster_id=row["cluster_id"],
            province=row["province"],
        )
        seen = from_db(row["last_seen_at"]) if row["last_seen_at"] else None
        return actor, seen, _channels(row["channels"])

    async def private_chat(self, channel: str, user_id: str) -> str | None:
        """The private chat in which the bot can write to this registered person, if any."""
        row = await self._db.fetchone(
            "SELECT i.chat_id FROM identities i JOIN officers o ON o.id = i.officer_id"
            " WHERE i.channel = ? AND i.user_id = ? AND i.unlinked_at IS NULL"
            " AND i.unreachable_at IS NULL AND o.removed_at IS NULL",
            (channel, user_id),
        )
        return row["chat_id"] if row else None

    async def get(self, officer_id: int) -> OfficerRecord | None:
        found = await self._records("o.id = ?", (officer_id,))
        return found[0] if found else None

    async def active(self) -> list[OfficerRecord]:
        """Every officer of the scope not removed, with their linked identities."""
        scope = self._scope
        if scope is None:
            return await self._records("1 = 1", ())
        marks = ",".join("?" * len(scope.units))
        return await self._records(
            f"(o.unit_code IN ({marks}) OR o.role = 'admin'"
            " OR (o.unit_code IS NULL AND o.province IS NULL AND o.cluster_id = ?))",
            (*sorted(scope.units), scope.cluster_id),
        )

    async def province_board(self, province: str) -> list[OfficerRecord]:
        """The provincial emulation board's officers."""
        return await self._records("o.province = ?", (province,))

    async def chair_officers(self, chair_codes: set[str]) -> list[OfficerRecord]:
        """The officers of these chair units (of the open cluster-years), as chairs."""
        codes = sorted(chair_codes)
        if not codes:
            return []
        marks = ",".join("?" * len(codes))
        found = await self._records(f"o.unit_code IN ({marks})", tuple(codes))
        return [replace(o, role=Role.CHAIR) for o in found]

    async def _records(self, where: str, params: tuple[object, ...]) -> list[OfficerRecord]:
        rows = await self._db.fetchall(
            "SELECT o.id, o.name, o.unit_code, o.role, o.is_primary, o.last_seen_at,"
            " o.province, i.channel, i.user_id, i.chat_id, i.unreachable_at"
            " FROM officers o LEFT JOIN identities i"
            " ON i.officer_id = o.id AND i.unlinked_at IS NULL"
            f" WHERE o.removed_at IS NULL AND {where} ORDER BY o.unit_code, o.id",
            params,
        )
        records: dict[int, OfficerRecord] = {}
        for r in rows:
            record = records.get(r["id"])
            identities = record.identities if record else ()
            if r["channel"] is not None:
                identity = Identity(
                    r["channel"],
                    r["user_id"],
                    r["chat_id"],
                    r["id"],
                    r["unreachable_at"] is not None,
                )
                identities = (*identities, identity)
            role = Role(r["role"])
            if self._scope is not None or r["province"] is not None:
                chair = self._scope.chair if self._scope is not None else None
                role = effective_role(role, r["unit_code"], r["province"], chair)
            records[r["id"]] = OfficerRecord(
                id=r["id"],
                name=r["name"],
                unit_code=r["unit_code"],
                role=role,
                is_primary=bool(r["is_primary"]),
                last_seen_at=from_db(r["last_seen_at"]) if r["last_seen_at"] else None,
                identities=identities,
            )
        return list(records.values())

    async def look_at(self, officer_id: int, cluster_id: int) -> None:
        """The cluster an officer of no unit (the province board, an admin) looks at."""
        await self._db.execute(
            "UPDATE officers SET cluster_id = ? WHERE id = ? AND unit_code IS NULL",
            (cluster_id, officer_id),
        )
        forget_actors(self._db)

    async def managers(self) -> list[OfficerRecord]:
        """The chair's officers and the admins: who is told about joins, lateness and failures."""
        return [o for o in await self.active() if o.role in (Role.CHAIR, Role.ADMIN)]

    async def remove(self, officer_id: int, actor: str, now: datetime, action: str) -> bool:
        """Mark the officer removed (history stays attributable) and unlink their chats."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE officers SET removed_at = ?, is_primary = 0"
                " WHERE id = ? AND removed_at IS NULL",
                (to_db(now), officer_id),
            )
            if cur.rowcount == 0:
                return False
            await conn.execute(
                "UPDATE identities SET unlinked_at = ?"
                " WHERE officer_id = ? AND unlinked_at IS NULL",
                (to_db(now), officer_id),
            )
            await AuditLog.write(conn, now, actor, action, f"officer:{officer_id}")
        forget_actors(self._db)
        return True

    async def make_primary(self, officer_id: int, actor: str, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "SELECT unit_code FROM officers WHERE id = ? AND removed_at IS NULL", (officer_id,)
            )
            row = await cur.fetchone()
            if row is None or row["unit_code"] is None:
                return False
            await conn.execute(
                "UPDATE officers SET is_primary = (id = ?)"
                " WHERE unit_code = ? AND removed_at IS NULL",
                (officer_id, row["unit_code"]),
            )
            await AuditLog.write(
                conn, now, actor, "officer.primary", f"officer:{officer_id}", unit=row["unit_code"]
            )
        forget_actors(self._db)
        return True

    async def set_reachable(
        self, channel: str, chat_id: str, reachable: bool, now: datetime
    ) -> bool:
        """Record a block or unblock; True when the mark changed."""
        if reachable:
            sql = (
                "UPDATE identities SET unreachable_at = NULL"
                " WHERE channel = ? AND chat_id = ? AND unreachable_at IS NOT NULL"
            )
            params: tuple[object, ...] = (channel, chat_id)
        else:
            sql = (
                "UPDATE identities SET unreachable_at = ?"
                " WHERE channel = ? AND chat_id = ? AND unreachable_at IS NULL"
            )
            params = (to_db(now), channel, chat_id)
        async with self._db.transaction() as conn:
            cur = await conn.execute(sql, params)
            return cur.rowcount > 0
