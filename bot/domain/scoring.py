"""Scoring rules (pure): points per criterion kind, totals, classification, ranking with
configured tie-breaks, and award proposals by the table's award rules (Flags for the first
eligible units, Certificates of Merit for the next, named ranks), or as the year-end vote
decided."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice, repeat
from operator import ge, itemgetter, mul
from typing import NamedTuple

from bot.domain.scoring_table import Classification, Criterion, CriterionKind, ScoringTable

__all__ = [
    "Ranked",
    "UnitScore",
    "ValueProblem",
    "classify",
    "parse_value",
    "points_for",
    "rank",
    "unit_score",
]

FLAG, MERIT = "flag", "merit"
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(" ", "")
    if not _NUMBER.match(cleaned):
        return None
    return float(cleaned.replace(",", "."))


@dataclass(frozen=True, slots=True)
class ValueProblem:
    """Why a typed value was refused; ``low``/``high`` give the allowed range."""

    reason: str
    low: float = 0
    high: float = 0


def parse_value(criterion: Criterion, text: str) -> float | ValueProblem:
    """What an officer typed for a criterion (``8,5`` and ``8.5`` alike), checked for range.

    quantitative: the actual value (≥ 0); per_occurrence: a whole count (≥ 0); bonus_penalty:
    points within [min, max]. Qualitative criteria are answered with options, as 1 or 0.
    """
    value = _number(text)
    if criterion.kind is CriterionKind.QUALITATIVE:
        if value in (0, 1):
            return float(value)
        return ValueProblem("choose", 0, 1)
    if value is None:
        return ValueProblem("number")
    if criterion.kind is CriterionKind.BONUS_PENALTY:
        if not criterion.min <= value <= criterion.max:
            return ValueProblem("range", criterion.min, criterion.max)
        return value
    if criterion.kind is CriterionKind.PER_OCCURRENCE and (value < 0 or value != int(value)):
        return ValueProblem("count")
    if value < 0:
        return ValueProblem("range", 0, float("inf"))
    return value


def points_for(criterion: Criterion, value: float) -> float:
    """The points a value earns, always within [min, max]."""
    kind = criterion.kind
    if kind is CriterionKind.QUALITATIVE:
        points = criterion.max if value >= 1 else 0.0
    elif kind is CriterionKind.PER_OCCURRENCE:
        assert criterion.points_each is not None
        points = value * criterion.points_each
    elif kind is CriterionKind.QUANTITATIVE:
        assert criterion.target is not None
        if criterion.formula == "full_at_target":
            points = criterion.max if value >= criterion.target else 0.0
        else:
            points = criterion.max * value / criterion.target
    else:
        points = value
    return round(min(criterion.max, max(criterion.min, points)), 2)


@dataclass(frozen=True, slots=True)
class UnitScore:
    unit_code: str
    points: dict[str, float]
    """Criterion code → points (reviewed where the chair set them, else self-assessed)."""
    bonuses: dict[str, bool] = field(default_factory=dict)
    reviewed: bool = False

    def total(self, table: ScoringTable) -> float:
        bonus = sum(b.points for b in table.bonuses if self.bonuses.get(b.code))
        return round(self._sum(table.criterion_codes) + bonus, 2)

    def subtotal(self, table: ScoringTable, group_code: str) -> float:
        return round(self._sum(table.group_criterion_codes(group_code)), 2)

    def _sum(self, codes: tuple[str, ...]) -> float:
        """The points of these criteria, 0 where not scored (a ranking sums thousands)."""
        return sum(map(self.points.get, codes, repeat(0.0)))


def unit_score(
    unit_code: str, points: dict[str, float], bonuses: dict[str, bool], reviewed: bool
) -> UnitScore:
    return UnitScore(unit_code, dict(points), dict(bonuses), reviewed)


def classify(table: ScoringTable, score: UnitScore) -> Classification:
    return _classified(table, score, score.total(table))


def _classified(table: ScoringTable, score: UnitScore, total: float) -> Classification:
    """The first classification whose total the score reaches, with every criterion (but
    bonus/penalty ones) at its share of the maximum; compared in C, a ranking classifies
    thousands."""
    codes, maxima = table.held_to_shares
    for classification in table.classifications:
        if total < classification.min_total:
            continue
        got = map(score.points.get, codes, repeat(0.0))
        floors = map(mul, repeat(classification.min_share_each), maxima)
        if all(map(ge, got, floors)):
            return classification
    return table.classifications[-1]


@dataclass(frozen=True, slots=True)
class Ranked:
    rank: int
    score: UnitScore
    total: float
    classification: Classification
    proposal: str | None
    """``flag``, ``merit`` or None: the cluster's proposal, not the province's decision."""
    tie_broken_by: str | None
    """The group whose subtotal put this unit above another with the same total."""
    named_rank: str | None = None
    """The place's name where the province names them ("Nhất", "Nhì", "Ba")."""


