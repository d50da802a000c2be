"""The vote's use cases on real storage: open, the unit's standing, cast once and in secret,
delegate, close (with a second round), decide by the record, the turnout; the early close only
with the quorum, no count from too few ballots, a ballot judged by the round's time when cast,
and drafts that go with the cast and the close."""

from __future__ import annotations

import sqlite3
import tarfile
from contextlib import closing
from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.domain.access import Actor, Role
from bot.domain.ballots import OutcomeStatus, Title
from bot.services.container import Services
from bot.usecases.voting import (
    BALLOT_DRAFT,
    CastBallot,
    CloseConfirm,
    NewBallot,
    OpenedVote,
    UnitStanding,
    VoidRound,
    VoteRefusal,
    ballot_round,
    close_due,
    close_now,
    decide_by_record,
    decided,
    draft_ticks,
    name_delegate,
    open_vote,
    proposed_candidates,
    seal_ticks,
    vote_view,
)
from storage.backup import create_backup
from storage.ballot_seals import BallotSeals, SealBroken
from storage.ballots import StoredRound
from storage.conversations import ConversationState
from storage.database import Writes
from tests.usecases.officers import actor, unit_actors
from tests.usecases.votes import cast

FLAG = NewBallot(Title.FLAG, ("MA", "DB", "ML"), 1, 24)


async def _open(services: Services) -> tuple[dict[str, Actor], StoredRound]:
    people = await unit_actors(services)
    opened = await open_vote(services, people["TG"], FLAG)
    assert isinstance(opened, OpenedVote)
    assert opened.queued == len(people)  # one chat per unit's officer
    return people, opened.round


async def _draft(services: Services, user: str, stored: StoredRound, unit: str) -> None:
    """A ballot draft of ``user`` with one tick, as the chat door keeps it."""
    ticks = await seal_ticks(services, stored, ("DB",))
    state = ConversationState(
        BALLOT_DRAFT, "pick", {"round": stored.id, "unit": unit, "ticks": ticks}
    )
    now = services.clock.now()
    await services.conversations.save("memory", user, state, now, now + timedelta(hours=24))


async def test_a_unit_casts_once_and_the_chair_sees_only_who_voted(services: Services) -> None:
    people, stored = await _open(services)
    assert stored.closes_at - stored.opened_at == timedelta(hours=24)
    ma = people["MA"]
    [mine] = (await vote_view(services, ma)).unit_rounds
    assert (mine.round.id, mine.standing) == (stored.id, UnitStanding.MAY_CAST)
    assert (await vote_view(services, ma)).turnout is None  # a member sees no turnout
    done = await cast(services, ma, stored.id, ("DB",))
    assert isinstance(done, CastBallot) and done.at == services.clock.now()
    assert await cast(services, ma, stored.id, ("ML",)) is VoteRefusal.VOTED
    chair = await vote_view(services, people["TG"])
    assert chair.turnout is not None
    [turnout] = chair.turnout.rounds
    assert turnout.voted == frozenset({"MA"}) and turnout.quorum == 3 and not turnout.may_close
    [mine] = (await vote_view(services, ma)).unit_rounds
    assert mine.standing is UnitStanding.VOTED
    with pytest.raises(ValueError, match="only at its close"):
        await services.ballots.tally(stored)  # the box is sealed until the close
    [[sealed]] = await services.db.fetchall("SELECT sealed FROM ballot_box")
    assert len(sealed) == 12 + 1 + 16  # nonce, one byte of ticks, tag: alike for every choice
    for unit in ("DB", "TG", "ML"):
        await cast(services, people[unit], stored.id, ("DB",))
    closed = await close_now(services, people["TG"], stored.id, confirmed=True)
    assert not isinstance(closed, (VoteRefusal, VoidRound, CloseConfirm))
    assert (closed.tally.counts, closed.tally.cast) == ({"MA": 0, "DB": 4, "ML": 0}, 4)
    assert await services.db.fetchall("SELECT * FROM ballot_box") == []
    assert not list(services.settings.seals_dir.glob("*.key"))  # the key is destroyed


