"""Reading a plan document — plain text (tabs or aligned spaces), DOCX (python-docx) or a text
PDF (pdfplumber: ruled tables, or columns from the words' positions) — into its paragraphs and
the rows of its task table, in the plan's columns (``plan_tables.COLUMNS``). A plan with no table
gives the rows of its numbered list."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.domain.file_types import DOCX, PDF, sniff
from bot.domain.plan_tables import (
    Cell,
    Piece,
    numbered_list_rows,
    positioned_rows,
    table_rows,
)
from bot.domain.text import nfc

__all__ = [
    "PlanDocument",
    "UnreadableDocument",
    "docx_blocks",
    "docx_grid",
    "pdf_lines",
    "read_plan_document",
]

MAX_PDF_PAGES = 60
MAX_TEXT_CHARS = 2_000_000
_RUN_GAP = re.compile(r"\S+(?: \S+)*")  # text runs split by two spaces or more


class UnreadableDocument(Exception):
    """Not a DOCX, text PDF or text file, or no task table found in it."""


@dataclass(frozen=True)
class PlanDocument:
    paragraphs: list[str]
    rows: list[list[str]]
    """The task table below its header in the plan's columns (number, title, responsible,
    coordinating, time frame, notes), rows split across lines or pages already joined."""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _from_text(text: str) -> PlanDocument:
    """Columns by tabs (a piece per cell, at its index) or by runs of two spaces or more (a
    piece per run, at its character column)."""
    lines = nfc(text[:MAX_TEXT_CHARS]).splitlines()
    if any("\t" in line for line in lines):
        pieces = [
            [Piece(i, cell.strip()) for i, cell in enumerate(line.split("\t"))] for line in lines
        ]
        rows, used = positioned_rows(pieces, slack=0)
    else:
        pieces = [[Piece(m.start(), m.group()) for m in _RUN_GAP.finditer(line)] for line in lines]
        rows, used = positioned_rows(pieces, slack=2)
    paragraphs = [
        cell
        for i, line in enumerate(lines)
        if i not in used
        for cell in _lines(line.replace("\t", "\n"))
    ]
    return PlanDocument(paragraphs, rows)


def docx_blocks(document: Any) -> Iterator[Any]:
    """The body's paragraphs and tables in the order they come."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            yield Paragraph(child, document)
        elif child.tag.endswith("}tbl"):
            yield Table(child, document)


def docx_grid(table: Any) -> list[list[Cell]]:
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


def _from_docx(data: bytes) -> PlanDocument:
    from docx import Document  # the readers are loaded on first use, not at every start

    document = Document(io.BytesIO(data))
    paragraphs: list[str] = []
    rows: list[list[str]] = []
    for block in docx_blocks(document):
        if not hasattr(block, "rows"):
            paragraphs += _lines(block.text)
            continue
        grid = docx_grid(block)
        found = [] if rows else table_rows(grid)
        if found:
            rows = found
        else:  # the letterhead, the signature block: their text is the document's
            paragraphs += [line for cells in grid for c in cells if c for line in _lines(c)]
    return PlanDocument(paragraphs, rows)


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


def _from_pdf(data: bytes) -> PlanDocument:
    import pdfplumber

    raw: list[list[Cell]] = []
    lines: list[list[Piece]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:MAX_PDF_PAGES]:
            outside = page
            for table in page.find_tables():
                raw += table.extract()
                outside = outside.outside_bbox(table.bbox)
            lines += pdf_lines(outside)
    rows = table_rows(raw)
    used: set[int] = set()
    if not rows:
        rows, used = positioned_rows(lines, slack=3)
    paragraphs = [" ".join(p.text for p in line) for i, line in enumerate(lines) if i not in used]
    return PlanDocument(paragraphs, rows)


def read_plan_document(data: bytes) -> PlanDocument:
    kind = sniff(data)
    if kind in (DOCX, PDF):
        try:
            document = _from_docx(data) if kind is DOCX else _from_pdf(data)
        except Exception as exc:  # a damaged, encrypted or odd file: the libraries raise anything
            raise UnreadableDocument(f"the {kind.extension.upper()} file cannot be read") from exc
    else:
        try:
            document = _from_text(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise UnreadableDocument("not DOCX, PDF or UTF-8 text") from exc
    if not document.rows:
        document = PlanDocument(document.paragraphs, numbered_list_rows(document.paragraphs))
    if not document.rows:
        raise UnreadableDocument("no task table (TT · Nội dung …) found")
    return document
