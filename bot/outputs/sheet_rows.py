"""Many rows of a streamed sheet, written as XML text: openpyxl builds a cell object for every
value (about 4 µs each), which for the Details sheet of a large bloc — 3,500 units × 40
criteria, a million cells — is seconds. The sheet is laid out by openpyxl as usual with one
marker row, whose cells also carry the styles used (two decimals, text shown as typed); after
saving, the marker row is replaced by the rows as text, in those styles."""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.domain.spreadsheet_text import starts_like_formula

__all__ = ["Points", "RowsLater"]

_ROW = r'<row r="(\d+)"[^>]*>(?:(?!</row>).)*?{mark}.*?</row>'
_STYLE = re.compile(r'<c r="[A-Z]+\d+" s="(\d+)"')


class Points(float):
    """A score, shown with two decimals."""


class RowsLater:
    """Rows appended to a write-only sheet's end, written when the workbook is saved
    (:meth:`splice`); values are text, numbers, :class:`Points` or None (an empty cell). Each
    row is turned into text as it comes, so a million values never live as objects at once."""

    def __init__(self, sheet: WriteOnlyWorksheet, first_row: int) -> None:
        """``first_row``: the number of the row about to be appended (the marker row's)."""
        points = WriteOnlyCell(sheet, value=0)
        points.number_format = "0.00"
        quoted = WriteOnlyCell(sheet, value="=")
        quoted.data_type, quoted.quotePrefix = "s", True
        self._mark = f"cumthidua-rows-{secrets.token_hex(8)}"  # text no one has typed
        sheet.append([self._mark, points, quoted])
        self._parts: list[str] = []
        self._first = self._next = first_row
        self._letters: list[str] = []

    def append(self, values: Sequence[object]) -> None:
        while len(self._letters) < len(values):
            self._letters.append(get_column_letter(len(self._letters) + 1))
        self._parts.append(_row_xml(self._next, values, self._letters))
        self._next += 1

    def splice(self, workbook: bytes) -> bytes:
        """The saved workbook with the marker row replaced by the rows."""
        source = zipfile.ZipFile(io.BytesIO(workbook))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item)
                if item.filename.startswith("xl/worksheets/") and self._mark.encode() in data:
                    data = self._replace(data.decode("utf-8")).encode("utf-8")
                    # tens of megabytes of repetitive text: the fastest level packs it well
                    target.writestr(item, data, zipfile.ZIP_DEFLATED, compresslevel=1)
                else:
                    target.writestr(item, data)
        return out.getvalue()

    def _replace(self, xml: str) -> str:
        found = re.search(_ROW.format(mark=self._mark), xml, re.S)
        assert found is not None, "the marker row was not written"
        assert int(found.group(1)) == self._first, "the marker row is not where it was said"
        points_style, quoted_style = _STYLE.findall(found.group(0))[:2]
        rows = "".join(self._parts).replace(_POINTS, points_style).replace(_QUOTED, quoted_style)
        return xml[: found.start()] + rows + xml[found.end() :]


_POINTS, _QUOTED = "\x01p", "\x01q"
"""Placeholders for the style ids in the rows' text (a character no written text contains:
it is an illegal one, removed) until saving tells them."""


def _row_xml(row: int, values: Sequence[object], letters: list[str]) -> str:
    parts = [f'<row r="{row}">']
    for letter, value in zip(letters, values, strict=False):
        if value is None or value == "":
            continue
        parts.append(f'<c r="{letter}{row}"{_cell_tail(value)}')
    parts.append("</row>")
    return "".join(parts)


@lru_cache(maxsize=16_384, typed=True)  # a score is not the same cell as a number
def _cell_tail(value: object) -> str:
    """A cell after its reference (the same labels, codes and points recur on every unit)."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        style = f' s="{_QUOTED}"' if starts_like_formula(text) else ""
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'
    if isinstance(value, Points):
        return f' s="{_POINTS}" t="n"><v>{float(value)!r}</v></c>'
    return f' t="n"><v>{value!r}</v></c>'