class _Standing(NamedTuple):
    """What orders the scores, ascending: the highest total first, then the highest subtotals
    of the tie-break groups in turn, then the unit code (hence the negated points)."""

    minus_total: float
    minus_subtotals: tuple[float, ...]
    unit_code: str


def _standing(table: ScoringTable, score: UnitScore) -> _Standing:
    subtotals = tuple(-score.subtotal(table, g) for g in table.tie_break)
    return _Standing(-score.total(table), subtotals, score.unit_code)


def _decider(table: ScoringTable, upper: _Standing, lower: _Standing) -> str | None:
    pairs = zip(table.tie_break, upper.minus_subtotals, lower.minus_subtotals, strict=True)
    return next((group for group, high, low in pairs if high != low), None)


def _proposals(
    table: ScoringTable,
    ordered: Sequence[str],
    eligible: set[str],
    votes: Mapping[str, Sequence[str]],
    barred: Collection[str],
) -> tuple[dict[str, str], dict[str, str]]:
    """Unit → award and unit → named rank. An award the vote decided goes to the units it
    elected (but those barred); the others go by score to the next eligible units not yet
    proposed."""
    rules = table.awards
    award: dict[str, str] = {}
    for kind, seats in ((FLAG, rules.flags), (MERIT, rules.merit_certificates)):
        if kind in votes:
            chosen = [code for code in votes[kind] if code not in barred and code not in award]
        else:
            free = (code for code in ordered if code in eligible and code not in award)
            chosen = list(islice(free, seats))
        award |= dict.fromkeys(chosen, kind)
    awarded = [code for kind in (FLAG, MERIT) for code in ordered if award.get(code) == kind]
    places = [*awarded, *(c for c in ordered if c in eligible and c not in award)]
    return award, dict(zip(places, rules.named_ranks, strict=False))


def rank(
    table: ScoringTable,
    scores: list[UnitScore],
    votes: Mapping[str, Sequence[str]] | None = None,
    barred: Collection[str] = (),
) -> list[Ranked]:
    """Order by total, then the tie-break groups, then unit code; propose awards by the table's
    rules, or as ``votes`` (award → elected unit codes) decided for the awards it names; never
    to a unit ``barred`` (it has not sent what the year's rules require for an award)."""
    standings = sorted(((_standing(table, s), s) for s in scores), key=itemgetter(0))
    ordered = [score for _, score in standings]
    classes = [_classified(table, score, -place.minus_total) for place, score in standings]
    codes = [score.unit_code for score in ordered]
    eligible = {
        c for c, k in zip(codes, classes, strict=True) if k.award_eligible and c not in barred
    }
    award, named = _proposals(table, codes, eligible, votes or {}, barred)
    ranked: list[Ranked] = []
    for position, ((place, score), classification) in enumerate(
        zip(standings, classes, strict=True), 1
    ):
        below = standings[position][0] if position < len(standings) else None
        tie = None
        if below is not None and below.minus_total == place.minus_total:
            tie = _decider(table, place, below) or "code"
        code = score.unit_code
        ranked.append(
            Ranked(
                position,
                score,
                -place.minus_total,
                classification,
                award.get(code),
                tie,
                named.get(code),
            )
        )
    return ranked
