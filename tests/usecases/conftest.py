"""The use cases driven directly on the real services of a fresh database (the root
conftest's fixture), with officers who joined the way real users do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.domain.access import Actor, Role
from bot.services.container import Services
from tests.clusters import join

__all__ = ["MakeActor", "actor_of"]

MakeActor = Callable[[str, Role], Awaitable[Actor]]


@pytest.fixture
def actor_of(services: Services) -> MakeActor:
    """An officer of a unit on the memory channel (user and chat id: the unit's code in lower
    case), as the router would see them."""

    async def make(unit: str, role: Role) -> Actor:
        user = unit.lower()
        await join(services, "memory", user, unit, role)
        actor = await services.officers.actor("memory", user, services.clock.now())
        assert actor is not None
        return actor

    return make
