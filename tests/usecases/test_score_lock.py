"""Locking the scores as a use case: once, by the chair, after which they stay locked."""

from __future__ import annotations

from bot.domain.access import Role
from bot.services.container import Services
from bot.usecases import score_lock
from tests.usecases.officers import actor


async def test_the_scores_lock_once(services: Services) -> None:
    chair = await actor(services, "c1", "TG", Role.CHAIR)
    assert not await score_lock.is_locked(services)
    assert await score_lock.lock(services, chair)
    assert await score_lock.is_locked(services)
    assert not await score_lock.lock(services, chair)
