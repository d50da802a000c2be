"""The chair locks the cluster-year's scores: after this no sheet and no review changes, and the
ranking is final."""

from __future__ import annotations

from bot.domain.access import Actor
from bot.services.container import Services

__all__ = ["is_locked", "lock"]


async def is_locked(services: Services) -> bool:
    return await services.scores.locked()


async def lock(services: Services, actor: Actor) -> bool:
    """Lock the scores; False when they already were."""
    return await services.scores.lock(actor.officer_id, services.clock.now())
