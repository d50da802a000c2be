"""The chair excuses a unit from a report, reopens it (asks for a new version) or clears the
mark; recorded with the reason (audited) and the unit's officers told."""

from __future__ import annotations

from bot.domain.access import Actor
from bot.domain.cluster import Deliverable
from bot.domain.report_status import MarkAction, owed_report
from bot.services.container import Services
from bot.services.notices import notify_officers
from bot.texts.report_marks import mark_notice

__all__ = ["REASON_CHARS", "MarkAction", "mark_report"]

REASON_CHARS = 500


async def mark_report(
    services: Services,
    actor: Actor,
    unit_code: str,
    code: str,
    action: MarkAction,
    reason: str,
) -> Deliverable | None:
    """Record the mark on the unit's report and tell the unit; None (and nothing recorded)
    when the unit owes no report of this code."""
    deliverable = owed_report(services.cluster_year, unit_code, code)
    if deliverable is None:
        return None
    now = services.clock.now()
    await services.submissions.set_mark(
        code, unit_code, action.status, reason[:REASON_CHARS], actor.officer_id, now
    )
    officers = [o for o in await services.officers.active() if o.unit_code == unit_code]
    key = f"mark:{code}:{unit_code}:{now.isoformat()}"
    await notify_officers(
        services,
        officers,
        key,
        lambda _: mark_notice(action, services.cluster_year.cluster, deliverable, reason, _),
    )
    return deliverable
