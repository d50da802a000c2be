"""A unit's score form as a workbook the officer fills in Excel, LibreOffice or WPS: the
criteria with their codes (TT), names, maximum and the rule in words, a "Điểm tự chấm" column
whose data validation holds each row's range, a note and an evidence column; the cluster, unit
and year above; the layout protected and only the score, note and evidence cells open;
prefilled with the unit's draft; printable (A4 landscape, fitted to width, long names
wrapped). No text is ever written as a formula. ``bot.domain.score_form_reading`` reads it back.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.formatting import number
from bot.domain.score_form_columns import FORM_COLUMNS
from bot.domain.score_sheet import SheetEntries
from bot.domain.scoring_table import Bonus, Criterion, CriterionKind, Group, ScoringTable
from bot.domain.spreadsheet_text import starts_like_formula
from bot.i18n import N_, Translator

__all__ = ["HEADER_ROW", "build_blank", "open_values", "score_form"]

HEADER_ROW = 6
"""The row of the column headers (title, cluster, unit, year and the instructions above)."""
_WIDTHS = {"code": 8, "name": 52, "max": 10, "rule": 38, "score": 12, "note": 30, "evidence": 30}
_OPEN = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
_BOLD = Font(bold=True)
_RULES = {
    "proportional": N_("In proportion to the result: {target}{unit} earns {max} points."),
    "full_at_target": N_("{max} points when the result reaches {target}{unit}; otherwise 0."),
    CriterionKind.QUALITATIVE: N_("Met: {max} points; not met: 0."),
    CriterionKind.PER_OCCURRENCE: N_("{each} points each time, at most {max}."),
    CriterionKind.BONUS_PENALTY: N_("From {min} to {max} points."),
}


def _put(cell: Cell, value: object) -> None:
    """A value written as itself: text that could start a formula stays text."""
    cell.value = value
    if isinstance(value, str) and starts_like_formula(value):
        cell.data_type, cell.quotePrefix = "s", True


def rule_text(criterion: Criterion, _: Translator, language: str) -> str:
    """How a criterion's points are given, in words, in the officer's language."""
    key: object = criterion.kind
    if criterion.kind is CriterionKind.QUANTITATIVE:
        key = criterion.formula
    return _(_RULES[key]).format(  # type: ignore[index]
        target=number(criterion.target or 0, language),
        unit=criterion.unit,
        max=number(criterion.max, language),
        each=number(criterion.points_each or 0, language),
        min=number(criterion.min, language),
    )


def _either(criterion: Criterion) -> bool:
    """Scored all or nothing: 0 or the maximum."""
    return criterion.kind is CriterionKind.QUALITATIVE or (
        criterion.kind is CriterionKind.QUANTITATIVE and criterion.formula == "full_at_target"
    )


class _Validations:
    """One data validation per allowed range, shared by every score cell that has it."""

    def __init__(self, sheet: Worksheet, _: Translator, language: str) -> None:
        self._sheet, self._, self._language = sheet, _, language
        self._made: dict[tuple[str, float, float], DataValidation] = {}

    def add(self, cell: str, low: float, high: float, either: bool) -> None:
        key = ("list" if either else "decimal", low, high)
        if key not in self._made:
            shown = {"low": number(low, self._language), "high": number(high, self._language)}
            if either:
                validation = DataValidation(type="list", formula1=f'"{low:g},{high:g}"')
                message = self._("Enter {low} or {high}.").format(**shown)
            else:
                validation = DataValidation(
                    type="decimal", operator="between", formula1=f"{low:g}", formula2=f"{high:g}"
                )
                message = self._("Enter a number from {low} to {high}.").format(**shown)
            validation.error, validation.errorTitle = message, self._(FORM_COLUMNS["score"])
            validation.prompt, validation.showErrorMessage = message, True
            validation.showInputMessage = True
            self._sheet.add_data_validation(validation)
            self._made[key] = validation
        self._made[key].add(cell)


def _walk(items: tuple[Group | Criterion, ...], depth: int) -> Iterator[tuple[int, Any]]:
    for item in items:
        yield depth, item
        if isinstance(item, Group):
            yield from _walk(item.items, depth + 1)


def _group_max(group: Group) -> float:
    return sum(c.max for c in group.criteria())


def score_form(
    table: ScoringTable,
    cluster_name: str,
    unit_name: str,
    year: int,
    draft: SheetEntries | None,
    _: Translator,
    language: str,
) -> bytes:
    """The form of one unit, prefilled with its self-score ``draft``, built cell by cell (what
    :func:`filled_form` copies)."""
    book, rows = build_blank(table, cluster_name, unit_name, year, _, language)
    sheet = book.active
    assert sheet is not None
    at = _at()
    for code, name, value in open_values(table, draft or SheetEntries()):
        _put(sheet.cell(rows[code], at[name]), value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def open_values(table: ScoringTable, draft: SheetEntries) -> Iterator[tuple[str, str, object]]:
    """(code, column, value) of every open cell the draft fills: a criterion's points, note and
    evidence, a bonus's points when the unit said whether it applies."""
    for criterion in table.criteria():
        entry = draft.entry(criterion.code)
        for name, value in (
            ("score", entry.points if entry.scored else None),
            ("note", entry.note or None),
            ("evidence", entry.evidence_shown or None),
        ):
            if value is not None:
                yield criterion.code, name, value
    for bonus in table.bonuses:
        chosen = draft.bonuses.get(bonus.code)
        if chosen is not None:
            yield bonus.code, "score", bonus.points if chosen else 0


