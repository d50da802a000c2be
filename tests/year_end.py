"""A year-end of the bundled cluster, as data: scores, two ballots, report status, inspections,
and what the bot knows of the meeting (the vote's span, who voted, the units' officers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.domain.ballots import Ballot, ElectionRule, Outcome, Title, count, vote_awards
from bot.domain.cluster import ClusterYear
from bot.domain.pairing import Pair, propose_pairs
from bot.domain.report_status import Cell, StatusRow
from bot.domain.score_sheet import CriterionEntry, ScoreSheet, SheetEntries
from bot.domain.scoring import UnitScore, rank
from bot.outputs.document_drafts import Conference
from bot.services.ranking_data import RankingData

EIGHTY = ElectionRule(share=0.8, strictly_more=False)
OFFICERS = {
    "TG": ("Vũ Văn Đức", "Lò Văn Hùng"),
    "MA": ("Lò Thị Hằng",),
    "DB": ("Quàng Văn Bình",),
    "ML": ("Tòng Thị Mai",),
    "DBP": ("Nguyễn Thị Lan",),
}


@dataclass(frozen=True)
class YearEnd:
    year: ClusterYear
    ranking: RankingData
    ballots: tuple[Outcome, ...]
    status: tuple[StatusRow, ...]
    received: dict[tuple[str, str], tuple[date, int]]
    inspections: tuple[tuple[Pair, str], ...]
    conference: Conference


def ranking_data(
    year: ClusterYear,
    points_less: dict[str, float],
    votes: dict[str, tuple[str, ...]] | None = None,
) -> RankingData:
    """Every unit scores the maximum less ``points_less[code]`` on each criterion."""
    table = year.scoring
    assert table is not None
    sheets, scores = {}, []
    for code, less in points_less.items():
        points = {c.code: max(c.min, c.max - less) for c in table.criteria()}
        entries = SheetEntries({k: CriterionEntry(1, v) for k, v in points.items()})
        sheets[code] = ScoreSheet(code, 1, 1, datetime(2022, 12, 15, tzinfo=UTC), entries)
        scores.append(UnitScore(code, points))
    return RankingData(table, rank(table, scores, votes), sheets, {}, locked=True)


def year_end() -> YearEnd:
    year = load_cluster_year(BUNDLED_CLUSTER)
    codes = [u.code for u in year.cluster.units]
    electorate = frozenset(codes)
    record = ["TG", "MA", "DB", "ML", "DBP"]
    flag = count(
        Ballot(Title.FLAG, ("TG", "MA"), 1, electorate, EIGHTY), [{"MA"}] * 4 + [{"TG"}], record
    )
    merit = count(
        Ballot(Title.MERIT, ("TG", "DB", "ML"), 2, electorate),
        [{"TG", "DB"}] * 3 + [{"ML", "DB"}] * 2,
        record,
    )
    votes = vote_awards({Title.FLAG: flag.elected, Title.MERIT: merit.elected})
    ranking = ranking_data(year, {"TG": 0, "MA": 1, "DB": 2, "ML": 3, "DBP": 4}, votes)
    status = tuple(
        StatusRow(
            unit,
            (
                Cell.LATE if unit.code == "ML" else Cell.ON_TIME,
                Cell.OVERDUE if unit.code == "DBP" else Cell.ON_TIME,
            ),
        )
        for unit in year.cluster.members
    )
    received = {
        (d.code, u.code): (
            date(2022, 7, 4) if u.code == "ML" else d.due,
            4 if u.code == "ML" else 0,
        )
        for d in year.plan.deliverables
        for u in year.cluster.members
    }
    pairs = propose_pairs(codes, (), 2022)
    inspections = tuple((p, "Thực hiện tốt các nội dung giao ước") for p in pairs)
    conference = Conference(
        opened_at=datetime(2022, 12, 20, 7, 0, tzinfo=UTC),  # 14:00 in Điện Biên
        closed_at=datetime(2022, 12, 20, 9, 30, tzinfo=UTC),
        electors=electorate,
        voted=electorate,
        officers=OFFICERS,
    )
    return YearEnd(year, ranking, (flag, merit), status, received, inspections, conference)
