"""Ranking benchmark: rank and export the workbook for 350 and for 3,500 units × 40 criteria.

Timed is the bot's work for ``/xephang``'s workbook once the scores are read: ``rank``,
``RankingData`` and ``ranking_workbook``. Not timed: making the random scores and sheets (done
before the clock starts), reading them from the database, the ranking's text and chart.
Prints both times and, last, ``ratio=<time(3,500) / (10 × time(350))>``: 1.0 means linear.
Targets: ratio ≤ 1.1, and 3,500 units ranked and exported in under 2 s.

    .venv/bin/python bench/ranking.py
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

from bot.domain.cluster import Cluster, Unit, UnitKind
from bot.domain.score_sheet import CriterionEntry, ScoreSheet, SheetEntries
from bot.domain.scoring import UnitScore, rank
from bot.domain.scoring_table import Classification, Criterion, CriterionKind, Group, ScoringTable
from bot.i18n import translator
from bot.outputs.ranking_files import ranking_workbook
from bot.services.ranking_data import RankingData

GROUPS, PER_GROUP = 4, 10


def _table() -> ScoringTable:
    groups = tuple(
        Group(
            code=f"G{g}",
            name=f"Nhóm {g}",
            items=tuple(
                Criterion(
                    code=f"G{g}.{c}",
                    name=f"Tiêu chí {g}.{c}",
                    max=2.5,
                    kind=CriterionKind.QUALITATIVE,
                )
                for c in range(PER_GROUP)
            ),
        )
        for g in range(GROUPS)
    )
    classes = (
        Classification(name="Hoàn thành xuất sắc", min_total=90, award_eligible=True),
        Classification(name="Hoàn thành tốt", min_total=70, award_eligible=True),
        Classification(name="Hoàn thành", min_total=0),
    )
    return ScoringTable(
        title="bench",
        groups=groups,
        classifications=classes,
        tie_break=("G0", "G1"),
        merit_certificates=3,
    )


def _input(
    units: int, table: ScoringTable, seed: int
) -> tuple[Cluster, list[UnitScore], dict[str, ScoreSheet]]:
    """A bloc of ``units`` whose every criterion is scored at random: its scores and sheets."""
    rng = random.Random(seed)
    codes = [f"U{n:04d}" for n in range(units)]
    cluster = Cluster(
        name="Cụm thử",
        province="Tỉnh",
        year=2022,
        chair=codes[0],
        units=tuple(Unit(code=c, name=f"Xã {c}", kind=UnitKind.XA) for c in codes),
    )
    scores, sheets = [], {}
    for code in codes:
        points = {c.code: rng.choice((0.0, 1.25, 2.5)) for c in table.criteria()}
        scores.append(UnitScore(code, points))
        entries = SheetEntries({k: CriterionEntry(1, v) for k, v in points.items()})
        sheets[code] = ScoreSheet(code, 1, 1, datetime.now(UTC), entries)
    return cluster, scores, sheets


def _time(units: int, table: ScoringTable) -> float:
    _ = translator("vi")
    cluster, scores, sheets = _input(units, table, units)
    started = time.perf_counter()
    ranking_workbook(cluster, RankingData(table, rank(table, scores), sheets, {}), _)
    return time.perf_counter() - started


def main() -> None:
    table = _table()
    _time(50, table)  # warm imports and caches
    small, large = _time(350, table), _time(3500, table)
    print(f"criteria={len(table.criteria())}")
    print(f"seconds_350={small:.3f} seconds_3500={large:.3f} (target < 2 s)")
    print(f"ratio={large / (10 * small):.3f}")


if __name__ == "__main__":
    main()
