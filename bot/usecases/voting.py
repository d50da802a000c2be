"""The year-end vote, the one module where ballots are opened, cast and closed: the chair opens
a ballot, a unit's primary officer (or the delegate they name) casts the unit's ballot once, the
round closes at its time or by the chair (counts, the rule, a second round, the results to every
officer), and the chair decides by the record when the rule asks it. The queries give the
turnout (who voted, never what), a unit's view of the open rounds, and what the votes decided,
for the ranking, the handover and the documents.

Secrecy (see ``storage.ballots``): a ballot is sealed and goes in the box in the cast's own event
transaction, with its receipt's journal; a draft's ticks are kept sealed too, and every draft of
the unit goes with its cast, every draft of a round with its close. A ballot is judged against
the round's closing time when it is cast. The chair closes a round early only when every unit
has voted or the quorum has (and confirms it); no count is published from fewer ballots than the
rule's minimum: such a round is void."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.access import Actor
from bot.domain.ballots import (
    Outcome,
    OutcomeStatus,
    Title,
    check_choice,
    decide,
    default_candidates,
)
from bot.domain.messages import Reply
from bot.domain.officer_records import OfficerRecord
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.notices import notify_officers
from bot.services.ranking_data import final_scores, load_ranking, strongest_first
from bot.services.vote_count import closed_outcomes, counted, elected
from bot.texts.voting import ballot_reply, result_text, void_text
from storage.ballots import Closing, StoredRound
from storage.database import Writes

__all__ = [
    "BALLOT_DRAFT",
    "CastBallot",
    "CloseConfirm",
    "Colleague",
    "NewBallot",
    "OpenedVote",
    "PendingDecision",
    "Person",
    "RoundTurnout",
    "StoredRound",
    "Turnout",
    "UnitRound",
    "UnitStanding",
    "VoidRound",
    "VoteRefusal",
    "VoteView",
    "ballot_round",
    "cast_ballot",
    "close_due",
    "close_now",
    "close_round",
    "decide_by_record",
    "decided",
    "draft_ticks",
    "name_delegate",
    "open_vote",
    "outcome",
    "outcomes",
    "proposed_candidates",
    "record",
    "remind_unvoted",
    "seal_ticks",
    "send_ballot",
    "vote_view",
]

log = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(hours=1)
"""The last reminder comes this long before the close; the first half-way through the round."""
DELEGATES_OFFERED = 5
"""A primary officer is offered at most this many colleagues to name as the unit's caster."""
BALLOT_DRAFT = "ballot"
"""The conversation (flow) that holds a unit's ballot draft: ``round``, ``unit``, sealed
``ticks``."""


class VoteRefusal(StrEnum):
    """Why a vote's action was refused (nothing changed); the door words it."""

    CLOSED = "closed"
    """The round is closed, or there is no such round."""
    NOT_ELECTORATE = "not_electorate"
    VOTED = "voted"
    """The unit has voted in this round already."""
    NOT_CASTER = "not_caster"
    """The unit's ballot is cast by its primary officer or the delegate they named."""
    INVALID_CHOICE = "invalid_choice"
    """The ticks are not a valid ballot for the round (see ``check_choice``)."""
    STALE = "stale"
    """The option no longer matches what is open."""
    NO_QUORUM = "no_quorum"
    """The chair may not close the round early yet: neither every unit nor the quorum voted."""
    TOO_FEW_UNITS = "too_few_units"
    """The cluster has fewer units than the ballots a count needs: no vote can stay secret."""


class UnitStanding(StrEnum):
    VOTED = "voted"
    NOT_CASTER = "not_caster"
    MAY_CAST = "may_cast"


@dataclass(frozen=True, slots=True)
class RoundTurnout:
    round: StoredRound
    voted: frozenset[str]
    """The units that have voted (never what they chose)."""
    quorum: int
    """The fewest ballots with which the chair may close the round early."""

    @property
    def may_close(self) -> bool:
        return len(self.voted) >= self.quorum


@dataclass(frozen=True, slots=True)
class CloseConfirm:
    """The quorum has voted, not every unit: the chair is asked to confirm the early close."""

    round: StoredRound
    voted: int
    units: int


@dataclass(frozen=True, slots=True)
class VoidRound:
    """A round closed with fewer ballots than the rule's minimum: no count is published."""

    round: StoredRound
    cast: int
    minimum: int


@dataclass(frozen=True, slots=True)
class PendingDecision:
    """A ballot whose last round left seats for the chair and deputy to decide."""

    round: StoredRound
    by_record: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Turnout:
    """What the chair sees: the open rounds' turnout and the decisions awaited."""

    rounds: tuple[RoundTurnout, ...]
    pending: tuple[PendingDecision, ...]


