"""The cell values of a plain XLSX workbook read straight from its XML, exactly as openpyxl's
read-only reader gives them (``iter_rows(max_row=…, max_col=…, values_only=True)`` on each
worksheet), in a fraction of its time: a score form filled by hand holds text and numbers only.

A workbook holding anything this reader leaves to openpyxl — a formula, a cell styled as a date
or a duration, a date cell, a workbook part not where Excel and LibreOffice put it, anything it
cannot read — gives None, and the caller reads it with openpyxl. The caller bounds the file
first (its size and ZIP entries); rows past ``max_rows`` are not read (in a part over
``_WHOLE_PART``, not even parsed).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element, iterparse, parse

__all__ = ["plain_grids"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_TYPES = tuple(
    f"application/vnd.{kind}.main+xml"
    for kind in (
        "ms-excel.template.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.template",
        "ms-excel.sheet.macroEnabled",
        "openxmlformats-officedocument.spreadsheetml.sheet",
    )
)
"""In the order openpyxl looks for them."""
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STYLES = "xl/styles.xml"
_WHOLE_PART = 2 << 20
"""A part at most this large (uncompressed) is parsed at once, in C; a larger one element by
element, so that rows past ``max_rows`` are never read."""
_ROW, _CELL = f"{_MAIN}row", f"{_MAIN}c"


class _NotPlain(Exception):
    """Something for openpyxl to read."""


Grid = list[tuple[Any, ...]]


def plain_grids(data: bytes, max_rows: int, max_columns: int) -> list[Grid] | None:
    """Each worksheet's rows (at most ``max_rows``, each ``max_columns`` wide), or None when
    openpyxl must read this workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            sheets, shared = _parts(book)
            strings = _strings(book, shared) if shared else []
            dates = _date_styles(book) if _STYLES in book.namelist() else set()
            return [
                list(_rows(book, sheet, strings, dates, max_rows, max_columns)) for sheet in sheets
            ]
    except (MemoryError, RecursionError):
        raise  # a bound of the worker: the file is refused as unsafe, not read again
    except Exception:  # anything else, however this reader failed: openpyxl decides
        return None


def _parts(book: zipfile.ZipFile) -> tuple[list[str], str | None]:
    """The worksheets in the workbook's order and the shared strings' part, found as openpyxl
    finds them (the content types, then the workbook's relationships)."""
    names = set(book.namelist())
    overrides: dict[str, list[str]] = {}
    defaults = set()
    for entry in _elements(book, "[Content_Types].xml", None):
        if entry.tag.endswith("}Override"):
            overrides.setdefault(entry.get("ContentType", ""), []).append(entry.get("PartName", ""))
        elif entry.tag.endswith("}Default"):
            defaults.add(entry.get("ContentType", ""))
    found = [overrides[kind][0] for kind in _WORKBOOK_TYPES if kind in overrides]
    if found[:1] != ["/" + _WORKBOOK] and (found or not defaults & {*_WORKBOOK_TYPES}):
        raise _NotPlain("the workbook is not xl/workbook.xml")
    targets: dict[str, tuple[str, str]] = {}
    for relation in _elements(book, "xl/_rels/workbook.xml.rels", _PACKAGE):
        target = relation.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        targets[relation.get("Id", "")] = (relation.get("Type", ""), posixpath.normpath(path))
    sheets = []
    for sheet in _elements(book, _WORKBOOK, f"{_MAIN}sheet"):
        kind, path = targets.get(sheet.get(_RELATION, ""), ("", ""))
        if path in names and "chartsheet" not in kind:
            sheets.append(path)
    strings = overrides.get(_SHARED_STRINGS, [None])[0]
    return sheets, strings[1:] if strings else None


def _elements(book: zipfile.ZipFile, name: str, tag: str | None) -> Iterator[Element]:
    """The elements of one part with this tag (any tag: None), each once it is whole, in the
    order of their start tags or (a large part) of their end tags."""
    with book.open(name) as source:
        if book.getinfo(name).file_size <= _WHOLE_PART:  # a member never inflates past it
            yield from parse(source).getroot().iter(tag)
            return
        for _event, element in iterparse(source):
            if tag is None or element.tag == tag:
                yield element


