"""Many rows of a streamed sheet, written as XML text: openpyxl builds a cell object for every
value (about 4 µs each), which for the Details sheet of a large bloc — 3,500 units × 40
criteria, a million cells — is seconds. The sheet is laid out by openpyxl as usual with one
marker row, whose cells also carry the styles used (points, text shown as typed); after
saving, the marker row is replaced by the rows as text, in those styles."""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import IO
from xml.sax.saxutils import escape

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.domain.spreadsheet_text import starts_like_formula

__all__ = ["POINTS_FORMAT", "Points", "RowsLater", "splice"]

_ROW = r'<row r="(\d+)"[^>]*>(?:(?!</row>).)*?{mark}.*?</row>'
_STYLE = re.compile(r'<c r="[A-Z]+\d+" s="(\d+)"')
_CHUNK = 4096
"""Rows encoded and compressed at a time when the workbook is saved."""
_HOLE = "\x00"
"""Where the row's number goes in a cell's text until the row is appended (a character no
written text contains: it is an illegal one, removed)."""


POINTS_FORMAT = "[$-42A]General"
"""Points as Vietnamese write them, ``104,5`` and ``90``: the number format names the vi-VN
locale (LCID 042A), so LibreOffice shows a decimal comma whatever its own locale; Excel takes
the separator from the computer's regional settings (a comma on a Vietnamese Windows)."""


class Points(float):
    """A score, rounded to two decimals and shown in :data:`POINTS_FORMAT`."""

    def __new__(cls, value: float) -> Points:
        return super().__new__(cls, round(value, 2))


class RowsLater:
    """Rows appended to a write-only sheet's end, written when the workbook is saved
    (:func:`splice`); values are text, numbers, :class:`Points` or None (an empty cell). Each
    row is turned into text as it comes, so a million values never live as objects at once."""

    def __init__(self, sheet: WriteOnlyWorksheet, first_row: int) -> None:
        """``first_row``: the number of the row about to be appended (the marker row's)."""
        points = WriteOnlyCell(sheet, value=0)
        points.number_format = POINTS_FORMAT
        quoted = WriteOnlyCell(sheet, value="=")
        quoted.data_type, quoted.quotePrefix = "s", True
        self._mark = f"cumthidua-rows-{secrets.token_hex(8)}"  # text no one has typed
        sheet.append([self._mark, points, quoted])
        # the style ids openpyxl gives these cells, as the marker row will show (checked)
        self._styles = (str(points.style_id), str(quoted.style_id))
        self._cell = _cell_texts(*self._styles)
        self._parts: list[str] = []
        self._first = self._next = first_row
        self._letters: dict[int, list[str]] = {}  # first column → letters from it on

    def cells(self, column: int, values: Sequence[object]) -> str:
        """``values`` as the cells from ``column`` (1 is A) on, made once for the rows that all
        hold them: :meth:`append` takes them as its ``lead``."""
        return "".join(map(self._cell, self._columns(column, len(values)), values))

    def append(self, values: Sequence[object], column: int = 1, lead: str = "") -> None:
        """A row: the ``lead`` cells (from :meth:`cells`, left of ``column``), then ``values``
        from ``column`` on."""
        cells = "".join(map(self._cell, self._columns(column, len(values)), values))
        row = f'<row r="{_HOLE}">{lead}{cells}</row>'
        self._parts.append(row.replace(_HOLE, str(self._next)))
        self._next += 1

    def _columns(self, first: int, count: int) -> list[str]:
        """The letters of at least ``count`` columns from ``first`` on."""
        letters = self._letters.get(first, [])
        if len(letters) < count:
            letters = self._letters[first] = [get_column_letter(first + n) for n in range(count)]
        return letters

    def _write(self, xml: str, out: IO[bytes]) -> None:
        """The sheet's XML to ``out``, the marker row replaced by the rows."""
        found = re.search(_ROW.format(mark=self._mark), xml, re.S)
        assert found is not None, "the marker row was not written"
        assert int(found.group(1)) == self._first, "the marker row is not where it was said"
        styles = tuple(_STYLE.findall(found.group(0))[:2])
        assert styles == self._styles, "the marker row's styles are not those the rows use"
        out.write(xml[: found.start()].encode("utf-8"))
        for start in range(0, len(self._parts), _CHUNK):
            out.write("".join(self._parts[start : start + _CHUNK]).encode("utf-8"))
        out.write(xml[found.end() :].encode("utf-8"))


def splice(workbook: bytes, *later: RowsLater) -> bytes:
    """The saved workbook with each marker row replaced by its rows."""
    pending = {rows._mark.encode(): rows for rows in later}
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    # tens of megabytes of repetitive text: the fastest level packs it well
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            data = source.read(item)
            mark = next((m for m in pending if m in data), None)
            if mark is None or not item.filename.startswith("xl/worksheets/"):
                target.writestr(item, data)
                continue
            with target.open(item.filename, "w") as sheet:
                pending.pop(mark)._write(data.decode("utf-8"), sheet)
    assert not pending, "a marker row was not found"
    return out.getvalue()


def _cell_texts(points_style: str, quoted_style: str) -> Callable[[str, object], str]:
    """A cell's text, for its column's letter and its value ("" for an empty cell), its row
    left as :data:`_HOLE`. Remembered: the same labels, codes and points recur on every unit."""

    @lru_cache(maxsize=16_384, typed=True)  # a score is not the same cell as a number
    def cell(letter: str, value: object) -> str:
        if value is None or value == "":
            return ""
        head = f'<c r="{letter}{_HOLE}"'
        if isinstance(value, str):
            text = ILLEGAL_CHARACTERS_RE.sub("", value)
            style = f' s="{quoted_style}"' if starts_like_formula(text) else ""
            space = ' xml:space="preserve"' if text != text.strip() else ""
            return f'{head}{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'
        if isinstance(value, Points):
            return f'{head} s="{points_style}" t="n"><v>{float(value)!r}</v></c>'
        return f'{head} t="n"><v>{value!r}</v></c>'

    return cell
