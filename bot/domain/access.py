"""Who may do what: the sender's role from the database, checked in one place (the router)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

__all__ = ["Access", "Actor", "Role"]


class Role(StrEnum):
    ADMIN = "admin"
    CHAIR = "chair"
    MEMBER = "member"
    OBSERVER = "observer"


@dataclass(frozen=True, slots=True)
class Actor:
    """A registered sender: the officer behind this channel identity."""

    officer_id: int
    name: str
    unit_code: str | None
    role: Role
    is_primary: bool = False

    @property
    def can_manage(self) -> bool:
        return self.role in (Role.ADMIN, Role.CHAIR)


class Access(IntEnum):
    """What a route asks of its sender."""

    ANYONE = 0
    REGISTERED = 1
    """Any registered officer or observer (read-only views)."""
    OFFICER = 2
    """An officer acting for a unit: member, chair or admin — not an observer."""
    MANAGER = 3
    """The chair's officers and admins."""

    def allows(self, actor: Actor | None) -> bool:
        if self is Access.ANYONE:
            return True
        if actor is None:
            return False
        if self is Access.REGISTERED:
            return True
        if self is Access.OFFICER:
            return actor.role is not Role.OBSERVER
        return actor.can_manage
