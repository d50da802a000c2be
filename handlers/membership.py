"""The bot's membership in a chat changed: a user blocked or unblocked it."""

from __future__ import annotations

from bot.delivery.reachability import mark_reachable, mark_unreachable
from bot.domain.messages import Reply
from bot.engine.context import Context
from bot.engine.router import Router

__all__ = ["membership_router"]

membership_router = Router("membership")


@membership_router.on_membership
async def blocked_or_unblocked(ctx: Context) -> list[Reply]:
    inbound = ctx.inbound
    if inbound.membership == "blocked":
        await mark_unreachable(ctx.services, inbound.channel, inbound.chat_id)
    elif inbound.membership == "unblocked":
        await mark_reachable(ctx.services, inbound.channel, inbound.chat_id)
    return []