@dataclass(frozen=True, slots=True)
class Colleague:
    officer_id: int
    name: str


@dataclass(frozen=True, slots=True)
class UnitRound:
    """One open round as a unit's officer sees it."""

    round: StoredRound
    standing: UnitStanding
    colleagues: tuple[Colleague, ...] = ()
    """Whom a primary officer may name to cast for the unit."""


@dataclass(frozen=True, slots=True)
class VoteView:
    turnout: Turnout | None
    """None unless the officer manages the cluster."""
    unit_rounds: tuple[UnitRound, ...]


@dataclass(frozen=True, slots=True)
class NewBallot:
    title: Title
    candidates: tuple[str, ...]
    seats: int
    hours: int
    """The round closes this many hours after it opens."""


@dataclass(frozen=True, slots=True)
class OpenedVote:
    round: StoredRound
    queued: int
    """How many chats the ballot is on its way to."""


@dataclass(frozen=True, slots=True)
class Person:
    """Who casts, as the chat knows them: whose buttons and menus the cast spends."""

    channel: str
    chat_id: str
    user_id: str


@dataclass(frozen=True, slots=True)
class CastBallot:
    round: StoredRound
    at: datetime


async def record(services: Services) -> list[str]:
    """Unit codes strongest first: the score ranking, then the units not ranked."""
    scores = final_scores(await services.scores.latest(), await services.scores.reviews())
    units = [u.code for u in services.cluster_year.cluster.units]
    return strongest_first(services.cluster_year.scoring, scores, units)


async def outcome(services: Services, stored: StoredRound) -> Outcome:
    return await counted(services, stored, await record(services))


async def decided(services: Services) -> dict[Title, tuple[str, ...]]:
    """Who each finished vote elected."""
    return await elected(services, await record(services))


async def outcomes(services: Services) -> list[Outcome]:
    """The outcome of every closed round, in the order held (counts only, never voters)."""
    return await closed_outcomes(services, await record(services))


async def close_round(
    services: Services, stored: StoredRound, officer_id: int | None, now: datetime
) -> Outcome | VoidRound | None:
    """Close a round, count it under the rule (or void it when too few voted), open the next
    round where needed and send the results to every officer; the round's drafts go. None when
    it was closed already."""
    minimum = stored.ballot.rule.min_ballots
    closing = await services.ballots.close(stored, officer_id, now, minimum)
    if closing is None:
        return None
    await services.conversations.forget(BALLOT_DRAFT, round=stored.id)
    everyone = await services.officers.active()
    cluster = services.cluster_year.cluster
    key = services.year_key(f"ballot-result:{stored.id}")
    if closing is Closing.VOID:
        void = VoidRound(stored, len(await services.ballots.voters(stored.id)), minimum)

        def build_void(_: Translator) -> Reply:
            return Reply(void_text(stored.as_ballot, void.cast, minimum, _))

        await notify_officers(services, everyone, key, build_void)
        return void
    result = await outcome(services, stored)

    def build(_: Translator) -> Reply:
        return Reply(result_text(cluster, result, _))

    await notify_officers(services, everyone, key, build)
    runoff = result.next_round
    if runoff is not None:
        closes = now + (stored.closes_at - stored.opened_at)
        round_id = await services.ballots.next_round(
            stored.ballot.id,
            runoff.round,
            runoff.candidates,
            runoff.seats,
            runoff.elected_before,
            closes,
            now,
        )
        following = await services.ballots.round(round_id)
        assert following is not None
        await send_ballot(services, following)
    return result


def _ballot(
    services: Services, stored: StoredRound, _: Translator, reminder: bool = False
) -> Reply:
    cluster, year = services.cluster_year.cluster, services.year.year
    return ballot_reply(cluster, year, stored.as_ballot, stored.id, stored.closes_at, _, reminder)


async def send_ballot(services: Services, stored: StoredRound) -> int:
    """The ballot to every officer of the electorate's units."""
    units = stored.ballot.electorate
    officers: list[OfficerRecord] = [
        o for o in await services.officers.active() if o.unit_code in units
    ]

    def build(_: Translator) -> Reply:
        return _ballot(services, stored, _)

    return await notify_officers(
        services, officers, services.year_key(f"ballot:{stored.id}"), build
    )


async def close_due(services: Services, now: datetime) -> int:
    """Close the rounds whose time has come; returns how many."""
    closed = 0
    for stored in await services.ballots.open_rounds():
        if stored.closes_at <= now and await close_round(services, stored, None, now):
            closed += 1
    return closed


