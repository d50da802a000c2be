"""Invitations: created, redeemed once (registering an officer), revoked, and the join lockout."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

import aiosqlite

from bot.domain.access import Role
from bot.domain.invitations import Claimant, Invitation, Joined, Redemption
from bot.domain.invite_codes import generate, hash_code
from storage.audit import AuditLog
from storage.database import Database
from storage.officers import forget_actors
from storage.timestamps import from_db, to_db

__all__ = ["InvitationRepository"]


class InvitationRepository:
    """Invitations; scoped to a cluster (``cluster_id``), new ones belong to it and only its own
    are listed. Redeeming a code works wherever it was made."""

    def __init__(self, db: Database, cluster_id: int | None = None) -> None:
        self._db = db
        self._cluster_id = cluster_id

    def everywhere(self) -> InvitationRepository:
        """The installation's invitations, whichever cluster made them (the command line's)."""
        return InvitationRepository(self._db)

    async def id_of(self, code: str) -> int | None:
        """The number of the invitation whose code this is (typed in any of its forms)."""
        digest = hash_code(code)
        row = await self._db.fetchone(
            "SELECT id, code_hash FROM invitations WHERE code_hash = ?"
            " AND (? IS NULL OR cluster_id = ?)",
            (digest, self._cluster_id, self._cluster_id),
        )
        if row is None or not hmac.compare_digest(row["code_hash"], digest):
            return None
        return int(row["id"])

    async def create(
        self,
        unit_code: str | None,
        role: Role,
        now: datetime,
        valid_for: timedelta,
        created_by: int | None,
        actor: str,
        officer_id: int | None = None,
        province: str | None = None,
    ) -> tuple[int, str]:
        """A new invitation; returns its id and the code (the only time the code exists).
        ``province`` makes it an invitation to the provincial emulation board."""
        code = generate()
        stored = Role.OBSERVER if role is Role.PROVINCE else role
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO invitations (code_hash, unit_code, role, officer_id, created_by,"
                " created_at, expires_at, cluster_id, province) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    hash_code(code),
                    unit_code,
                    stored.value,
                    officer_id,
                    created_by,
                    to_db(now),
                    to_db(now + valid_for),
                    self._cluster_id,
                    province,
                ),
            )
            invitation_id = cur.lastrowid or 0
            await AuditLog.write(
                conn,
                now,
                actor,
                "invitation.created",
                f"invitation:{invitation_id}",
                unit=unit_code,
                role=role.value,
                links_officer=officer_id,
            )
        return invitation_id, code

    async def open(self, now: datetime) -> list[Invitation]:
        rows = await self._db.fetchall(
            "SELECT id, unit_code, role, officer_id, created_at, expires_at, cluster_id,"
            " province FROM invitations"
            " WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > ?"
            " AND (? IS NULL OR cluster_id = ?) ORDER BY id",
            (to_db(now), self._cluster_id, self._cluster_id),
        )
        return [
            Invitation(
                r["id"],
                r["unit_code"],
                Role.PROVINCE if r["province"] is not None else Role(r["role"]),
                r["officer_id"],
                from_db(r["created_at"]),
                from_db(r["expires_at"]),
                r["cluster_id"],
            )
            for r in rows
        ]

    async def revoke(self, invitation_id: int, actor: str, now: datetime) -> bool:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE invitations SET revoked_at = ?"
                " WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL"
                " AND (? IS NULL OR cluster_id = ?)",
                (to_db(now), invitation_id, self._cluster_id, self._cluster_id),
            )
            if cur.rowcount == 0:
                return False
            await AuditLog.write(
                conn, now, actor, "invitation.revoked", f"invitation:{invitation_id}"
            )
        return True

    async def redeem(self, code: str, who: Claimant, now: datetime) -> Joined:
        """Use a code for this chat identity: register a new officer or link another channel."""
        digest = hash_code(code)
        async with self._db.transaction() as conn:
            if await _current_officer(conn, who) is not None:
                return Joined(Redemption.ALREADY)
            cur = await conn.execute(
                "SELECT id, code_hash, unit_code, role, officer_id, expires_at, used_at,"
                " revoked_at, cluster_id, province FROM invitations WHERE code_hash = ?",
                (digest,),
            )
            row = await cur.fetchone()
            if row is None or not hmac.compare_digest(row["code_hash"], digest):
                return Joined(Redemption.UNKNOWN)
            if row["revoked_at"] is not None:
                return Joined(Redemption.REVOKED)
            if row["used_at"] is not None:
                return Joined(Redemption.USED)
            if from_db(row["expires_at"]) <= now:
                return Joined(Redemption.EXPIRED)
            officer_id = row["officer_id"]
            outcome = Redemption.LINKED
            if officer_id is None:
                officer_id = await _new_officer(conn, who, row, now)
                outcome = Redemption.JOINED
            await conn.execute(
                "INSERT INTO identities (channel, user_id, chat_id, officer_id, display_name,"
                " linked_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (channel, user_id) DO UPDATE SET chat_id = excluded.chat_id,"
                " officer_id = excluded.officer_id, display_name = excluded.display_name,"
                " linked_at = excluded.linked_at, unlinked_at = NULL, unreachable_at = NULL",
                (who.channel, who.user_id, who.chat_id, officer_id, who.display_name, to_db(now)),
            )
            await conn.execute(
                "UPDATE invitations SET used_at = ?, used_by = ? WHERE id = ?",
                (to_db(now), f"{who.channel}:{who.user_id}", row["id"]),
            )
            await AuditLog.write(
                conn,
                now,
                f"{who.channel}:{who.user_id}",
                f"officer.{outcome.value}",
                f"officer:{officer_id}",
                invitation=row["id"],
                unit=row["unit_code"],
                role=row["role"],
                name=who.display_name,
            )
        forget_actors(self._db)
        role = Role.PROVINCE if row["province"] is not None else Role(row["role"])
        return Joined(outcome, officer_id, row["unit_code"], role)

    # Lockout ---------------------------------------------------------------------------------

    async def record_failure(self, channel: str, chat_id: str, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO join_failures (channel, chat_id, at) VALUES (?, ?, ?)",
            (channel, chat_id, to_db(now)),
        )

    async def locked_until(
        self,
        channel: str,
        chat_id: str,
        now: datetime,
        tries: int,
        window: timedelta,
        lock: timedelta,
    ) -> datetime | None:
        """When ``tries`` failures fell within ``window``, the chat is locked for ``lock`` after
        the last of them; returns the end of a lock still running."""
        rows = await self._db.fetchall(
            "SELECT at FROM join_failures WHERE channel = ? AND chat_id = ? AND at > ?"
            " ORDER BY at DESC LIMIT ?",
            (channel, chat_id, to_db(now - window - lock), tries),
        )
        if len(rows) < tries:
            return None
        newest, oldest = from_db(rows[0]["at"]), from_db(rows[-1]["at"])
        if newest - oldest > window:
            return None
        until = newest + lock
        return until if until > now else None


async def _current_officer(conn: aiosqlite.Connection, who: Claimant) -> int | None:
    cur = await conn.execute(
        "SELECT i.officer_id FROM identities i JOIN officers o ON o.id = i.officer_id"
        " WHERE i.channel = ? AND i.user_id = ? AND i.unlinked_at IS NULL"
        " AND o.removed_at IS NULL",
        (who.channel, who.user_id),
    )
    row = await cur.fetchone()
    return row[0] if row else None


async def _new_officer(
    conn: aiosqlite.Connection, who: Claimant, invitation: aiosqlite.Row, now: datetime
) -> int:
    """A new officer; the first of a unit becomes its primary contact."""
    unit_code, role = invitation["unit_code"], invitation["role"]
    primary = 0
    if unit_code is not None:
        cur = await conn.execute(
            "SELECT 1 FROM officers WHERE unit_code = ? AND is_primary = 1 AND removed_at IS NULL",
            (unit_code,),
        )
        primary = 0 if await cur.fetchone() else 1
    cur = await conn.execute(
        "INSERT INTO officers (name, unit_code, role, is_primary, created_at, last_seen_at,"
        " cluster_id, province) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            who.display_name or "?",
            unit_code,
            role,
            primary,
            to_db(now),
            to_db(now),
            invitation["cluster_id"],
            invitation["province"],
        ),
    )
    return cur.lastrowid or 0
