"""A person's deadlines and calendar address, directly on the use case: their unit's
deliverables (every one for the chair) on the working day the reminders use, the vote rounds
their unit elects in, the pact until their unit signs; one address at a time, shown once."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.access import Actor, Role
from bot.domain.ballots import ElectionRule, Title
from bot.services.container import Services
from bot.usecases.calendar_feed import (
    CalendarLink,
    CalendarLinkKept,
    DeadlineKind,
    calendar_link,
    deadlines,
    feed,
    plan_deadlines,
)
from tests.clusters import join

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def _actor(services: Services, user: str, unit: str, role: Role) -> Actor:
    await join(services, "memory", user, unit, role)
    actor = await services.officers.actor("memory", user, services.clock.now())
    assert actor is not None
    return actor.in_year(services.cluster_year.cluster.chair)


def _days(found: tuple) -> list[tuple[DeadlineKind, date, date]]:
    return [(d.kind, d.day, d.planned) for d in found]


async def test_a_member_sees_its_unit_and_the_reminders_working_days(
    services: Services,
) -> None:
    member = await _actor(services, "ma", "MA", Role.MEMBER)
    chair = await _actor(services, "tg", "TG", Role.CHAIR)
    # the annual report is due on Saturday 31/12/2022: reminded, and shown, on Friday 30/12
    assert _days(await deadlines(services, member)) == [
        (DeadlineKind.DELIVERABLE, date(2022, 6, 30), date(2022, 6, 30)),
        (DeadlineKind.DELIVERABLE, date(2022, 12, 30), date(2022, 12, 31)),
    ]
    assert len(await deadlines(services, chair)) == len(plan_deadlines(services)) == 2

    closes = datetime(2022, 12, 20, 23, 30, tzinfo=ZONE)  # 16:30 UTC: still the 20th locally
    await services.ballots.open(
        Title.FLAG,
        ("MA", "DB"),
        1,
        ElectionRule(),
        frozenset({"MA", "DB"}),
        closes,
        chair.officer_id,
        services.clock.now(),
    )
    pact_id = await services.pacts.create(
        "Giao ước", None, date(2022, 3, 26), chair.officer_id, services.clock.now()
    )
    found = await deadlines(services, member)
    assert [(d.kind, d.day) for d in found if d.kind is not DeadlineKind.DELIVERABLE] == [
        (DeadlineKind.PACT, date(2022, 3, 25)),  # Saturday 26/3 → Friday 25/3
        (DeadlineKind.VOTE, date(2022, 12, 20)),
    ]
    vote = next(d for d in found if d.kind is DeadlineKind.VOTE)
    assert vote.ballot is Title.FLAG and vote.round == 1
    ml = await _actor(services, "ml", "ML", Role.MEMBER)
    assert {d.kind for d in await deadlines(services, ml)} == {
        DeadlineKind.DELIVERABLE,
        DeadlineKind.PACT,
    }  # not an elector
    await services.pacts.sign(pact_id, "MA", member.officer_id, "memory", services.clock.now())
    assert DeadlineKind.PACT not in {d.kind for d in await deadlines(services, member)}
    assert DeadlineKind.PACT in {d.kind for d in await deadlines(services, chair)}
    uids = [d.uid for d in await deadlines(services, chair)]
    assert uids == [d.uid for d in await deadlines(services, chair)] and len(set(uids)) == 4


async def test_one_calendar_address_at_a_time(services: Services) -> None:
    member = await _actor(services, "db", "DB", Role.MEMBER)
    first = await calendar_link(services, member, "memory", "db")
    assert isinstance(first, CalendarLink) and first.url.endswith(".ics")
    kept = await calendar_link(services, member, "memory", "db")
    assert isinstance(kept, CalendarLinkKept) and kept.since == services.clock.now()
    token = first.url.rsplit("/", 1)[1].removesuffix(".ics")
    shown = await feed(services, token)
    assert shown is not None and shown.year == 2022 and len(shown.deadlines) == 2
    services.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    second = await calendar_link(services, member, "memory", "db", renew=True)
    assert isinstance(second, CalendarLink) and second.url != first.url
    assert await feed(services, token) is None
    assert await feed(services, second.url.rsplit("/", 1)[1].removesuffix(".ics")) is not None
    assert [e.action for e in await services.audit.entries("calendar.")] == [
        "calendar.renewed",
        "calendar.renewed",
    ]
