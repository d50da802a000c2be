"""Reading a plan document — plain text like the seed, DOCX (python-docx) or a text PDF
(pdfplumber) — into paragraphs and the rows of its task table."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from bot.domain.file_types import DOCX, PDF, sniff
from bot.domain.text import nfc

__all__ = ["PlanDocument", "UnreadableDocument", "read_plan_document"]

HEADER_WORDS = ("tt", "nội dung")


class UnreadableDocument(Exception):
    """Not a DOCX, text PDF or text file, or no task table found in it."""


@dataclass(frozen=True)
class PlanDocument:
    paragraphs: list[str]
    rows: list[list[str]]
    """The task table below its header, rows split across lines or pages already joined."""


def _cell(text: str | None) -> str:
    return re.sub(r"\s+", " ", nfc(text or "")).strip()


def _is_header(cells: list[str]) -> bool:
    lowered = [c.lower() for c in cells]
    return bool(lowered) and lowered[0] in ("tt", "stt") and any("nội dung" in c for c in lowered)


def join_rows(raw: list[list[str]]) -> list[list[str]]:
    """Rows after the header; a row whose first cell is not a number continues the one above
    (a row broken across lines or pages), cell by cell."""
    rows: list[list[str]] = []
    in_table = False
    for cells in raw:
        cells = [_cell(c) for c in cells]
        if _is_header(cells):
            in_table = True
            continue
        if not in_table or not any(cells):
            continue
        if cells[0].rstrip(".").isascii() and cells[0].rstrip(".").isdigit():
            rows.append(cells)
        elif rows:
            previous = rows[-1]
            previous += [""] * (len(cells) - len(previous))
            for i, text in enumerate(cells):
                if text:
                    previous[i] = f"{previous[i]} {text}".strip()
    return rows


def _from_text(text: str) -> PlanDocument:
    lines = nfc(text).splitlines()
    raw, paragraphs, in_table = [], [], False
    for line in lines:
        if "\t" in line:
            raw.append(line.split("\t"))
            in_table = True
        elif in_table and re.match(r"^\s*[IVX]+\.\s", line):
            in_table = False
            paragraphs.append(line.strip())
        elif line.strip() and not in_table:
            paragraphs.append(line.strip())
    return PlanDocument(paragraphs, join_rows(raw))


def _from_docx(data: bytes) -> PlanDocument:
    from docx import Document  # the readers are loaded on first use, not at every start

    document = Document(io.BytesIO(data))
    raw: list[list[str]] = []
    for table in document.tables:
        for row in table.rows:
            seen, cells = set(), []
            for cell in row.cells:  # a merged cell appears once per grid column it spans
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                cells.append(cell.text)
            raw.append(cells)
    paragraphs = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    return PlanDocument(paragraphs, join_rows(raw))


def _from_pdf(data: bytes) -> PlanDocument:
    import pdfplumber

    raw: list[list[str]] = []
    paragraphs: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                raw += [[c or "" for c in row] for row in table]
            outside = page
            for found in page.find_tables():
                outside = outside.outside_bbox(found.bbox)
            paragraphs += [
                line.strip() for line in (outside.extract_text() or "").splitlines() if line.strip()
            ]
    return PlanDocument(paragraphs, join_rows(raw))


def read_plan_document(data: bytes) -> PlanDocument:
    kind = sniff(data)
    if kind is DOCX:
        document = _from_docx(data)
    elif kind is PDF:
        document = _from_pdf(data)
    else:
        try:
            document = _from_text(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise UnreadableDocument("not DOCX, PDF or UTF-8 text") from exc
    if not document.rows:
        raise UnreadableDocument("no task table (TT · Nội dung …) found")
    return document
