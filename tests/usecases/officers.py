"""Registered officers as the use cases receive them: an ``Actor`` per unit."""

from __future__ import annotations

from bot.domain.access import Actor, Role
from bot.services.container import Services
from tests.clusters import join


async def actor(services: Services, user: str, unit: str | None, role: Role) -> Actor:
    """Register ``user`` for ``unit`` on the memory channel and return them as an actor."""
    await join(services, "memory", user, unit, role)
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
