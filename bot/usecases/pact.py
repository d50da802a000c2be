"""The pact as its recipients see it, and the reminder ladder for the units that have not
signed: the same rungs as a report's deadline (days before, the day, then overdue), handled once
each through the reminder log and sent through the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.formatting import short_date
from bot.domain.messages import Attachment, Option, Reply
from bot.domain.reminder_policy import WorkCalendar, deadline_rungs
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.notices import notify_officers
from storage.pacts import Pact

__all__ = ["pact_reply", "remind_unsigned"]


def pact_reply(services: Services, pact: Pact, _: Translator, reminder: bool = False) -> Reply:
    """The pact with its document and the "Đồng ý ký kết" button (signing for the unit)."""
    cluster = services.cluster_year.cluster
    head = (
        _("⏰ Reminder: your unit has not yet signed the pact of {year} (by {due}).")
        if reminder
        else _(
            "📜 The emulation pact of {cluster}, {year}: please read it and sign for your unit "
            "by {due}."
        )
    ).format(cluster=cluster.name, year=services.year.year, due=short_date(pact.due))
    text = head + ("\n\n" + pact.text if pact.text else "")
    attachment = None
    if pact.sha256 and pact.file_name and pact.mime:
        attachment = Attachment(pact.file_name, services.files.read(pact.sha256), pact.mime)
    return Reply(text, (Option(_("Agree and sign"), f"pactsign:{pact.id}"),), attachment)


async def remind_unsigned(services: Services, now: datetime, staleness: timedelta) -> int:
    """Queue the due rungs for every member unit that has not signed; returns how many."""
    pact = await services.pacts.current()
    if pact is None:
        return 0
    cluster = services.cluster_year.cluster
    signed = await services.pacts.signatures(pact.id)
    unsigned = [u.code for u in cluster.members if u.code not in signed]
    if not unsigned:
        return 0
    calendar = WorkCalendar(range(pact.due.year - 1, pact.due.year + 2))
    rungs = [
        r
        for r in deadline_rungs(pact.due, cluster.reminders, calendar, cluster.timezone)
        if r.name != "escalate" and pact.created_at < r.at <= now
    ]
    if not rungs:
        return 0
    handled = await services.reminders.handled(f"pact-{pact.id}:")
    officers = await services.officers.active()
    queued = 0
    for unit_code in unsigned:
        for rung in rungs:
            key = f"pact-{pact.id}:{unit_code}:{rung.name}"
            if key in handled:
                continue
            if now - rung.at > staleness:
                await services.reminders.record(key, "skipped", now)
                continue
            own = [o for o in officers if o.unit_code == unit_code]

            def build(_: Translator) -> Reply:
                return pact_reply(services, pact, _, reminder=True)

            if await notify_officers(services, own, services.year_key(f"remind:{key}"), build):
                await services.reminders.record(key, "enqueued", now)
                queued += 1
    return queued
