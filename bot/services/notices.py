"""Proactive notices to people, each in the recipient's own language, through the outbox."""

from __future__ import annotations

from collections.abc import Callable

from bot.delivery.outbox_keys import recipient_key
from bot.domain.messages import Reply
from bot.domain.officer_records import OfficerRecord
from bot.i18n import Translator, translator
from bot.services.container import Services

__all__ = ["notify_managers", "notify_officers"]


async def notify_officers(
    services: Services,
    officers: list[OfficerRecord],
    key: str,
    build: Callable[[Translator], Reply],
) -> int:
    """Queue one message per reachable chat of each officer; returns how many were new."""
    queued = 0
    for officer in officers:
        for identity in officer.identities:
            if identity.unreachable:
                continue
            language = (
                await services.preferences.language(identity.channel, identity.user_id)
                or services.settings.default_language
            )
            queued += await services.outbox.enqueue(
                recipient_key(key, identity.channel, identity.chat_id),
                identity.channel,
                identity.chat_id,
                build(translator(language)),
                officer_id=officer.id,
            )
    return queued


async def notify_managers(
    services: Services,
    key: str,
    build: Callable[[Translator], Reply],
    except_officer: int | None = None,
) -> int:
    """Tell the chair's officers and the admins."""
    managers = [o for o in await services.officers.managers() if o.id != except_officer]
    return await notify_officers(services, managers, key, build)