async def test_an_invalid_ballot_is_refused_and_changes_nothing(services: Services) -> None:
    people, stored = await _open(services)
    db = people["DB"]
    too_many = await cast(services, db, stored.id, ("MA", "ML"))
    unknown = await cast(services, db, stored.id, ("TG",))
    assert too_many is unknown is VoteRefusal.INVALID_CHOICE
    assert await cast(services, db, 999, ()) is VoteRefusal.CLOSED
    assert await services.ballots.voters(stored.id) == set()


async def test_only_the_primary_or_the_named_delegate_casts(services: Services) -> None:
    people, stored = await _open(services)
    second = await actor(services, "ma2", "MA", Role.MEMBER)
    assert not second.is_primary
    assert await ballot_round(services, second, stored.id) is VoteRefusal.NOT_CASTER
    [mine] = (await vote_view(services, people["MA"])).unit_rounds
    assert [c.officer_id for c in mine.colleagues] == [second.officer_id]
    ballot_id = stored.ballot.id
    stranger = people["DB"].officer_id
    stale = await name_delegate(services, people["MA"], ballot_id, stranger)
    assert stale is VoteRefusal.STALE  # not an officer of the unit
    assert await name_delegate(services, second, ballot_id, people["MA"].officer_id) is (
        VoteRefusal.STALE  # only the primary names the caster
    )
    await _draft(services, "ma", stored, "MA")  # the primary had started a ballot
    await _draft(services, "db", stored, "DB")
    named = await name_delegate(services, people["MA"], ballot_id, second.officer_id)
    assert not isinstance(named, VoteRefusal) and named.officer_id == second.officer_id
    assert await ballot_round(services, people["MA"], stored.id) is VoteRefusal.NOT_CASTER
    assert await ballot_round(services, second, stored.id) == stored
    assert isinstance(await cast(services, second, stored.id, ("ML",)), CastBallot)
    assert await services.conversations.get("memory", "ma") is None  # the delegate's cast
    assert await services.conversations.get("memory", "db") is not None  # another unit's


async def test_the_close_counts_opens_a_second_round_and_the_chair_decides(
    services: Services,
) -> None:
    people, stored = await _open(services)
    chair = people["TG"]
    for unit, pick in (("TG", "MA"), ("MA", "DB"), ("DB", "ML")):
        await cast(services, people[unit], stored.id, (pick,))
    ask = await close_now(services, chair, stored.id)
    assert ask == CloseConfirm(stored, 3, 5)  # the quorum, not every unit: the chair confirms
    assert await services.ballots.round(stored.id) == stored  # still open
    first = await close_now(services, chair, stored.id, confirmed=True)
    assert not isinstance(first, (VoteRefusal, VoidRound, CloseConfirm))
    assert first.status is OutcomeStatus.NEXT_ROUND
    assert await close_now(services, chair, stored.id) is VoteRefusal.CLOSED
    assert await cast(services, people["ML"], stored.id, ()) is VoteRefusal.CLOSED
    [runoff] = (await vote_view(services, chair)).unit_rounds
    assert runoff.round.number == 2
    for unit, picks in (("TG", ("MA",)), ("MA", ("DB",)), ("DB", ())):
        await cast(services, people[unit], runoff.round.id, picks)
    last = await close_now(services, chair, runoff.round.id, confirmed=True)
    assert not isinstance(last, (VoteRefusal, VoidRound, CloseConfirm))
    assert last.status is OutcomeStatus.DECISION
    view = await vote_view(services, chair)
    assert view.turnout is not None and view.unit_rounds == ()
    [pending] = view.turnout.pending
    assert pending.round.id == runoff.round.id
    first_round = await decide_by_record(services, chair, stored.id)
    assert first_round is VoteRefusal.STALE  # the last round is the one decided on
    elected = await decide_by_record(services, chair, runoff.round.id)
    assert elected == pending.by_record
    assert await decided(services) == {Title.FLAG: pending.by_record}
    assert await decide_by_record(services, chair, runoff.round.id) is VoteRefusal.STALE


