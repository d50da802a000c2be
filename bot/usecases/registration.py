"""Joining with an invitation code, within the lockout that slows code guessing; who someone
is (/toi)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.access import Actor
from bot.domain.invitations import Claimant, Joined, Redemption
from bot.services.container import Services

__all__ = ["JOINED", "LockedOut", "Welcomed", "join", "linked_channels", "registered_as"]

log = logging.getLogger(__name__)

JOINED = (Redemption.JOINED, Redemption.LINKED)


@dataclass(frozen=True, slots=True)
class LockedOut:
    """Too many wrong codes from this chat: no code is tried before ``until``."""

    until: datetime


@dataclass(frozen=True, slots=True)
class Welcomed:
    joined: Joined
    services: Services
    """The services of the cluster-year the officer joined."""


async def join(services: Services, who: Claimant, code: str) -> LockedOut | Joined | Welcomed:
    """Redeem ``code`` for ``who``: welcomed, or the refusal (a wrong code counts towards the
    lockout; an identity already registered does not)."""
    settings, now = services.settings, services.clock.now()
    locked = await services.invitations.locked_until(
        who.channel,
        who.chat_id,
        now,
        settings.join_max_failures,
        timedelta(minutes=settings.join_failure_window_minutes),
        timedelta(minutes=settings.join_lockout_minutes),
    )
    if locked is not None:
        log.info("join refused (locked) for %s chat %s", who.channel, who.chat_id)
        return LockedOut(locked)
    joined = await services.invitations.redeem(code, who, now)
    if joined.outcome not in JOINED:
        log.info("join refused (%s) for %s chat %s", joined.outcome, who.channel, who.chat_id)
        if joined.outcome is not Redemption.ALREADY:
            await services.invitations.record_failure(who.channel, who.chat_id, now)
        return joined
    actor = await services.officers.actor(who.channel, who.user_id, now)
    return Welcomed(joined, services.scoped(services.years.for_actor(actor).id))


async def linked_channels(services: Services, actor: Actor) -> tuple[str, ...]:
    """The chat apps this officer is registered on."""
    return await services.officers.linked_channels(actor.officer_id)


async def registered_as(services: Services, channel: str, user_id: str) -> Actor | None:
    """Who this chat identity is now (after what its message did), in the year of its commands."""
    actor = await services.officers.actor(channel, user_id, services.clock.now())
    if actor is None:
        return None
    return actor.in_year(services.years.for_actor(actor).data.cluster.chair)
