"""Proactive notices to people, each in the recipient's own language, through the outbox."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from bot.delivery.outbox_keys import recipient_key
from bot.domain.fair_rule_checks import chair_reviewer_unit
from bot.domain.messages import Reply
from bot.domain.officer_records import OfficerRecord
from bot.i18n import Translator, translator
from bot.services.container import Services
from storage.database import Writes

__all__ = [
    "Recipient",
    "notify_managers",
    "notify_managers_into",
    "notify_officers",
    "notify_officers_into",
    "notify_on",
    "notify_reviewers",
    "recipients",
    "reviewers_of",
]


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
    for chat in await recipients(services, officers):
        await services.outbox.enqueue_into(
            writes, *chat.notice(key, build), officer_id=chat.officer_id
        )


@dataclass(frozen=True, slots=True)
class Recipient:
    """One reachable chat of an officer, and the language its notices are written in."""

    officer_id: int
    channel: str
    chat_id: str
    language: str

    def notice(self, key: str, build: Callable[[Translator], Reply]) -> tuple[str, str, str, Reply]:
        """The row's key, the channel, the chat and the notice in the chat's language."""
        return (
            recipient_key(key, self.channel, self.chat_id),
            self.channel,
            self.chat_id,
            build(translator(self.language)),
        )


async def recipients(services: Services, officers: list[OfficerRecord]) -> list[Recipient]:
    """Every reachable chat of the officers (read before the transaction whose body queues
    their notices, see :func:`notify_on`)."""
    found = []
    for officer in officers:
        for identity in officer.identities:
            if identity.unreachable:
                continue
            language = (
                await services.preferences.language(identity.channel, identity.user_id)
                or services.settings.default_language
            )
            found.append(Recipient(officer.id, identity.channel, identity.chat_id, language))
    return found


def notify_on(
    conn: sqlite3.Connection,
    writes: Writes,
    services: Services,
    chats: list[Recipient],
    key: str,
    build: Callable[[Translator], Reply],
) -> None:
    """:func:`notify_officers_into` on the database thread, inside an event's transaction (a
    body of ``Database.atomically``), to chats read before it."""
    for chat in chats:
        services.outbox.queue_on(conn, writes, *chat.notice(key, build), officer_id=chat.officer_id)


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


async def reviewers_of(services: Services, unit_code: str) -> list[OfficerRecord]:
    """Who reviews ``unit_code``'s self-score and hears its answers: the chair's officers (and
    the admins) for a member unit; for the chair unit never the chair, but the deputy unit's
    officers, or the province board where the rules or the year name no deputy."""
    cluster = services.cluster_year.cluster
    if unit_code != cluster.chair:
        return await services.officers.managers()
    deputy = chair_reviewer_unit(cluster)
    if deputy is not None:
        return [o for o in await services.officers.active() if o.unit_code == deputy]
    return await services.officers.province_board(cluster.province)


async def notify_reviewers(
    services: Services, unit_code: str, key: str, build: Callable[[Translator], Reply]
) -> int:
    """Tell those who review ``unit_code`` (see :func:`reviewers_of`)."""
    return await notify_officers(services, await reviewers_of(services, unit_code), key, build)
