"""The provincial emulation board: /tongquan (every cluster at a glance), /chon (look at one
cluster), /thongbaotinh (an announcement to every cluster's chair). Read-only everywhere else:
the board's officers are no unit's, so no cluster's data can be changed from here."""

from __future__ import annotations

from bot.domain.access import Access
from bot.domain.cluster import Cluster
from bot.domain.formatting import number, short_date
from bot.domain.messages import Option, Reply
from bot.domain.report_status import status_matrix
from bot.engine.context import Context
from bot.engine.conversation import Flow, Step
from bot.engine.router import Router
from bot.i18n import N_, Translator
from bot.services.notices import notify_officers
from bot.services.ranking_data import load_ranking
from handlers.ranking import published_at

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
    root = ctx.services
    today = ctx.today()
    lines = [ctx._("Clusters of the province, as of {day}").format(day=short_date(today))]
    options = []
    for summary in root.years.clusters():
        record = root.years.current(summary.id)
        if record is None:
            continue
        services = root.scoped(record.id)
        year = services.cluster_year
        rows = status_matrix(
            year, today, await services.submissions.latest(), await services.submissions.marks()
        )
        due = {d.code for d in year.plan.deliverables if d.due <= today} or {
            d.code for d in year.plan.deliverables
        }
        cells = [
            c
            for row in rows
            for d, c in zip(year.plan.deliverables, row.cells, strict=True)
            if c is not None and d.code in due
        ]
        done = sum(c.done for c in cells)
        late = sorted(
            {row.unit.name for row in rows for c in row.cells if c is not None and c.value == "❌"}
        )
        state = ctx._("open") if record.is_open else ctx._("closed")
        lines += [
            "",
            f"{summary.name} — {record.year} ({state}), "
            + ctx._("chair {unit}").format(unit=_unit_name(year.cluster, year.cluster.chair)),
            "  "
            + ctx._("Reports due so far: {done}/{total} done").format(done=done, total=len(cells)),
            "  " + ctx._("Late: {units}").format(units=", ".join(late) or "—"),
        ]
        data = await load_ranking(services)
        if data is not None and data.ranked and await published_at(services):
            top = ", ".join(
                f"{r.rank}. {_unit_name(year.cluster, r.score.unit_code)} "
                f"({number(r.total, ctx.language)})"
                for r in data.ranked[:3]
            )
            lines.append("  " + ctx._("Ranking: {top}").format(top=top))
        else:
            lines.append("  " + ctx._("Ranking: not published yet"))
        options.append(
            Option(ctx._("See {cluster}").format(cluster=summary.name), f"look:{summary.id}")
        )
    return [ctx.reply("\n".join(lines), options)]


def _unit_name(cluster: Cluster, code: str) -> str:
    unit = cluster.unit(code)
    return unit.name if unit else code


@province_router.command(
    "chon",
    "switch",
    access=Access.PROVINCE,
    keeps_draft=True,
    description=N_("look at one cluster (province)"),
)
async def switch(ctx: Context) -> list[Reply]:
    options = [
        Option(f"{c.name} ({c.province})", f"look:{c.id}") for c in ctx.services.years.clusters()
    ]
    return [ctx.reply(ctx._("Which cluster do you want to look at?"), options)]


@province_router.option("look", access=Access.PROVINCE)
async def look(ctx: Context) -> list[Reply]:
    actor, years = ctx.actor, ctx.services.years
    assert actor is not None
    choice = ctx.choice or ""
    record = years.current(int(choice)) if choice.isascii() and choice.isdigit() else None
    if record is None:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    await ctx.services.officers.look_at(actor.officer_id, record.cluster_id)
    return [
        ctx.reply(
            ctx._(
                "You are looking at {cluster} {year}: /tiendo, /xephang, /hanchot and /giaouoc "
                "show it (read only). /chon switches to another cluster."
            ).format(cluster=record.data.cluster.name, year=record.year)
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
    return [ctx.reply(ctx._("Type the announcement to every cluster's chair."))]


async def _text(ctx: Context) -> list[Reply]:
    if not ctx.inbound.text.strip():
        return [ctx.reply(ctx._("Type the announcement to every cluster's chair."))]
    ctx.data["text"] = ctx.inbound.text.strip()[:3500]
    ctx.goto("confirm")
    return []


def _chairs(ctx: Context) -> list[tuple[str, str]]:
    """(unit code, cluster name) of every open year's chair."""
    return [(y.data.cluster.chair, y.data.cluster.name) for y in ctx.services.years.open_years()]


async def _confirm_prompt(ctx: Context) -> list[Reply]:
    text = ctx._("To the chairs of {count} cluster(s):").format(count=len(_chairs(ctx)))
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
    services, actor = ctx.services, ctx.actor
    assert actor is not None
    body, now = ctx.data["text"], services.clock.now()
    ctx.finish()
    chairs = await services.officers.chair_officers({code for code, _name in _chairs(ctx)})

    def build(_: Translator) -> Reply:
        return Reply(_("📣 From the provincial emulation board:") + "\n" + body)

    key = f"province:{actor.officer_id}:{now.isoformat()}"
    queued = await notify_officers(services, chairs, key, build)
    await services.audit.record(
        now, f"officer:{actor.officer_id}", "province.announced", "chairs", recipients=queued
    )
    return [ctx.reply(ctx._("Sent to {count} chat(s) of the chairs.").format(count=queued))]


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
