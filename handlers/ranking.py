"""/xephang: the ranking as text, a bar chart and a workbook; publishing it to every officer;
/quyetdinh: recording the province's decision, separate from the cluster's proposal."""

from __future__ import annotations

from bot.domain.access import Access
from bot.domain.messages import Attachment, Option, Reply
from bot.domain.scoring import FLAG, MERIT
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_
from bot.outputs.ranking_text import proposal_name, ranking_text
from bot.texts.roles import Leader, title_of, unit_label
from bot.usecases import ranking as ranking_use
from bot.usecases.ranking import RankingRefused

__all__ = ["ranking_router"]

ranking_router = Router("ranking")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@ranking_router.command(
    "xephang", "ranking", access=Access.REGISTERED, description=N_("ranking, chart and workbook")
)
async def ranking(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    services = ctx.year_asked()
    if isinstance(services, Reply):
        return [services]
    standings = await ranking_use.visible_ranking(services, ctx.actor)
    if isinstance(standings, RankingRefused):
        chair = title_of(services.cluster_year.cluster, Leader.CHAIR, ctx._)
        return [ctx.reply(ctx._(standings.value).format(chair=chair))]
    data, cluster = standings.data, services.cluster_year.cluster
    text = ranking_text(cluster, data, ctx._, ctx.language)
    if not data.ranked:
        return [ctx.reply(text)]
    from bot.outputs.ranking_files import (  # matplotlib, openpyxl: on use
        ranking_chart,
        ranking_workbook,
    )

    options = []
    if standings.publishable and services is ctx.services:
        options.append(Option(ctx._("Publish to every officer and the groups"), "publish:all"))
    chart = Attachment(
        "xep-hang.png", ranking_chart(cluster, data, ctx._, ctx.language), "image/png"
    )
    book = Attachment(f"xep-hang-{cluster.year}.xlsx", ranking_workbook(cluster, data, ctx._), XLSX)
    return [
        ctx.reply(text),
        ctx.reply(ctx._("Chart of totals"), attachment=chart),
        ctx.reply(ctx._("Workbook: summary and one sheet per unit"), options, attachment=book),
    ]


@ranking_router.option("publish", access=Access.MANAGER)
async def publish(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    queued = await ranking_use.publish(ctx.services, ctx.actor)
    if isinstance(queued, RankingRefused):
        chair = title_of(ctx.services.cluster_year.cluster, Leader.CHAIR, ctx._)
        return [ctx.reply(ctx._(queued.value).format(chair=chair))]
    return [ctx.reply(ctx._("The ranking is on its way to {count} chat(s).").format(count=queued))]


@ranking_router.command(
    "quyetdinh",
    "decision",
    access=Access.MANAGER,
    description=N_("record the province's award decision"),
)
async def decision_menu(ctx: Context) -> list[Reply]:
    data = await ranking_use.standings(ctx.services)
    if data is None or not data.ranked:
        return [ctx.reply(ctx._("No unit has sent its self-score yet."))]
    cluster = ctx.services.cluster_year.cluster
    options = []
    for item in data.ranked:
        code = item.score.unit_code
        for award in (FLAG, MERIT):
            label = f"{unit_label(cluster, code, ctx._)}: {proposal_name(award, ctx._)}"
            options.append(Option(label, f"decide:{code}:{award}"))
    return [ctx.reply(ctx._("Which award did the province decide?"), options)]


@ranking_router.option("decide", access=Access.MANAGER)
async def decide(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    code, _sep, award = (ctx.choice or "").partition(":")
    if not await ranking_use.decide(ctx.services, ctx.actor, code, award):
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    unit = unit_label(ctx.services.cluster_year.cluster, code, ctx._)
    return [
        ctx.reply(
            ctx._("Recorded: the province awarded {award} to {unit}.").format(
                award=proposal_name(award, ctx._), unit=unit
            )
        )
    ]
