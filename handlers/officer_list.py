"""/canbo: the chair's list of units and officers; removing officers, the primary mark, /roikhoi."""

from __future__ import annotations

from bot.domain.access import Access
from bot.domain.cluster import Cluster
from bot.domain.formatting import local_date
from bot.domain.messages import Option, Reply
from bot.domain.officer_records import OfficerRecord
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_, Translator
from bot.services.notices import notify_managers
from bot.texts.roles import Leader, role_name, title_of, unit_label
from bot.usecases import officer_roster

__all__ = ["people_router"]

people_router = Router("people")


def _officer_line(officer: OfficerRecord, cluster: Cluster, _: Translator) -> str:
    star = "★ " if officer.is_primary else ""
    channels = ", ".join(
        i.channel.capitalize() + (" ⚠️" if i.unreachable else "") for i in officer.identities
    )
    seen = local_date(officer.last_seen_at, cluster.timezone) if officer.last_seen_at else "—"
    return _("  {star}{name} — {role} — {channels} — last active {seen}").format(
        star=star,
        name=officer.name,
        role=role_name(officer.role, cluster, _),
        channels=channels or "—",
        seen=seen,
    )


@people_router.command(
    "canbo", "members", access=Access.MANAGER, description=N_("units and their officers (chair)")
)
async def members(ctx: Context) -> list[Reply]:
    cluster = ctx.services.cluster_year.cluster
    officers = await officer_roster.active_officers(ctx.services)
    lines = [ctx._("Officers of {cluster}:").format(cluster=cluster.name)]
    for unit in cluster.units:
        title = f"{unit.full_name} ({unit.code})"
        if unit.code == cluster.chair:
            title += " — " + title_of(cluster, Leader.CHAIR, ctx._)
        elif unit.code == cluster.deputy:
            title += " — " + title_of(cluster, Leader.DEPUTY, ctx._)
        lines.append(title)
        own = [o for o in officers if o.unit_code == unit.code]
        lines += [_officer_line(o, cluster, ctx._) for o in own] or [
            "  " + ctx._("(no officer yet: invite one with /moi {code})").format(code=unit.code)
        ]
    others = [o for o in officers if o.unit_code is None]
    if others:
        lines.append(ctx._("Administrators and observers"))
        lines += [_officer_line(o, cluster, ctx._) for o in others]
    lines.append(ctx._("★ primary contact · ⚠️ cannot be reached (blocked the bot)"))
    options = [
        Option(ctx._("Remove an officer"), "people:remove-menu"),
        Option(ctx._("Change a unit's primary contact"), "people:primary-menu"),
    ]
    return [ctx.reply("\n".join(lines), options)]


@people_router.option("people", access=Access.MANAGER)
async def manage(ctx: Context) -> list[Reply]:
    action, _sep, target = (ctx.choice or "").partition(":")
    services, actor = ctx.services, ctx.actor
    assert actor is not None
    if action == "keep":
        return [ctx.reply(ctx._("Nothing was changed."))]
    cluster = services.cluster_year.cluster
    if action in ("remove-menu", "primary-menu"):
        officers = await officer_roster.choosable(services, action == "primary-menu")
        if not officers:
            return [ctx.reply(ctx._("There is nobody to choose."))]
        verb = "remove-ask" if action == "remove-menu" else "primary"
        options = [
            Option(f"{o.name} — {unit_label(cluster, o.unit_code, ctx._)}", f"people:{verb}:{o.id}")
            for o in officers
        ]
        return [ctx.reply(ctx._("Choose the officer:"), options)]
    officer = await officer_roster.officer(services, int(target)) if target.isdigit() else None
    if officer is None:
        return [ctx.reply(ctx._("That officer is no longer registered."))]
    if action == "remove-ask":
        question = ctx._("Remove {name} ({unit})? What they sent stays on record.").format(
            name=officer.name, unit=unit_label(cluster, officer.unit_code, ctx._)
        )
        confirm = Option(ctx._("Yes, remove"), f"people:remove:{officer.id}")
        return [ctx.reply(question, [confirm, Option(ctx._("No"), "people:keep")])]
    if action == "remove" and await officer_roster.remove(services, officer.id, actor):
        return [ctx.reply(ctx._("{name} was removed.").format(name=officer.name))]
    if action == "primary" and await officer_roster.make_primary(services, officer.id, actor):
        return [
            ctx.reply(
                ctx._("{name} is now the primary contact of {unit}.").format(
                    name=officer.name, unit=unit_label(cluster, officer.unit_code, ctx._)
                )
            )
        ]
    return [ctx.reply(ctx._("Nothing was changed."))]


@people_router.command(
    "roikhoi", "leave", access=Access.REGISTERED, description=N_("leave (unregister this chat)")
)
async def leave(ctx: Context) -> list[Reply]:
    question = ctx._(
        "Do you want to leave? I will stop writing to you; what you sent stays on record."
    )
    options = [Option(ctx._("Yes, leave"), "leave:yes"), Option(ctx._("No"), "leave:no")]
    return [ctx.reply(question, options)]


@people_router.option("leave", access=Access.REGISTERED)
async def leave_chosen(ctx: Context) -> list[Reply]:
    actor, services = ctx.actor, ctx.services
    assert actor is not None
    if ctx.choice != "yes":
        return [ctx.reply(ctx._("Nothing was changed."))]
    await officer_roster.leave(services, actor)
    cluster = services.cluster_year.cluster

    def build(_: Translator) -> Reply:
        return Reply(
            _("{name} ({unit}) has left the bot.").format(
                name=actor.name, unit=unit_label(cluster, actor.unit_code, _)
            )
        )

    await notify_managers(
        services, f"left:{actor.officer_id}", build, except_officer=actor.officer_id
    )
    return [ctx.reply(ctx._("You have left. Thank you! An invitation code brings you back."))]
