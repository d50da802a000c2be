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
from bot.domain.spreadsheet_text import starts_like_formula
from bot.i18n import translator
from bot.outputs.score_form import build_blank, open_values, score_form

__all__ = ["filled_form"]

_SHEET = "xl/worksheets/sheet1.xml"
_CLUSTER, _UNIT, _YEAR = "CUMTHIDUA-9F2C-CLUSTER", "CUMTHIDUA-9F2C-UNIT", "9876543210"
"""What the blank form holds where a copy puts the cluster's and the unit's names and the year:
each must occur exactly once in its sheet, or copies are not made of it."""
_STAND_INS = re.compile("|".join(re.escape(s) for s in (_CLUSTER, _UNIT, _YEAR)))
_EMPTY = re.compile(r'<c r="([A-Z]+[0-9]+)" ([^>]*?)t="n"\s*(?:/>|></c>)')
"""An empty cell as openpyxl writes it, with lxml or without (its style kept)."""
_NOT_XML = re.compile("[\ufffe\uffff]")
"""Characters XML cannot hold that openpyxl's own check lets through."""
_COLUMNS = {name: get_column_letter(i) for i, name in enumerate(FORM_COLUMNS, start=1)}
_TEMPLATES = 32
"""Blank forms kept (a table in a language each)."""


@dataclass(frozen=True, slots=True)
class _Blank:
    parts: tuple[tuple[str, tuple[int, int, int, int, int, int], bytes], ...]
    """The workbook's members (name, date, bytes), the sheet among them: a ``ZipInfo`` is
    written on as it is zipped, so each copy makes its own."""
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
    copied = _copied(table, cluster_name, unit_name, year, draft or SheetEntries(), language)
    if copied is not None:
        return copied
    return score_form(table, cluster_name, unit_name, year, draft, translator(language), language)


def _copied(
    table: ScoringTable,
    cluster_name: str,
    unit_name: str,
    year: int,
    draft: SheetEntries,
    language: str,
) -> bytes | None:
    """The copy, or None when only the built form holds the same (see :func:`_copy`)."""
    blank = _blank(table.model_dump_json(), language)
    if blank is None:
        return None
    cells = {
        f"{_COLUMNS[name]}{blank.rows[code]}": value
        for code, name, value in open_values(table, draft)
    }
    sheet = _copy(blank.sheet, cluster_name, unit_name, year, cells)
    if sheet is None:
        return None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, date, data in blank.parts:
            member = zipfile.ZipInfo(name, date)
            member.compress_type = zipfile.ZIP_DEFLATED
            book.writestr(member, sheet.encode() if name == _SHEET else data)
    return out.getvalue()


def _copy(
    sheet: str, cluster_name: str, unit_name: str, year: int, cells: dict[str, object]
) -> str | None:
    """The blank sheet with the names, the year and the draft's values in; None when this copy
    cannot hold what the built form would (text a spreadsheet could take for a formula, which
    the built form marks with an apostrophe; a cell not found where it should be)."""
    if any(isinstance(v, str) and starts_like_formula(v) for v in cells.values()):
        return None
    stand_ins = {_CLUSTER: _text(cluster_name), _UNIT: _text(unit_name), _YEAR: str(year)}
    sheet = _STAND_INS.sub(lambda m: stand_ins[m.group(0)], sheet)
    placed = 0

    def fill(empty: re.Match[str]) -> str:
        nonlocal placed
        where, style = empty.group(1), empty.group(2)
        if where not in cells:
            return empty.group(0)
        placed += 1
        return _cell(where, style, cells[where])

    sheet = _EMPTY.sub(fill, sheet)
    return sheet if placed == len(cells) else None


@lru_cache(maxsize=_TEMPLATES)
def _blank(table_json: str, language: str) -> _Blank | None:
    table = ScoringTable.model_validate_json(table_json)
    book, rows = build_blank(table, _CLUSTER, _UNIT, _YEAR, translator(language), language)
    written = io.BytesIO()
    book.save(written)
    with zipfile.ZipFile(written) as made:
        parts = tuple((i.filename, i.date_time, made.read(i)) for i in made.infolist())
    sheet = next(data for name, _date, data in parts if name == _SHEET).decode()
    if any(sheet.count(stand_in) != 1 for stand_in in (_CLUSTER, _UNIT, _YEAR)):
        return None
    return _Blank(parts, sheet, rows)


def _text(value: str) -> str:
    """Text as the sheet's XML holds it (characters no workbook may hold left out)."""
    return escape(_NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", value)))


def _cell(where: str, style: str, value: object) -> str:
    if isinstance(value, str):
        text = f'<is><t xml:space="preserve">{_text(value)}</t></is>'
        return f'<c r="{where}" {style}t="inlineStr">{text}</c>'
    return f'<c r="{where}" {style}t="n"><v>{float(value)!r}</v></c>'  # type: ignore[arg-type]
