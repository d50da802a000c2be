"""The nudges officers asked for, under a reminder: put the unit's reminders of a report off to
tomorrow or a chosen day (never past its deadline; the reminder tick honours it), say the report
went on paper (the chair confirms, then it counts as submitted, marked as paper, or refuses);
and turning the unit's weekly digest off or on again. Each change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.access import Actor
from bot.domain.cluster import Deliverable
from bot.domain.report_status import PAPER_MARK, cell, owed_report
from bot.i18n import N_
from bot.services.container import Services
from bot.services.notices import notify_managers, notify_officers
from bot.texts.nudges import paper_claim_notice, paper_decided_notice
from bot.usecases.report_progress import today
from storage.nudges import NudgeRepository

__all__ = [
    "SNOOZE_DAYS",
    "NudgeRefused",
    "PaperDecided",
    "Snoozed",
    "claim_paper",
    "decide_paper",
    "digest_wanted",
    "nudges",
    "set_digest",
    "snooze",
    "snooze_days",
]

SNOOZE_DAYS = 7
"""How many days (from tomorrow, up to the deadline) a reminder offers to be put off to."""


class NudgeRefused(StrEnum):
    """Why a nudge changes nothing; the value is the msgid of the answer."""

    NOT_OWED = N_("Your unit does not owe this report.")
    DONE = N_("This report is already in or excused: there is nothing to remind.")
    NO_LATER = N_(
        "The deadline is today or has passed, so the reminder cannot be put off any more."
    )
    BAD_DAY = N_("Please choose one of the days offered (the deadline at the latest).")
    CLOSED = N_("This year is closed: nothing can change in it.")
    GONE = N_("That choice is no longer valid. Please use the latest message.")


@dataclass(frozen=True, slots=True)
class Snoozed:
    deliverable: Deliverable
    until: date


@dataclass(frozen=True, slots=True)
class PaperDecided:
    deliverable: Deliverable
    unit_code: str
    confirmed: bool


def nudges(services: Services) -> NudgeRepository:
    return NudgeRepository(services.db, services.year.id)


async def _open_report(services: Services, actor: Actor, code: str) -> Deliverable | NudgeRefused:
    """The report the actor's unit owes and has not sent (nor been excused from)."""
    if services.read_only:
        return NudgeRefused.CLOSED
    unit_code = actor.unit_code
    deliverable = owed_report(services.cluster_year, unit_code, code) if unit_code else None
    if deliverable is None or unit_code is None:
        return NudgeRefused.NOT_OWED
    pair = (deliverable.code, unit_code)
    latest = (await services.submissions.latest()).get(pair)
    mark = (await services.submissions.marks()).get(pair)
    if cell(deliverable.due, today(services), latest, mark).done:
        return NudgeRefused.DONE
    return deliverable


async def snooze_days(
    services: Services, actor: Actor, code: str
) -> tuple[Deliverable, tuple[date, ...]] | NudgeRefused:
    """The days the reminders of this report may be put off to: tomorrow up to its deadline."""
    deliverable = await _open_report(services, actor, code)
    if isinstance(deliverable, NudgeRefused):
        return deliverable
    first = today(services) + timedelta(days=1)
    days = tuple(
        first + timedelta(days=n)
        for n in range(SNOOZE_DAYS)
        if first + timedelta(days=n) <= deliverable.due
    )
    return (deliverable, days) if days else NudgeRefused.NO_LATER


async def snooze(
    services: Services, actor: Actor, code: str, until: date
) -> Snoozed | NudgeRefused:
    """The unit's reminders of the report wait until ``until`` (one of :func:`snooze_days`)."""
    offered = await snooze_days(services, actor, code)
    if isinstance(offered, NudgeRefused):
        return offered
    deliverable, days = offered
    if until not in days:
        return NudgeRefused.BAD_DAY
    assert actor.unit_code is not None
    now = services.clock.now()
    await nudges(services).snooze(code, actor.unit_code, until, actor.officer_id, now)
    await services.audit.record(
        now,
        f"officer:{actor.officer_id}",
        "reminder.snoozed",
        f"{code}:{actor.unit_code}",
        until=until.isoformat(),
    )
    return Snoozed(deliverable, until)


async def claim_paper(services: Services, actor: Actor, code: str) -> Deliverable | NudgeRefused:
    """The officer says the report went on paper: the chair is asked to confirm it."""
    deliverable = await _open_report(services, actor, code)
    if isinstance(deliverable, NudgeRefused):
        return deliverable
    unit_code = actor.unit_code
    assert unit_code is not None
    now = services.clock.now()
    claim = await nudges(services).claim_paper(code, unit_code, actor.officer_id, now)
    cluster = services.cluster_year.cluster
    await notify_managers(
        services,
        services.year_key(f"paper:{claim.id}"),
        lambda _: paper_claim_notice(cluster, deliverable, unit_code, claim.id, _),
        except_officer=actor.officer_id,
    )
    await services.audit.record(
        now, f"officer:{actor.officer_id}", "report.paper_claimed", f"{code}:{unit_code}"
    )
    return deliverable


async def decide_paper(
    services: Services, actor: Actor, claim_id: int, confirmed: bool
) -> PaperDecided | NudgeRefused:
    """The chair confirms (the report counts as submitted, marked as paper) or refuses; the
    unit's officers are told. A claim is decided once."""
    if services.read_only:
        return NudgeRefused.CLOSED
    repository = nudges(services)
    claim = await repository.paper_claim(claim_id)
    deliverable = (
        owed_report(services.cluster_year, claim.unit_code, claim.deliverable) if claim else None
    )
    now = services.clock.now()
    if claim is None or deliverable is None:
        return NudgeRefused.GONE
    if not await repository.decide_paper(claim_id, confirmed, actor.officer_id, now):
        return NudgeRefused.GONE
    if confirmed:
        await services.submissions.set_mark(
            claim.deliverable, claim.unit_code, PAPER_MARK, "paper", actor.officer_id, now
        )
    officers = [o for o in await services.officers.active() if o.unit_code == claim.unit_code]
    await notify_officers(
        services,
        officers,
        services.year_key(f"paper-decided:{claim_id}"),
        lambda _: paper_decided_notice(deliverable, confirmed, _),
    )
    action = "report.paper_confirmed" if confirmed else "report.paper_refused"
    await services.audit.record(
        now, f"officer:{actor.officer_id}", action, f"{claim.deliverable}:{claim.unit_code}"
    )
    return PaperDecided(deliverable, claim.unit_code, confirmed)


async def digest_wanted(services: Services, actor: Actor) -> bool:
    return actor.officer_id not in await nudges(services).digest_off()


async def set_digest(services: Services, actor: Actor, wanted: bool) -> None:
    """Turn the officer's weekly digest of their unit on or off."""
    now = services.clock.now()
    await nudges(services).set_digest(actor.officer_id, wanted, now)
    action = "digest.on" if wanted else "digest.off"
    await services.audit.record(now, f"officer:{actor.officer_id}", action, "weekly digest")
