"""/bangiao: the outgoing chair hands the cluster over to next year's chair (bàn giao Trưởng Cụm).

Flow ``handover``: chair (next year's chair unit) → deputy (or none) → plan (carried forward one
year, every row flagged for the new chair to confirm; or the new chair's document, read by the
plan importer) → confirm (listing what the year leaves open) → reason (only when something is
open: why the chair goes on, audited). Confirming opens the new cluster-year, closes the old
one (read only, its reminders stop), keeps every registration, and tells everyone. The chair's
rights follow the chair unit of each year; ``/xacnhankehoach`` lets the new chair confirm the
carried rows.
"""

from __future__ import annotations

from bot.domain.access import Access
from bot.domain.cluster import ClusterYear, Plan
from bot.domain.formatting import short_date
from bot.domain.messages import Option, Reply
from bot.domain.strings import shorten
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_
from bot.texts.roles import Leader, title_of, unit_label
from bot.texts.voting import title_name
from bot.usecases.handover import (
    HandoverDraft,
    OpenItems,
    PlanProblem,
    carried_rows,
    confirm_carried_plan,
    following_year,
    hand_over,
    next_year,
    open_items,
    read_new_plan,
    voted_leaders,
)

__all__ = ["HANDOVER_FLOW", "handover_router"]

handover_router = Router("handover")

NO_DEPUTY = "-"
OPEN_REPORTS_SHOWN = 10


PLAN_PROBLEMS = {
    PlanProblem.UNREADABLE: N_("I could not read a plan in that file; carry it forward instead."),
    PlanProblem.UNDATED: N_(
        "Some rows of that plan have no dates I can read. Carry the plan forward "
        "now; the new {chair} can import the document with /nhapkehoach."
    ),
}


def _draft(ctx: Context) -> HandoverDraft:
    plan = ctx.data.get("plan")
    return HandoverDraft(
        ctx.data["chair"],
        ctx.data.get("deputy"),
        Plan.model_validate_json(plan) if plan else None,
        bool(ctx.data.get("flagged")),
    )


def _next_year(ctx: Context) -> ClusterYear:
    """Next year as the draft stands: the cluster, its chair and deputy, the plan."""
    return next_year(ctx.services, _draft(ctx))


@handover_router.command(
    "bangiao",
    "handover",
    access=Access.MANAGER,
    description=N_("hand the cluster over to next year's chair (chair)"),
    private=True,
)
async def start_handover(ctx: Context) -> list[Reply]:
    services = ctx.services
    following = following_year(services)
    if following is not None:
        return [
            ctx.reply(
                ctx._("The year {year} of {cluster} is already open.").format(
                    year=following, cluster=ctx.cluster_name
                )
            )
        ]
    ctx.begin(HANDOVER_FLOW.name, "chair")
    voted = await voted_leaders(services)
    if voted.chair is None:
        return await _chair_prompt(ctx)
    ctx.data.update(chair=voted.chair, deputy=voted.deputy)
    cluster = services.cluster_year.cluster
    said = ctx._("From the vote: {chair} is the {title} in {year}.").format(
        chair=unit_label(cluster, voted.chair, ctx._),
        title=title_of(cluster, Leader.CHAIR, ctx._),
        year=cluster.year + 1,
    )
    if voted.deputy_voted:
        ctx.goto("plan")
        return [ctx.reply(said), *await _plan_prompt(ctx)]
    ctx.goto("deputy")
    return [ctx.reply(said), *await _deputy_prompt(ctx)]


async def _chair_prompt(ctx: Context) -> list[Reply]:
    cluster = ctx.services.cluster_year.cluster
    options = [ctx.step_option(f"{u.full_name} ({u.code})", u.code) for u in cluster.units]
    return [
        ctx.reply(
            ctx._("Handing over {cluster} for {year}. Which unit is the {title} in {year}?").format(
                cluster=cluster.name,
                title=title_of(cluster, Leader.CHAIR, ctx._),
                year=cluster.year + 1,
            ),
            options,
        )
    ]


async def _chair(ctx: Context) -> list[Reply]:
    if ctx.services.cluster_year.cluster.unit(ctx.choice or "") is None:
        return [ctx.reply(ctx._("Please choose one of the units above."))]
    ctx.data["chair"] = ctx.choice
    ctx.goto("deputy")
    return []


