"""Invitations as records: an invitation, who claims one, and what redeeming it gave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.access import Role

__all__ = ["Claimant", "Invitation", "Joined", "NewInvitation", "Redemption"]


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
