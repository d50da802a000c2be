"""What the chair takes to the meeting: the ranking as text, a bar chart (PNG) and a workbook."""

from __future__ import annotations

import io
from collections.abc import Iterator

from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.cluster import Cluster
from bot.domain.formatting import number
from bot.domain.score_sheet import SheetEntries
from bot.domain.scoring import FLAG, MERIT
from bot.domain.scoring_table import Criterion
from bot.domain.spreadsheet_text import starts_like_formula
from bot.i18n import Translator
from bot.outputs.ranking_text import proposal_label, unit_name
from bot.outputs.sheet_rows import Points, RowsLater, splice
from bot.services.ranking_data import RankingData

__all__ = ["ranking_chart", "ranking_workbook"]

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
SHEETS_PER_UNIT_UP_TO = 100
"""Up to this many units the workbook has a sheet per unit; above, one "Details" sheet."""
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


def ranking_chart(cluster: Cluster, data: RankingData, _: Translator, language: str) -> bytes:
    """A horizontal bar chart of totals, readable on a phone, with Vietnamese text."""
    items = list(reversed(data.ranked))
    names = [unit_name(cluster, r.score.unit_code) for r in items]
    totals = [r.total for r in items]
    height = max(3.0, 0.6 * len(items) + 1.6)
    figure = Figure(figsize=(7.5, height), dpi=110)
    axes = figure.subplots()
    colours = [
        "#c00000" if r.proposal == FLAG else "#f4b183" if r.proposal == MERIT else "#5b9bd5"
        for r in items
    ]
    bars = axes.barh(names, totals, color=colours)
    for bar, total in zip(bars, totals, strict=True):
        axes.text(
            bar.get_width() + 0.5,
            bar.get_y() + bar.get_height() / 2,
            number(total, language),
            va="center",
        )
    axes.set_xlim(0, max([*totals, data.table.max_total]) * 1.1)
    axes.set_xlabel(_("Points"))
    axes.set_title(_("RANKING — {cluster} {year}").format(cluster=cluster.name, year=cluster.year))
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _sheet(
    book: Workbook, title: str, heading: str, headers: list[str], widths: list[int], _: Translator
) -> WriteOnlyWorksheet:
    """A streamed sheet that prints as what it is: a title row, then the shaded bold header,
    both frozen and repeated atop every printed page; A4 fitted to width; "page N of M" below."""
    sheet = book.create_sheet(title[:31])
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A3"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:2"
    sheet.row_dimensions[2].height = 30  # room for a header that wraps to two lines
    sheet.oddFooter.left.text = heading.replace("&", "&&")
    sheet.oddFooter.right.text = _("Page &P of &N")
    title_cell = _text_cell(sheet, heading)
    title_cell.font = TITLE_FONT
    sheet.append([title_cell])
    cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cells.append(cell)
    sheet.append(cells)
    return sheet


def _points(sheet: WriteOnlyWorksheet, value: float | None) -> WriteOnlyCell | None:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "0.00"
    return cell


def _text_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A cell that holds ``value`` as text even when it could start a formula (shown as typed,
    never evaluated, and still text when edited: Excel's leading-apostrophe mark)."""
    cell = WriteOnlyCell(sheet, value=value)
    if starts_like_formula(value):
        cell.data_type, cell.quotePrefix = "s", True
    return cell


def _as_text(sheet: WriteOnlyWorksheet, values: list[object]) -> list[object]:
    """The row with every string written through :func:`_text_cell`."""
    return [_text_cell(sheet, v) if isinstance(v, str) else v for v in values]


def ranking_workbook(cluster: Cluster, data: RankingData, _: Translator) -> bytes:
    """Summary sheet (rank, unit, self-score, reviewed score, classification, proposal) and one
    sheet per unit (criterion, maximum, self, reviewed, reason, evidence) — or, for very large
    clusters, one "Details" sheet with a unit column; written streaming. Units that have not
    scored yet are listed too ("not scored yet"), with blank sheets."""
    book = Workbook(write_only=True)
    heading = _("RANKING — {cluster} {year}").format(cluster=cluster.name, year=cluster.year)
    summary = _sheet(
        book,
        _("Summary"),
        heading,
        [
            _("Rank"),
            _("Unit"),
            _("Self-score"),
            _("Reviewed score"),
            _("Classification"),
            _("Proposal"),
        ],
        [8, 30, 14, 16, 28, 22],
        _,
    )
    summary.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    totals = RowsLater(summary, first_row=3)  # below the title and the header
    for item in data.ranked:
        code = item.score.unit_code
        totals.append(
            [
                item.rank,
                unit_name(cluster, code),
                Points(data.self_total(code)),
                Points(item.total),
                item.classification.name,
                proposal_label(item, _),
            ]
        )
    scored = {item.score.unit_code for item in data.ranked}
    waiting = [unit.code for unit in cluster.units if unit.code not in scored]
    for code in waiting:
        totals.append([None, unit_name(cluster, code), None, None, _("not scored yet")])
    headers = [
        _("Criterion"),
        _("Maximum"),
        _("Self-score"),
        _("Reviewed score"),
        _("Reason"),
        _("Evidence"),
    ]
    widths = [46, 10, 12, 14, 36, 30]
    criteria = data.table.criteria()
    labels = [f"{c.code} {c.name}" for c in criteria]
    codes = [*(item.score.unit_code for item in data.ranked), *waiting]
    if len(codes) > SHEETS_PER_UNIT_UP_TO:
        detail = _sheet(book, _("Details"), heading, [_("Unit"), *headers], [10, *widths], _)
        rows = RowsLater(detail, first_row=3)
        # a criterion's label and maximum, a unit's code: made into cells once, not on every row
        fixed = [rows.cells(2, [label, c.max]) for c, label in zip(criteria, labels, strict=True)]
        for code in codes:
            unit = rows.cells(1, [code])
            for lead, scores in zip(fixed, _criterion_rows(data, code, criteria), strict=True):
                rows.append(scores, column=4, lead=unit + lead)
        return splice(_saved(book), totals, rows)
    for code in codes:
        title = _("{unit} — {cluster} {year}").format(
            unit=unit_name(cluster, code), cluster=cluster.name, year=cluster.year
        )
        sheet = _sheet(book, code, title, headers, widths, _)
        scores = _criterion_rows(data, code, criteria)
        for criterion, label, (own, reviewed, reason, evidence) in zip(
            criteria, labels, scores, strict=True
        ):
            sheet.append(
                _as_text(
                    sheet,
                    [
                        label,
                        criterion.max,
                        _points(sheet, own),
                        _points(sheet, reviewed),
                        reason,
                        evidence,
                    ],
                )
            )
    return splice(_saved(book), totals)


def _criterion_rows(
    data: RankingData, code: str, criteria: list[Criterion]
) -> Iterator[tuple[Points | None, Points | None, str, str]]:
    """A unit's scores per criterion: self-score, reviewed score, reason, evidence."""
    own_sheet = data.sheets.get(code)
    entries = own_sheet.entries if own_sheet is not None else SheetEntries()
    for criterion in criteria:
        entry = entries.entry(criterion.code)
        review = data.reviews.get((code, criterion.code))
        yield (
            Points(entry.points) if entry.scored else None,
            Points(review.points) if review else None,
            review.reason if review else "",
            ", ".join(f.name for f in entry.evidence),
        )


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