async def _deputy_prompt(ctx: Context) -> list[Reply]:
    cluster = ctx.services.cluster_year.cluster
    options = [
        ctx.step_option(f"{u.full_name} ({u.code})", u.code)
        for u in cluster.units
        if u.code != ctx.data["chair"]
    ]
    deputy = title_of(cluster, Leader.DEPUTY, ctx._)
    options.append(ctx.step_option(ctx._("No {title}").format(title=deputy), NO_DEPUTY))
    return [ctx.reply(ctx._("And the {title}'s unit?").format(title=deputy), options)]


async def _deputy(ctx: Context) -> list[Reply]:
    cluster = ctx.services.cluster_year.cluster
    choice = ctx.choice or ""
    if choice != NO_DEPUTY and (cluster.unit(choice) is None or choice == ctx.data["chair"]):
        return [ctx.reply(ctx._("Please choose one of the units above."))]
    ctx.data["deputy"] = None if choice == NO_DEPUTY else choice
    ctx.goto("plan")
    return []


async def _plan_prompt(ctx: Context) -> list[Reply]:
    options = [ctx.step_option(ctx._("Carry this year's plan forward"), "carry")]
    text = ctx._(
        "Next year's plan: carry this year's plan forward (every date moved one year; the new "
        "{chair} confirms each row), or send the new {chair}'s plan document now."
    ).format(chair=title_of(ctx.services.cluster_year.cluster, Leader.CHAIR, ctx._))
    return [ctx.reply(text, options)]


async def _plan(ctx: Context) -> list[Reply]:
    if ctx.choice == "carry":
        ctx.data["plan"] = None
        ctx.data["flagged"] = True
        ctx.goto("confirm")
        return []
    if not ctx.inbound.files:
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    plan = read_new_plan(ctx.services, ctx.inbound.files[0].data)
    if isinstance(plan, PlanProblem):
        chair = title_of(ctx.services.cluster_year.cluster, Leader.CHAIR, ctx._)
        return [ctx.reply(ctx._(PLAN_PROBLEMS[plan]).format(chair=chair))]
    ctx.data["plan"] = plan.model_dump_json()
    ctx.data["flagged"] = False
    ctx.goto("confirm")
    return []


async def _confirm_prompt(ctx: Context) -> list[Reply]:
    new = _next_year(ctx)
    cluster = new.cluster
    lines = [
        ctx._("Please check the handover:"),
        ctx._("{cluster}, year {year}").format(cluster=cluster.name, year=cluster.year),
        ctx._("{title}: {unit}").format(
            title=title_of(cluster, Leader.CHAIR, ctx._),
            unit=unit_label(cluster, cluster.chair, ctx._),
        ),
        ctx._("{title}: {unit}").format(
            title=title_of(cluster, Leader.DEPUTY, ctx._),
            unit=unit_label(cluster, cluster.deputy, ctx._) if cluster.deputy else "—",
        ),
        ctx._("Plan: {title} — {tasks} task(s), {deliverables} report(s)").format(
            title=new.plan.title, tasks=len(new.plan.tasks), deliverables=len(new.plan.deliverables)
        ),
    ]
    if ctx.data.get("flagged"):
        lines.append(
            ctx._("Every row is marked for the new {chair} to confirm (/xacnhankehoach).").format(
                chair=title_of(cluster, Leader.CHAIR, ctx._)
            )
        )
    lines += [
        ctx._("Scoring table: kept."),
        ctx._("Units and their officers: kept (nobody is invited again)."),
        ctx._(
            "{year} is then closed: it stays readable (/tiendo {year}), its reminders stop."
        ).format(year=ctx.services.year.year),
    ]
    lines += _open_lines(ctx, await open_items(ctx.services))
    options = [
        ctx.step_option(ctx._("Confirm the handover"), "confirm"),
        ctx.step_option(ctx._("Cancel"), "cancel"),
    ]
    return [ctx.reply("\n".join(lines), options)]


async def _confirm(ctx: Context) -> list[Reply]:
    if ctx.choice == "cancel":
        ctx.finish()
        return [ctx.reply(ctx._("Cancelled. Nothing was handed over."))]
    if ctx.choice != "confirm":
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    if (await open_items(ctx.services)).any:
        ctx.goto("reason")
        return []
    return await _handed_over(ctx, "")


