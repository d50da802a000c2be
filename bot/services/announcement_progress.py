"""The chair's view of an announcement going out: the progress message, edited in place where the
channel can edit ("Đã gửi 12/25"), and a final summary that names who was not reached."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.channels.base import Channel, Editable
from bot.delivery import outbox_keys
from bot.domain.messages import Reply
from bot.i18n import Translator, translator
from bot.services.container import Services
from bot.texts.roles import unit_label
from storage.announcements import Announcement

__all__ = ["AnnouncementTracker", "progress_text", "translator_of"]


def progress_text(announcement_id: int, sent: int, total: int, _: Translator) -> str:
    return _("📣 Announcement No. {id}: sent {sent}/{total}").format(
        id=announcement_id, sent=sent, total=total
    )


async def translator_of(services: Services, channel: str, user_id: str) -> Translator:
    """The language a person chose, else the installation's default."""
    language = (
        await services.preferences.language(channel, user_id) or services.settings.default_language
    )
    return translator(language)


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
        number = announcement.id
        progress = await services.outbox.repo.find(outbox_keys.announcement_progress_key(number))
        if progress is None:
            return
        channel, chat_id, message_id = progress
        recipients = outbox_keys.announcement_prefix(number)
        statuses = await services.outbox.repo.statuses(recipients)
        sent = statuses.get("sent", 0)
        finished = sum(statuses.get(s, 0) for s in ("sent", "unreachable", "failed", "cancelled"))
        _ = await translator_of(services, channel, chat_id)
        text = progress_text(number, sent, announcement.total, _)
        target = self._channels.get(channel)
        if message_id and isinstance(target, Editable) and self._shown.get(number, "") != text:
            if text != progress_text(number, 0, announcement.total, _):
                await target.edit(chat_id, message_id, text)
            self._shown[number] = text
        if finished < announcement.total or not message_id:
            return
        missing = await services.outbox.repo.undelivered(recipients)
        lines = [
            _("📣 Announcement No. {id} is out: {sent}/{total} delivered.").format(
                id=number, sent=sent, total=announcement.total
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
            outbox_keys.announcement_summary_key(number), channel, chat_id, Reply("\n".join(lines))
        )
        await services.announcements.mark_reported(number, now)
        self._shown.pop(number, None)
