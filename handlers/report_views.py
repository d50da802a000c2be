"""/tiendo (status matrix), /xem (a unit's files and versions), excusing and reopening."""

from __future__ import annotations

from bot.domain.access import Access
from bot.domain.formatting import local_datetime, short_date
from bot.domain.messages import Option, Reply
from bot.domain.report_draft import MarkDraft
from bot.domain.report_status import Cell, owed_by
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.texts.roles import unit_label
from bot.usecases.remind_missing import RemindRefused, missing_reports, remind_missing
from bot.usecases.report_marks import MarkAction, mark_report
from bot.usecases.report_progress import progress, report_history

__all__ = ["report_views_router"]

report_views_router = Router("report_views")

LEGEND = N_("✅ on time · 🕒 late · ⏳ not yet due · ❌ overdue · ➖ excused")


@report_views_router.command(
    "tiendo",
    "status",
    access=Access.REGISTERED,
    keeps_draft=True,
    description=N_("who has sent which report"),
)
async def status(ctx: Context) -> list[Reply]:
    actor = ctx.actor
    assert actor is not None
    services = ctx.year_asked()
    if isinstance(services, Reply):
        return [services]
    status = await progress(services, actor)  # with the role of that year
    today = status.as_of
    lines = [ctx._("Reports, as of {day}").format(day=short_date(today))]
    if services is not ctx.services or services.read_only:
        lines[0] = ctx._("Reports of {year} ({state}), as of {day}").format(
            year=services.year.year,
            day=short_date(today),
            state=ctx._("closed, read only") if services.read_only else ctx._("open"),
        )
    for i, d in enumerate(status.deliverables, start=1):
        lines.append(f"({i}) {d.title} — " + ctx._("due {due}").format(due=short_date(d.due)))
    lines.append("")
    cells: list[Cell] = []
    for row in status.rows:
        marks = " ".join(
            f"({i}){c.value}" for i, c in enumerate(row.cells, start=1) if c is not None
        )
        lines.append(f"{row.unit.code} {row.unit.name}: {marks}")
        cells += [c for c in row.cells if c is not None]
    done = sum(c.done for c in cells)
    percent = round(100 * done / len(cells)) if cells else 100
    lines += [
        "",
        ctx._("Done: {done}/{total} ({percent}%)").format(
            done=done, total=len(cells), percent=percent
        ),
        ctx._(LEGEND),
    ]
    if Cell.PAPER in cells:
        lines.append(ctx._("📄 sent on paper (confirmed by the chair)"))
    options = []
    may_remind = actor.in_year(services.cluster_year.cluster.chair).can_manage
    if may_remind and services is ctx.services and not services.read_only:
        options.append(Option(ctx._("Remind the units that have not sent"), "remindmissing:ask"))
    return [ctx.reply("\n".join(lines), options)]


@report_views_router.option("remindmissing", access=Access.MANAGER)
async def remind_chosen(ctx: Context) -> list[Reply]:
    """The same reminder as the web's matrix: first who would be reminded, then send."""
    actor = ctx.actor
    assert actor is not None
    if ctx.choice == "send":
        done = await remind_missing(ctx.services, actor)
        if isinstance(done, RemindRefused):
            return [ctx.reply(ctx._(done.value))]
        text = ctx._("{reports} report(s) reminded: {chats} message(s) on their way.")
        return [ctx.reply(text.format(reports=done.units, chats=done.chats))]
    found = await missing_reports(ctx.services, actor)
    if isinstance(found, RemindRefused):
        return [ctx.reply(ctx._(found.value))]
    if not found:
        return [ctx.reply(ctx._("Every unit has sent it: nobody to remind."))]
    cluster = ctx.services.cluster_year.cluster
    lines = [ctx._("These units will be reminded in their chats (once a day at most):")]
    for missing in found:
        due = short_date(missing.deliverable.due)
        lines.append(
            f"- {unit_label(cluster, missing.unit.code, ctx._)}: {missing.deliverable.title} "
            + ctx._("(due {due})").format(due=due)
        )
    options = [Option(ctx._("Send the reminders"), "remindmissing:send")]
    return [ctx.reply("\n".join(lines), options)]