def _open_lines(ctx: Context, left: OpenItems) -> list[str]:
    """What the year leaves open, for the preview."""
    if not left.any:
        return []
    cluster = ctx.services.cluster_year.cluster
    lines = [ctx._("⚠️ Still open in {year}:").format(year=ctx.services.year.year)]
    if left.reports:
        lines.append(ctx._("Reports not in: {count}").format(count=len(left.reports)))
        shown = left.reports[:OPEN_REPORTS_SHOWN]
        lines += [f"- {unit_label(cluster, code, ctx._)}: {title}" for code, title in shown]
        if len(left.reports) > len(shown):
            lines.append(ctx._("- and {count} more").format(count=len(left.reports) - len(shown)))
    if left.scores_unlocked:
        lines.append(ctx._("The scores are not locked: the ranking is provisional."))
    for title in left.votes:
        lines.append(
            ctx._("A vote is still open: {title}").format(
                title=title_name(title, ctx.services.cluster_year.cluster, ctx._)
            )
        )
    return lines


async def _reason_prompt(ctx: Context) -> list[Reply]:
    return [
        ctx.reply(
            ctx._(
                "Some of the year is still open. To hand over anyway, enter the reason (it is "
                "kept in the audit log), or /huy."
            )
        )
    ]


async def _reason(ctx: Context) -> list[Reply]:
    reason = ctx.inbound.text.strip()
    if len(reason) < 3:
        return [ctx.reply(ctx._("Please write a few words."))]
    return await _handed_over(ctx, reason)


async def _handed_over(ctx: Context, reason: str) -> list[Reply]:
    assert ctx.actor is not None
    draft = _draft(ctx)
    done = await hand_over(ctx.services, ctx.actor, draft, reason)
    ctx.finish()
    cluster, old_year = done.year.cluster, done.closed_year
    return [
        ctx.reply(
            ctx._("Handed over. {cluster} {year} is open; {old} is closed.").format(
                cluster=cluster.name, year=cluster.year, old=old_year
            )
        )
    ]


HANDOVER_FLOW = handover_router.flow(
    Flow(
        name="handover",
        title=N_("handover to next year's chair"),
        first="chair",
        access=Access.MANAGER,
        offer_after_restart=True,
        steps={
            "chair": Step(prompt=_chair_prompt, handle=_chair),
            "deputy": Step(prompt=_deputy_prompt, handle=_deputy),
            "plan": Step(prompt=_plan_prompt, handle=_plan),
            "confirm": Step(prompt=_confirm_prompt, handle=_confirm),
            "reason": Step(prompt=_reason_prompt, handle=_reason),
        },
    )
)


@handover_router.command(
    "xacnhankehoach",
    "confirmplan",
    access=Access.MANAGER,
    description=N_("confirm a plan carried forward (chair)"),
)
async def confirm_plan(ctx: Context) -> list[Reply]:
    services = ctx.services
    rows = carried_rows(services)
    if not rows:
        return [
            ctx.reply(
                ctx._("The plan of {year} has no row to confirm.").format(year=services.year.year)
            )
        ]
    lines = [
        ctx._("The plan of {year}, carried forward: every row awaits your confirmation.").format(
            year=services.year.year
        )
    ]
    for task in rows:
        when = task.window.text or short_date(task.window.end)
        lines.append(f"⚑ {task.number}. {shorten(task.title, 80)} — {when}")
    options = [Option(ctx._("Confirm every row"), "planconfirm:all")]
    lines.append(ctx._("Or import your own document with /nhapkehoach."))
    return [ctx.reply("\n".join(lines), options)]


@handover_router.option("planconfirm", access=Access.MANAGER)
async def plan_confirmed(ctx: Context) -> list[Reply]:
    services = ctx.services
    assert ctx.actor is not None
    if not await confirm_carried_plan(services, ctx.actor):
        return [ctx.reply(ctx._("That question has already been answered or closed."))]
    return [
        ctx.reply(
            ctx._("The plan of {year} is confirmed; reminders follow it.").format(
                year=services.year.year
            )
        )
    ]
