"""How roles and units are named to people: every title of a cluster's chair and deputy (a
cluster's "Trưởng Cụm", a bloc's "Trưởng Khối", or the province's own word) comes from
:func:`leader_title`."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from bot.domain.access import Role, RoleMismatch
from bot.domain.cluster import Cluster, ClusterKind
from bot.i18n import N_, Translator, language_of

__all__ = [
    "COMMAND_LINE_ROLE_WORDS",
    "Leader",
    "leader_title",
    "role_mismatch_text",
    "role_name",
    "title_of",
    "unit_label",
]


class Leader(StrEnum):
    CHAIR = "chair"
    DEPUTY = "deputy"


_TITLES = {
    (ClusterKind.CUM, Leader.CHAIR): N_("chair"),
    (ClusterKind.CUM, Leader.DEPUTY): N_("deputy chair"),
    (ClusterKind.KHOI, Leader.CHAIR): N_("bloc chair"),
    (ClusterKind.KHOI, Leader.DEPUTY): N_("bloc deputy"),
}


def leader_title(
    kind: ClusterKind,
    own_titles: tuple[str | None, str | None],
    leader: Leader,
    _: Translator,
) -> str:
    """The title of a cluster's chair or deputy in the reader's language: "Trưởng Cụm" /
    "Phó Trưởng Cụm" of a cluster, "Trưởng Khối" / "Phó Trưởng Khối" of a bloc, or in
    Vietnamese the province's own word (``own_titles``: chair's, deputy's) where it has one."""
    own = own_titles[0] if leader is Leader.CHAIR else own_titles[1]
    if own and language_of(_) == "vi":
        return own[0].upper() + own[1:]  # a title, as the document's "+ khối trưởng:" means it
    return _(_TITLES[(kind, leader)])


def title_of(cluster: Cluster, leader: Leader, _: Translator) -> str:
    """:func:`leader_title` of ``cluster``."""
    return leader_title(cluster.kind, (cluster.chair_title, cluster.deputy_title), leader, _)


COMMAND_LINE_ROLE_WORDS: Mapping[Role, str] = {
    Role.MEMBER: "member",
    Role.CHAIR: "chair",
    Role.OBSERVER: "observer",
}
"""The words ``cumthidua invite create --role`` takes; chat takes its own (``/moi``)."""

_MISMATCHES = {
    RoleMismatch.CHAIR_NOT_CHAIR_UNIT: N_(
        "The {title} role belongs to the officers of the {title}'s unit ({chair}) only. {unit} "
        "is a member unit: invite its officers as members ({member})."
    ),
    RoleMismatch.MEMBER_OF_CHAIR_UNIT: N_(
        "{unit} is the {title}'s unit this year: its officers are the {title}'s officers. Invite "
        "them without a role, or with the role {chair_role}."
    ),
    RoleMismatch.NEEDS_UNIT: N_("A member or chair officer needs a unit: name the unit."),
    RoleMismatch.NO_UNIT_ROLE: N_(
        "Observers belong to no unit: invite an observer without naming a unit ({observer})."
    ),
}


def role_mismatch_text(
    mismatch: RoleMismatch,
    cluster: Cluster,
    unit_code: str | None,
    role_words: Mapping[Role, str],
    _: Translator,
) -> str:
    """Why a role does not fit a unit, naming the roles by ``role_words`` (the words of the
    door the invitation was asked at)."""
    return _(_MISMATCHES[mismatch]).format(
        title=title_of(cluster, Leader.CHAIR, _),
        chair=unit_label(cluster, cluster.chair, _),
        unit=unit_label(cluster, unit_code, _),
        member=role_words[Role.MEMBER],
        chair_role=role_words[Role.CHAIR],
        observer=role_words[Role.OBSERVER],
    )


_ROLE_NAMES = {
    Role.ADMIN: N_("administrator"),
    Role.MEMBER: N_("officer of a member unit"),
    Role.OBSERVER: N_("observer (read only)"),
}


def role_name(role: Role, cluster: Cluster, _: Translator) -> str:
    if role is Role.CHAIR:
        return _("officer of the {title}'s unit").format(title=title_of(cluster, Leader.CHAIR, _))
    if role is Role.PROVINCE:
        return _("emulation board of {province} (read only, every cluster)").format(
            province=cluster.province_title
        )
    return _(_ROLE_NAMES[role])


def unit_label(cluster: Cluster, code: str | None, _: Translator) -> str:
    if code is None:
        return _("no unit")
    unit = cluster.unit(code)
    return f"{unit.full_name} ({code})" if unit else code
