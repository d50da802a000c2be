"""The nudges under a reminder: "Nhắc lại sau" (put the unit's reminders of the report off to
tomorrow or a chosen day, never past its deadline) and "Đã gửi bằng văn bản giấy" (sent on
paper: the chair confirms or refuses); /bantin turns the unit's weekly digest off or on."""

from __future__ import annotations

from datetime import date

from bot.domain.access import Access
from bot.domain.formatting import short_date
from bot.domain.messages import Option, Reply
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_
from bot.usecases import nudges
from bot.usecases.nudges import NudgeRefused

__all__ = ["nudges_router"]

nudges_router = Router("nudges")


def _refused(ctx: Context, refused: NudgeRefused) -> list[Reply]:
    return [ctx.reply(ctx._(refused.value))]


@nudges_router.option("snooze", access=Access.OFFICER)
async def snooze_asked(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    code = ctx.choice or ""
    offered = await nudges.snooze_days(ctx.services, ctx.actor, code)
    if isinstance(offered, NudgeRefused):
        return _refused(ctx, offered)
    deliverable, days = offered
    labels = [ctx._("Tomorrow ({day})").format(day=short_date(days[0]))]
    labels += [short_date(day) for day in days[1:]]
    options = [
        Option(label, f"snoozeto:{code}:{day.isoformat()}")
        for label, day in zip(labels, days, strict=True)
    ]
    text = ctx._("Remind your unit of {title} again on which day? (due {due})").format(
        title=deliverable.title, due=short_date(deliverable.due)
    )
    return [ctx.reply(text, options)]


@nudges_router.option("snoozeto", access=Access.OFFICER)
async def snooze_chosen(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    code, _sep, typed = (ctx.choice or "").partition(":")
    try:
        until = date.fromisoformat(typed)
    except ValueError:
        return _refused(ctx, NudgeRefused.GONE)
    done = await nudges.snooze(ctx.services, ctx.actor, code, until)
    if isinstance(done, NudgeRefused):
        return _refused(ctx, done)
    text = ctx._("Understood: I will remind your unit of {title} again on {day}.").format(
        title=done.deliverable.title, day=short_date(done.until)
    )
    return [ctx.reply(text)]


@nudges_router.option("paper", access=Access.OFFICER)
async def paper_claimed(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    claimed = await nudges.claim_paper(ctx.services, ctx.actor, ctx.choice or "")
    if isinstance(claimed, NudgeRefused):
        return _refused(ctx, claimed)
    text = ctx._(
        "Recorded: {title} was sent on paper. The chair is asked to confirm it; you will be told."
    ).format(title=claimed.title)
    return [ctx.reply(text)]


async def _decide(ctx: Context, confirmed: bool) -> list[Reply]:
    assert ctx.actor is not None
    typed = ctx.choice or ""
    if not (typed.isascii() and typed.isdigit()):
        return _refused(ctx, NudgeRefused.GONE)
    decided = await nudges.decide_paper(ctx.services, ctx.actor, int(typed), confirmed)
    if isinstance(decided, NudgeRefused):
        return _refused(ctx, decided)
    text = (
        ctx._("Confirmed: {title} of {unit} counts as submitted, on paper.")
        if confirmed
        else ctx._("Recorded: {title} of {unit} has not arrived on paper. The unit is told.")
    )
    unit = ctx.services.cluster_year.cluster.unit(decided.unit_code)
    name = unit.full_name if unit else decided.unit_code
    return [ctx.reply(text.format(title=decided.deliverable.title, unit=name))]


@nudges_router.option("paperok", access=Access.MANAGER)
async def paper_confirmed(ctx: Context) -> list[Reply]:
    return await _decide(ctx, True)


@nudges_router.option("paperno", access=Access.MANAGER)
async def paper_refused(ctx: Context) -> list[Reply]:
    return await _decide(ctx, False)


@nudges_router.command(
    "bantin",
    "digest",
    access=Access.OFFICER,
    description=N_("your unit's weekly digest: turn it off or on"),
)
async def digest(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    if await nudges.digest_wanted(ctx.services, ctx.actor):
        text = ctx._("Each week you get your unit's digest: reports due soon and late ones.")
        option = Option(ctx._("Stop the weekly digest"), "digest:off")
    else:
        text = ctx._("Your unit's weekly digest is off.")
        option = Option(ctx._("Get the weekly digest again"), "digest:on")
    return [ctx.reply(text, [option])]


@nudges_router.option("digest", access=Access.OFFICER)
async def digest_chosen(ctx: Context) -> list[Reply]:
    assert ctx.actor is not None
    wanted = ctx.choice == "on"
    await nudges.set_digest(ctx.services, ctx.actor, wanted)
    if wanted:
        return [ctx.reply(ctx._("The weekly digest is on again. /bantin turns it off."))]
    return [ctx.reply(ctx._("The weekly digest is off. /bantin turns it on again."))]