async def remind_unvoted(services: Services, now: datetime) -> int:
    """Remind the units that have not voted: half-way through a round and an hour before its
    close, each once (the reminder log); returns how many messages were queued."""
    queued = 0
    for stored in await services.ballots.open_rounds():
        halfway = stored.opened_at + (stored.closes_at - stored.opened_at) / 2
        rungs = {"half": halfway, "last": stored.closes_at - REMIND_BEFORE}
        due = [name for name, at in rungs.items() if stored.opened_at < at <= now]
        if not due:
            continue
        voted = await services.ballots.voters(stored.id)
        handled = await services.reminders.handled(f"ballot-{stored.id}:")
        officers = await services.officers.active()

        def build(_: Translator, stored: StoredRound = stored) -> Reply:
            return _ballot(services, stored, _, reminder=True)

        for unit_code in sorted(stored.ballot.electorate - voted):
            keys = [f"ballot-{stored.id}:{unit_code}:{name}" for name in due]
            if keys[-1] in handled:
                continue
            for passed in keys[:-1]:  # an earlier rung missed (the bot was down): not both
                if passed not in handled:
                    await services.reminders.record(passed, "skipped", now)
            own = [o for o in officers if o.unit_code == unit_code]
            remind = services.year_key(f"remind:{keys[-1]}")
            if await notify_officers(services, own, remind, build):
                queued += 1
            await services.reminders.record(keys[-1], "enqueued", now)
    return queued


# What the doors show ------------------------------------------------------------------------


async def vote_view(services: Services, actor: Actor) -> VoteView:
    """/bophieu: the turnout for the chair, then each open round the officer's unit votes in."""
    rounds = await services.ballots.open_rounds()
    turnout = await _turnout(services, rounds) if actor.can_manage else None
    now = services.clock.now()
    mine = [
        await _unit_round(services, actor, stored)
        for stored in rounds
        if actor.unit_code in stored.ballot.electorate and stored.accepts(now)
    ]
    return VoteView(turnout, tuple(mine))


async def _turnout(services: Services, rounds: list[StoredRound]) -> Turnout:
    counted = [
        RoundTurnout(
            r,
            frozenset(await services.ballots.voters(r.id)),
            r.ballot.rule.quorum_units(len(r.ballot.electorate)),
        )
        for r in rounds
    ]
    return Turnout(tuple(counted), tuple(await _pending(services)))


async def _pending(services: Services) -> list[PendingDecision]:
    """The ballots whose last round left the decision to the chair and deputy, not yet taken."""
    last: dict[int, StoredRound] = {}
    for stored in await services.ballots.rounds():
        last[stored.ballot.id] = stored
    waiting = []
    for stored in last.values():
        if not stored.counted or stored.ballot.decided is not None:
            continue
        result = await outcome(services, stored)
        if result.status is OutcomeStatus.DECISION:
            waiting.append(PendingDecision(stored, result.by_record))
    return waiting


def _may_cast(actor: Actor, delegate: int | None) -> bool:
    return actor.officer_id == delegate if delegate is not None else actor.is_primary


async def _standing(services: Services, actor: Actor, stored: StoredRound) -> UnitStanding:
    if actor.unit_code in await services.ballots.voters(stored.id):
        return UnitStanding.VOTED
    delegate = await services.ballots.delegate(stored.ballot.id, actor.unit_code or "")
    return UnitStanding.MAY_CAST if _may_cast(actor, delegate) else UnitStanding.NOT_CASTER


async def _unit_round(services: Services, actor: Actor, stored: StoredRound) -> UnitRound:
    standing = await _standing(services, actor, stored)
    if standing is not UnitStanding.MAY_CAST or not actor.is_primary:
        return UnitRound(stored, standing)
    colleagues = [
        Colleague(o.id, o.name)
        for o in await services.officers.active()
        if o.unit_code == actor.unit_code and o.id != actor.officer_id
    ]
    return UnitRound(stored, standing, tuple(colleagues[:DELEGATES_OFFERED]))


async def proposed_candidates(services: Services, title: Title) -> tuple[str, ...]:
    """A new ballot's candidates by default: the eligible units in ranking order (every unit
    when the title has no rule of its own)."""
    ranking = await load_ranking(services)
    units = [u.code for u in services.cluster_year.cluster.units]
    return tuple(default_candidates(title, ranking.ranked if ranking else [], units) or units)


async def ballot_round(
    services: Services, actor: Actor, round_id: int
) -> StoredRound | VoteRefusal:
    """The open round the officer may cast their unit's ballot in, or why not."""
    stored = await services.ballots.round(round_id)
    if stored is None or not stored.accepts(services.clock.now()):
        return VoteRefusal.CLOSED
    if actor.unit_code not in stored.ballot.electorate:
        return VoteRefusal.NOT_ELECTORATE
    standing = await _standing(services, actor, stored)
    if standing is UnitStanding.VOTED:
        return VoteRefusal.VOTED
    if standing is UnitStanding.NOT_CASTER:
        return VoteRefusal.NOT_CASTER
    return stored


