"""Invitations: made by a chair in chat (/moi) or an operator on the command line, listed,
withdrawn; a registered officer's code to link another channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.domain.access import Actor, Role, RoleMismatch, role_for_unit
from bot.domain.invitations import Invitation, NewInvitation
from bot.services.container import Services

__all__ = [
    "AdminOnCommandLine",
    "NewInvitation",
    "bot_username",
    "invite",
    "link_code",
    "open_invitations",
    "revoke",
]

COMMAND_LINE = "cli"
"""Who an invitation made on the command line is recorded as."""


@dataclass(frozen=True, slots=True)
class AdminOnCommandLine:
    """Administrators are made on the command line only."""


def _by(actor: Actor | None) -> tuple[int | None, str]:
    return (
        (None, COMMAND_LINE) if actor is None else (actor.officer_id, f"officer:{actor.officer_id}")
    )


async def bot_username(services: Services) -> str | None:
    return await services.meta.get("telegram.username")


async def invite(
    services: Services, unit_code: str | None, role: Role | None, by: Actor | None
) -> NewInvitation | RoleMismatch | AdminOnCommandLine:
    """A new invitation for ``unit_code`` (None: no unit) with ``role`` fitted to the unit;
    ``by`` None is the command line, where an administrator may be invited."""
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
    return NewInvitation(number, code, unit_code, fitted, now + valid, await bot_username(services))


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
