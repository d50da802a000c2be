"""How roles and units are named to people."""

from __future__ import annotations

from bot.domain.access import Role
from bot.domain.cluster import Cluster
from bot.i18n import N_, Translator

__all__ = ["role_name", "unit_label"]

_ROLE_NAMES = {
    Role.ADMIN: N_("administrator"),
    Role.CHAIR: N_("officer of the chair unit"),
    Role.MEMBER: N_("officer of a member unit"),
    Role.OBSERVER: N_("observer (read only)"),
}


def role_name(role: Role, _: Translator) -> str:
    return _(_ROLE_NAMES[role])


def unit_label(cluster: Cluster, code: str | None, _: Translator) -> str:
    if code is None:
        return _("no unit")
    unit = cluster.unit(code)
    return f"{unit.full_name} ({code})" if unit else code
