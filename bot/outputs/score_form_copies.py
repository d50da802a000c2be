"""A unit's score form copied from its table's blank form instead of built cell by cell.

On a deadline day every unit asks for its form within hours, and building one with openpyxl
costs tens of milliseconds of the bot's CPU. The blank form of a table in a language is built
once (``bot.outputs.score_form``, with stand-ins for the cluster, the unit and the year) and
kept; a unit's copy puts its names, its year and its draft's values into that workbook's sheet
XML and zips it again: a few milliseconds. Text goes in as inline strings, which no spreadsheet
reads as a formula. The copy holds every value the built form holds
(``tests/unit/test_score_form.py`` compares them cell by cell).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from bot.domain.score_form_columns import FORM_COLUMNS
from bot.domain.score_sheet import SheetEntries
from bot.domain.scoring_table import ScoringTable
from bot.i18n import translator
from bot.outputs.score_form import build_blank, open_values, score_form

__all__ = ["filled_form"]

_SHEET = "xl/worksheets/sheet1.xml"
_CLUSTER, _UNIT, _YEAR = "CUMTHIDUA-9F2C-CLUSTER", "CUMTHIDUA-9F2C-UNIT", "9876543210"
"""What the blank form holds where a copy puts the cluster's and the unit's names and the year:
each must occur exactly once in its sheet, or copies are not made of it."""
_EMPTY = re.compile(r'<c r="([A-Z]+[0-9]+)" ([^>]*?)t="n"></c>')
"""An empty cell as openpyxl writes it (its style kept)."""
_COLUMNS = {name: get_column_letter(i) for i, name in enumerate(FORM_COLUMNS, start=1)}
_TEMPLATES = 32
"""Blank forms kept (a table in a language each)."""


@dataclass(frozen=True, slots=True)
class _Blank:
    parts: tuple[tuple[zipfile.ZipInfo, bytes], ...]
    """The workbook's members, the sheet among them."""
    sheet: str
    rows: dict[str, int]


def filled_form(
    table: ScoringTable,
    cluster_name: str,
    unit_name: str,
    year: int,
    draft: SheetEntries | None,
    language: str,
) -> bytes:
    """The form of one unit prefilled with its ``draft``: the same workbook
    ``score_form(...)`` builds, copied from the table's blank form."""
    blank = _blank(table.model_dump_json(), language)
    if blank is None:  # a stand-in occurs in the table's own text
        return score_form(
            table, cluster_name, unit_name, year, draft, translator(language), language
        )
    cells = {
        f"{_COLUMNS[name]}{blank.rows[code]}": value
        for code, name, value in open_values(table, draft or SheetEntries())
    }
    sheet = (
        blank.sheet.replace(_CLUSTER, _text(cluster_name))
        .replace(_UNIT, _text(unit_name))
        .replace(_YEAR, str(year))
    )
    sheet = _EMPTY.sub(lambda m: _cell(m, cells), sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for info, data in blank.parts:
            book.writestr(info, sheet.encode() if info.filename == _SHEET else data)
    return out.getvalue()


@lru_cache(maxsize=_TEMPLATES)
def _blank(table_json: str, language: str) -> _Blank | None:
    table = ScoringTable.model_validate_json(table_json)
    book, rows = build_blank(table, _CLUSTER, _UNIT, _YEAR, translator(language), language)
    written = io.BytesIO()
    book.save(written)
    with zipfile.ZipFile(written) as made:
        parts = tuple((info, made.read(info)) for info in made.infolist())
    sheet = dict((info.filename, data) for info, data in parts)[_SHEET].decode()
    if any(sheet.count(stand_in) != 1 for stand_in in (_CLUSTER, _UNIT, _YEAR)):
        return None
    return _Blank(parts, sheet, rows)


def _text(value: str) -> str:
    """Text as the sheet's XML holds it (characters no workbook may hold left out)."""
    return escape(ILLEGAL_CHARACTERS_RE.sub("", value))


def _cell(empty: re.Match[str], cells: dict[str, object]) -> str:
    where, style = empty.group(1), empty.group(2)
    if where not in cells:
        return empty.group(0)
    value = cells[where]
    if isinstance(value, str):
        text = f'<is><t xml:space="preserve">{_text(value)}</t></is>'
        return f'<c r="{where}" {style}t="inlineStr">{text}</c>'
    return f'<c r="{where}" {style}t="n"><v>{float(value)!r}</v></c>'  # type: ignore[arg-type]
