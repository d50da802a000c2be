"""The emulation pact (giao ước thi đua) that opens the year: the chair sends it (a text and/or
a document) to every member unit, each unit's officer signs for the unit, the chair sees who has
signed; the unsigned get the reminder ladder, the same rungs as a report's deadline (days before,
the day, then overdue), handled once each through the reminder log and sent through the outbox.
Every send and signature is audited (``storage.pacts``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import partial

from bot.domain.access import Actor
from bot.domain.messages import Attachment, Reply
from bot.domain.reminder_policy import WorkCalendar, deadline_rungs
from bot.domain.strings import shorten
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.intake import Refusal, accept_file
from bot.services.notices import notify_managers_into, notify_officers
from bot.texts.pact import pact_message, signed_notice
from storage.database import Writes
from storage.pacts import Pact, Signature

__all__ = [
    "SIGN_DAYS",
    "Pact",
    "PactDocument",
    "PactRefusal",
    "PactStatus",
    "Refusal",
    "SentPact",
    "Signature",
    "Signed",
    "pact_reply",
    "pact_status",
    "remind_unsigned",
    "send_pact",
    "sign_pact",
    "signing_due",
    "take_document",
]

SIGN_DAYS = 10
"""Days the member units are given to sign, from the day the pact is sent."""


class PactRefusal(StrEnum):
    """Why a signature was refused (nothing changed); the door words it."""

    STALE = "stale"
    """No such pact this year, or the officer's unit is not a member unit."""
    SIGNED = "signed"
    """The unit has signed already."""


@dataclass(frozen=True, slots=True)
class PactStatus:
    pact: Pact
    signatures: Mapping[str, Signature]
    """By unit code, the member units that have signed."""


@dataclass(frozen=True, slots=True)
class PactDocument:
    """The pact's document, checked and stored (``sha256`` names it in the file store)."""

    sha256: str
    name: str
    mime: str


@dataclass(frozen=True, slots=True)
class SentPact:
    pact: Pact
    queued: int
    """How many chats the pact is on its way to."""


@dataclass(frozen=True, slots=True)
class Signed:
    unit_code: str
    at: datetime


def signing_due(today: date) -> date:
    """The day the member units sign by, for a pact sent today."""
    return today + timedelta(days=SIGN_DAYS)


async def pact_status(services: Services) -> PactStatus | None:
    """The year's pact and who signed it; None when the pact has not been sent."""
    current = await services.pacts.current()
    if current is None:
        return None
    return PactStatus(current, await services.pacts.signatures(current.id))


async def take_document(
    services: Services, name: str, data: bytes, mime: str | None
) -> PactDocument | Refusal:
    """Check and store the pact's document (the report files' checks), or why it was refused."""
    taken = await accept_file(services, name, data)
    if isinstance(taken, Refusal):
        return taken
    return PactDocument(taken["sha256"], shorten(name, 200), mime or "application/octet-stream")


async def send_pact(
    services: Services, actor: Actor, text: str, document: PactDocument | None, due: date
) -> SentPact:
    """Keep the pact and send it to every member unit's officers."""
    file = (document.sha256, document.name, document.mime) if document else None
    pact_id = await services.pacts.create(text, file, due, actor.officer_id, services.clock.now())
    current = await services.pacts.current()
    assert current is not None and current.id == pact_id
    members = {u.code for u in services.cluster_year.cluster.members}
    officers = [o for o in await services.officers.active() if o.unit_code in members]

    def build(_: Translator) -> Reply:
        return pact_reply(services, current, _)

    queued = await notify_officers(services, officers, services.year_key(f"pact:{pact_id}"), build)
    return SentPact(current, queued)


async def sign_pact(
    services: Services, actor: Actor, pact_id: int, channel: str
) -> Signed | PactRefusal:
    """A member unit's officer agrees to the pact for the unit; the chair is told."""
    current = await services.pacts.current()
    cluster = services.cluster_year.cluster
    unit_code = actor.unit_code or ""
    members = {u.code for u in cluster.members}
    if current is None or current.id != pact_id or unit_code not in members:
        return PactRefusal.STALE
    now = services.clock.now()
    told = partial(signed_notice, cluster, services.year.year, unit_code, actor.name)
    writes = Writes()  # the signature and the chair's notice: one transaction
    async with services.db.transaction(writes) as conn:
        if not await services.pacts.sign_in(
            conn, current.id, unit_code, actor.officer_id, channel, now
        ):
            return PactRefusal.SIGNED
        key = services.year_key(f"pact-signed:{current.id}:{unit_code}")
        await notify_managers_into(writes, services, key, told)
    return Signed(unit_code, now)


def pact_reply(services: Services, pact: Pact, _: Translator, reminder: bool = False) -> Reply:
    """The pact as its recipients see it, with its document."""
    document = None
    if pact.sha256 and pact.file_name and pact.mime:
        document = Attachment(pact.file_name, services.files.read(pact.sha256), pact.mime)
    cluster, year = services.cluster_year.cluster, services.year.year
    return pact_message(cluster, year, pact.id, pact.text, pact.due, document, _, reminder)


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
