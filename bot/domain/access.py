"""Who may do what: the sender's role from the database, checked in one place (the router)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum

__all__ = ["Access", "Actor", "Role", "RoleMismatch", "role_for_unit"]


class Role(StrEnum):
    ADMIN = "admin"
    CHAIR = "chair"
    MEMBER = "member"
    OBSERVER = "observer"
    PROVINCE = "province"
    """The provincial emulation board: reads every cluster, announces to every chair."""


def effective_role(
    stored: Role, unit_code: str | None, province: str | None, chair_code: str | None
) -> Role:
    """The role an officer has in a cluster-year: a unit's officers are the chair's when their
    unit chairs that year and members otherwise, whatever role they joined with; a chair role of
    another year grants nothing."""
    if stored is Role.ADMIN:
        return Role.ADMIN
    if province is not None:
        return Role.PROVINCE
    if unit_code is None:
        return Role.OBSERVER
    return Role.CHAIR if unit_code == chair_code else Role.MEMBER


@dataclass(frozen=True, slots=True)
class Actor:
    """A registered sender: the officer behind this channel identity."""

    officer_id: int
    name: str
    unit_code: str | None
    role: Role
    is_primary: bool = False
    cluster_id: int | None = None
    """The cluster the officer joined (or, for the province board and admins, looks at)."""
    province: str | None = None
    """Set for the provincial emulation board's officers."""

    @property
    def can_manage(self) -> bool:
        return self.role in (Role.ADMIN, Role.CHAIR)

    def in_year(self, chair_code: str | None) -> Actor:
        """This officer as the cluster-year chaired by ``chair_code`` sees them."""
        role = effective_role(self.role, self.unit_code, self.province, chair_code)
        return self if role is self.role else replace(self, role=role)


class RoleMismatch(StrEnum):
    """Why a role does not fit a unit (each has its own answer)."""

    CHAIR_NOT_CHAIR_UNIT = "chair-not-chair-unit"
    MEMBER_OF_CHAIR_UNIT = "member-of-chair-unit"
    NEEDS_UNIT = "needs-unit"
    NO_UNIT_ROLE = "no-unit-role"


def role_for_unit(role: Role | None, unit_code: str | None, chair_code: str) -> Role | RoleMismatch:
    """The role an officer of ``unit_code`` may be given in a year chaired by ``chair_code``:
    the chair role belongs to the chair unit's officers, the member role to the member units',
    observers (and administrators) to no unit. ``None`` asks for the role the unit implies."""
    if unit_code is None:
        if role in (None, Role.OBSERVER, Role.ADMIN, Role.PROVINCE):
            return role or Role.OBSERVER
        return RoleMismatch.NEEDS_UNIT
    if role in (Role.OBSERVER, Role.ADMIN, Role.PROVINCE):
        return RoleMismatch.NO_UNIT_ROLE
    is_chair_unit = unit_code == chair_code
    if role is Role.CHAIR and not is_chair_unit:
        return RoleMismatch.CHAIR_NOT_CHAIR_UNIT
    if role is Role.MEMBER and is_chair_unit:
        return RoleMismatch.MEMBER_OF_CHAIR_UNIT
    return Role.CHAIR if is_chair_unit else Role.MEMBER


class Access(IntEnum):
    """What a route asks of its sender."""

    ANYONE = 0
    REGISTERED = 1
    """Any registered officer or observer (read-only views)."""
    OFFICER = 2
    """An officer acting for a unit: member, chair or admin — not an observer."""
    MANAGER = 3
    """The chair's officers and admins."""
    PROVINCE = 4
    """The provincial emulation board and admins."""

    def allows(self, actor: Actor | None) -> bool:
        if self is Access.ANYONE:
            return True
        if actor is None:
            return False
        if self is Access.REGISTERED:
            return True
        if self is Access.OFFICER:
            return actor.role not in (Role.OBSERVER, Role.PROVINCE)
        if self is Access.PROVINCE:
            return actor.role in (Role.PROVINCE, Role.ADMIN)
        return actor.can_manage
