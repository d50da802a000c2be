"""The workbook of a large bloc: its Details sheet is written as text (not cell by cell) and
reads back like any other sheet: every unit and criterion, scores with two decimals, text that
could start a formula kept as text, characters a workbook cannot hold dropped."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from bot.domain.score_sheet import Review
from bot.domain.scoring import rank
from bot.i18n import translator
from bot.outputs.ranking_files import SHEETS_PER_UNIT_UP_TO, ranking_workbook
from bot.outputs.sheet_rows import POINTS_FORMAT
from bot.services.ranking_data import RankingData

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from ranking import _input, _table  # the benchmark's bloc

NOW = datetime(2022, 12, 20, tzinfo=UTC)


def test_the_details_sheet_of_a_large_bloc_reads_back_whole() -> None:
    units = SHEETS_PER_UNIT_UP_TO + 20
    table = _table()
    cluster, scores, sheets = _input(units, table, seed=7)
    ranked = rank(table, scores)
    first = ranked[0].score.unit_code
    reviews = {
        (first, "G0.0"): Review(first, "G0.0", 1.25, '=HYPERLINK("x")', NOW),
        (first, "G0.1"): Review(first, "G0.1", 2.5, " thiếu\x07 minh chứng ", NOW),
    }
    data = RankingData(table, ranked, sheets, reviews)
    book = load_workbook(io.BytesIO(ranking_workbook(cluster, data, translator("vi"))))
    assert book.sheetnames == ["Tổng hợp", "Chi tiết"]
    sheet = book["Chi tiết"]
    assert sheet.print_title_rows == "$1:$2" and sheet.freeze_panes == "A3"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == units * len(table.criteria())
    assert {r[0] for r in rows} == {u.code for u in cluster.units}
    by_key = {(r[0], r[1].split()[0]): r for r in rows}
    own = data.sheets[first].entries.entry("G0.0").points
    assert by_key[(first, "G0.0")][1:6] == ("G0.0 Tiêu chí 0.0", 2.5, own, 1.25, '=HYPERLINK("x")')
    assert by_key[(first, "G0.1")][5] == " thiếu minh chứng "
    cells = {c.coordinate: c for row in sheet.iter_rows(min_row=3) for c in row}
    row = next(n for n, r in enumerate(rows, start=3) if r[:2] == (first, "G0.0 Tiêu chí 0.0"))
    assert cells[f"D{row}"].number_format == cells[f"E{row}"].number_format == POINTS_FORMAT
    assert cells[f"F{row}"].quotePrefix and cells[f"F{row}"].data_type == "s"
    assert cells[f"C{row}"].number_format == "General"  # the maximum is a plain number
