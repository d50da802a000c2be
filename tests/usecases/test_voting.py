"""The vote's use cases on real storage: open, the unit's standing, cast once and in secret,
delegate, close (with a second round), decide by the record, the turnout."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access import Role
from bot.domain.ballots import OutcomeStatus, Title
from bot.services.container import Services
from bot.usecases.voting import (
    CastBallot,
    NewBallot,
    Person,
    UnitStanding,
    VoteRefusal,
    ballot_round,
    cast_ballot,
    close_now,
    decide_by_record,
    decided,
    name_delegate,
    open_vote,
    proposed_candidates,
    vote_view,
)
from tests.usecases.officers import actor, unit_actors

FLAG = NewBallot(Title.FLAG, ("MA", "DB", "ML"), 1, 24)


def _person(user: str) -> Person:
    return Person("memory", user, user)


async def test_a_unit_casts_once_and_the_chair_sees_only_who_voted(services: Services) -> None:
    people = await unit_actors(services)
    opened = await open_vote(services, people["TG"], FLAG)
    assert opened.queued == len(people)  # one chat per unit's officer
    assert opened.round.closes_at - opened.round.opened_at == timedelta(hours=24)
    ma = people["MA"]
    [mine] = (await vote_view(services, ma)).unit_rounds
    assert (mine.round.id, mine.standing) == (opened.round.id, UnitStanding.MAY_CAST)
    assert (await vote_view(services, ma)).turnout is None  # a member sees no turnout
    cast = await cast_ballot(services, ma, opened.round.id, ("DB",), _person("ma"))
    assert isinstance(cast, CastBallot) and cast.at == services.clock.now()
    again = await cast_ballot(services, ma, opened.round.id, ("ML",), _person("ma"))
    assert again is VoteRefusal.VOTED
    chair = await vote_view(services, people["TG"])
    assert chair.turnout is not None
    [turnout] = chair.turnout.rounds
    assert turnout.voted == frozenset({"MA"})
    [mine] = (await vote_view(services, ma)).unit_rounds
    assert mine.standing is UnitStanding.VOTED
    tally = await services.ballots.tally(opened.round)
    assert (tally.counts, tally.cast) == ({"MA": 0, "DB": 1, "ML": 0}, 1)


async def test_an_invalid_ballot_is_refused_and_changes_nothing(services: Services) -> None:
    people = await unit_actors(services)
    opened = await open_vote(services, people["TG"], FLAG)
    db = people["DB"]
    too_many = await cast_ballot(services, db, opened.round.id, ("MA", "ML"), _person("db"))
    unknown = await cast_ballot(services, db, opened.round.id, ("TG",), _person("db"))
    assert too_many is unknown is VoteRefusal.INVALID_CHOICE
    assert await cast_ballot(services, db, 999, (), _person("db")) is VoteRefusal.CLOSED
    assert await services.ballots.voters(opened.round.id) == set()


async def test_only_the_primary_or_the_named_delegate_casts(services: Services) -> None:
    people = await unit_actors(services)
    opened = await open_vote(services, people["TG"], FLAG)
    second = await actor(services, "ma2", "MA", Role.MEMBER)
    assert not second.is_primary
    assert await ballot_round(services, second, opened.round.id) is VoteRefusal.NOT_CASTER
    [mine] = (await vote_view(services, people["MA"])).unit_rounds
    assert [c.officer_id for c in mine.colleagues] == [second.officer_id]
    ballot_id = opened.round.ballot.id
    stranger = people["DB"].officer_id
    stale = await name_delegate(services, people["MA"], ballot_id, stranger)
    assert stale is VoteRefusal.STALE  # not an officer of the unit
    assert await name_delegate(services, second, ballot_id, people["MA"].officer_id) is (
        VoteRefusal.STALE  # only the primary names the caster
    )
    named = await name_delegate(services, people["MA"], ballot_id, second.officer_id)
    assert not isinstance(named, VoteRefusal) and named.officer_id == second.officer_id
    assert await ballot_round(services, people["MA"], opened.round.id) is VoteRefusal.NOT_CASTER
    assert await ballot_round(services, second, opened.round.id) == opened.round


async def test_the_close_counts_opens_a_second_round_and_the_chair_decides(
    services: Services,
) -> None:
    people = await unit_actors(services)
    chair = people["TG"]
    opened = await open_vote(services, chair, FLAG)
    first = await close_now(services, chair, opened.round.id)
    assert not isinstance(first, VoteRefusal) and first.status is OutcomeStatus.NEXT_ROUND
    assert await close_now(services, chair, opened.round.id) is VoteRefusal.CLOSED
    assert await cast_ballot(services, people["MA"], opened.round.id, (), _person("ma")) is (
        VoteRefusal.CLOSED
    )
    [runoff] = (await vote_view(services, chair)).unit_rounds
    assert runoff.round.number == 2
    last = await close_now(services, chair, runoff.round.id)
    assert not isinstance(last, VoteRefusal) and last.status is OutcomeStatus.DECISION
    view = await vote_view(services, chair)
    assert view.turnout is not None and view.unit_rounds == ()
    [pending] = view.turnout.pending
    assert pending.round.id == runoff.round.id
    first_round = await decide_by_record(services, chair, opened.round.id)
    assert first_round is VoteRefusal.STALE  # the last round is the one decided on
    elected = await decide_by_record(services, chair, runoff.round.id)
    assert elected == pending.by_record
    assert await decided(services) == {Title.FLAG: pending.by_record}
    assert await decide_by_record(services, chair, runoff.round.id) is VoteRefusal.STALE


async def test_without_scores_every_unit_is_proposed(services: Services) -> None:
    """No unit is award-eligible before the scores: the chair starts from every unit."""
    units = tuple(u.code for u in services.cluster_year.cluster.units)
    assert await proposed_candidates(services, Title.FLAG) == units
    assert await proposed_candidates(services, Title.CHAIR) == units