def _at() -> dict[str, int]:
    """Each column's number."""
    return {name: i for i, name in enumerate(FORM_COLUMNS, start=1)}


def build_blank(
    table: ScoringTable,
    cluster_name: str,
    unit_name: str,
    year: int | str,
    _: Translator,
    language: str,
) -> tuple[Workbook, dict[str, int]]:
    """The form with its open cells empty, and the row of each criterion and bonus by code."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _(FORM_COLUMNS["score"])[:31]
    at = _at()
    for name, i in at.items():
        sheet.column_dimensions[get_column_letter(i)].width = _WIDTHS[name]
    heading = [
        (_("SELF-SCORE FORM — {title}").format(title=table.title), Font(bold=True, size=13)),
        (_("Cluster: {cluster}").format(cluster=cluster_name), _BOLD),
        (_("Unit: {unit}").format(unit=unit_name), _BOLD),
        (_("Year: {year}").format(year=year), _BOLD),
        (
            _(
                "Enter your points in the column “{score}”, with a note and the evidence; "
                "then send this file back to the bot."
            ).format(score=_(FORM_COLUMNS["score"])),
            Font(italic=True),
        ),
    ]
    for row, (text, font) in enumerate(heading, start=1):
        _put(sheet.cell(row, 1), text)
        sheet.cell(row, 1).font = font
    for name, i in at.items():
        cell = sheet.cell(HEADER_ROW, i)
        _put(cell, _(FORM_COLUMNS[name]))
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP
    validations = _Validations(sheet, _, language)
    rows: dict[str, int] = {}
    row = HEADER_ROW
    for group in table.groups:
        for depth, item in _walk((group,), 0):
            row += 1
            values: dict[str, object] = {"code": item.code, "name": item.name}
            if isinstance(item, Group):
                values["max"] = _group_max(item)
                _write(sheet, row, at, values, header=True, indent=depth)
                continue
            rows[item.code] = row
            values |= {"max": item.max, "rule": rule_text(item, _, language)}
            _write(sheet, row, at, values, indent=depth)
            score = f"{get_column_letter(at['score'])}{row}"
            validations.add(score, item.min, item.max, _either(item))
    if table.bonuses:
        row += 1
        _write(sheet, row, at, {"name": _("Bonus and deduction points")}, header=True)
    for bonus in table.bonuses:
        row += 1
        rows[bonus.code] = row
        _bonus_row(sheet, row, at, bonus, _, language)
        low, high = sorted((0.0, bonus.points))
        validations.add(f"{get_column_letter(at['score'])}{row}", low, high, either=True)
    row += 1
    _write(sheet, row, at, {"name": _("Total"), "max": table.max_total}, header=True)
    _print_setup(sheet, row, len(at), _)
    return book, rows


def _bonus_row(
    sheet: Worksheet, row: int, at: dict[str, int], bonus: Bonus, _: Translator, language: str
) -> None:
    rule = _("Applies: {points} points; otherwise 0.").format(points=number(bonus.points, language))
    values = {"code": bonus.code, "name": bonus.name, "max": bonus.points, "rule": rule}
    _write(sheet, row, at, values)


def _write(
    sheet: Worksheet,
    row: int,
    at: dict[str, int],
    values: dict[str, object],
    header: bool = False,
    indent: int = 0,
) -> None:
    """One row: group and total rows bold and shaded, a criterion's own cells open; the name
    indented by its depth (a sub-criterion under its criterion)."""
    for name, i in at.items():
        cell = sheet.cell(row, i)
        _put(cell, values.get(name))
        cell.alignment = (
            _WRAP if name != "name" else Alignment(wrap_text=True, vertical="top", indent=indent)
        )
        if header:
            cell.font, cell.fill = _BOLD, _GROUP_FILL
        elif name in ("score", "note", "evidence"):
            cell.protection = _OPEN
        if name in ("max", "score"):
            cell.number_format = "0.##"


def _print_setup(sheet: Worksheet, last_row: int, columns: int, _: Translator) -> None:
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{get_column_letter(columns)}{last_row}"
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.right.text = _("Page &P of &N")
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = False  # widths and heights may change
    protection.selectLockedCells = False
