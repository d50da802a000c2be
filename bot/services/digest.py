"""The weekly digests: the chair's (due this week, overdue by unit, officers who cannot be
reached) and each unit's (its reports due in the next two weeks, and those late)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.domain.formatting import short_date
from bot.domain.messages import Reply
from bot.domain.report_status import Cell, status_matrix
from bot.i18n import Translator
from bot.services.container import Services
from bot.texts.nudges import unit_digest_reply
from bot.texts.roles import Leader, title_of, unit_label

__all__ = ["digest_reply", "unit_digests"]


async def digest_reply(services: Services, day: date) -> Callable[[Translator], Reply]:
    """Gather the week's facts now; the returned builder words them in any language."""
    year = services.cluster_year
    cluster = year.cluster
    week_end = day + timedelta(days=6)
    now_day = services.clock.now().astimezone(ZoneInfo(cluster.timezone)).date()
    rows = status_matrix(
        year, now_day, await services.submissions.latest(), await services.submissions.marks()
    )
    deliverables = year.plan.deliverables
    due_week: list[tuple[str, str]] = []
    overdue: list[tuple[str, str, int]] = []
    for row in rows:
        for deliverable, state in zip(deliverables, row.cells, strict=True):
            if state is Cell.OPEN and day <= deliverable.due <= week_end:
                due_week.append((row.unit.code, deliverable.title))
            elif state is Cell.OVERDUE:
                overdue.append((row.unit.code, deliverable.title, (now_day - deliverable.due).days))
    done_tasks = await services.reminders.done_tasks()
    tasks = [
        t
        for t in year.plan.chair_tasks()
        if day <= t.window.end <= week_end and t.number not in done_tasks and not t.window.recurring
    ]
    unreachable = [
        (o.name, o.unit_code)
        for o in await services.officers.active()
        if o.identities and all(i.unreachable for i in o.identities)
    ]

    def build(_: Translator) -> Reply:
        lines = [
            _("📋 Week of {start} – {end}").format(start=short_date(day), end=short_date(week_end))
        ]
        lines.append(_("Due this week:"))
        lines += [f"- {unit_label(cluster, code, _)}: {title}" for code, title in due_week] or [
            "- " + _("nothing")
        ]
        lines += [
            "- "
            + _("Task {number} of the {chair}: {title} (by {due})").format(
                number=t.number,
                chair=title_of(cluster, Leader.CHAIR, _),
                title=t.title,
                due=short_date(t.window.end),
            )
            for t in tasks
        ]
        lines.append(_("Overdue:"))
        lines += [
            "- "
            + _("{unit}: {title} ({days} day(s))").format(
                unit=unit_label(cluster, code, _), title=title, days=days
            )
            for code, title, days in overdue
        ] or ["- " + _("nothing")]
        if unreachable:
            lines.append(_("Cannot be reached (blocked the bot):"))
            lines += [f"- {name} ({unit_label(cluster, code, _)})" for name, code in unreachable]
        return Reply("\n".join(lines))

    return build


async def unit_digests(services: Services, day: date) -> dict[str, Callable[[Translator], Reply]]:
    """Each unit with something due in the two weeks from ``day`` or late: its digest."""
    year = services.cluster_year
    cluster = year.cluster
    now_day = services.clock.now().astimezone(ZoneInfo(cluster.timezone)).date()
    rows = status_matrix(
        year, now_day, await services.submissions.latest(), await services.submissions.marks()
    )
    horizon = day + timedelta(days=13)
    found: dict[str, Callable[[Translator], Reply]] = {}
    for row in rows:
        pairs = list(zip(year.plan.deliverables, row.cells, strict=True))
        coming = [d for d, c in pairs if c is Cell.OPEN and d.due <= horizon]
        late = [d for d, c in pairs if c is Cell.OVERDUE]
        if coming or late:
            code = row.unit.code
            found[code] = lambda _, code=code, coming=coming, late=late: unit_digest_reply(
                cluster, code, day, coming, late, _
            )
    return found
