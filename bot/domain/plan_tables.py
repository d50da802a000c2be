"""The task table of a plan, whatever its shape: header cells under any of the usual labels
mapped to the plan's columns, rows broken over lines or pages joined, section rows skipped,
columns read from positions where the table has no rules, and numbered prose lists read as
rows when the plan has no table at all."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.domain.document_tables import Cell, Piece
from bot.domain.strings import fold, nfc

__all__ = [
    "COLUMNS",
    "Piece",
    "column_of",
    "is_section",
    "numbered_list_rows",
    "positioned_rows",
    "table_rows",
]

COLUMNS = ("number", "title", "responsible", "coordinating", "frame", "notes")
"""The plan's columns, in the order every reader returns them."""

_NUMBER_LABELS = ("tt", "stt", "số tt", "số thứ tự", "thứ tự")
_SECTION = re.compile(r"^(?:[IVX]{1,5}|[A-HĐ])\.?$")
_SECTION_LINE = re.compile(r"^\s*(?:[IVX]{1,5}|[A-HĐ])[.)]\s+\S")
_NUMBER = re.compile(r"^0*(\d{1,3})[.)]?$")


def column_of(label: str) -> str | None:
    """The plan column a header cell names: "STT", "Nhiệm vụ", "Thời hạn", "Đơn vị chủ trì" …"""
    text = fold(label).strip(" .:")
    if text in _NUMBER_LABELS:
        return "number"
    if "ghi chú" in text:
        return "notes"
    if "thời gian" in text or "thời hạn" in text:
        return "frame"
    if "phối hợp" in text and "chủ trì" not in text:
        return "coordinating"
    if any(w in text for w in ("cơ quan", "đơn vị", "chủ trì", "thực hiện", "bộ phận")):
        return "responsible"
    if any(w in text for w in ("nội dung", "nhiệm vụ", "công việc", "hoạt động")):
        return "title"
    return None