def _text(element: Element) -> str:
    """What openpyxl's ``Text.content`` gives: the plain text and the rich runs' text (not
    the phonetic runs)."""
    snippets = [element.findtext(f"{_MAIN}t") or ""]
    snippets += [run.findtext(f"{_MAIN}t") or "" for run in element.iterfind(f"{_MAIN}r")]
    return "".join(snippets)


def _strings(book: zipfile.ZipFile, path: str) -> list[str]:
    return [_text(s).replace("x005F_", "") for s in _elements(book, path, f"{_MAIN}si")]


def _date_styles(book: zipfile.ZipFile) -> set[int]:
    """The cell styles whose number format is a date or a duration (openpyxl makes those
    cells dates)."""
    from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format

    custom: dict[int, str] = {}
    found = set()
    for element in _elements(book, _STYLES, None):
        if element.tag == f"{_MAIN}numFmt":
            custom[int(element.get("numFmtId", "-1"))] = element.get("formatCode", "")
        elif element.tag == f"{_MAIN}cellXfs":
            for index, style in enumerate(element.iterfind(f"{_MAIN}xf")):
                number = int(style.get("numFmtId", "0"))
                code = custom[number] if number in custom else builtin_format_code(number)
                if is_date_format(code) or is_timedelta_format(code):
                    found.add(index)
    return found


def _rows(
    book: zipfile.ZipFile,
    path: str,
    strings: list[str],
    dates: set[int],
    max_rows: int,
    max_columns: int,
) -> Iterator[tuple[Any, ...]]:
    """openpyxl's ``_cells_by_row`` from row 1 and column 1: missing rows come as empty ones;
    a row numbered before one already given is dropped."""
    empty = (None,) * max_columns
    counter = index = 1
    number = 0
    for element in _elements(book, path, _ROW):
        number = int(element.get("r") or number + 1)
        index = number
        if index > max_rows:
            break
        cells = _cells(element, strings, dates, max_columns)
        element.clear()
        for _ in range(counter, index):
            counter += 1
            yield empty
        if counter <= index:
            counter += 1
            yield cells
    if max_rows < index:
        for _ in range(counter, max_rows + 1):
            yield empty


def _cells(row: Element, strings: list[str], dates: set[int], max_columns: int) -> tuple[Any, ...]:
    values: list[Any] = [None] * max_columns
    column = 0
    for cell in row:
        if cell.tag != _CELL:
            raise _NotPlain(f"{cell.tag} in a row")
        where = cell.get("r")
        column = _column(where) if where else column + 1
        value = _value(cell, strings, dates)
        if 1 <= column <= max_columns:
            values[column - 1] = value
    return tuple(values)


def _column(coordinate: str) -> int:
    return _letters_column(coordinate.rstrip("0123456789"))


@lru_cache(maxsize=256)
def _letters_column(letters: str) -> int:
    if not letters.isalpha() or not letters.isascii() or len(letters) > 3:
        raise _NotPlain(f"column {letters!r}")
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return column


def _value(cell: Element, strings: list[str], dates: set[int]) -> Any:
    """A cell's value as openpyxl gives it (its ``parse_cell``), but for what it leaves to
    openpyxl."""
    if cell.find(f"{_MAIN}f") is not None:
        raise _NotPlain("a formula")
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(f"{_MAIN}is")
        return None if inline is None else _text(inline)
    value = cell.findtext(f"{_MAIN}v") or None
    if value is None:
        return None
    if kind == "n":
        if int(cell.get("s") or 0) in dates:
            raise _NotPlain("a date")
        return float(value) if "." in value or "E" in value or "e" in value else int(value)
    if kind == "s":
        return strings[int(value)]
    if kind == "b":
        return bool(int(value))
    if kind in ("str", "e"):
        return value
    raise _NotPlain(f"a cell of type {kind!r}")