async def test_one_ballot_of_five_can_never_be_counted(services: Services) -> None:
    """The audit's attack: one unit votes and the chair closes at once. Refused below the
    quorum; at its time the round is void, its box emptied unopened, and no count published."""
    people, stored = await _open(services)
    await cast(services, people["MA"], stored.id, ("DB",))
    assert await close_now(services, people["TG"], stored.id) is VoteRefusal.NO_QUORUM
    assert await close_now(services, people["TG"], stored.id, confirmed=True) is (
        VoteRefusal.NO_QUORUM
    )
    await cast(services, people["DB"], stored.id, ("ML",))
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(stored.closes_at)
    assert await close_due(services, clock.now()) == 1
    [void] = await services.ballots.rounds()
    assert void.void and void.closed_at == stored.closes_at
    assert await services.db.fetchall("SELECT * FROM ballot_counts") == []
    assert await services.db.fetchall("SELECT * FROM ballot_box") == []
    notices = await services.db.fetchall(
        "SELECT payload FROM outbox WHERE key LIKE '%ballot-result:%'"
    )
    assert len(notices) == 5 and all("không có giá trị: 2/5" in n[0] for n in notices)
    assert await decided(services) == {}


async def test_a_ballot_is_judged_by_the_closing_time_when_cast(services: Services) -> None:
    """Past ``closes_at`` a ballot is refused at once, not at the next tick: by the use case,
    and by the database should the time pass between the check and the commit."""
    people, stored = await _open(services)
    clock = services.clock
    assert isinstance(clock, FixedClock)
    early = Writes()
    await services.ballots.cast_into(early, stored, "MA", ("DB",), 1, stored.closes_at)
    clock.set(stored.closes_at)
    assert await cast(services, people["DB"], stored.id, ("DB",)) is VoteRefusal.CLOSED
    assert (await vote_view(services, people["DB"])).unit_rounds == ()
    with pytest.raises(sqlite3.IntegrityError):
        await services.db.commit(early)  # the ballot's time is the round's closing time
    assert await services.ballots.voters(stored.id) == set()
    assert await services.db.fetchall("SELECT * FROM ballot_box") == []


async def test_a_rounds_drafts_go_with_its_close(services: Services) -> None:
    people, stored = await _open(services)
    await _draft(services, "ma", stored, "MA")
    assert await draft_ticks(services, stored, (await _ticks(services, "ma"))) == ("DB",)
    for unit in ("TG", "DB", "ML"):
        await cast(services, people[unit], stored.id, ())
    await close_now(services, people["TG"], stored.id, confirmed=True)
    assert await services.conversations.get("memory", "ma") is None


async def _ticks(services: Services, user: str) -> str:
    state = await services.conversations.get("memory", user)
    assert state is not None
    return str(state.data["ticks"])


async def test_without_scores_every_unit_is_proposed(services: Services) -> None:
    """No unit is award-eligible before the scores: the chair starts from every unit."""
    units = tuple(u.code for u in services.cluster_year.cluster.units)
    assert await proposed_candidates(services, Title.FLAG) == units
    assert await proposed_candidates(services, Title.CHAIR) == units


async def test_a_backup_taken_mid_round_cannot_open_a_ballot(services: Services) -> None:
    """The nightly backup of an open round holds the sealed box and never the key."""
    people, stored = await _open(services)
    for unit in ("MA", "DB"):
        await cast(services, people[unit], stored.id, ("DB",))
    settings = services.settings
    archive = settings.data_dir.parent / "backup.tar"
    create_backup(settings.database_path, settings.files_dir, archive, services.clock.now())
    [key] = settings.seals_dir.glob("*.key")
    restored = settings.data_dir.parent / "restored"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tar.extract("cumthidua.sqlite3", restored, filter="data")
    assert not [name for name in names if name.endswith(".key") or "seal" in name]
    copied = restored / "cumthidua.sqlite3"
    assert key.read_bytes() not in copied.read_bytes()
    with closing(sqlite3.connect(copied)) as conn:
        box = [bytes(r[0]) for r in conn.execute("SELECT sealed FROM ballot_box")]
    assert len(box) == 2
    with pytest.raises(SealBroken):  # a restore elsewhere: no key, the round is void
        BallotSeals(settings.data_dir.parent / "elsewhere").open(
            stored.seal or "", box[0], "ballot"
        )
