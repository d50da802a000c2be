"""What the chair takes to the meeting: the ranking as text, a bar chart (PNG) and a workbook."""

from __future__ import annotations

import io
from collections.abc import Iterator

from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.cluster import Cluster
from bot.domain.formatting import number
from bot.domain.score_sheet import SheetEntries
from bot.domain.scoring import FLAG, MERIT
from bot.domain.scoring_table import Criterion, CriterionKind
from bot.domain.spreadsheet_text import starts_like_formula
from bot.domain.strings import shorten
from bot.i18n import Translator
from bot.outputs.ranking_text import award_note, ranking_title, unit_name
from bot.outputs.sheet_rows import POINTS_FORMAT, Points, RowsLater, splice
from bot.services.ranking_data import RankingData
from bot.texts.roles import Leader, title_of

__all__ = ["ranking_chart", "ranking_workbook"]

FONT_NAME = "Times New Roman"
"""As Vietnamese official tables are set; LibreOffice prints it in the metric-compatible
Liberation Serif, which has every Vietnamese letter (Calibri would fall back to another font)."""
BODY_FONT = Font(name=FONT_NAME, size=12)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(name=FONT_NAME, size=12, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
SHEETS_PER_UNIT_UP_TO = 100
"""Up to this many units the workbook has a sheet per unit; above, one "Details" sheet."""
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
WRAPPED = Alignment(wrap_text=True, vertical="top")
"""Long text (criterion names, reasons, evidence) wraps within its column, never cut."""
TOP = Alignment(vertical="top")
"""Numbers beside wrapped text stand on its first line."""
UNIT_WIDTHS = [52, 8, 9, 10, 30]
"""Criterion, maximum, self-score, reviewed score, reason: at 12 pt they fit a landscape A4
page at 100 %; the evidence column (24) is added only when some unit attached evidence."""
EVIDENCE_WIDTH = 24
BONUS_PENALTY = CriterionKind.BONUS_PENALTY
LINE_HEIGHT = 16.0
"""Points per line of 12-point text: rows of wrapped text are made this tall per line, since
LibreOffice keeps an .xlsx row's height as written rather than fitting it to the text."""


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
    axes.set_title(ranking_title(cluster, data, _), wrap=True)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _workbook() -> Workbook:
    """A streamed workbook whose every cell, styled or not, is in :data:`BODY_FONT`. openpyxl
    has no public setter for a workbook's default font: its first font (the one unstyled cells
    use) and the Normal style's are replaced before any cell exists."""
    book = Workbook(write_only=True)
    book._fonts = IndexedList([BODY_FONT])
    book._named_styles["Normal"].font = BODY_FONT
    return book


def _sheet(
    book: Workbook,
    title: str,
    heading: str,
    headers: list[str],
    widths: list[int],
    _: Translator,
) -> WriteOnlyWorksheet:
    """A streamed sheet that prints as what it is: a title row, then the shaded bold header,
    both frozen and repeated atop every printed page; A4 landscape fitted to width; "page N of
    M" below."""
    sheet = book.create_sheet(shorten(title, 31))  # Excel names a sheet in 31 characters
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A3"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:2"
    sheet.row_dimensions[2].height = 33  # room for a header that wraps to two lines
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


def _points(
    sheet: WriteOnlyWorksheet, value: float | None, font: Font | None = None
) -> WriteOnlyCell | None:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=Points(value))
    cell.number_format = POINTS_FORMAT
    cell.alignment = TOP
    if font is not None:
        cell.font = font
    return cell


def _text_cell(
    sheet: WriteOnlyWorksheet, value: str, alignment: Alignment | None = None
) -> WriteOnlyCell:
    """A cell that holds ``value`` as text even when it could start a formula (shown as typed,
    never evaluated, and still text when edited: Excel's leading-apostrophe mark)."""
    cell = WriteOnlyCell(sheet, value=value)
    if starts_like_formula(value):
        cell.data_type, cell.quotePrefix = "s", True
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _leader(cluster: Cluster, code: str, _: Translator) -> str | None:
    """ "Trưởng Cụm" for the chair unit, "Phó Trưởng Cụm" for the deputy (a bloc's words for a
    bloc); None for the other units."""
    if code == cluster.chair:
        return title_of(cluster, Leader.CHAIR, _)
    if code == cluster.deputy:
        return title_of(cluster, Leader.DEPUTY, _)
    return None


