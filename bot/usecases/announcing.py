"""Announcements: the chair links the cluster's groups, composes an announcement (text, one
file), sends it now or schedules it, cancels a scheduled one; officers acknowledge it.

Every recipient is an outbox row (``bot.delivery.outbox_keys``: one key per announcement and
chat, so a crash or a double press sends each once), and so is the chair's progress message
that ``bot.services.announcement_progress`` edits. A scheduled announcement is the same rows
with a later ``not_before``: durable across restarts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.delivery import outbox_keys
from bot.domain.access import Actor
from bot.domain.file_types import BY_EXTENSION
from bot.domain.messages import Attachment, Capabilities, Option, Reply
from bot.i18n import Translator, translator
from bot.services.announcement_progress import progress_text, translator_of
from bot.services.container import Services
from bot.services.intake import Refusal, accept_file
from bot.services.notices import notify_managers
from bot.texts.group_notices import group_removed_notice
from storage.announcements import Announcement

__all__ = [
    "Announced",
    "AnnouncementDraft",
    "Audience",
    "FileAttached",
    "Receipts",
    "Refusal",
    "Scheduled",
    "acknowledge",
    "announce",
    "attach",
    "cancel",
    "has_groups",
    "link_group",
    "receipts",
    "scheduled",
    "unlink_group",
]

TEXT_CHARS = 3500


class Audience(StrEnum):
    GROUPS = "groups"
    """The cluster's linked groups (officers on a channel without groups get it privately)."""
    OFFICERS = "officers"
    UNITS = "units"
    """The officers of the chosen units."""


@dataclass(frozen=True, slots=True)
class FileAttached:
    sha256: str
    name: str
    mime: str


@dataclass(frozen=True, slots=True)
class AnnouncementDraft:
    text: str
    file: FileAttached | None
    audience: Audience
    units: tuple[str, ...]
    send_at: datetime


@dataclass(frozen=True, slots=True)
class Announced:
    id: int
    recipients: int
    fallback: bool
    """A group audience reached the officers of a channel without groups privately."""
    scheduled: bool


@dataclass(frozen=True, slots=True)
class Receipts:
    """A recent announcement and the units that acknowledged it."""

    id: int
    send_at: datetime
    units: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Scheduled:
    id: int
    send_at: datetime
    text: str


async def link_group(
    services: Services, actor: Actor, channel: str, chat_id: str, title: str
) -> None:
    now = services.clock.now()
    await services.announcements.link_group(channel, chat_id, title, actor.officer_id, now)


async def unlink_group(services: Services, channel: str, chat_id: str, user_id: str) -> bool:
    """The bot was removed from a group: it no longer receives announcements, and the chair is
    told; False when it was not a linked group."""
    now = services.clock.now()
    if not await services.announcements.unlink_group(channel, chat_id, f"{channel}:{user_id}", now):
        return False
    key = outbox_keys.group_unlinked_key(channel, chat_id, now)
    await notify_managers(services, key, group_removed_notice(channel))
    return True


async def has_groups(services: Services) -> bool:
    return bool(await services.announcements.groups())


async def attach(services: Services, name: str, data: bytes) -> FileAttached | Refusal:
    """Check and store the announcement's file."""
    taken = await accept_file(services, name, data)
    if isinstance(taken, Refusal):
        return taken
    return FileAttached(taken["sha256"], taken["name"], BY_EXTENSION[taken["kind"]].mime)


async def announce(
    services: Services,
    actor: Actor,
    draft: AnnouncementDraft,
    capabilities: Mapping[str, Capabilities],
    progress_to: tuple[str, str],
) -> Announced:
    """Store the announcement and queue every recipient and the chair's progress message."""
    file = (draft.file.sha256, draft.file.name, draft.file.mime) if draft.file else None
    now = services.clock.now()
    announcement_id = await services.announcements.create(
        draft.text[:TEXT_CHARS],
        file,
        draft.audience.value,
        list(draft.units),
        draft.send_at,
        actor.officer_id,
        now,
    )
    announcement = await services.announcements.get(announcement_id)
    assert announcement is not None
    total, fallback = await _fan_out(services, announcement, capabilities, progress_to)
    return Announced(announcement_id, total, fallback, draft.send_at > now)


