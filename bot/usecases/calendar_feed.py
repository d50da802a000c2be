"""Each person's deadlines, and the secret address of their calendar feed (``/lich``).

A person's deadlines: their unit's deliverables (every deliverable of the cluster-year for the
chair, an administrator and people of no unit, who follow the whole cluster), the open or
scheduled vote rounds their unit is an elector of, and the pact while their unit has not signed
it. A deliverable's or the pact's day is the one the reminders treat as the deadline (a due date
on a weekend or a Vietnamese public holiday moves to the working day before); a vote's is the
day it closes, in the cluster's time zone. Each deadline has a UID stable across fetches, so a
phone calendar updates its events rather than adding them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.access import Actor, Role
from bot.domain.ballots import Title
from bot.domain.deadline_days import reminded_due, work_calendar
from bot.services.container import Services
from bot.usecases.web_signin import Visitor, person_of
from storage.web_access import Holder, WebAccessRepository

__all__ = [
    "CalendarFeed",
    "CalendarLink",
    "CalendarLinkKept",
    "Deadline",
    "DeadlineKind",
    "calendar_link",
    "deadlines",
    "feed",
    "plan_deadlines",
]

FEED_PATH = "/cal/"
UID_DOMAIN = "cumthidua"


class DeadlineKind(StrEnum):
    DELIVERABLE = "deliverable"
    VOTE = "vote"
    PACT = "pact"


@dataclass(frozen=True, slots=True)
class Deadline:
    uid: str
    kind: DeadlineKind
    day: date
    """The day shown: the working day the reminders use, or the day a vote closes."""
    planned: date
    """The date as the plan (or the pact, or the vote) set it."""
    title: str = ""
    """The deliverable's title (empty for votes and the pact)."""
    ballot: Title | None = None
    round: int | None = None


@dataclass(frozen=True, slots=True)
class CalendarFeed:
    cluster: str
    year: int
    timezone: str
    deadlines: tuple[Deadline, ...]
    language: str


@dataclass(frozen=True, slots=True)
class CalendarLink:
    """A new secret address (any older one stopped working)."""

    url: str


@dataclass(frozen=True, slots=True)
class CalendarLinkKept:
    """The person has an address already, made then; it is shown only once (kept hashed)."""

    since: datetime


def _repository(services: Services) -> WebAccessRepository:
    return WebAccessRepository(services.db)


def _follows_everything(actor: Actor) -> bool:
    return actor.can_manage or actor.unit_code is None


def _uid(services: Services, kind: DeadlineKind, key: object) -> str:
    """The same on every fetch of the feed, unique across kinds and cluster-years."""
    return f"{kind}-{services.year.id}-{key}@{UID_DOMAIN}"


def _deliverables(services: Services, unit_code: str | None) -> list[Deadline]:
    year = services.cluster_year
    cluster = year.cluster
    owed = [
        d
        for d in year.plan.deliverables
        if unit_code is None or unit_code in {u.code for u in year.owers(d)}
    ]
    calendar = work_calendar(d.due for d in owed)
    return [
        Deadline(
            _uid(services, DeadlineKind.DELIVERABLE, d.code),
            DeadlineKind.DELIVERABLE,
            reminded_due(d.due, cluster.reminders, calendar, cluster.timezone),
            d.due,
            title=d.title,
        )
        for d in owed
    ]


def plan_deadlines(services: Services) -> tuple[Deadline, ...]:
    """Every deliverable of the cluster-year, with the day its reminders treat as due."""
    return tuple(_deliverables(services, None))


async def _votes(services: Services, unit_code: str | None) -> list[Deadline]:
    zone = ZoneInfo(services.cluster_year.cluster.timezone)
    found = []
    for stored in await services.ballots.open_rounds():
        if unit_code is not None and unit_code not in stored.ballot.electorate:
            continue
        closes = stored.closes_at.astimezone(zone).date()
        found.append(
            Deadline(
                _uid(services, DeadlineKind.VOTE, stored.id),
                DeadlineKind.VOTE,
                closes,
                closes,
                ballot=stored.ballot.title,
                round=stored.number,
            )
        )
    return found


async def _pact(services: Services, actor: Actor) -> list[Deadline]:
    """The pact's signing day, for the chair and for a member unit that has not signed."""
    if actor.role not in (Role.MEMBER, Role.CHAIR):
        return []
    pact = await services.pacts.current()
    if pact is None:
        return []
    if actor.role is Role.MEMBER and actor.unit_code in await services.pacts.signatures(pact.id):
        return []
    cluster = services.cluster_year.cluster
    day = reminded_due(pact.due, cluster.reminders, work_calendar([pact.due]), cluster.timezone)
    return [Deadline(_uid(services, DeadlineKind.PACT, pact.id), DeadlineKind.PACT, day, pact.due)]


async def deadlines(services: Services, actor: Actor) -> tuple[Deadline, ...]:
    """The actor's deadlines in the cluster-year of ``services``, by day."""
    unit = None if _follows_everything(actor) else actor.unit_code
    found = [
        *_deliverables(services, unit),
        *await _votes(services, unit),
        *await _pact(services, actor),
    ]
    return tuple(sorted(found, key=lambda d: (d.day, d.kind, d.uid)))


async def calendar_link(
    services: Services, actor: Actor, channel: str, user_id: str, renew: bool = False
) -> CalendarLink | CalendarLinkKept:
    """The person's calendar address: a new one when they have none or ask for a new one
    (``renew``: the old one is revoked), else when the one they have was made."""
    repository = _repository(services)
    if not renew:
        since = await repository.calendar_since(actor.officer_id)
        if since is not None:
            return CalendarLinkKept(since)
    holder = Holder(actor.officer_id, channel, user_id, services.clock.now())
    token = await repository.renew_calendar(holder)
    return CalendarLink(f"{services.web_url}{FEED_PATH}{token}.ics")


async def feed(services: Services, token: str) -> CalendarFeed | None:
    """The feed behind a secret address; None for an unknown or revoked one, or once its
    person is no longer that officer."""
    holder = await _repository(services).calendar(token)
    person: Visitor | None = await person_of(services, holder) if holder else None
    if person is None:
        return None
    scoped = services.scoped(person.year_id)
    return CalendarFeed(
        scoped.cluster_year.cluster.name,
        scoped.year.year,
        scoped.cluster_year.cluster.timezone,
        await deadlines(scoped, person.actor),
        person.language,
    )
