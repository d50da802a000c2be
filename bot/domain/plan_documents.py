"""Reading a plan document — plain text (tabs or aligned spaces), DOCX (python-docx) or a text
PDF (pdfplumber: ruled tables, or columns from the words' positions) — into its paragraphs and
the rows of its task table, in the plan's columns (``plan_tables.COLUMNS``). A plan with no table
gives the rows of its numbered list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.document_tables import Piece, docx_blocks, pdf_content
from bot.domain.file_types import DOCX, PDF, sniff
from bot.domain.plan_tables import numbered_list_rows, positioned_rows, table_rows
from bot.domain.strings import nfc

__all__ = ["PlanDocument", "UnreadableDocument", "read_plan_document"]

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


def _from_docx(data: bytes) -> PlanDocument:
    paragraphs: list[str] = []
    rows: list[list[str]] = []
    for block in docx_blocks(data):
        if isinstance(block, str):
            paragraphs += _lines(block)
            continue
        found = [] if rows else table_rows(block)
        if found:
            rows = found
        else:  # the letterhead, the signature block: their text is the document's
            paragraphs += [line for cells in block for c in cells if c for line in _lines(c)]
    return PlanDocument(paragraphs, rows)


def _from_pdf(data: bytes) -> PlanDocument:
    content = pdf_content(data, MAX_PDF_PAGES)
    lines, rows = content.lines, table_rows(content.table_rows)
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