# What the chair does -------------------------------------------------------------------------


async def open_vote(services: Services, actor: Actor, new: NewBallot) -> OpenedVote | VoteRefusal:
    """Open a ballot for every unit of the cluster and send it to their officers."""
    cluster = services.cluster_year.cluster
    if len(cluster.units) < cluster.election.min_ballots:
        return VoteRefusal.TOO_FEW_UNITS
    now = services.clock.now()
    round_id = await services.ballots.open(
        new.title,
        new.candidates,
        new.seats,
        cluster.election,
        frozenset(u.code for u in cluster.units),
        now + timedelta(hours=new.hours),
        actor.officer_id,
        now,
    )
    stored = await services.ballots.round(round_id)
    assert stored is not None
    return OpenedVote(stored, await send_ballot(services, stored))


async def close_now(
    services: Services, actor: Actor, round_id: int, confirmed: bool = False
) -> Outcome | VoidRound | CloseConfirm | VoteRefusal:
    """The chair closes an open round before its time: at once when every unit has voted;
    when only the quorum has, once the chair confirms it; before that, never."""
    stored = await services.ballots.round(round_id)
    if stored is None or stored.closed_at is not None:
        return VoteRefusal.CLOSED
    voted, units = len(await services.ballots.voters(stored.id)), len(stored.ballot.electorate)
    now = services.clock.now()
    if stored.accepts(now):
        if not stored.ballot.rule.quorum_met(voted, units):
            return VoteRefusal.NO_QUORUM
        if voted < units and not confirmed:
            return CloseConfirm(stored, voted, units)
    result = await close_round(services, stored, actor.officer_id, now)
    return VoteRefusal.CLOSED if result is None else result


async def decide_by_record(
    services: Services, actor: Actor, round_id: int
) -> tuple[str, ...] | VoteRefusal:
    """The chair confirms the units by the record for the seats the last round left open;
    returns everyone the ballot elected."""
    pending = next((p for p in await _pending(services) if p.round.id == round_id), None)
    if pending is None:
        return VoteRefusal.STALE
    result = await outcome(services, pending.round)
    await services.ballots.decide(
        pending.round.ballot.id, result.by_record, actor.officer_id, services.clock.now()
    )
    return decide(result, result.by_record)


# What a unit does ----------------------------------------------------------------------------


async def name_delegate(
    services: Services, actor: Actor, ballot_id: int, officer_id: int
) -> Colleague | VoteRefusal:
    """A unit's primary officer lets a colleague of the unit cast its ballot."""
    delegate = await services.officers.get(officer_id)
    rounds = [r for r in await services.ballots.open_rounds() if r.ballot.id == ballot_id]
    if (
        not actor.is_primary
        or not rounds
        or delegate is None
        or delegate.unit_code != actor.unit_code
    ):
        return VoteRefusal.STALE
    await services.ballots.name_delegate(
        ballot_id, actor.unit_code or "", delegate.id, actor.officer_id, services.clock.now()
    )
    return Colleague(delegate.id, delegate.name)


async def draft_ticks(services: Services, stored: StoredRound, sealed: str) -> tuple[str, ...]:
    """The candidates a unit's draft ticks (kept sealed in the conversation)."""
    return await services.ballots.open_draft(stored, sealed) if sealed else ()


async def seal_ticks(services: Services, stored: StoredRound, picked: tuple[str, ...]) -> str:
    """A draft's ticks, sealed as the conversation keeps them."""
    return await services.ballots.seal_draft(stored, picked)


async def cast_ballot(
    services: Services,
    actor: Actor,
    round_id: int,
    picked: tuple[str, ...],
    person: Person,
    writes: Writes,
) -> CastBallot | VoteRefusal:
    """Put the unit's ballot in the box, final and secret, in the event's own transaction
    (``writes``, with its receipt's journal); every draft of the unit for the round goes with
    it (the primary officer's when the delegate casts), and ``person``'s buttons and menus.
    Nothing that names the choice is logged. A cast that lost a race (the unit voted, the round
    closed) fails the commit, and with it the event."""
    found = await ballot_round(services, actor, round_id)
    if isinstance(found, VoteRefusal):
        return found
    if check_choice(found.as_ballot, picked) is not None:
        return VoteRefusal.INVALID_CHOICE
    now, unit = services.clock.now(), actor.unit_code or ""
    await services.ballots.cast_into(writes, found, unit, picked, actor.officer_id, now)
    services.conversations.forget_into(writes, BALLOT_DRAFT, round=found.id, unit=unit)
    services.options.forget_person_into(writes, person.channel, person.chat_id, person.user_id)
    writes.on_commit(lambda: log.info("ballot cast in round %s", found.id))
    return CastBallot(found, now)
