"""Proactive notices to people, each in the recipient's own language, through the outbox."""

from __future__ import annotations

from collections.abc import Callable

from bot.delivery.outbox_keys import recipient_key
from bot.domain.messages import Reply
from bot.domain.officer_records import OfficerRecord
from bot.i18n import Translator, translator
from bot.services.container import Services
from storage.database import Writes

__all__ = ["notify_managers", "notify_managers_into", "notify_officers", "notify_officers_into"]


async def notify_officers(
    services: Services,
    officers: list[OfficerRecord],
    key: str,
    build: Callable[[Translator], Reply],
) -> int:
    """Queue one message per reachable chat of each officer; returns how many were new."""
    writes = Writes()
    await notify_officers_into(writes, services, officers, key, build)
    return sum(added for added, _row_id in await services.outbox.repo.commit(writes))


async def notify_officers_into(
    writes: Writes,
    services: Services,
    officers: list[OfficerRecord],
    key: str,
    build: Callable[[Translator], Reply],
) -> None:
    """:func:`notify_officers`, the rows added to ``writes`` (committed with their cause)."""
    for officer in officers:
        for identity in officer.identities:
            if identity.unreachable:
                continue
            language = (
                await services.preferences.language(identity.channel, identity.user_id)
                or services.settings.default_language
            )
            await services.outbox.enqueue_into(
                writes,
                recipient_key(key, identity.channel, identity.chat_id),
                identity.channel,
                identity.chat_id,
                build(translator(language)),
                officer_id=officer.id,
            )


async def notify_managers(
    services: Services,
    key: str,
    build: Callable[[Translator], Reply],
    except_officer: int | None = None,
) -> int:
    """Tell the chair's officers and the admins."""
    writes = Writes()
    await notify_managers_into(writes, services, key, build, except_officer)
    return sum(added for added, _row_id in await services.outbox.repo.commit(writes))


async def notify_managers_into(
    writes: Writes,
    services: Services,
    key: str,
    build: Callable[[Translator], Reply],
    except_officer: int | None = None,
) -> None:
    """:func:`notify_managers`, the rows added to ``writes`` (committed with their cause)."""
    managers = [o for o in await services.officers.managers() if o.id != except_officer]
    await notify_officers_into(writes, services, managers, key, build)
