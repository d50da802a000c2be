"""Registered officers as the use cases receive them: an ``Actor`` per unit, or one joined by
its own invitation on a given chat."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access import Actor, Role
from bot.domain.invitations import Claimant
from bot.services.container import Services
from tests.clusters import join as join_unit


async def actor(services: Services, user: str, unit: str | None, role: Role) -> Actor:
    """Register ``user`` for ``unit`` on the memory channel and return them as an actor."""
    await join_unit(services, "memory", user, unit, role)
    found = await services.officers.actor("memory", user, services.clock.now())
    assert found is not None
    return found


async def unit_actors(services: Services, chair: str = "TG") -> dict[str, Actor]:
    """One officer (the primary) for every unit of the cluster, the chair unit's as chair."""
    return {
        u.code: await actor(
            services, u.code.lower(), u.code, Role.CHAIR if u.code == chair else Role.MEMBER
        )
        for u in services.cluster_year.cluster.units
    }


async def join(services: Services, chat: str, unit: str | None, role: Role) -> Actor:
    """A new officer of ``unit`` whose private chat on the memory channel is ``chat``."""
    now = services.clock.now()
    _id, code = await services.invitations.create(
        unit, role, now, timedelta(days=7), created_by=None, actor="test"
    )
    joined = await services.invitations.redeem(
        code, Claimant("memory", chat, chat, f"Cán bộ {chat}"), now
    )
    assert joined.officer_id is not None and joined.role is not None
    return Actor(joined.officer_id, f"Cán bộ {chat}", joined.unit_code, joined.role)
