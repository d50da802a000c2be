"""The ballots' storage across the upgrade to sealed ballots (migration 025): the counters of
the rounds held before are kept as counts, a round open at the upgrade takes sealed ballots
and adds them to its counters at the close, and the seen deliveries lose their minutes; the
seals' sweep; what a seen delivery keeps."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.ballots import ElectionRule
from storage.ballot_seals import BallotSeals
from storage.ballots import BallotRepository, Closing
from storage.database import Database, Writes, known_migrations
from storage.seen_updates import SeenUpdates

NOW = datetime(2022, 12, 20, 1, 23, 45, tzinfo=UTC)


def _counter(votes: int) -> bytes:
    return votes.to_bytes(4, "big")


async def _before_025(path: Path) -> None:
    """A database of the release before, with a closed round and one still open."""
    db = await Database.open(path, migrations=[m for m in known_migrations() if m[0] < 25])
    await db.close()
    rule = ElectionRule().model_dump_json()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            'INSERT INTO ballots VALUES (1, 1, \'flag\', 1, ?, \'["DB", "MA", "ML"]\', 1,'
            " '2022-12-19T01:00:00.000000+00:00', NULL)",
            (rule,),
        )
        for round_id, closed in ((1, "'2022-12-19T02:00:00.000000+00:00'"), (2, "NULL")):
            conn.execute(
                "INSERT INTO ballot_rounds (id, ballot_id, round, candidates, seats,"
                " elected_before, opened_at, closes_at, closed_at) VALUES (?, 1, ?,"
                f" '[\"MA\", \"DB\"]', 1, '[]', '2022-12-19T01:00:00.000000+00:00',"
                f" '2022-12-21T01:00:00.000000+00:00', {closed})",
                (round_id, round_id),
            )
        conn.executemany(
            "INSERT INTO ballot_counts (round_id, candidate, votes) VALUES (?, ?, ?)",
            [
                (1, "MA", _counter(300)),
                (1, "DB", _counter(1)),
                (2, "MA", _counter(1)),
                (2, "DB", _counter(0)),
            ],
        )
        conn.executemany(
            "INSERT INTO ballot_voters VALUES (?, ?)", [(1, "MA"), (1, "DB"), (2, "ML")]
        )
        conn.execute(
            "INSERT INTO seen_updates VALUES ('zalo', 'message:1', ?)",
            ("2022-12-20T01:23:45.678901+00:00",),
        )


async def test_the_upgrade_keeps_the_counts_and_seals_the_open_round(tmp_path: Path) -> None:
    path = tmp_path / "cumthidua.sqlite3"
    await _before_025(path)
    db = await Database.open(path)
    try:
        ballots = BallotRepository(db, 1, BallotSeals(tmp_path / "seals"))
        closed, legacy = await ballots.rounds()
        tally = await ballots.tally(closed)
        assert (tally.counts, tally.cast) == ({"MA": 300, "DB": 1}, 2)
        assert legacy.closed_at is None and legacy.seal is None
        writes = Writes()
        await ballots.cast_into(writes, legacy, "MA", ("DB",), 1, NOW)
        await db.commit(writes)
        [(sealed,)] = await db.fetchall("SELECT sealed FROM ballot_box")
        assert b"DB" not in sealed and len(sealed) == 12 + 1 + 16
        [_closed, legacy] = await ballots.rounds()
        assert legacy.seal is not None  # made at its first sealed cast
        assert await ballots.close(legacy, None, NOW, minimum=2) is Closing.COUNTED
        tally = await ballots.tally(legacy)
        assert (tally.counts, tally.cast) == ({"MA": 1, "DB": 1}, 2)  # the counter and the box
        assert not list((tmp_path / "seals").glob("*.key"))
        [seen] = await db.fetchall("SELECT seen_at FROM seen_updates")
        assert seen[0] == "2022-12-20T01:00:00.000000+00:00"
    finally:
        await db.close()


async def test_a_sweep_spares_the_open_rounds_and_the_newest_keys(tmp_path: Path) -> None:
    seals = BallotSeals(tmp_path / "seals")
    kept, fresh, stale = seals.new(), seals.new(), seals.new()
    old = (datetime.now(UTC) - timedelta(hours=2)).timestamp()
    for name in (kept, stale):
        path = tmp_path / "seals" / f"{name}.key"
        os.utime(path, (old, old))
    assert seals.sweep({kept}) == 1
    assert sorted(p.stem for p in (tmp_path / "seals").glob("*.key")) == sorted([kept, fresh])


async def test_a_seen_delivery_is_kept_as_a_digest_and_its_hour(tmp_path: Path) -> None:
    """Zalo's de-duplication names neither the sender (the message id may) nor the minute."""
    db = await Database.open(tmp_path / "cumthidua.sqlite3")
    try:
        seen = SeenUpdates(db)
        assert await seen.receive("zalo", "user_send_text:4101-7", "{}", NOW)
        later = NOW + timedelta(hours=2)
        assert not await seen.receive("zalo", "user_send_text:4101-7", "{}", later)
        [(key, at)] = await db.fetchall("SELECT update_key, seen_at FROM seen_updates")
        assert "4101" not in key and len(key) == 32
        assert at == "2022-12-20T01:00:00.000000+00:00"
    finally:
        await db.close()


async def test_a_box_whose_key_is_gone_is_void_never_counted(tmp_path: Path) -> None:
    """A database restored on another server during a round: its ballots cannot be opened."""
    path = tmp_path / "cumthidua.sqlite3"
    await _before_025(path)
    db = await Database.open(path)
    try:
        ballots = BallotRepository(db, 1, BallotSeals(tmp_path / "seals"))
        _closed, legacy = await ballots.rounds()
        writes = Writes()
        await ballots.cast_into(writes, legacy, "MA", ("DB",), 1, NOW)
        await db.commit(writes)
        elsewhere = BallotRepository(db, 1, BallotSeals(tmp_path / "other-server"))
        [_closed, legacy] = await elsewhere.rounds()
        assert await elsewhere.close(legacy, None, NOW, minimum=1) is Closing.VOID
        [_closed, void] = await elsewhere.rounds()
        assert void.void and await db.fetchall("SELECT * FROM ballot_box") == []
        assert await db.fetchall("SELECT * FROM ballot_counts WHERE round_id = 2") == []
    finally:
        await db.close()
