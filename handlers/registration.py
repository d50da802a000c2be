"""Joining with an invitation code (deep link, /batdau CODE, or the code typed), and /toi."""

from __future__ import annotations

from bot.domain.access import Access, Role
from bot.domain.cluster import Cluster
from bot.domain.formatting import local_datetime
from bot.domain.invitations import Claimant, Joined, Redemption
from bot.domain.invite_codes import display, looks_like_code
from bot.domain.messages import Option, Reply
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_, Translator
from bot.services.notices import notify_managers
from bot.texts.roles import Leader, role_name, title_of, unit_label
from bot.usecases import invitations, registration
from bot.usecases.registration import LockedOut

__all__ = ["registration_router"]

registration_router = Router("registration")

_REFUSALS = {
    Redemption.UNKNOWN: N_(
        "That code is not right. Please check it letter by letter (or open the invitation link "
        "again) and send it once more."
    ),
    Redemption.EXPIRED: N_(
        "That invitation has expired. Please ask your cluster chair for a new one."
    ),
    Redemption.USED: N_(
        "That invitation has already been used. Each code works once: please ask your cluster "
        "chair for a new one."
    ),
    Redemption.REVOKED: N_(
        "That invitation was withdrawn by the cluster chair. Please ask for a new one."
    ),
    Redemption.ALREADY: N_("You are already registered. Send /toi to see your details."),
}


@registration_router.command(
    "batdau", "start", keeps_draft=True, description=N_("start, or join with an invitation code")
)
async def start(ctx: Context) -> list[Reply]:
    if ctx.inbound.args:
        return await _join(ctx, ctx.inbound.args[0])
    cluster = ctx.services.cluster_year.cluster
    greeting = ctx._("Hello! I am the bot of {cluster} ({province}, {year}).").format(
        cluster=cluster.name, province=cluster.province, year=cluster.year
    )
    if ctx.actor is None:
        how = ctx._(
            "To join, send me the invitation code your cluster chair gave you "
            "(or open the invitation link)."
        )
    else:
        how = ctx._("Send /huongdan to see what you can do.")
    return [ctx.reply(f"{greeting}\n{how}")]


@registration_router.text()
async def typed_code(ctx: Context) -> list[Reply] | None:
    if looks_like_code(ctx.inbound.text):
        return await _join(ctx, ctx.inbound.text)
    if ctx.actor is None:
        return [
            ctx.reply(
                ctx._(
                    "You are not registered yet. Ask your cluster chair for an invitation "
                    "code and send it to me to join."
                )
            )
        ]
    return None


async def _join(ctx: Context, code: str) -> list[Reply]:
    inbound = ctx.inbound
    if not inbound.is_private:
        return [ctx.reply(ctx._("Please send your invitation code to me in a private chat."))]
    who = Claimant(inbound.channel, inbound.user_id, inbound.chat_id, inbound.display_name)
    found = await registration.join(ctx.services, who, code)
    if isinstance(found, LockedOut):
        when = local_datetime(found.until, ctx.services.cluster_year.cluster.timezone)
        return [
            ctx.reply(
                ctx._(
                    "Too many wrong codes. For your safety, please wait until {when} and try "
                    "again, or ask your cluster chair for help."
                ).format(when=when)
            )
        ]
    if isinstance(found, Joined):
        return [ctx.reply(ctx._(_REFUSALS[found.outcome]))]
    ctx.services = found.services  # the officer's cluster-year, now that the code says who
    await _tell_managers(ctx, found.joined)
    return [ctx.reply(_welcome(ctx, found.joined)).as_result()]


def _welcome(ctx: Context, joined: Joined) -> str:
    assert joined.role is not None
    cluster = ctx.services.cluster_year.cluster
    unit = unit_label(cluster, joined.unit_code, ctx._)
    if joined.outcome is Redemption.LINKED:
        return ctx._("This chat is now linked to your registration ({unit}).").format(unit=unit)
    lines = [
        ctx._("Welcome, {name}! You are registered as {role} of {unit}.").format(
            name=ctx.inbound.display_name, role=role_name(joined.role, cluster, ctx._), unit=unit
        ),
        _next_steps(joined.role, cluster, ctx._),
    ]
    return "\n".join(lines)


def _next_steps(role: Role, cluster: Cluster, _: Translator) -> str:
    if role is Role.OBSERVER:
        return _("You can follow the cluster's progress; send /huongdan to see how.")
    if role is Role.PROVINCE:
        return _(
            "You can see every cluster with /tongquan, look at one with /chon, and write to "
            "every chair with /thongbaotinh."
        )
    if role in (Role.CHAIR, Role.ADMIN):
        return _(
            "You can invite the member units' officers with /moi and see them with /canbo. "
            "Send /huongdan for everything else."
        )
    return _(
        "I will remind you of every deadline of your unit, and you can send reports to the "
        "{title} through me. Send /huongdan to see how."
    ).format(title=title_of(cluster, Leader.CHAIR, _))


async def _tell_managers(ctx: Context, joined: Joined) -> None:
    assert joined.role is not None and joined.officer_id is not None
    cluster = ctx.services.cluster_year.cluster
    name, channel = ctx.inbound.display_name, ctx.inbound.channel
    role = joined.role

    def build(_: Translator) -> Reply:
        unit = unit_label(cluster, joined.unit_code, _)
        if joined.outcome is Redemption.LINKED:
            text = _("{name} ({unit}) linked another channel: {channel}.")
        else:
            text = _("{name} joined as {role} of {unit} (on {channel}).")
        return Reply(
            text.format(
                name=name, unit=unit, channel=channel.capitalize(), role=role_name(role, cluster, _)
            )
        )

    key = f"joined:{channel}:{ctx.inbound.user_id}:{joined.officer_id}"
    await notify_managers(ctx.services, key, build, except_officer=joined.officer_id)


@registration_router.command(
    "toi", "whoami", keeps_draft=True, access=Access.REGISTERED, description=N_("who I am here")
)
async def whoami(ctx: Context) -> list[Reply]:
    actor = ctx.actor
    assert actor is not None
    linked = await registration.linked_channels(ctx.services, actor)
    cluster = ctx.services.cluster_year.cluster
    unit = unit_label(cluster, actor.unit_code, ctx._)
    channels = ", ".join(c.capitalize() for c in linked)
    lines = [
        ctx._("You are {name}, {role} of {unit}.").format(
            name=actor.name, role=role_name(actor.role, cluster, ctx._), unit=unit
        ),
        ctx._("Channels: {channels}.").format(channels=channels),
    ]
    if actor.is_primary:
        lines.append(ctx._("You are your unit's primary contact: reminders come to you first."))
    lines.append(_next_steps(actor.role, cluster, ctx._))
    link = Option(ctx._("Link another channel (Zalo or Telegram)"), "linkcode:new")
    return [ctx.reply("\n".join(lines), [link])]


@registration_router.option("linkcode", access=Access.REGISTERED)
async def link_code(ctx: Context) -> list[Reply]:
    actor = ctx.actor
    assert actor is not None
    made = await invitations.link_code(ctx.services, actor)
    days = ctx.services.settings.invite_valid_days
    text = ctx._(
        "Your linking code: {code}\nOn the other app (Zalo or Telegram), open a chat with this "
        "bot and send this code. It works once, within {days} days."
    ).format(code=display(made.code), days=f"{days:g}")
    return [ctx.reply(text).as_result()]
