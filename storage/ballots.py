"""The year-end ballots of a cluster-year, kept secret by storage.

Who voted (``ballot_voters``) and what was voted (``ballot_box``) share no id, no time and no
order: a cast ballot is a fixed-size row sealed with its round's key (``storage.ballot_seals``,
outside the database), keyed by its random nonce. A cast adds the voter, the sealed ballot and
its audit line to the event's own transaction (with the receipt's journal). The box is opened
and counted only at the close, into ``ballot_counts``, in the transaction that closes the
round; then the sealed rows are deleted and the key destroyed. A round closed with fewer
ballots than the rule's minimum is void: its box is emptied unopened."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.ballots import (
    Ballot,
    ElectionRule,
    Tally,
    Title,
    check_choice,
    choice_bits,
    read_choice,
)
from storage.audit import AuditLog
from storage.ballot_seals import BallotSeals, SealBroken
from storage.database import Database, Writes
from storage.timestamps import from_db, to_db

__all__ = ["BallotRepository", "Closing", "StoredBallot", "StoredRound"]

BALLOT, DRAFT = "ballot", "draft"
"""What a seal is for: a cast ballot, or a draft's ticks."""


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
    seal: str | None = None
    """The name of the round's key (None for a round opened before the ballots were sealed,
    until its first sealed cast)."""
    void: bool = False
    """Closed with too few ballots: never counted."""

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

    @property
    def counted(self) -> bool:
        return self.closed_at is not None and not self.void

    def accepts(self, now: datetime) -> bool:
        """Whether a ballot cast ``now`` goes in: open, and before its closing time."""
        return self.closed_at is None and now < self.closes_at


class Closing(StrEnum):
    COUNTED = "counted"
    VOID = "void"
    """Fewer ballots than the rule's minimum (or a box that would not open): not counted."""


