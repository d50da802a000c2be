"""The words of the handover that reach officers through the outbox: the news to everyone and
the new chair's rights."""

from __future__ import annotations

from bot.domain.cluster import Cluster
from bot.domain.messages import Reply
from bot.i18n import Translator
from bot.texts.roles import Leader, title_of, unit_label

__all__ = ["chair_rights_notice", "handover_notice"]


def handover_notice(cluster: Cluster, old_year: int, _: Translator) -> Reply:
    """To every officer: who chairs ``cluster`` (next year's) and that the old year is closed."""
    deputy = (
        " "
        + _("{title}: {unit}").format(
            title=title_of(cluster, Leader.DEPUTY, _), unit=unit_label(cluster, cluster.deputy, _)
        )
        + "."
        if cluster.deputy
        else ""
    )
    return Reply(
        _(
            "🤝 Handover of {cluster}: from {year}, {chair} is the {title}.{deputy} "
            "The year {old} is closed and stays readable (/tiendo {old}, /xephang {old})."
        ).format(
            cluster=cluster.name,
            year=cluster.year,
            chair=unit_label(cluster, cluster.chair, _),
            title=title_of(cluster, Leader.CHAIR, _),
            deputy=deputy,
            old=old_year,
        )
    )


def chair_rights_notice(cluster: Cluster, old_year: int, carried: bool, _: Translator) -> Reply:
    """To the new chair unit's officers; ``carried``: the plan awaits their confirmation."""
    text = _(
        "Your unit is the {title} of {cluster} in {year}: you have the {title}'s rights for "
        "this year."
    ).format(title=title_of(cluster, Leader.CHAIR, _), cluster=cluster.name, year=cluster.year)
    if carried:
        text += "\n" + _(
            "The plan was carried forward from {old}: check it and confirm it with "
            "/xacnhankehoach, or import your own document with /nhapkehoach."
        ).format(old=old_year)
    return Reply(text)
