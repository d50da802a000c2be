"""A unit's bonus and penalty points (điểm thưởng, điểm trừ) with their reasons (pure): the
whole-table bonuses it declared and the bonus/penalty criteria it scored or the reviewer set,
so every point added or taken outside the criteria shows on its sheet and in the documents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.score_sheet import Review, SheetEntries
from bot.domain.scoring_table import CriterionKind, ScoringTable

__all__ = ["Adjustment", "adjustments"]


@dataclass(frozen=True, slots=True)
class Adjustment:
    code: str
    name: str
    points: float
    reason: str
    """The unit's reason (its note, or the bonus's reason), or the reviewer's where set."""
    reviewed: bool = False
    """The reviewer set these points."""


def adjustments(
    table: ScoringTable, entries: SheetEntries, reviews: Mapping[str, Review]
) -> list[Adjustment]:
    """The unit's non-zero bonus/penalty points, in the table's order; ``reviews`` by
    criterion code."""
    found: list[Adjustment] = []
    for criterion in table.criteria():
        if criterion.kind is not CriterionKind.BONUS_PENALTY:
            continue
        entry, review = entries.entry(criterion.code), reviews.get(criterion.code)
        points = review.points if review else entry.points if entry.scored else 0.0
        if points:
            reason = review.reason if review else entry.note
            found.append(Adjustment(criterion.code, criterion.name, points, reason, bool(review)))
    for bonus in table.bonuses:
        if entries.bonuses.get(bonus.code):
            reason = entries.bonus_reasons.get(bonus.code, "")
            found.append(Adjustment(bonus.code, bonus.name, bonus.points, reason))
    return found
