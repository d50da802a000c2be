"""The cluster's scores as the ranking sees them: the chair's reviewed points where set, the
unit's self-assessed points elsewhere, the awards proposed by the votes where held, never to a
unit that has not sent what the year's rules require for an award; from storage, once per
request."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.adjustments import Adjustment, adjustments
from bot.domain.ballots import vote_awards
from bot.domain.cluster import Deliverable
from bot.domain.fair_rule_checks import missing_for_award
from bot.domain.report_status import cell
from bot.domain.score_sheet import Review, ScoreSheet
from bot.domain.scoring import Ranked, UnitScore, rank
from bot.domain.scoring_table import ScoringTable
from bot.services.container import Services
from bot.services.vote_count import elected

__all__ = ["RankingData", "final_scores", "load_ranking", "strongest_first"]


@dataclass(frozen=True)
class RankingData:
    table: ScoringTable
    ranked: list[Ranked]
    sheets: dict[str, ScoreSheet]
    reviews: dict[tuple[str, str], Review]
    explanations: dict[tuple[str, str], str] = field(default_factory=dict)
    decisions: dict[str, str] = field(default_factory=dict)
    locked: bool = False
    barred: dict[str, tuple[Deliverable, ...]] = field(default_factory=dict)
    """Unit → the deliverables the rules name for an award that it has not sent: it is ranked
    but proposed for nothing."""

    def adjustments(self, unit_code: str) -> list[Adjustment]:
        """The unit's bonus and penalty points with their reasons."""
        sheet = self.sheets.get(unit_code)
        if sheet is None:
            return []
        reviews = {code: r for (unit, code), r in self.reviews.items() if unit == unit_code}
        return adjustments(self.table, sheet.entries, reviews)

    def self_points(self, unit_code: str) -> dict[str, float]:
        return self.sheets[unit_code].entries.scored_points()

    def self_total(self, unit_code: str) -> float:
        entries = self.sheets[unit_code].entries
        return UnitScore(unit_code, entries.scored_points(), dict(entries.bonuses)).total(
            self.table
        )


def final_scores(
    sheets: dict[str, ScoreSheet], reviews: dict[tuple[str, str], Review]
) -> list[UnitScore]:
    scores = []
    for unit_code, sheet in sheets.items():
        points = sheet.entries.scored_points()
        reviewed = False
        for (unit, code), review in reviews.items():
            if unit == unit_code:
                points[code], reviewed = review.points, True
        scores.append(UnitScore(unit_code, points, dict(sheet.entries.bonuses), reviewed))
    return scores


def strongest_first(
    table: ScoringTable | None, scores: list[UnitScore], units: list[str]
) -> list[str]:
    """Unit codes by the record, as the vote's rule reads it: the score ranking, then the
    units not ranked."""
    order = [r.score.unit_code for r in rank(table, scores)] if table is not None else []
    return [*order, *(code for code in units if code not in order)]


async def load_ranking(services: Services) -> RankingData | None:
    table = services.cluster_year.scoring
    if table is None:
        return None
    scores = services.scores
    sheets = await scores.latest()
    reviews = await scores.reviews()
    final = final_scores(sheets, reviews)
    record = strongest_first(table, final, [u.code for u in services.cluster_year.cluster.units])
    votes = vote_awards(await elected(services, record))  # where a vote was held, it decides
    latest, marks = await services.submissions.latest(), await services.submissions.marks()

    def sent(deliverable: Deliverable, unit: str) -> bool:
        key = (deliverable.code, unit)
        return cell(deliverable.due, deliverable.due, latest.get(key), marks.get(key)).done

    barred = missing_for_award(services.cluster_year, sheets, sent)
    return RankingData(
        table=table,
        ranked=rank(table, final, votes, set(barred)),
        sheets=sheets,
        reviews=reviews,
        explanations=await scores.explanations(),
        decisions=await scores.decisions(),
        locked=await scores.locked(),
        barred=barred,
    )
