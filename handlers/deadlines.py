"""/hanchot: upcoming and overdue items (a unit's own, or the whole cluster's for the chair),
and marking the chair's own tasks done so their reminders stop."""

from __future__ import annotations

from bot.domain.access import Access, Role
from bot.domain.formatting import short_date
from bot.domain.messages import Option, Reply
from bot.domain.report_status import Cell
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_
from bot.texts.roles import Leader, title_of
from bot.usecases.chair_tasks import mark_chair_task_done, open_chair_tasks
from bot.usecases.report_progress import progress

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
    actor = ctx.actor
    assert actor is not None
    status = await progress(ctx.services, actor)
    today = status.as_of
    lines = [ctx._("Deadlines, as of {day}:").format(day=short_date(today))]
    options: list[Option] = []
    for row in status.rows:
        for deliverable, state in zip(status.deliverables, row.cells, strict=True):
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
        for task in await open_chair_tasks(ctx.services):
            lines.append(
                ctx._("Task {number} of the {chair}: {title} (by {due})").format(
                    number=task.number,
                    chair=title_of(ctx.services.cluster_year.cluster, Leader.CHAIR, ctx._),
                    title=task.title,
                    due=short_date(task.window.end),
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
    actor = ctx.actor
    assert actor is not None
    number = int(ctx.choice) if (ctx.choice or "").isdigit() else 0
    if await mark_chair_task_done(ctx.services, actor, number) is None:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    return [
        ctx.reply(
            ctx._("Task {number} is marked done; I will stop reminding about it.").format(
                number=number
            )
        )
    ]