class BallotRepository:
    def __init__(self, db: Database, year_id: int, seals: BallotSeals) -> None:
        self._db = db
        self._year = year_id
        self._seals = seals

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
        """A new round, with its seal's key on disk before the round is stored."""
        seal = await asyncio.to_thread(self._seals.new)
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO ballot_rounds (ballot_id, round, candidates, seats, elected_before,"
                " opened_at, closes_at, seal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ballot_id,
                    number,
                    json.dumps(candidates),
                    seats,
                    json.dumps(elected_before),
                    to_db(now),
                    to_db(closes_at),
                    seal,
                ),
            )
        return cur.lastrowid or 0

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
                    row["seal"],
                    bool(row["void"]),
                )
            )
        return found

    async def open_rounds(self) -> list[StoredRound]:
        """The rounds not closed yet (also those whose time has come, until the close)."""
        return [r for r in await self.rounds() if r.closed_at is None]

    async def round(self, round_id: int) -> StoredRound | None:
        return next((r for r in await self.rounds() if r.id == round_id), None)

    async def voters(self, round_id: int) -> set[str]:
        """The units that have voted in a round (never what they chose)."""
        rows = await self._db.fetchall(
            "SELECT unit_code FROM ballot_voters WHERE round_id = ?", (round_id,)
        )
        return {r[0] for r in rows}

    async def _seal_of(self, stored: StoredRound) -> str:
        """The round's seal; one is made for a round opened before ballots were sealed."""
        if stored.seal is not None:
            return stored.seal
        row = await self._db.fetchone("SELECT seal FROM ballot_rounds WHERE id = ?", (stored.id,))
        if row is not None and row[0]:
            return str(row[0])
        seal = await asyncio.to_thread(self._seals.new)
        await self._db.execute(
            "UPDATE ballot_rounds SET seal = ? WHERE id = ? AND seal IS NULL", (seal, stored.id)
        )
        row = await self._db.fetchone("SELECT seal FROM ballot_rounds WHERE id = ?", (stored.id,))
        assert row is not None
        return str(row[0])

    async def seal_draft(self, stored: StoredRound, choice: Collection[str]) -> str:
        """A draft's ticks as the conversation keeps them: sealed, one size for every choice."""
        bits = choice_bits(stored.as_ballot, choice)
        return self._seals.seal(await self._seal_of(stored), bits, DRAFT).hex()

    async def open_draft(self, stored: StoredRound, sealed: str) -> tuple[str, ...]:
        """The ticks of a sealed draft; none when it does not open (its round's key is gone)."""
        try:
            bits = self._seals.open(await self._seal_of(stored), bytes.fromhex(sealed), DRAFT)
            return read_choice(stored.as_ballot, bits)
        except (SealBroken, ValueError):
            return ()

    async def cast_into(
        self,
        writes: Writes,
        stored: StoredRound,
        unit_code: str,
        choice: Collection[str],
        officer_id: int,
        now: datetime,
    ) -> None:
        """Put one unit's ballot in the box, with the event's other writes. The choice must
        have been checked against the round's ballot. The commit fails (and with it the whole
        event) when the unit has voted meanwhile, or the round closed or its time came."""
        sealed = self._seals.seal(
            await self._seal_of(stored), choice_bits(stored.as_ballot, choice), BALLOT
        )
        writes.add(  # a NULL round (closed, or too late) or a second ballot breaks a constraint
            "INSERT INTO ballot_voters (round_id, unit_code) VALUES ((SELECT id FROM"
            " ballot_rounds WHERE id = ? AND closed_at IS NULL AND closes_at > ?), ?)",
            (stored.id, to_db(now), unit_code),
        )
        writes.add("INSERT INTO ballot_box (round_id, sealed) VALUES (?, ?)", (stored.id, sealed))
        AuditLog.write_into(
            writes,
            now,
            f"officer:{officer_id}",
            "ballot.cast",
            f"round:{stored.id}",
            unit=unit_code,
        )

    async def tally(self, stored: StoredRound) -> Tally:
        """The counts of a counted round (raises ValueError for one open or void)."""
        row = await self._db.fetchone(
            "SELECT closed_at, void FROM ballot_rounds WHERE id = ?", (stored.id,)
        )
        if row is None or row["closed_at"] is None or row["void"]:
            raise ValueError("a round is counted only at its close, and a void one never")
        rows = await self._db.fetchall(
            "SELECT candidate, votes FROM ballot_counts WHERE round_id = ?", (stored.id,)
        )
        votes = {r["candidate"]: r["votes"] for r in rows}
        cast = len(await self.voters(stored.id))
        counts = {code: votes.get(code, 0) for code in stored.candidates}
        return Tally(counts, cast, len(stored.ballot.electorate))

    async def close(
        self, stored: StoredRound, officer_id: int | None, now: datetime, minimum: int
    ) -> Closing | None:
        """Close a round (at its time or by the chair): with at least ``minimum`` ballots the
        box is opened and counted, else the round is void; either way the sealed rows go and
        the key is destroyed. None when the round was closed already."""
        async with self._db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE ballot_rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL"
                " AND ballot_id IN (SELECT id FROM ballots WHERE cluster_year_id = ?)",
                (to_db(now), stored.id, self._year),
            )
            if cur.rowcount == 0:
                return None
            [(cast, seal)] = await conn.execute_fetchall(
                "SELECT (SELECT COUNT(*) FROM ballot_voters WHERE round_id = r.id), r.seal"
                " FROM ballot_rounds r WHERE r.id = ?",
                (stored.id,),
            )
            box = await conn.execute_fetchall(
                "SELECT sealed FROM ballot_box WHERE round_id = ?", (stored.id,)
            )
            counts = self._opened(stored, seal, [bytes(r[0]) for r in box])
            closing = Closing.COUNTED if counts is not None and cast >= minimum else Closing.VOID
            if counts is not None and closing is Closing.COUNTED:
                await conn.executemany(
                    "INSERT INTO ballot_counts (round_id, candidate, votes) VALUES (?, ?, ?)"
                    " ON CONFLICT (round_id, candidate) DO UPDATE"
                    " SET votes = votes + excluded.votes",
                    [(stored.id, code, counts[code]) for code in stored.candidates],
                )
            else:
                await conn.execute("DELETE FROM ballot_counts WHERE round_id = ?", (stored.id,))
                await conn.execute("UPDATE ballot_rounds SET void = 1 WHERE id = ?", (stored.id,))
            await conn.execute("DELETE FROM ballot_box WHERE round_id = ?", (stored.id,))
            actor = f"officer:{officer_id}" if officer_id is not None else "bot"
            await AuditLog.write(
                conn, now, actor, "ballot.closed", f"round:{stored.id}", counted=closing.value
            )
        if seal is not None:
            self._seals.discard(seal)
        return closing

    def _opened(
        self, stored: StoredRound, seal: str | None, box: list[bytes]
    ) -> Counter[str] | None:
        """The sealed ballots opened and added up; None when one does not open or fit."""
        if not box:
            return Counter()
        ballot = stored.as_ballot
        counts: Counter[str] = Counter()
        try:
            if seal is None:
                raise SealBroken("a sealed ballot of a round without a seal")
            for sealed in box:
                choice = read_choice(ballot, self._seals.open(seal, sealed, BALLOT))
                if check_choice(ballot, choice) is not None:
                    raise ValueError("an invalid ballot in the box")
                counts.update(choice)
        except (SealBroken, ValueError):
            return None
        return counts

    async def sweep_seals(self) -> int:
        """Destroy the keys of rounds no longer open (left by a close or a start that died)."""
        rows = await self._db.fetchall(
            "SELECT seal FROM ballot_rounds WHERE closed_at IS NULL AND seal IS NOT NULL"
        )
        return self._seals.sweep({r[0] for r in rows})

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