def _reply(announcement: Announcement, services: Services, _: Translator, private: bool) -> Reply:
    attachment = None
    if announcement.sha256 and announcement.file_name and announcement.mime:
        attachment = Attachment(
            announcement.file_name, services.files.read(announcement.sha256), announcement.mime
        )
    options = (Option(_("Received"), f"ack:{announcement.id}"),) if private else ()
    return Reply(announcement.text, options, attachment, pin=not private)


async def _fan_out(
    services: Services,
    announcement: Announcement,
    capabilities: Mapping[str, Capabilities],
    progress_to: tuple[str, str],
) -> tuple[int, bool]:
    """Queue every recipient and the chair's progress message; returns (recipients, whether a
    group audience fell back to private messages on a channel without groups)."""
    outbox, at, number = services.outbox, announcement.send_at, announcement.id
    officers = [o for o in await services.officers.active() if o.id != announcement.created_by]
    if announcement.audience == Audience.UNITS:
        officers = [o for o in officers if o.unit_code in announcement.units]
    groups_audience = announcement.audience == Audience.GROUPS
    group_channels = {name for name, caps in capabilities.items() if caps.groups}
    fallback, total = False, 0
    if groups_audience:
        _ = translator(services.settings.default_language)
        for group in await services.announcements.groups():
            key = outbox_keys.announcement_key(number, group.channel, group.chat_id)
            reply = _reply(announcement, services, _, private=False)
            total += await outbox.enqueue(
                key, group.channel, group.chat_id, reply, at, is_group=True
            )
    for officer in officers:
        for identity in officer.identities:
            if groups_audience and identity.channel in group_channels:
                continue  # they read it in the group
            fallback = fallback or groups_audience
            _ = await translator_of(services, identity.channel, identity.user_id)
            key = outbox_keys.announcement_key(number, identity.channel, identity.chat_id)
            reply = _reply(announcement, services, _, private=True)
            total += await outbox.enqueue(
                key, identity.channel, identity.chat_id, reply, at, officer_id=officer.id
            )
    await services.announcements.set_total(number, total)
    channel, chat_id = progress_to
    _ = await translator_of(services, channel, chat_id)
    progress = Reply(progress_text(number, 0, total, _))
    await outbox.enqueue(
        outbox_keys.announcement_progress_key(number), channel, chat_id, progress, at
    )
    return total, fallback


async def receipts(services: Services) -> list[Receipts]:
    """The recent announcements, newest first, with the units that acknowledged each."""
    found = []
    for item in await services.announcements.recent():
        units = sorted(await services.announcements.acknowledged_units(item.id))
        found.append(Receipts(item.id, item.send_at, tuple(units)))
    return found


async def scheduled(services: Services) -> list[Scheduled]:
    """The announcements still to go out, soonest first."""
    items = await services.announcements.scheduled(services.clock.now())
    return [Scheduled(item.id, item.send_at, item.text) for item in items]


async def cancel(services: Services, actor: Actor, announcement_id: int) -> bool:
    """Cancel a scheduled announcement and its queued rows; False when it already went out or
    was cancelled."""
    now = services.clock.now()
    if not await services.announcements.cancel(announcement_id, actor.officer_id, now):
        return False
    await services.outbox.repo.cancel_prefix(outbox_keys.announcement_prefix(announcement_id))
    await services.outbox.repo.cancel_prefix(
        outbox_keys.announcement_progress_prefix(announcement_id)
    )
    return True


async def acknowledge(services: Services, actor: Actor, announcement_id: int) -> bool:
    """Record that the actor's unit received the announcement; False for an unknown one."""
    if await services.announcements.get(announcement_id) is None:
        return False
    now = services.clock.now()
    await services.announcements.acknowledge(
        announcement_id, actor.officer_id, actor.unit_code, now
    )
    return True
