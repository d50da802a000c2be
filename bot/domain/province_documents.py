"""A province's decision on its clusters and blocs as it comes — DOCX, text PDF, plain text or
a spreadsheet of its own — read into lines and tables in document order (with the plan reader's
DOCX and PDF reading) and then into clusters (``province_decision``). Every look is bounded:
pages, characters, sheets, rows, columns, characters of a cell; formulas are never evaluated."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from bot.domain.document_tables import docx_blocks, pdf_lines
from bot.domain.file_types import DOCX, PDF, XLSX, has_accepted_magic, sniff
from bot.domain.plan_documents import (
    MAX_PDF_PAGES,
    MAX_TEXT_CHARS,
    UnreadableDocument,
)
from bot.domain.province_decision import Decision, Flag, FlagReason, Line, Table, read_blocks
from bot.domain.strings import nfc

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_SHEETS",
    "read_decision",
    "sheet_rows",
]

MAX_SHEETS = 20
MAX_ROWS = 5_000
"""Rows read from a sheet; a province has a few hundred units."""
MAX_COLUMNS = 30
MAX_CELL_CHARS = 4_000


def _text_blocks(text: str) -> Iterator[Line | Table]:
    """Lines by their line numbers; a run of lines with tabs is a table."""
    rows: list[list[str | None]] = []
    tables = 0
    for number, line in enumerate(nfc(text[:MAX_TEXT_CHARS]).splitlines(), start=1):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            tables += 1
            yield Table(rows, tables)
            rows = []
        yield Line(line, number)
    if rows:
        yield Table(rows, tables + 1)


def _docx(data: bytes) -> Iterator[Line | Table]:
    lines = tables = 0
    for block in docx_blocks(data):
        if isinstance(block, list):
            tables += 1
            yield Table(block, tables)
            continue
        for text in block.splitlines():
            if text.strip():
                lines += 1
                yield Line(text, lines)


def _pdf(data: bytes) -> Iterator[Line | Table]:
    """Per page, the text above, between and below its ruled tables, in that order."""
    import pdfplumber

    lines = tables = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:MAX_PDF_PAGES]:
            top = page.bbox[1]
            found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
            for table in [*found, None]:
                bottom = page.bbox[3] if table is None else table.bbox[1]
                if bottom > top:
                    region = page.crop((page.bbox[0], top, page.bbox[2], bottom))
                    for pieces in pdf_lines(region):
                        lines += 1
                        yield Line(" ".join(p.text for p in pieces), lines)
                if table is not None:
                    tables += 1
                    yield Table(table.extract(), tables)
                    top = max(top, table.bbox[3])


def sheet_rows(sheet: Any, flags: list[Flag]) -> list[list[str | None]]:
    """A read-only sheet's first rows and columns as text; a formula is flagged, not taken,
    and rows beyond the bound are flagged, not read."""
    from openpyxl.utils import get_column_letter

    rows: list[list[str | None]] = []
    for r, row in enumerate(sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS), 1):
        if r > MAX_ROWS:
            flags.append(Flag(FlagReason.TOO_MANY_ROWS, str(MAX_ROWS), row=r, sheet=sheet.title))
            break
        cells: list[str | None] = []
        for c, cell in enumerate(row, start=1):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                formula = str(value)[:80]
                column = get_column_letter(c)
                flags.append(
                    Flag(FlagReason.FORMULA, formula, row=r, sheet=sheet.title, column=column)
                )
                value = None
            cells.append(None if value is None else nfc(str(value))[:MAX_CELL_CHARS])
        rows.append(cells)
    return rows


def _xlsx(data: bytes, flags: list[Flag]) -> Iterator[Line | Table]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for number, sheet in enumerate(workbook.worksheets[:MAX_SHEETS], start=1):
            yield Table(sheet_rows(sheet, flags), number, sheet.title)
    finally:
        workbook.close()


def read_decision(data: bytes) -> Decision:
    """The clusters of a decision file; raises UnreadableDocument when it is no such file."""
    kind = sniff(data)
    flags: list[Flag] = []
    try:
        if kind is DOCX:
            decision = read_blocks(_docx(data))
        elif kind is PDF:
            decision = read_blocks(_pdf(data))
        elif kind is XLSX:
            decision = read_blocks(list(_xlsx(data, flags)))
        elif kind is None and not has_accepted_magic(data) and b"\x00" not in data:
            decision = read_blocks(_text_blocks(data.decode("utf-8-sig")))
        else:
            name = kind.extension.upper() if kind else "binary"
            raise UnreadableDocument(f"a {name} file is not a decision this reads")
    except UnreadableDocument:
        raise
    except UnicodeDecodeError as exc:
        raise UnreadableDocument("not DOCX, PDF, XLSX or UTF-8 text") from exc
    except Exception as exc:  # a damaged or odd file: the libraries raise anything
        raise UnreadableDocument("the file cannot be read") from exc
    return Decision(decision.clusters, (*flags, *decision.flagged))
