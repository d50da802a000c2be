"""Announcements going out: the fan-out into the outbox, and the progress the chair sees.

Every recipient is an outbox row keyed ``ann:<id>:<channel>:<chat>`` (so a crash or a double
press sends each once); the chair's progress message is ``annp:<id>``, edited in place where the
channel can edit ("Đã gửi 12/25"), and a final summary ``annf:<id>`` names who was not reached.
A scheduled announcement is the same rows with a later ``not_before``: durable across restarts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from bot.channels.base import Channel, Editable
from bot.domain.messages import Attachment, Capabilities, Option, Reply
from bot.i18n import Translator, translator
from bot.services.container import Services
from bot.texts.roles import unit_label
from storage.announcements import Announcement

__all__ = ["AnnouncementTracker", "fan_out", "progress_text"]

log = logging.getLogger(__name__)


def progress_text(announcement_id: int, sent: int, total: int, _: Translator) -> str:
    return _("📣 Announcement No. {id}: sent {sent}/{total}").format(
        id=announcement_id, sent=sent, total=total
    )


async def _language(services: Services, channel: str, user_id: str) -> Translator:
    language = (
        await services.preferences.language(channel, user_id) or services.settings.default_language
    )
    return translator(language)


def _reply(announcement: Announcement, services: Services, _: Translator, private: bool) -> Reply:
    attachment = None
    if announcement.sha256 and announcement.file_name and announcement.mime:
        attachment = Attachment(
            announcement.file_name, services.files.read(announcement.sha256), announcement.mime
        )
    options = (Option(_("Received"), f"ack:{announcement.id}"),) if private else ()
    return Reply(announcement.text, options, attachment, pin=not private)


async def fan_out(
    services: Services,
    announcement: Announcement,
    capabilities: Mapping[str, Capabilities],
    progress_to: tuple[str, str],
) -> tuple[int, bool]:
    """Queue every recipient and the chair's progress message; returns (recipients, whether a
    group audience fell back to private messages on a channel without groups)."""
    outbox, at = services.outbox, announcement.send_at
    officers = [o for o in await services.officers.active() if o.id != announcement.created_by]
    if announcement.audience == "units":
        officers = [o for o in officers if o.unit_code in announcement.units]
    groups_audience = announcement.audience == "groups"
    group_channels = {name for name, caps in capabilities.items() if caps.groups}
    fallback, total = False, 0
    if groups_audience:
        _ = translator(services.settings.default_language)
        for group in await services.announcements.groups():
            key = f"ann:{announcement.id}:{group.channel}:{group.chat_id}"
            reply = _reply(announcement, services, _, private=False)
            total += await outbox.enqueue(
                key, group.channel, group.chat_id, reply, at, is_group=True
            )
    for officer in officers:
        for identity in officer.identities:
            if groups_audience and identity.channel in group_channels:
                continue  # they read it in the group
            fallback = fallback or groups_audience
            _ = await _language(services, identity.channel, identity.user_id)
            key = f"ann:{announcement.id}:{identity.channel}:{identity.chat_id}"
            reply = _reply(announcement, services, _, private=True)
            total += await outbox.enqueue(
                key, identity.channel, identity.chat_id, reply, at, officer_id=officer.id
            )
    await services.announcements.set_total(announcement.id, total)
    channel, chat_id = progress_to
    _ = await _language(services, channel, chat_id)
    await outbox.enqueue(
        f"annp:{announcement.id}",
        channel,
        chat_id,
        Reply(progress_text(announcement.id, 0, total, _)),
        at,
    )
    return total, fallback


class AnnouncementTracker:
    """Edits each running announcement's progress message and reports when it is done."""

    def __init__(self, services: Services, channels: Mapping[str, Channel]) -> None:
        self._services = services
        self._channels = channels
        self._shown: dict[int, str] = {}

    async def tick(self) -> None:
        root = self._services
        now = root.clock.now()
        for year in root.years.all():
            services = root.scoped(year.id)
            for announcement in await services.announcements.unreported():
                if announcement.send_at <= now:
                    await self._track(services, announcement, now)

    async def _track(self, services: Services, announcement: Announcement, now: datetime) -> None:
        progress = await services.outbox.repo.find(f"annp:{announcement.id}")
        if progress is None:
            return
        channel, chat_id, message_id = progress
        statuses = await services.outbox.repo.statuses(f"ann:{announcement.id}:")
        sent = statuses.get("sent", 0)
        finished = sum(statuses.get(s, 0) for s in ("sent", "unreachable", "failed", "cancelled"))
        _ = await _language(services, channel, chat_id)
        text = progress_text(announcement.id, sent, announcement.total, _)
        target = self._channels.get(channel)
        if (
            message_id
            and isinstance(target, Editable)
            and self._shown.get(announcement.id, "") != text
        ):
            if text != progress_text(announcement.id, 0, announcement.total, _):
                await target.edit(chat_id, message_id, text)
            self._shown[announcement.id] = text
        if finished < announcement.total or not message_id:
            return
        missing = await services.outbox.repo.undelivered(f"ann:{announcement.id}:")
        lines = [
            _("📣 Announcement No. {id} is out: {sent}/{total} delivered.").format(
                id=announcement.id, sent=sent, total=announcement.total
            )
        ]
        if missing:
            cluster = services.cluster_year.cluster
            names = []
            for miss_channel, miss_chat, officer_id in missing:
                officer = await services.officers.get(officer_id) if officer_id else None
                names.append(
                    f"{officer.name} ({unit_label(cluster, officer.unit_code, _)})"
                    if officer
                    else f"{miss_channel}:{miss_chat}"
                )
            lines.append(_("Not reached: {names}").format(names=", ".join(names)))
        await services.outbox.enqueue(
            f"annf:{announcement.id}", channel, chat_id, Reply("\n".join(lines))
        )
        await services.announcements.mark_reported(announcement.id, now)
        self._shown.pop(announcement.id, None)
