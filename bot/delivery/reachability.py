"""Marking recipients unreachable (they blocked the bot) or reachable again; the chair is told
once per block."""

from __future__ import annotations

from bot.domain.messages import Reply
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.notices import notify_managers
from bot.texts.roles import unit_label

__all__ = ["mark_reachable", "mark_unreachable"]


async def mark_unreachable(services: Services, channel: str, chat_id: str) -> bool:
    """Returns True when this is news (the chair was told)."""
    now = services.clock.now()
    if not await services.officers.set_reachable(channel, chat_id, False, now):
        return False
    whose = await services.officers.actor_in_chat(channel, chat_id, now)
    services = services.scoped(services.years.for_actor(whose).id)  # the officer's cluster-year
    officer = next(
        (
            o
            for o in await services.officers.active()
            if any(i.channel == channel and i.chat_id == chat_id for i in o.identities)
        ),
        None,
    )
    if officer is None:
        return False
    cluster = services.cluster_year.cluster

    def build(_: Translator) -> Reply:
        return Reply(
            _("{name} ({unit}) cannot be reached on {channel}: they blocked the bot.").format(
                name=officer.name,
                unit=unit_label(cluster, officer.unit_code, _),
                channel=channel.capitalize(),
            )
        )

    key = f"unreachable:{channel}:{chat_id}:{now.isoformat()}"
    await notify_managers(services, key, build, except_officer=officer.id)
    return True


async def mark_reachable(services: Services, channel: str, chat_id: str) -> bool:
    return await services.officers.set_reachable(channel, chat_id, True, services.clock.now())
