"""The cluster's scores as the ranking sees them: the chair's reviewed points where set, the
unit's self-assessed points elsewhere; from storage, once per request."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.scoring import Ranked, UnitScore, rank
from bot.domain.scoring_table import ScoringTable
from bot.services.container import Services
from storage.scores import Review, ScoreSheet

__all__ = ["RankingData", "load_ranking"]


@dataclass(frozen=True)
class RankingData:
    table: ScoringTable
    ranked: list[Ranked]
    sheets: dict[str, ScoreSheet]
    reviews: dict[tuple[str, str], Review]
    explanations: dict[tuple[str, str], str] = field(default_factory=dict)
    decisions: dict[str, str] = field(default_factory=dict)
    locked: bool = False

    def self_points(self, unit_code: str) -> dict[str, float]:
        criteria = self.sheets[unit_code].entries["criteria"]
        return {code: e["points"] for code, e in criteria.items() if e.get("value") is not None}

    def self_total(self, unit_code: str) -> float:
        sheet = self.sheets[unit_code]
        return UnitScore(
            unit_code, self.self_points(unit_code), sheet.entries.get("bonuses", {})
        ).total(self.table)


def final_scores(
    sheets: dict[str, ScoreSheet], reviews: dict[tuple[str, str], Review]
) -> list[UnitScore]:
    scores = []
    for unit_code, sheet in sheets.items():
        criteria = sheet.entries["criteria"]
        points = {c: e["points"] for c, e in criteria.items() if e.get("value") is not None}
        reviewed = False
        for (unit, code), review in reviews.items():
            if unit == unit_code:
                points[code], reviewed = review.points, True
        scores.append(UnitScore(unit_code, points, sheet.entries.get("bonuses", {}), reviewed))
    return scores


async def load_ranking(services: Services) -> RankingData | None:
    table = services.cluster_year.scoring
    if table is None:
        return None
    scores = services.scores
    sheets = await scores.latest()
    reviews = await scores.reviews()
    return RankingData(
        table=table,
        ranked=rank(table, final_scores(sheets, reviews)),
        sheets=sheets,
        reviews=reviews,
        explanations=await scores.explanations(),
        decisions=await scores.decisions(),
        locked=await scores.locked(),
    )
