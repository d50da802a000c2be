"""The year's fair rules applied (pure): who may review a unit's self-score, the first day
the scores may be locked, which units miss what an award requires."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from bot.domain.access import Actor, Role
from bot.domain.cluster import Cluster, ClusterYear, Deliverable
from bot.domain.fair_rules import ChairReviewer

__all__ = [
    "award_deliverables",
    "chair_reviewer_unit",
    "lock_opens",
    "may_review",
    "missing_for_award",
]


def chair_reviewer_unit(cluster: Cluster) -> str | None:
    """The unit that reviews the chair unit: the deputy, or None for the province board."""
    if cluster.rules.chair_reviewed_by is ChairReviewer.DEPUTY:
        return cluster.deputy
    return None


def may_review(cluster: Cluster, actor: Actor, unit_code: str) -> bool:
    """Whether ``actor`` may review ``unit_code``'s self-score in this cluster-year: the chair's
    officers every unit but their own, the chair unit's reviewer (the deputy unit's officers
    or the province board) the chair unit only; administrators every unit."""
    actor = actor.in_year(cluster.chair)
    if actor.role is Role.ADMIN:
        return True
    if unit_code != cluster.chair:
        return actor.role is Role.CHAIR
    reviewer = chair_reviewer_unit(cluster)
    if reviewer is not None:
        return actor.unit_code == reviewer
    return actor.role is Role.PROVINCE and actor.province == cluster.province


def _score_deliverables(year: ClusterYear) -> list[Deliverable]:
    return [d for d in year.plan.deliverables if d.with_score]


def lock_opens(year: ClusterYear) -> date | None:
    """The first day the scores may be locked without a reason: the day after the last
    self-score deliverable is due; None when the rules or the plan set no such day."""
    if not year.cluster.rules.lock_after_score_due:
        return None
    dues = [d.due for d in _score_deliverables(year)]
    return max(dues) + timedelta(days=1) if dues else None


def award_deliverables(year: ClusterYear) -> list[Deliverable]:
    """The deliverables the rules name for an award."""
    codes = year.cluster.rules.award_requires
    if codes is None:
        return _score_deliverables(year)
    return [d for d in year.plan.deliverables if d.code in codes]


def missing_for_award(
    year: ClusterYear, units: Iterable[str], done: Callable[[Deliverable, str], bool]
) -> dict[str, tuple[Deliverable, ...]]:
    """Unit → the named deliverables it owes and has not sent (``done`` says whether a unit
    sent one or was excused), for the units that miss any."""
    named = award_deliverables(year)
    owers = {d.code: {u.code for u in year.owers(d)} for d in named}
    missing: dict[str, tuple[Deliverable, ...]] = {}
    for unit in units:
        lacking = tuple(d for d in named if unit in owers[d.code] and not done(d, unit))
        if lacking:
            missing[unit] = lacking
    return missing
