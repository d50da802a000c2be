"""Officers for use-case tests, joined the way the invitation flow joins them."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access import Actor, Role
from bot.services.container import Services
from storage.invitations import Claimant


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
