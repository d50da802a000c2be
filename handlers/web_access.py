"""/web: a one-time link that signs the person in to the web pages; /lich: the secret address
of their calendar of deadlines, and a new one on demand (the old one stops working). Both are
answered in the person's private chat only."""

from __future__ import annotations

from bot.domain.access import Access
from bot.domain.formatting import local_date
from bot.domain.messages import Option, Reply
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_
from bot.usecases.calendar_feed import CalendarLink, calendar_link
from bot.usecases.web_signin import signin_link

__all__ = ["web_access_router"]

web_access_router = Router("web_access")

NEW_CALENDAR = "calnew"


@web_access_router.command(
    "web",
    "trang",
    access=Access.REGISTERED,
    keeps_draft=True,
    private=True,
    description=N_("sign in to the web pages (a one-time link)"),
)
async def web_link(ctx: Context) -> list[Reply]:
    actor = ctx.actor
    assert actor is not None
    link = await signin_link(ctx.services, actor, ctx.inbound.channel, ctx.inbound.user_id)
    text = ctx._(
        "Open this link to sign in to the cluster's web pages. It works once, for you only, "
        "within {minutes} minutes; do not pass it on:\n{url}"
    ).format(minutes=f"{link.valid_minutes:g}", url=link.url)
    return [ctx.reply(text)]


def _new_link_option(ctx: Context) -> Option:
    return Option(ctx._("Make a new link"), f"{NEW_CALENDAR}:new")


async def _calendar(ctx: Context, renew: bool) -> list[Reply]:
    actor = ctx.actor
    assert actor is not None
    inbound = ctx.inbound
    link = await calendar_link(ctx.services, actor, inbound.channel, inbound.user_id, renew)
    if isinstance(link, CalendarLink):
        text = ctx._(
            "The address of your calendar of deadlines (your unit's reports, your votes, the "
            "pact). Add it to your phone's calendar as a subscription; keep it to yourself:\n"
            "{url}\nShould someone else get it, make a new link: the old one then stops working."
        ).format(url=link.url)
    else:
        since = local_date(link.since, ctx.services.cluster_year.cluster.timezone)
        text = ctx._(
            "You made the address of your calendar on {day}. For your safety it is shown only "
            "once. If you no longer have it, make a new link: the old one then stops working."
        ).format(day=since)
    return [ctx.reply(text, [_new_link_option(ctx)])]


@web_access_router.command(
    "lich",
    "calendar",
    access=Access.REGISTERED,
    keeps_draft=True,
    private=True,
    description=N_("your deadlines in your phone's calendar"),
)
async def calendar(ctx: Context) -> list[Reply]:
    return await _calendar(ctx, renew=False)


@web_access_router.option(NEW_CALENDAR, access=Access.REGISTERED)
async def new_calendar(ctx: Context) -> list[Reply]:
    return await _calendar(ctx, renew=True)
