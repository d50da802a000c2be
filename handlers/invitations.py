"""/moi (invite) and /thuhoi (revoke): the chair hands out one-time codes."""

from __future__ import annotations

from bot.domain.access import Access, Role, RoleMismatch
from bot.domain.cluster import Cluster, ClusterKind
from bot.domain.formatting import local_datetime
from bot.domain.messages import Option, Reply
from bot.engine.context import Context
from bot.engine.router import Router
from bot.i18n import N_
from bot.texts.invitations import invitation_text
from bot.texts.roles import role_mismatch_text, unit_label
from bot.usecases import invitations
from bot.usecases.invitations import AdminOnCommandLine

__all__ = ["invitations_router", "parse_role"]

invitations_router = Router("invitations")

NO_UNIT = "-"
_ROLE_WORDS = {
    "thanhvien": Role.MEMBER,
    "member": Role.MEMBER,
    "truongcum": Role.CHAIR,
    "truongkhoi": Role.CHAIR,
    "chair": Role.CHAIR,
    "quansat": Role.OBSERVER,
    "observer": Role.OBSERVER,
}


def _chat_role_words(cluster: Cluster) -> dict[Role, str]:
    """The words /moi takes, as its messages name them."""
    chair = "truongkhoi" if cluster.kind is ClusterKind.KHOI else "truongcum"
    return {Role.MEMBER: "thanhvien", Role.CHAIR: chair, Role.OBSERVER: "quansat"}


def parse_role(word: str) -> Role | None:
    return _ROLE_WORDS.get(word.lower().replace("-", "").replace("_", ""))


@invitations_router.command(
    "moi", "invite", access=Access.MANAGER, description=N_("invite an officer (chair)")
)
async def invite(ctx: Context) -> list[Reply]:
    cluster = ctx.services.cluster_year.cluster
    args = list(ctx.inbound.args)
    role: Role | None = None
    if args and parse_role(args[-1]) is not None:
        role = parse_role(args.pop())
    if not args:
        options = [
            Option(f"{u.full_name} ({u.code})", f"invite:{u.code}:{role or ''}")
            for u in cluster.units
        ]
        options.append(Option(ctx._("An observer (no unit)"), f"invite:{NO_UNIT}:observer"))
        return [ctx.reply(ctx._("Whom do you want to invite? Choose the unit:"), options)]
    unit = cluster.find_unit(" ".join(args))
    if unit is None:
        codes = ", ".join(u.code for u in cluster.units)
        return [
            ctx.reply(
                ctx._("I do not know the unit “{typed}”. The units are: {codes}.").format(
                    typed=" ".join(args), codes=codes
                )
            )
        ]
    return await _create(ctx, unit.code, role)


@invitations_router.option("invite", access=Access.MANAGER)
async def invite_chosen(ctx: Context) -> list[Reply]:
    unit_code, _sep, role_text = (ctx.choice or "").partition(":")
    role = Role(role_text) if role_text in {r.value for r in Role} else None
    if unit_code == NO_UNIT:
        return await _create(ctx, None, Role.OBSERVER)
    if ctx.services.cluster_year.cluster.unit(unit_code) is None:
        return [ctx.reply(ctx._("That choice is no longer valid. Please use the latest message."))]
    return await _create(ctx, unit_code, role)


async def _create(ctx: Context, unit_code: str | None, role: Role | None) -> list[Reply]:
    cluster = ctx.services.cluster_year.cluster
    made = await invitations.invite(ctx.services, unit_code, role, ctx.actor)
    if isinstance(made, AdminOnCommandLine):
        return [ctx.reply(ctx._("Administrators are added on the command line only."))]
    if isinstance(made, RoleMismatch):
        words = _chat_role_words(cluster)
        return [ctx.reply(role_mismatch_text(made, cluster, unit_code, words, ctx._))]
    return [invitation_text(made, cluster, ctx._)]


@invitations_router.command(
    "thuhoi", "revoke", access=Access.MANAGER, description=N_("withdraw an unused invitation")
)
async def revoke_menu(ctx: Context) -> list[Reply]:
    cluster = ctx.services.cluster_year.cluster
    pending = await invitations.open_invitations(ctx.services)
    if not pending:
        return [ctx.reply(ctx._("There is no unused invitation to withdraw."))]
    options = [
        Option(
            ctx._("No. {id}: {unit}, made {when}").format(
                id=inv.id,
                unit=unit_label(cluster, inv.unit_code, ctx._),
                when=local_datetime(inv.created_at, cluster.timezone),
            ),
            f"revoke:{inv.id}",
        )
        for inv in pending
    ]
    return [ctx.reply(ctx._("Which invitation do you want to withdraw?"), options)]


@invitations_router.option("revoke", access=Access.MANAGER)
async def revoke_chosen(ctx: Context) -> list[Reply]:
    choice = ctx.choice or ""
    done = choice.isdigit() and await invitations.revoke(ctx.services, int(choice), ctx.actor)
    if not done:
        return [ctx.reply(ctx._("That invitation was already used or withdrawn."))]
    return [
        ctx.reply(
            ctx._("Invitation No. {id} is withdrawn; its code no longer works.").format(id=choice)
        )
    ]