def ranking_workbook(cluster: Cluster, data: RankingData, _: Translator) -> bytes:
    """Summary sheet (rank, unit, self-score, reviewed score, classification, proposal) and one
    sheet per unit (criterion, maximum, self, reviewed, reason and, where any unit attached
    some, evidence; then the table's bonuses and the total) — or, for very large clusters, one
    "Details" sheet with a unit column; written streaming. Units that have not scored yet are
    listed too ("not scored yet"), with blank sheets."""
    book = _workbook()
    heading = ranking_title(cluster, data, _)
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
            _("Chair or deputy"),
        ],
        [8, 30, 14, 16, 28, 22, 20],
        _,
    )
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
                award_note(item, data, _),
                _leader(cluster, code, _),
            ]
        )
    scored = {item.score.unit_code for item in data.ranked}
    waiting = [unit.code for unit in cluster.units if unit.code not in scored]
    for code in waiting:
        totals.append(
            [
                None,
                unit_name(cluster, code),
                None,
                None,
                _("not scored yet"),
                None,
                _leader(cluster, code, _),
            ]
        )
    headers = [_("Criterion"), _("Maximum"), _("Self-score"), _("Reviewed score"), _("Reason")]
    criteria = data.table.criteria()
    labels = [f"{c.code} {c.name}" for c in criteria]
    codes = [*(item.score.unit_code for item in data.ranked), *waiting]
    if len(codes) > SHEETS_PER_UNIT_UP_TO:
        detail = _sheet(
            book,
            _("Details"),
            heading,
            [_("Unit"), *headers, _("Evidence")],
            [10, *UNIT_WIDTHS, EVIDENCE_WIDTH],
            _,
        )
        rows = RowsLater(detail, first_row=3)
        # a criterion's label and maximum, a unit's code: made into cells once, not on every row
        fixed = [rows.cells(2, [label, c.max]) for c, label in zip(criteria, labels, strict=True)]
        ranked = {item.score.unit_code for item in data.ranked}
        for code in codes:
            unit = rows.cells(1, [code])
            for lead, scores in zip(fixed, _criterion_rows(data, code, criteria), strict=True):
                rows.append(scores, column=4, lead=unit + lead)
            for label, maximum, gained, reason in _bonus_rows(data, code, code in ranked):
                rows.append([label, Points(maximum), gained, None, reason], column=2, lead=unit)
        return splice(_saved(book), totals, rows)
    evidence = any(row[3] for code in codes for row in _criterion_rows(data, code, criteria))
    if evidence:
        headers.append(_("Evidence"))
    widths = [*UNIT_WIDTHS, EVIDENCE_WIDTH] if evidence else UNIT_WIDTHS
    ranked = {item.score.unit_code: item for item in data.ranked}
    for code in codes:
        title = (
            _("{unit} — {cluster} {year}")
            if data.locked
            else _("{unit} — {cluster} {year} (provisional)")
        ).format(unit=unit_name(cluster, code), cluster=cluster.name, year=cluster.year)
        sheet = _sheet(book, code, title, headers, widths, _)
        scores = _criterion_rows(data, code, criteria)
        rows: list[tuple[str, float, float | None, float | None, str, str]] = [
            (label, criterion.max, own, reviewed, reason, files)
            for criterion, label, (own, reviewed, reason, files) in zip(
                criteria, labels, scores, strict=True
            )
        ]
        for label, maximum, gained, reason in _bonus_rows(data, code, code in ranked):
            rows.append((label, maximum, gained, None, reason, ""))
        for row_number, (label, maximum, own, reviewed, reason, files) in enumerate(rows, start=3):
            texts = [label, "", "", "", reason, files][: len(widths)]
            sheet.row_dimensions[row_number].height = _height(texts, widths)
            cells = [
                _text_cell(sheet, label, WRAPPED),
                _points(sheet, maximum),
                _points(sheet, own),
                _points(sheet, reviewed),
                _text_cell(sheet, reason, WRAPPED),
            ]
            sheet.append([*cells, _text_cell(sheet, files, WRAPPED)] if evidence else cells)
        item = ranked.get(code)
        label = _text_cell(sheet, _("Total"))
        label.font = HEADER_FONT
        sheet.append(
            [
                label,
                _points(sheet, data.table.max_total, HEADER_FONT),
                _points(sheet, data.self_total(code) if item else None, HEADER_FONT),
                _points(sheet, item.total if item else None, HEADER_FONT),
            ]
        )
    return splice(_saved(book), totals)


def _height(texts: list[str], widths: list[int]) -> float:
    """The height of a row whose texts wrap in columns of these widths: a column holds about
    1.15 characters of 12-point Times New Roman per width unit (1.1 is counted, to be safe)."""
    lines = max(
        1, *(-(-len(text) // int(width * 1.1)) for text, width in zip(texts, widths, strict=True))
    )
    return LINE_HEIGHT * lines + 2


def _criterion_rows(
    data: RankingData, code: str, criteria: list[Criterion]
) -> Iterator[tuple[Points | None, Points | None, str, str]]:
    """A unit's scores per criterion: self-score, reviewed score, reason (the reviewer's, or
    for a bonus/penalty criterion the unit's own note), evidence."""
    own_sheet = data.sheets.get(code)
    entries = own_sheet.entries if own_sheet is not None else SheetEntries()
    for criterion in criteria:
        entry = entries.entry(criterion.code)
        review = data.reviews.get((code, criterion.code))
        yield (
            Points(entry.points) if entry.scored else None,
            Points(review.points) if review else None,
            review.reason if review else entry.note if criterion.kind is BONUS_PENALTY else "",
            ", ".join(f.name for f in entry.evidence),
        )


def _bonus_rows(
    data: RankingData, code: str, scored: bool
) -> Iterator[tuple[str, float, Points | None, str]]:
    """A unit's whole-table bonuses: label, points, points gained (None before it scored) and
    the grounds it gave."""
    own = data.sheets[code].entries if code in data.sheets else SheetEntries()
    for bonus in data.table.bonuses:
        claimed = own.bonuses.get(bonus.code)
        gained = Points(bonus.points if claimed else 0) if scored else None
        reason = own.bonus_reasons.get(bonus.code, "") if claimed else ""
        yield f"{bonus.code} {bonus.name}", bonus.points, gained, reason


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
