"""/xephang: the ranking as text, a bar chart and a workbook; publishing it to every officer;
/quyetdinh: recording the province's decision, separate from the cluster's proposal."""

from __future__ import annotations

from bot.domain.access import Access, Role
from bot.domain.messages import Attachment, Option, Reply
from bot.domain.scoring import FLAG, MERIT
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_, Translator, translator
from bot.outputs.ranking_text import proposal_name, ranking_text
from bot.services.container import Services
from bot.services.notices import notify_officers
from bot.services.ranking_data import load_ranking
from bot.texts.roles import unit_label

__all__ = ["ranking_router"]

ranking_router = Router("ranking")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@ranking_router.command(
    "xephang", "ranking", access=Access.REGISTERED, description=N_("ranking, chart and workbook")
)
async def ranking(ctx: Context) -> list[Reply]:
    actor = ctx.actor
    assert actor is not None
    services = ctx.year_asked()
    if isinstance(services, Reply):
        return [services]
    actor = actor.in_year(services.cluster_year.cluster.chair)  # the role of that year
    data = await load_ranking(services)
    if data is None:
        return [ctx.reply(ctx._("There is no scoring for you in this cluster-year."))]
    unpublished = not await services.meta.get(_published(services))
    if actor.role in (Role.MEMBER, Role.PROVINCE) and unpublished:
        return [ctx.reply(ctx._("The ranking is shown once the chair publishes it."))]
    cluster = services.cluster_year.cluster
    text = ranking_text(cluster, data, ctx._, ctx.language)
    if not data.ranked:
        return [ctx.reply(text)]
    from bot.outputs.ranking_files import (  # matplotlib, openpyxl: on use
        ranking_chart,
        ranking_workbook,
    )

    options = []
    if actor.can_manage and data.locked and services is ctx.services and not services.read_only:
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
    services = ctx.services
    data = await load_ranking(services)
    if data is None or not data.locked:
        return [ctx.reply(ctx._("Lock the scores first (/chotdiem)."))]
    cluster = services.cluster_year.cluster
    await services.meta.set(_published(services), services.clock.now().isoformat())
    officers = await services.officers.active()

    from bot.outputs.ranking_files import ranking_chart

    def build(_: Translator) -> Reply:
        chart = Attachment("xep-hang.png", ranking_chart(cluster, data, _, "vi"), "image/png")
        return Reply(ranking_text(cluster, data, _, "vi"), attachment=chart)

    queued = await notify_officers(
        services, officers, services.year_key("ranking:published"), build
    )
    group_reply = build(translator(services.settings.default_language))
    for group in await services.announcements.groups():
        key = services.year_key(f"ranking:published:{group.channel}:{group.chat_id}")
        queued += await services.outbox.enqueue(
            key, group.channel, group.chat_id, group_reply, is_group=True
        )
    return [ctx.reply(ctx._("The ranking is on its way to {count} chat(s).").format(count=queued))]


def _published(services: Services) -> str:
    """The meta key that holds when the year's ranking was published."""
    return f"ranking.published:{services.year.id}"


async def published_at(services: Services) -> str | None:
    return await services.meta.get(_published(services))


@ranking_router.command(
    "quyetdinh",
    "decision",
    access=Access.MANAGER,
    description=N_("record the province's award decision"),
)
async def decision_menu(ctx: Context) -> list[Reply]:
    data = await load_ranking(ctx.services)
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
    actor, services = ctx.actor, ctx.services
    assert actor is not None
    code, _sep, award = (ctx.choice or "").partition(":")
    if services.cluster_year.cluster.unit(code) is None or award not in (FLAG, MERIT):
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    await services.scores.decide(code, award, actor.officer_id, services.clock.now())
    unit = unit_label(services.cluster_year.cluster, code, ctx._)
    return [
        ctx.reply(
            ctx._("Recorded: the province awarded {award} to {unit}.").format(
                award=proposal_name(award, ctx._), unit=unit
            )
        )
    ]
