"""The provincial emulation board: /tongquan (every cluster at a glance), /chon (look at one
cluster), /thongbaotinh (an announcement to every cluster's chair). Read-only everywhere else:
the board's officers are no unit's, so no cluster's data can be changed from here."""

from __future__ import annotations

from bot.domain.access import Access
from bot.domain.cluster import Cluster
from bot.domain.formatting import number, short_date
from bot.domain.messages import Option, Reply
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_, Translator
from bot.texts.roles import Leader, title_of
from bot.usecases import province_overview

__all__ = ["province_router"]

province_router = Router("province")


@province_router.command(
    "tongquan",
    "overview",
    access=Access.PROVINCE,
    keeps_draft=True,
    description=N_("every cluster at a glance (province)"),
)
async def overview(ctx: Context) -> list[Reply]:
    today = ctx.today()
    lines = [ctx._("Clusters of the province, as of {day}").format(day=short_date(today))]
    options = []
    for glance in await province_overview.at_a_glance(ctx.services, today):
        summary, year = glance.cluster, glance.year
        state = ctx._("open") if glance.is_open else ctx._("closed")
        done, total = glance.done, glance.due
        lines += [
            "",
            f"{summary.name} — {year.cluster.year} ({state}), "
            + ctx._("{title} {unit}").format(
                title=title_of(year.cluster, Leader.CHAIR, ctx._),
                unit=_unit_name(year.cluster, year.cluster.chair),
            ),
            "  " + ctx._("Reports due so far: {done}/{total} done").format(done=done, total=total),
            "  " + ctx._("Late: {units}").format(units=", ".join(glance.late_units) or "—"),
        ]
        ranked = await province_overview.published_top(glance)
        if ranked:
            top = ", ".join(
                f"{r.rank}. {_unit_name(year.cluster, r.score.unit_code)} "
                f"({number(r.total, ctx.language)})"
                for r in ranked
            )
            lines.append("  " + ctx._("Ranking: {top}").format(top=top))
        else:
            lines.append("  " + ctx._("Ranking: not published yet"))
        options.append(
            Option(ctx._("See {cluster}").format(cluster=summary.name), f"look:{summary.id}")
        )
    return [ctx.reply("\n".join(lines), options)]


def _unit_name(cluster: Cluster, code: str | None) -> str:
    unit = cluster.unit(code)
    return unit.name if unit else code or "—"


@province_router.command(
    "chon",
    "switch",
    access=Access.PROVINCE,
    keeps_draft=True,
    description=N_("look at one cluster (province)"),
)
async def switch(ctx: Context) -> list[Reply]:
    options = [
        Option(f"{c.name} ({c.province})", f"look:{c.id}")
        for c in province_overview.clusters(ctx.services)
    ]
    return [ctx.reply(ctx._("Which cluster do you want to look at?"), options)]


@province_router.option("look", access=Access.PROVINCE)
async def look(ctx: Context) -> list[Reply]:
    actor = ctx.actor
    assert actor is not None
    choice = ctx.choice or ""
    valid = choice.isascii() and choice.isdigit()
    looking = await province_overview.look_at(ctx.services, actor, int(choice)) if valid else None
    if looking is None:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    return [
        ctx.reply(
            ctx._(
                "You are looking at {cluster} {year}: /tiendo, /xephang, /hanchot and /giaouoc "
                "show it (read only). /chon switches to another cluster."
            ).format(cluster=looking.cluster_name, year=looking.year)
        )
    ]


@province_router.command(
    "thongbaotinh",
    "provincenotice",
    access=Access.PROVINCE,
    description=N_("an announcement to every cluster's chair (province)"),
)
async def notice(ctx: Context) -> list[Reply]:
    text = " ".join(ctx.inbound.args).strip()
    ctx.begin(NOTICE_FLOW.name, "text" if not text else "confirm", {"text": text[:3500]})
    if not text:
        return await _text_prompt(ctx)
    return await _confirm_prompt(ctx)


async def _text_prompt(ctx: Context) -> list[Reply]:
    return [ctx.reply(ctx._("Type the announcement to the chair of every cluster and bloc."))]


async def _text(ctx: Context) -> list[Reply]:
    if not ctx.inbound.text.strip():
        return [ctx.reply(ctx._("Type the announcement to the chair of every cluster and bloc."))]
    ctx.data["text"] = ctx.inbound.text.strip()[:3500]
    ctx.goto("confirm")
    return []


async def _confirm_prompt(ctx: Context) -> list[Reply]:
    text = ctx._("To the chairs of {count} cluster(s) and bloc(s):").format(
        count=len(province_overview.open_chairs(ctx.services))
    )
    options = [
        ctx.step_option(ctx._("Send"), "send"),
        ctx.step_option(ctx._("Cancel"), "cancel"),
    ]
    return [ctx.reply(f"{text}\n\n{ctx.data['text']}", options)]


async def _confirm(ctx: Context) -> list[Reply]:
    if ctx.choice == "cancel":
        ctx.finish()
        return [ctx.reply(ctx._("Cancelled."))]
    if ctx.choice != "send":
        return [ctx.reply(ctx._("Please choose one of the options above."))]
    actor = ctx.actor
    assert actor is not None
    body = ctx.data["text"]
    ctx.finish()

    def build(_: Translator) -> Reply:
        return Reply(_("📣 From the provincial emulation board:") + "\n" + body)

    queued = await province_overview.tell_chairs(ctx.services, actor, build)
    sent = ctx._("Sent to {count} chat(s) of the clusters' and blocs' chairs.")
    return [ctx.reply(sent.format(count=queued))]


NOTICE_FLOW = province_router.flow(
    Flow(
        name="province_notice",
        title=N_("announcement to the chairs"),
        first="text",
        access=Access.PROVINCE,
        steps={
            "text": Step(prompt=_text_prompt, handle=_text),
            "confirm": Step(prompt=_confirm_prompt, handle=_confirm),
        },
    )
)