@report_views_router.command(
    "xem", "view", access=Access.MANAGER, description=N_("see a unit's report files (chair)")
)
async def view(ctx: Context) -> list[Reply]:
    year = ctx.services.cluster_year
    options = [
        Option(f"{u.full_name} ({u.code})", f"view:{u.code}")
        for u in year.cluster.units
        if owed_by(year, u.code)
    ]
    return [ctx.reply(ctx._("Which unit?"), options)]


@report_views_router.option("view", access=Access.MANAGER)
async def view_chosen(ctx: Context) -> list[Reply]:
    year = ctx.services.cluster_year
    unit_code, _sep, code = (ctx.choice or "").partition(":")
    owed = {d.code: d for d in owed_by(year, unit_code)}
    if not owed or (code and code not in owed):
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    if not code:
        options = [Option(d.title, f"view:{unit_code}:{d.code}") for d in owed.values()]
        return [ctx.reply(ctx._("Which report?"), options)]
    return await _show(ctx, unit_code, code)


async def _show(ctx: Context, unit_code: str, code: str) -> list[Reply]:
    history = await report_history(ctx.services, unit_code, code)
    assert history is not None  # the choice was checked against what the unit owes
    cluster = history.cluster
    lines = [f"{history.deliverable.title} — {unit_label(cluster, unit_code, ctx._)}"]
    for s in history.versions:
        timing = (
            ctx._("on time")
            if s.days_late == 0
            else ctx._("{days} day(s) late").format(days=s.days_late)
        )
        lines.append(
            ctx._("Version {version}: {when} — {name} — {count} file(s) — {timing}").format(
                version=s.version,
                when=local_datetime(s.received_at, cluster.timezone),
                name=s.officer_name,
                count=len(s.files),
                timing=timing,
            )
        )
        if s.note:
            lines.append("   " + ctx._("Note: {note}").format(note=s.note))
    if not history.versions:
        lines.append(ctx._("Nothing received yet."))
    mark = history.mark
    if mark is not None:
        state = ctx._("excused") if mark.status == MarkAction.EXCUSE else ctx._("reopened")
        lines.append(ctx._("Marked {state}: {reason}").format(state=state, reason=mark.reason))
    target = f"{unit_code}:{code}"
    actions = [
        Option(ctx._("Excuse this unit"), f"mark:{MarkAction.EXCUSE}:{target}"),
        Option(ctx._("Reopen (ask for a new version)"), f"mark:{MarkAction.REOPEN}:{target}"),
    ]
    if mark is not None:
        actions.append(Option(ctx._("Clear the mark"), f"mark:{MarkAction.CLEAR}:{target}"))
    replies = [ctx.reply("\n".join(lines), actions)]
    for attachment in history.latest_files:
        caption = ctx._("Version {version}: {name}").format(
            version=history.versions[-1].version, name=attachment.name
        )
        replies.append(ctx.reply(caption, attachment=attachment))
    return replies


@report_views_router.option("mark", access=Access.MANAGER)
async def mark_chosen(ctx: Context) -> list[Reply]:
    status, _sep, target = (ctx.choice or "").partition(":")
    unit_code, _sep, code = target.partition(":")
    if status not in set(MarkAction) or code not in {
        d.code for d in owed_by(ctx.services.cluster_year, unit_code)
    }:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    draft = MarkDraft(MarkAction(status), unit_code, code)
    ctx.begin(MarkDraft.FLOW, "reason", draft.to_json())
    return await _reason_prompt(ctx)


async def _reason_prompt(ctx: Context) -> list[Reply]:
    return [ctx.reply(ctx._("Please write the reason (it is recorded and shown to the unit)."))]


async def _reason(ctx: Context) -> list[Reply]:
    reason = ctx.inbound.text.strip()
    if len(reason) < 3:
        return [ctx.reply(ctx._("Please write the reason in a few words."))]
    actor, draft = ctx.actor, MarkDraft.from_json(ctx.data)
    assert actor is not None
    marked = await mark_report(
        ctx.services, actor, draft.unit_code, draft.deliverable, draft.action, reason
    )
    ctx.finish()
    if marked is None:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    return [ctx.reply(ctx._("Recorded. The unit is told."))]


MARK_FLOW = report_views_router.flow(
    Flow(
        name=MarkDraft.FLOW,
        title=N_("excuse or reopen"),
        first="reason",
        access=Access.MANAGER,
        steps={"reason": Step(prompt=_reason_prompt, handle=_reason)},
    )
)
