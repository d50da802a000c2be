"""The year-end ballots of a cluster-year, kept secret by storage: who voted (``ballot_voters``)
and what was voted (``ballot_counts``, one fixed-size counter per candidate and round) share no
id, no time and no order; a cast writes both, deletes the caster's draft, menus and buttons, and
rewrites every counter of the round, in one transaction."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.domain.ballots import Ballot, ElectionRule, Tally, Title
from storage.audit import AuditLog
from storage.database import Database
from storage.timestamps import from_db, to_db

__all__ = ["BallotRepository", "Person", "StoredBallot", "StoredRound"]

COUNTER_BYTES = 4


@dataclass(frozen=True, slots=True)
class StoredBallot:
    id: int
    title: Title
    seats: int
    rule: ElectionRule
    electorate: frozenset[str]
    created_at: datetime
    decided: tuple[str, ...] | None
    """Chosen by the chair and deputy after the last round, when the rule asked them."""


@dataclass(frozen=True, slots=True)
class StoredRound:
    id: int
    ballot: StoredBallot
    number: int
    candidates: tuple[str, ...]
    seats: int
    elected_before: tuple[str, ...]
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None

    @property
    def as_ballot(self) -> Ballot:
        b = self.ballot
        return Ballot(
            b.title,
            self.candidates,
            self.seats,
            b.electorate,
            b.rule,
            self.number,
            self.elected_before,
        )


@dataclass(frozen=True, slots=True)
class Person:
    """Whose draft, menus and buttons a cast removes: (channel, chat id, user id)."""

    channel: str
    chat_id: str
    user_id: str


def _counter(value: int) -> bytes:
    return value.to_bytes(COUNTER_BYTES, "big")


class BallotRepository:
    def __init__(self, db: Database, year_id: int) -> None:
        self._db = db
        self._year = year_id

    async def open(
        self,
        title: Title,
        candidates: tuple[str, ...],
        seats: int,
        rule: ElectionRule,
        electorate: frozenset[str],
        closes_at: datetime,
        officer_id: int,
        now: datetime,
    ) -> int:
        """A new ballot and its first round; returns the round's id."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO ballots (cluster_year_id, title, seats, rule, electorate,"
                " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    self._year,
                    title.value,
                    seats,
                    rule.model_dump_json(),
                    json.dumps(sorted(electorate)),
                    officer_id,
                    to_db(now),
                ),
            )
            ballot_id = cur.lastrowid or 0
            await AuditLog.write(
                conn,
                now,
                f"officer:{officer_id}",
                "ballot.opened",
                f"ballot:{ballot_id}",
                cluster_year=self._year,
                title=title.value,
                candidates=list(candidates),
            )
        return await self.next_round(ballot_id, 1, candidates, seats, (), closes_at, now)

    async def next_round(
        self,
        ballot_id: int,
        number: int,
        candidates: tuple[str, ...],
        seats: int,
        elected_before: tuple[str, ...],
        closes_at: datetime,
        now: datetime,
    ) -> int:
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO ballot_rounds (ballot_id, round, candidates, seats, elected_before,"
                " opened_at, closes_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    ballot_id,
                    number,
                    json.dumps(candidates),
                    seats,
                    json.dumps(elected_before),
                    to_db(now),
                    to_db(closes_at),
                ),
            )
            round_id = cur.lastrowid or 0
            await conn.executemany(
                "INSERT INTO ballot_counts (round_id, candidate, votes) VALUES (?, ?, ?)",
                [(round_id, code, _counter(0)) for code in candidates],
            )
        return round_id

    async def _ballot(self, ballot_id: int) -> StoredBallot | None:
        row = await self._db.fetchone(
            "SELECT * FROM ballots WHERE id = ? AND cluster_year_id = ?", (ballot_id, self._year)
        )
        if row is None:
            return None
        return StoredBallot(
            row["id"],
            Title(row["title"]),
            row["seats"],
            ElectionRule.model_validate_json(row["rule"]),
            frozenset(json.loads(row["electorate"])),
            from_db(row["created_at"]),
            tuple(json.loads(row["decided"])) if row["decided"] else None,
        )

    async def rounds(self) -> list[StoredRound]:
        """Every round of the year, in the order held."""
        rows = await self._db.fetchall(
            "SELECT r.* FROM ballot_rounds r JOIN ballots b ON b.id = r.ballot_id"
            " WHERE b.cluster_year_id = ? ORDER BY r.ballot_id, r.round",
            (self._year,),
        )
        found = []
        for row in rows:
            ballot = await self._ballot(row["ballot_id"])
            assert ballot is not None
            found.append(
                StoredRound(
                    row["id"],
                    ballot,
                    row["round"],
                    tuple(json.loads(row["candidates"])),
                    row["seats"],
                    tuple(json.loads(row["elected_before"])),
                    from_db(row["opened_at"]),
                    from_db(row["closes_at"]),
                    from_db(row["closed_at"]) if row["closed_at"] else None,
                )
            )
        return found

    async def open_rounds(self) -> list[StoredRound]:
        return [r for r in await self.rounds() if r.closed_at is None]

    async def round(self, round_id: int) -> StoredRound | None:
        return next((r for r in await self.rounds() if r.id == round_id), None)

    async def voters(self, round_id: int) -> set[str]:
        rows = await self._db.fetchall(
            "SELECT unit_code FROM ballot_voters WHERE round_id = ?", (round_id,)
        )
        return {r[0] for r in rows}

    async def cast(
        self,
        stored: StoredRound,
        unit_code: str,
        choice: Collection[str],
        officer_id: int,
        person: Person,
        now: datetime,
    ) -> bool:
        """Put one unit's ballot in the box; False when the unit has voted already (nothing is
        changed then). The choice must have been checked against the round's ballot."""
        chosen = set(choice)
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO ballot_voters (round_id, unit_code)"
                " SELECT id, ? FROM ballot_rounds WHERE id = ? AND closed_at IS NULL",
                (unit_code, stored.id),
            )
            if cur.rowcount == 0:
                return False
            rows = await conn.execute_fetchall(
                "SELECT id, candidate, votes FROM ballot_counts WHERE round_id = ? ORDER BY id",
                (stored.id,),
            )
            await conn.executemany(
                "UPDATE ballot_counts SET votes = ? WHERE id = ?",
                [
                    (_counter(int.from_bytes(votes, "big") + (candidate in chosen)), row_id)
                    for row_id, candidate, votes in rows
                ],
            )
            for statement in (
                "DELETE FROM conversations WHERE channel = ? AND chat_id = ? AND user_id = ?",
                "DELETE FROM option_tokens WHERE channel = ? AND chat_id = ? AND user_id = ?",
                "DELETE FROM last_menus WHERE channel = ? AND chat_id = ? AND user_id = ?",
            ):
                await conn.execute(statement, (person.channel, person.chat_id, person.user_id))
            await AuditLog.write(
                conn,
                now,
                f"officer:{officer_id}",
                "ballot.cast",
                f"round:{stored.id}",
                unit=unit_code,
            )
        await self._db.checkpoint()
        return True

    async def tally(self, stored: StoredRound) -> Tally:
        rows = await self._db.fetchall(
            "SELECT candidate, votes FROM ballot_counts WHERE round_id = ?", (stored.id,)
        )
        votes = {r["candidate"]: int.from_bytes(r["votes"], "big") for r in rows}
        cast = len(await self.voters(stored.id))
        counts = {code: votes.get(code, 0) for code in stored.candidates}
        return Tally(counts, cast, len(stored.ballot.electorate))

    async def close(self, round_id: int, officer_id: int | None, now: datetime) -> bool:
        """Close a round (at its time or by the chair); False when it was closed already."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE ballot_rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL"
                " AND ballot_id IN (SELECT id FROM ballots WHERE cluster_year_id = ?)",
                (to_db(now), round_id, self._year),
            )
            if cur.rowcount == 0:
                return False
            actor = f"officer:{officer_id}" if officer_id is not None else "bot"
            await AuditLog.write(conn, now, actor, "ballot.closed", f"round:{round_id}")
        return True

    async def decide(
        self, ballot_id: int, chosen: tuple[str, ...], officer_id: int, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE ballots SET decided = ? WHERE id = ? AND cluster_year_id = ?",
                (json.dumps(chosen), ballot_id, self._year),
            )
            await AuditLog.write(
                conn,
                now,
                f"officer:{officer_id}",
                "ballot.decided",
                f"ballot:{ballot_id}",
                chosen=list(chosen),
            )

    async def delegate(self, ballot_id: int, unit_code: str) -> int | None:
        row = await self._db.fetchone(
            "SELECT officer_id FROM ballot_delegates WHERE ballot_id = ? AND unit_code = ?",
            (ballot_id, unit_code),
        )
        return int(row[0]) if row else None

    async def name_delegate(
        self, ballot_id: int, unit_code: str, officer_id: int, by: int, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO ballot_delegates (ballot_id, unit_code, officer_id)"
                " VALUES (?, ?, ?) ON CONFLICT (ballot_id, unit_code)"
                " DO UPDATE SET officer_id = excluded.officer_id",
                (ballot_id, unit_code, officer_id),
            )
            await AuditLog.write(
                conn,
                now,
                f"officer:{by}",
                "ballot.delegate",
                f"ballot:{ballot_id}",
                unit=unit_code,
                officer=officer_id,
            )
