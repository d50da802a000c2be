"""/hanchot: upcoming and overdue items (a unit's own, or the whole cluster's for the chair),
and marking the chair's own tasks done so their reminders stop."""

from __future__ import annotations

from bot.domain.access import Access, Role
from bot.domain.formatting import short_date
from bot.domain.messages import Option, Reply
from bot.domain.report_status import Cell, status_matrix
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_

__all__ = ["deadlines_router"]

deadlines_router = Router("deadlines")


@deadlines_router.command(
    "hanchot",
    "deadlines",
    access=Access.REGISTERED,
    keeps_draft=True,
    description=N_("upcoming and overdue deadlines"),
)
async def deadlines(ctx: Context) -> list[Reply]:
    services, actor = ctx.services, ctx.actor
    assert actor is not None
    year, today = services.cluster_year, ctx.today()
    rows = status_matrix(
        year, today, await services.submissions.latest(), await services.submissions.marks()
    )
    if actor.role is Role.MEMBER:
        rows = [r for r in rows if r.unit.code == actor.unit_code]
    lines = [ctx._("Deadlines, as of {day}:").format(day=short_date(today))]
    options: list[Option] = []
    for row in rows:
        for deliverable, state in zip(year.plan.deliverables, row.cells, strict=True):
            if state not in (Cell.OPEN, Cell.OVERDUE):
                continue
            days = (deliverable.due - today).days
            when = (
                ctx._("{days} day(s) left").format(days=days)
                if days >= 0
                else ctx._("{days} day(s) overdue").format(days=-days)
            )
            lines.append(
                f"{state.value} {row.unit.code}: {deliverable.title} — "
                + ctx._("due {due}").format(due=short_date(deliverable.due))
                + f" ({when})"
            )
            if actor.role is Role.MEMBER:
                options.append(
                    Option(
                        ctx._("Send: {title}").format(title=deliverable.title),
                        f"report:{deliverable.code}",
                    )
                )
    if actor.can_manage or actor.role in (Role.OBSERVER, Role.PROVINCE):
        done = await services.reminders.done_tasks()
        for task in year.plan.chair_tasks():
            if task.number in done or task.window.recurring or task.window.end < today:
                continue
            lines.append(
                ctx._("Chair's task {number}: {title} (by {due})").format(
                    number=task.number, title=task.title, due=short_date(task.window.end)
                )
            )
            if actor.can_manage:
                options.append(
                    Option(
                        ctx._("Task {number} is done").format(number=task.number),
                        f"taskdone:{task.number}",
                    )
                )
    if len(lines) == 1:
        lines.append(ctx._("Nothing is open. Well done!"))
    return [ctx.reply("\n".join(lines), options)]


@deadlines_router.option("taskdone", access=Access.MANAGER)
async def task_done(ctx: Context) -> list[Reply]:
    actor, services = ctx.actor, ctx.services
    assert actor is not None
    number = int(ctx.choice) if (ctx.choice or "").isdigit() else 0
    task = services.cluster_year.plan.task(number)
    if task is None or task not in services.cluster_year.plan.chair_tasks():
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    await services.reminders.mark_task(number, "done", actor.officer_id, services.clock.now())
    return [
        ctx.reply(
            ctx._("Task {number} is marked done; I will stop reminding about it.").format(
                number=number
            )
        )
    ]
