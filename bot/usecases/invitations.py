"""Invitations: made by a chair in chat (/moi) or an operator on the command line, listed,
withdrawn; a registered officer's code to link another channel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.access import Actor, Role, RoleMismatch, role_for_unit
from bot.domain.cluster import Cluster
from bot.domain.invitations import Invitation, NewInvitation, OfficerToInvite, PrintedInvitation
from bot.domain.invite_codes import looks_like_code
from bot.domain.strings import fold
from bot.services.container import Services
from bot.services.years import ClusterSummary

__all__ = [
    "AdminOnCommandLine",
    "ListedInvitation",
    "NewInvitation",
    "OfficerToInvite",
    "PrintedInvitation",
    "UsernameLookup",
    "bot_username",
    "invitation_sheets",
    "invite",
    "link_code",
    "listed",
    "officers_to_invite",
    "open_invitations",
    "open_years",
    "revoke",
    "revoke_anywhere",
    "unit_year",
]

UsernameLookup = Callable[[], Awaitable[str | None]]
"""Asks Telegram for the bot's username (``getMe``) with the configured token; None when it
could not."""
USERNAME_KEY = "telegram.username"

COMMAND_LINE = "cli"
"""Who an invitation made on the command line is recorded as."""


@dataclass(frozen=True, slots=True)
class AdminOnCommandLine:
    """Administrators are made on the command line only."""


def _by(actor: Actor | None) -> tuple[int | None, str]:
    return (
        (None, COMMAND_LINE) if actor is None else (actor.officer_id, f"officer:{actor.officer_id}")
    )


async def bot_username(services: Services, ask: UsernameLookup | None = None) -> str | None:
    """The bot's Telegram username: the setting, else what the bot learnt when it last
    connected, else (``ask``) Telegram's answer to ``getMe``, remembered."""
    if services.settings.telegram_username:
        return services.settings.telegram_username.removeprefix("@")
    known = await services.meta.get(USERNAME_KEY)
    if known is None and ask is not None:
        known = await ask()
        if known is not None:
            await services.meta.set(USERNAME_KEY, known)
    return known


async def invite(
    services: Services,
    unit_code: str | None,
    role: Role | None,
    by: Actor | None,
    ask: UsernameLookup | None = None,
) -> NewInvitation | RoleMismatch | AdminOnCommandLine:
    """A new invitation for ``unit_code`` (None: no unit) with ``role`` fitted to the unit;
    ``by`` None is the command line, where an administrator may be invited; ``ask`` looks the
    bot's username up when it is not known yet."""
    if role is Role.ADMIN and by is not None:
        return AdminOnCommandLine()
    cluster = services.cluster_year.cluster
    fitted = role_for_unit(role, unit_code, cluster.chair)
    if isinstance(fitted, RoleMismatch):
        return fitted
    now = services.clock.now()
    valid = timedelta(days=services.settings.invite_valid_days)
    created_by, who = _by(by)
    province = cluster.province if fitted is Role.PROVINCE else None
    number, code = await services.invitations.create(
        unit_code, fitted, now, valid, created_by=created_by, actor=who, province=province
    )
    username = await bot_username(services, ask)
    return NewInvitation(number, code, unit_code, fitted, now + valid, username)


async def link_code(services: Services, actor: Actor) -> NewInvitation:
    """A code that links another chat app to this officer's registration."""
    now = services.clock.now()
    valid = timedelta(days=services.settings.invite_valid_days)
    created_by, who = _by(actor)
    number, code = await services.invitations.create(
        actor.unit_code,
        actor.role,
        now,
        valid,
        created_by=created_by,
        actor=who,
        officer_id=actor.officer_id,
    )
    return NewInvitation(number, code, actor.unit_code, actor.role, now + valid, None)


async def open_invitations(services: Services) -> list[Invitation]:
    """The cluster's invitations not used, withdrawn or expired, oldest first."""
    return await services.invitations.open(services.clock.now())


