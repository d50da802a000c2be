"""The low-level reading of an office document's tables, shared by the plan and the scoring
table readers: a DOCX's paragraphs and tables in order (python-docx; merged cells resolved), a
text PDF's ruled tables and its other words as positioned lines (pdfplumber), a workbook's
sheets as grids of cells (openpyxl, read-only, cached values). No meaning is given to the cells
here; the callers find their own headers."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Cell",
    "PdfContent",
    "Piece",
    "docx_blocks",
    "pdf_content",
    "pdf_lines",
    "xlsx_grids",
]

Cell = str | None
"""A cell's text; None where a merged cell continues the one above."""


@dataclass(frozen=True)
class Piece:
    """A run of text on a line and where it begins (a character column, or points in a PDF)."""

    x: float
    text: str


def _docx_body(document: Any) -> Iterator[Any]:
    """The body's paragraphs and tables in the order they come."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            yield Paragraph(child, document)
        elif child.tag.endswith("}tbl"):
            yield Table(child, document)


def _docx_grid(table: Any) -> list[list[Cell]]:
    """One cell per grid column: a cell merged across columns gives its text once, a cell
    merged down from the row above gives None."""
    grid: list[list[Cell]] = []
    above: list[Any] = []
    for row in table.rows:
        cells: list[Cell] = []
        elements = [cell._tc for cell in row.cells]
        for i, element in enumerate(elements):
            if i < len(above) and above[i] is element:
                cells.append(None)
            elif i and elements[i - 1] is element:
                cells.append("")
            else:
                cells.append(row.cells[i].text)
        grid.append(cells)
        above = elements
    return grid


def docx_blocks(data: bytes) -> list[str | list[list[Cell]]]:
    """The body in order: a paragraph as its text, a table as its grid."""
    from docx import Document  # the readers are loaded on first use, not at every start

    document = Document(io.BytesIO(data))
    return [
        _docx_grid(block) if hasattr(block, "rows") else block.text
        for block in _docx_body(document)
    ]


@dataclass(frozen=True)
class PdfContent:
    table_rows: list[list[Cell]]
    """The rows of every ruled table, page after page."""
    lines: list[list[Piece]]
    """The words outside those tables, as lines of word-spaced runs."""


def pdf_lines(page: Any) -> list[list[Piece]]:
    """The page's words grouped into lines, and each line into runs of word-spaced words."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(page.extract_words(), key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_runs(sorted(words, key=lambda w: w["x0"])) for words in lines]


def _runs(words: list[dict[str, Any]]) -> list[Piece]:
    runs: list[list[dict[str, Any]]] = []
    for word in words:
        if runs and word["x0"] - runs[-1][-1]["x1"] < (word["bottom"] - word["top"]) * 0.6:
            runs[-1].append(word)
        else:
            runs.append([word])
    return [Piece(run[0]["x0"], " ".join(w["text"] for w in run)) for run in runs]


def pdf_content(data: bytes, max_pages: int) -> PdfContent:
    """The ruled tables and the other lines of the first ``max_pages`` pages."""
    import pdfplumber

    raw: list[list[Cell]] = []
    lines: list[list[Piece]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:max_pages]:
            outside = page
            for table in page.find_tables():
                raw += table.extract()
                outside = outside.outside_bbox(table.bbox)
            lines += pdf_lines(outside)
    return PdfContent(raw, lines)


def _text(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_grids(data: bytes, max_rows: int, max_columns: int) -> list[list[list[Cell]]]:
    """Each sheet's rows as text (cached values: formulas are never evaluated), at most
    ``max_rows`` rows of ``max_columns`` cells each; a cell covered by a merge is empty."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        grids = []
        for sheet in book.worksheets:
            rows = sheet.iter_rows(max_row=max_rows, max_col=max_columns, values_only=True)
            grids.append([[_text(v) for v in row] for row in rows])
        return grids
    finally:
        book.close()
