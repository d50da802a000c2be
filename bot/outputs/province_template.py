"""The province workbook to fill in (``province_workbook``): a guide sheet in Vietnamese, then
the clusters and blocs, the units and the officers, each with a shaded, frozen header row and
columns wide enough to read — empty, or filled from a decision already read. Text is written as
text, never as a formula."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.province_decision import Decision
from bot.domain.province_workbook import (
    CLUSTER_COLUMNS,
    CLUSTERS_SHEET,
    GUIDE,
    GUIDE_SHEET,
    OFFICER_COLUMNS,
    OFFICERS_SHEET,
    UNIT_COLUMNS,
    UNITS_SHEET,
    Column,
    Officer,
)
from bot.domain.spreadsheet_text import starts_like_formula

__all__ = ["TEMPLATE_ROWS", "province_template"]

TEMPLATE_ROWS = 500
"""Rows below the header that keep the kind list and the phone column's text format."""
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_FONT = Font(bold=True)
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


def _text(sheet: Worksheet, row: int, column: int, value: str | None) -> None:
    """A cell holding ``value`` as text even when it could start a formula."""
    cell = sheet.cell(row=row, column=column, value=value)
    if value is not None and starts_like_formula(value):
        cell.data_type, cell.quotePrefix = "s", True


def _sheet(book: Workbook, title: str, columns: Sequence[Column]) -> Worksheet:
    sheet = book.create_sheet(title)
    for i, column in enumerate(columns, start=1):
        _text(sheet, 1, i, column.label + (" *" if column.required else ""))
        cell = sheet.cell(row=1, column=i)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGNMENT
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"
    return sheet


def _rows(sheet: Worksheet, rows: Sequence[Sequence[str | None]]) -> None:
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            _text(sheet, r, c, value)


def province_template(
    decision: Decision | None = None,
    codes: Mapping[str, str] | None = None,
    officers: Sequence[Officer] = (),
) -> bytes:
    """The workbook, empty or holding ``decision``'s clusters and units and ``officers``."""
    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    guide.column_dimensions["A"].width = 120
    for r, line in enumerate(GUIDE, start=1):
        _text(guide, r, 1, line)
        guide.cell(row=r, column=1).alignment = Alignment(wrap_text=True)
    guide.cell(row=1, column=1).font = Font(bold=True, size=13)

    clusters = decision.clusters if decision else ()
    sheet = _sheet(book, CLUSTERS_SHEET, CLUSTER_COLUMNS)
    _rows(
        sheet,
        [[c.name, c.kind.value, c.chair, c.deputy, c.chair_word, c.deputy_word] for c in clusters],
    )
    kinds = DataValidation(type="list", formula1='"cụm,khối"', allow_blank=True)
    kinds.error = "Hãy chọn «cụm» hoặc «khối»."
    sheet.add_data_validation(kinds)
    kinds.add(f"B2:B{TEMPLATE_ROWS + 1}")

    sheet = _sheet(book, UNITS_SHEET, UNIT_COLUMNS)
    _rows(sheet, [[m, (codes or {}).get(m), c.name] for c in clusters for m in c.members])

    sheet = _sheet(book, OFFICERS_SHEET, OFFICER_COLUMNS)
    _rows(
        sheet,
        [
            [o.name, o.position, o.unit, o.phone, o.email, f"@{o.telegram}" if o.telegram else None]
            for o in officers
        ],
    )
    phone = next(i for i, c in enumerate(OFFICER_COLUMNS, start=1) if c.key == "phone")
    for row in range(2, TEMPLATE_ROWS + 2):  # a phone number keeps its leading zero
        sheet.cell(row=row, column=phone).number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