async def revoke(services: Services, invitation_id: int, by: Actor | None) -> bool:
    """Withdraw an unused invitation; False when it was already used or withdrawn."""
    return await services.invitations.revoke(invitation_id, _by(by)[1], services.clock.now())


def unit_year(services: Services, typed: str) -> Services | None:
    """The services of the cluster-year a unit belongs to (its open one, else its newest), the
    unit named by its code (unique in the installation) or its name; None if no cluster has it."""
    code = typed.strip().upper()
    if services.years.for_unit(code) is None:
        for year in services.years.all():
            unit = year.data.cluster.find_unit(typed)
            if unit is not None:
                code = unit.code
                break
    record = services.years.for_unit(code)
    return None if record is None else services.scoped(record.id)


def open_years(services: Services) -> list[Services]:
    """The services of every cluster's open year (the newest, if several)."""
    years = [services.years.current(c.id) for c in services.years.clusters()]
    return [services.scoped(y.id) for y in years if y is not None and y.is_open]


async def officers_to_invite(
    services: Services, listed: Sequence[OfficerToInvite] = ()
) -> list[OfficerToInvite]:
    """Whom this cluster-year's invitations on paper are for, unit by unit: each officer
    ``listed`` for the unit (the province's list) who has not registered under that name, and
    for a unit with neither a listed nor a registered officer, its contact officer."""
    registered = await services.officers.active()
    names = {(o.unit_code, fold(o.name)) for o in registered}
    staffed = {o.unit_code for o in registered} | {o.unit_code for o in listed}
    found = []
    for unit in services.cluster_year.cluster.units:
        found += [
            o
            for o in listed
            if o.unit_code == unit.code and (unit.code, fold(o.name or "")) not in names
        ]
        if unit.code not in staffed:
            found.append(OfficerToInvite(unit.code))
    return found


async def invitation_sheets(
    services: Services, officers: Sequence[OfficerToInvite], ask: UsernameLookup | None = None
) -> list[PrintedInvitation]:
    """A fresh invitation (audited) for each officer, made in the cluster-year their unit
    belongs to, with its role fitted to the unit; officers of a unit no cluster has are left
    out (the caller's list comes from this installation's clusters)."""
    printed = []
    for officer in officers:
        scoped = unit_year(services, officer.unit_code)
        if scoped is None:
            continue
        made = await invite(scoped, officer.unit_code, None, None, ask)
        assert isinstance(made, NewInvitation)  # no role asked: always one that fits
        printed.append(PrintedInvitation(scoped.cluster_year.cluster, officer, made))
    return printed


@dataclass(frozen=True, slots=True)
class ListedInvitation:
    invitation: Invitation
    cluster: ClusterSummary | None
    """The cluster it was made for (none: an administrator's, or made before clusters)."""
    data: Cluster | None
    """That cluster's current data, to name the unit."""


async def listed(services: Services, cluster_id: int | None = None) -> list[ListedInvitation]:
    """The installation's open invitations (of one cluster, when given), oldest first."""
    clusters = {c.id: c for c in services.years.clusters()}
    found = await services.invitations.everywhere().open(services.clock.now())
    lines = []
    for invitation in found:
        if cluster_id is not None and invitation.cluster_id != cluster_id:
            continue
        summary = clusters.get(invitation.cluster_id) if invitation.cluster_id else None
        current = services.years.current(summary.id) if summary else None
        lines.append(
            ListedInvitation(invitation, summary, current.data.cluster if current else None)
        )
    return lines


async def revoke_anywhere(services: Services, code_or_number: str) -> int | None:
    """Withdraw an unused invitation of any cluster, named by its code or its number; its
    number, or None when there is no such invitation still open."""
    repository = services.invitations.everywhere()
    typed = code_or_number.strip()
    if typed.isdigit():
        number: int | None = int(typed)
    else:
        number = await repository.id_of(typed) if looks_like_code(typed) else None
    if number is None:
        return None
    done = await repository.revoke(number, COMMAND_LINE, services.clock.now())
    return number if done else None
