"""Invitations as records: an invitation, who claims one, and what redeeming it gave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.access import Role
from bot.domain.cluster import Cluster

__all__ = [
    "Claimant",
    "Invitation",
    "Joined",
    "NewInvitation",
    "OfficerToInvite",
    "PrintedInvitation",
    "Redemption",
]


class Redemption(StrEnum):
    JOINED = "joined"
    LINKED = "linked"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    ALREADY = "already"
    """This chat identity already belongs to an active officer."""


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    unit_code: str | None
    role: Role
    officer_id: int | None
    created_at: datetime
    expires_at: datetime
    cluster_id: int | None = None
    """The cluster it was made for (none: before clusters had years, or an administrator's)."""


@dataclass(frozen=True, slots=True)
class Joined:
    outcome: Redemption
    officer_id: int | None = None
    unit_code: str | None = None
    role: Role | None = None


@dataclass(frozen=True, slots=True)
class Claimant:
    channel: str
    user_id: str
    chat_id: str
    display_name: str


@dataclass(frozen=True, slots=True)
class NewInvitation:
    """An invitation just made: the only time its code exists."""

    id: int
    code: str
    unit_code: str | None
    role: Role
    expires_at: datetime
    bot_username: str | None
    """Telegram's username of the bot, for the deep link (none before it first connected)."""


@dataclass(frozen=True, slots=True)
class OfficerToInvite:
    """Whom an invitation on paper is for: a unit's officer by name, or (``name`` None) the
    unit's contact officer, whoever that is."""

    unit_code: str
    name: str | None = None
    position: str | None = None


@dataclass(frozen=True, slots=True)
class PrintedInvitation:
    """An invitation made to be printed: for whom, in which cluster."""

    cluster: Cluster
    officer: OfficerToInvite
    made: NewInvitation