def _labels(cells: Sequence[Cell]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        column = column_of(cell or "")
        if column and column not in found:
            found[column] = i
    return found


def _header(cells: Sequence[Cell]) -> dict[str, int] | None:
    """Column positions when the cells are a task table's header row."""
    found = _labels(cells)
    return found if "title" in found and ("number" in found or "frame" in found) else None


def is_section(text: str) -> bool:
    """A heading such as "III. TỔ CHỨC THỰC HIỆN" (it ends a table written as text)."""
    return bool(_SECTION_LINE.match(text))


def _clean(text: Cell) -> Cell:
    return None if text is None else re.sub(r"\s+", " ", nfc(text)).strip()


def table_rows(raw: Sequence[Sequence[Cell]]) -> list[list[str]]:
    """The rows under the first header, in the plan's columns. A row without a number continues
    the one above (broken over lines or pages), a merged cell repeats the value above it in a
    new row, a section row ("I", "A. …") is skipped, a repeated header (a new page) is ignored,
    a second header row under the first names the columns it splits."""
    header: dict[str, int] | None = None
    rows: list[list[str]] = []
    joinable = False
    for cells in raw:
        cells = [_clean(c) for c in cells]
        if found := _header(cells):
            header = header or found
            continue
        if header is None or not any(cells):
            continue
        if not rows and not cells[0] and len(labels := _labels(cells)) >= 2:
            header.update(labels)  # a second header row: "Đơn vị" over "Chủ trì | Phối hợp"
            continue
        values = [
            cells[header[c]] if c in header and header[c] < len(cells) else "" for c in COLUMNS
        ]
        number = values[0] or ""
        if _NUMBER.match(number):
            above = rows[-1] if rows else [""] * len(COLUMNS)
            rows.append([above[i] if v is None else v for i, v in enumerate(values)])
            joinable = True
        elif _SECTION.match(number) or is_section(number or values[1] or ""):
            joinable = False
        elif joinable and not number:
            previous = rows[-1]
            for i, text in enumerate(values):
                if text:
                    previous[i] = f"{previous[i]} {text}".strip()
    return rows


def positioned_rows(
    lines: Sequence[Sequence[Piece]], slack: float
) -> tuple[list[list[str]], set[int]]:
    """A table without rules: the header line's pieces give the columns; every later piece goes
    to the column that begins at or before it (``slack`` allows a little misalignment). The table
    ends at a line that starts in the number column without a number (a heading, a paragraph),
    unless a task row follows it (then it is a section row). Also returns the indexes of the
    lines the table used."""
    for h, line in enumerate(lines):
        header = _header([p.text for p in line])
        if header is None:
            continue
        starts = [p.x for p in line]
        raw: list[list[Cell]] = [[p.text for p in line]]
        used = {h}
        for i in range(h + 1, len(lines)):
            pieces = [p for p in lines[i] if p.text]
            if not pieces:
                continue
            if not _in_table(pieces, starts, slack) and not any(
                _is_task(later, starts, slack) for later in _next_line(lines, i)
            ):
                break
            cells: list[Cell] = [""] * len(starts)
            for piece in pieces:
                column = _column_at(piece.x, starts, slack)
                cells[column] = f"{cells[column]} {piece.text}".strip()
            raw.append(cells)
            used.add(i)
        return table_rows(raw), used
    return [], set()


def _in_table(pieces: Sequence[Piece], starts: Sequence[float], slack: float) -> bool:
    """A task row, a continuation (nothing in the number column) or a repeated header."""
    return (
        _is_task(pieces, starts, slack)
        or _column_at(pieces[0].x, starts, slack) > 0
        or _header([p.text for p in pieces]) is not None
    )


def _is_task(pieces: Sequence[Piece], starts: Sequence[float], slack: float) -> bool:
    first = pieces[0]
    return (
        len(pieces) > 1
        and _column_at(first.x, starts, slack) == 0
        and bool(_NUMBER.match(first.text))
    )


def _next_line(lines: Sequence[Sequence[Piece]], i: int) -> list[list[Piece]]:
    """The next line with text after line ``i``, if any."""
    for line in lines[i + 1 :]:
        if pieces := [p for p in line if p.text]:
            return [pieces]
    return []


def _column_at(x: float, starts: Sequence[float], slack: float) -> int:
    return max((i for i, start in enumerate(starts) if start <= x + slack), default=0)


_ITEM = re.compile(r"^\s*0*(\d{1,3})[.)]\s+(.+)$")
_LABEL = re.compile(
    r"(?:^|(?<=[.;,])\s*|\s+-\s*)((?:Thời gian|Thời hạn|Cơ quan|Đơn vị|Chủ trì|Phối hợp|Ghi chú)"
    r"[^:.;]{0,30}):\s*",
    re.IGNORECASE,
)


def _fields(text: str) -> list[str]:
    """One numbered item's title and its labelled fields ("Thời gian: …", "Đơn vị chủ trì: …")."""
    parts = _LABEL.split(text)
    row = dict.fromkeys(COLUMNS, "")
    row["title"] = parts[0].strip(" -;.")
    for label, value in zip(parts[1::2], parts[2::2], strict=True):
        column = column_of(label)
        if column and column not in ("number", "title"):
            row[column] = value.strip(" -;.")
    return [row[c] for c in COLUMNS]


def numbered_list_rows(paragraphs: Sequence[str]) -> list[list[str]]:
    """A plan with no table: the numbered items of the first section where an item has a time
    label; lines that follow an item ("- Thời gian thực hiện: Tháng 3/2026") belong to it."""
    sections: list[list[list[str]]] = [[]]
    for line in paragraphs:
        if is_section(line):
            sections.append([])
        elif match := _ITEM.match(line):
            sections[-1].append([match.group(1), match.group(2)])
        elif sections[-1]:
            sections[-1][-1][1] += " " + line.strip()
    for items in sections:
        rows = [[number, *_fields(text)[1:]] for number, text in items]
        if any(row[4] for row in rows):
            return rows
    return []
