"""How roles and units are named to people."""

from __future__ import annotations

from bot.domain.access import Role, RoleMismatch
from bot.domain.cluster import Cluster
from bot.i18n import N_, Translator

__all__ = ["role_mismatch_text", "role_name", "unit_label"]

_MISMATCHES = {
    RoleMismatch.CHAIR_NOT_CHAIR_UNIT: N_(
        "The chair role belongs to the officers of the chair unit ({chair}) only. {unit} is a "
        "member unit: invite its officers as members (thanhvien)."
    ),
    RoleMismatch.MEMBER_OF_CHAIR_UNIT: N_(
        "{unit} is the chair unit this year: its officers are the chair's officers. Invite them "
        "without a role, or as truongcum."
    ),
    RoleMismatch.NEEDS_UNIT: N_("A member or chair officer needs a unit: name the unit."),
    RoleMismatch.NO_UNIT_ROLE: N_(
        "Observers belong to no unit: invite an observer without naming a unit (quansat)."
    ),
}


def role_mismatch_text(
    mismatch: RoleMismatch, cluster: Cluster, unit_code: str | None, _: Translator
) -> str:
    return _(_MISMATCHES[mismatch]).format(
        chair=unit_label(cluster, cluster.chair, _), unit=unit_label(cluster, unit_code, _)
    )


_ROLE_NAMES = {
    Role.ADMIN: N_("administrator"),
    Role.CHAIR: N_("officer of the chair unit"),
    Role.MEMBER: N_("officer of a member unit"),
    Role.OBSERVER: N_("observer (read only)"),
    Role.PROVINCE: N_("provincial emulation board (read only, every cluster)"),
}


def role_name(role: Role, _: Translator) -> str:
    return _(_ROLE_NAMES[role])


def unit_label(cluster: Cluster, code: str | None, _: Translator) -> str:
    if code is None:
        return _("no unit")
    unit = cluster.unit(code)
    return f"{unit.full_name} ({code})" if unit else code
