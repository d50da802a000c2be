"""The chair's "remind those who have not sent it": the units that still owe a report (one
deliverable, or every report overdue or due within the next two weeks), shown first as a
preview, then reminded through the outbox (once a day per unit and report, however often it is
asked) and audited. The web's matrix and chat's ``/tiendo`` both come here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.delivery.outbox_keys import nudge_key
from bot.domain.access import Actor
from bot.domain.cluster import Deliverable, Unit
from bot.domain.report_status import Cell, status_matrix
from bot.i18n import N_
from bot.services.container import Services
from bot.services.notices import notify_officers
from bot.texts.reminders import unit_reminder_reply
from bot.usecases.report_progress import today

__all__ = ["AHEAD", "Missing", "RemindRefused", "Reminded", "missing_reports", "remind_missing"]

AHEAD = timedelta(days=14)
"""Without a deliverable chosen, reports not yet due are reminded this long before."""


class RemindRefused(StrEnum):
    """Why nobody is reminded; the value is the msgid of the answer."""

    NOT_CHAIR = N_("Only the chair's officers can remind the units.")
    CLOSED = N_("This year is closed: its units are no longer reminded.")
    UNKNOWN = N_("There is no such report in this year's plan.")


@dataclass(frozen=True, slots=True)
class Missing:
    deliverable: Deliverable
    unit: Unit
    overdue: bool


@dataclass(frozen=True, slots=True)
class Reminded:
    units: int
    """Reports (unit × deliverable) reminded."""
    chats: int
    """Messages newly queued (none for what was reminded earlier today)."""


def _deliverable(services: Services, code: str | None) -> Deliverable | RemindRefused | None:
    if code is None:
        return None
    plan = services.cluster_year.plan
    return next((d for d in plan.deliverables if d.code == code), RemindRefused.UNKNOWN)


async def missing_reports(
    services: Services, actor: Actor, code: str | None = None
) -> tuple[Missing, ...] | RemindRefused:
    """Who would be reminded: every unit that has not sent (nor been excused from) the report
    ``code``, or without it every report overdue or due within :data:`AHEAD`."""
    year = services.cluster_year
    if not actor.in_year(year.cluster.chair).can_manage:
        return RemindRefused.NOT_CHAIR
    if services.read_only:
        return RemindRefused.CLOSED
    chosen = _deliverable(services, code)
    if isinstance(chosen, RemindRefused):
        return chosen
    as_of = today(services)
    rows = status_matrix(
        year, as_of, await services.submissions.latest(), await services.submissions.marks()
    )
    found = []
    for row in rows:
        for deliverable, state in zip(year.plan.deliverables, row.cells, strict=True):
            if state not in (Cell.OPEN, Cell.OVERDUE) or not _asked(deliverable, chosen, as_of):
                continue
            found.append(Missing(deliverable, row.unit, state is Cell.OVERDUE))
    return tuple(sorted(found, key=lambda m: (m.deliverable.due, m.unit.code)))


def _asked(deliverable: Deliverable, chosen: Deliverable | None, as_of: date) -> bool:
    if chosen is not None:
        return deliverable.code == chosen.code
    return deliverable.due <= as_of + AHEAD


async def remind_missing(
    services: Services, actor: Actor, code: str | None = None
) -> Reminded | RemindRefused:
    """Remind each unit's officers of what :func:`missing_reports` lists, audited."""
    found = await missing_reports(services, actor, code)
    if isinstance(found, RemindRefused):
        return found
    cluster = services.cluster_year.cluster
    as_of = today(services)
    officers = await services.officers.active()
    chats = 0
    for missing in found:
        unit_officers = [o for o in officers if o.unit_code == missing.unit.code]
        deliverable, unit_code = missing.deliverable, missing.unit.code
        key = services.year_key(nudge_key(deliverable.code, unit_code, as_of))
        chats += await notify_officers(
            services,
            unit_officers,
            key,
            lambda _, d=deliverable, u=unit_code: unit_reminder_reply(cluster, d, u, as_of, _),
        )
    await services.audit.record(
        services.clock.now(),
        f"officer:{actor.officer_id}",
        "reports.reminded",
        code or "all",
        reports=len(found),
        chats=chats,
    )
    return Reminded(len(found), chats)
