"""The chair's list of officers as a use case: remove, the primary contact, leaving."""

from __future__ import annotations

from bot.domain.access import Role
from bot.services.container import Services
from bot.usecases import officer_roster
from tests.clusters import join


async def test_removing_and_choosing_the_primary_contact(services: Services) -> None:
    await join(services, "telegram", "1", "TG", Role.CHAIR)
    chair = await services.officers.actor("telegram", "1", services.clock.now())
    first = await join(services, "telegram", "2", "MA", Role.MEMBER)
    second = await join(services, "zalo", "3", "MA", Role.MEMBER)
    admin = await join(services, "telegram", "4", None, Role.ADMIN)
    assert chair is not None
    listed = {o.id for o in await officer_roster.active_officers(services)}
    assert {first, second, admin} <= listed
    assert admin not in {o.id for o in await officer_roster.choosable(services, False)}
    assert await officer_roster.officer(services, admin) is None
    candidates = {o.id for o in await officer_roster.choosable(services, True)}
    assert second in candidates and first not in candidates  # the first is primary already
    assert await officer_roster.make_primary(services, second, chair)
    assert first in {o.id for o in await officer_roster.choosable(services, True)}
    assert await officer_roster.remove(services, first, chair)
    assert first not in {o.id for o in await officer_roster.active_officers(services)}
    assert "officer.removed" in [e.action for e in await services.audit.entries("officer.")]


async def test_an_officer_who_leaves_is_no_longer_recognised(services: Services) -> None:
    await join(services, "zalo", "9", "DB", Role.MEMBER)
    actor = await services.officers.actor("zalo", "9", services.clock.now())
    assert actor is not None
    await officer_roster.leave(services, actor)
    assert await services.officers.actor("zalo", "9", services.clock.now()) is None
    assert await officer_roster.unreachable(services) == []
