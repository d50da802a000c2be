"""The plain XLSX reader gives what openpyxl's read-only reader gives, cell for cell, or leaves
the workbook to openpyxl (None): workbooks made by openpyxl, by LibreOffice and by hand (the
shapes Excel writes: shared and rich strings, cells and rows without numbers, gaps)."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import date
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from bot.domain import xlsx_values
from bot.domain.xlsx_values import plain_grids
from tests.score_forms import fill_form, resave_by_libreoffice
from tests.unit.test_score_form import TABLE, _form

ROWS, COLUMNS = 30, 8


@pytest.fixture(params=["whole", "streamed"])
def parsing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each part parsed at once (a small part), or element by element (a large one)."""
    if request.param == "streamed":
        monkeypatch.setattr(xlsx_values, "_WHOLE_PART", 0)
    return str(request.param)


def _openpyxl(data: bytes, rows: int = ROWS) -> list[list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [
            list(sheet.iter_rows(max_row=rows, max_col=COLUMNS, values_only=True))
            for sheet in book.worksheets
        ]
    finally:
        book.close()


def _same(data: bytes, rows: int = ROWS) -> list[list[tuple[Any, ...]]]:
    """The plain reader's grids, asserted equal to openpyxl's (types included)."""
    plain = plain_grids(data, rows, COLUMNS)
    assert plain is not None
    expected = _openpyxl(data, rows)
    assert plain == expected
    assert [[[type(v) for v in r] for r in g] for g in plain] == [
        [[type(v) for v in r] for r in g] for g in expected
    ]
    return plain


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLES = (
    f"<styleSheet {_MAIN}>"
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="0.##"/>'
    '<numFmt numFmtId="165" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/>'
    '<xf numFmtId="14"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _by_hand(sheet_data: str, strings: str = "", compression: int = zipfile.ZIP_STORED) -> bytes:
    """A workbook of one sheet written as Excel writes one (shared strings, styles)."""
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook {_MAIN} xmlns:r="{_R}"><sheets>'
            '<sheet name="Phiếu" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{_R}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f"<worksheet {_MAIN}><sheetData>{sheet_data}</sheetData></worksheet>"
        ),
        "xl/sharedStrings.xml": f"<sst {_MAIN}>{strings}</sst>",
        "xl/styles.xml": _STYLES,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as book:
        for name, text in parts.items():
            book.writestr(name, text)
    return buffer.getvalue()


def test_the_bots_own_forms_blank_and_filled_read_the_same(parsing: str) -> None:
    blank = _form()
    filled, _total = fill_form(blank, TABLE)
    for data in (blank, filled):
        grids = _same(data, rows=2001)
        assert len(grids[0]) > 60


def test_a_form_saved_again_by_libreoffice_reads_the_same(parsing: str) -> None:
    filled, _total = fill_form(_form(None), TABLE)
    again = asyncio.run(resave_by_libreoffice(filled))
    assert b"sharedStrings" in again  # LibreOffice writes the texts as shared strings
    _same(again, rows=2001)


def test_openpyxl_shared_strings_numbers_booleans_and_far_columns() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["TT", "Tiêu chí", "Điểm tự chấm", None, "ghi chú"])
    sheet.append(["I.1", "Có", 7, 7.5, True, False, 1e20, -3])
    sheet.cell(4, 2, "after a gap")
    sheet.cell(5, 30, "beyond the columns read")
    second = book.create_sheet("Hidden")
    second.sheet_state = "hidden"
    second.cell(2, 2, 0.1)
    written = io.BytesIO()
    book.save(written)
    grids = _same(written.getvalue())
    assert len(grids) == 2 and grids[1][1][1] == 0.1


@pytest.mark.parametrize(
    "sheet_data",
    [
        # rich text, phonetic runs left out, an escaped underscore, inline strings
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="inlineStr"><is><r><t>Điểm </t></r><r><t>tự chấm</t></r></is></c></row>',
        # cells and rows without numbers, a gap, a row given twice, an empty value
        '<row><c t="s"><v>0</v></c><c><v>5</v></c></row><row r="4"><c r="C4"><v>1.5</v></c>'
        '<c r="D4"><v></v></c></row><row r="3"><c r="A3"><v>9</v></c></row>'
        '<row><c r="B5" t="b"><v>1</v></c><c r="C5" t="e"><v>#N/A</v></c>'
        '<c r="D5" t="str"><v>text</v></c><c r="E5"><v>2E3</v></c></row>',
        # a number styled "0.##" is a number; a row past those read pads the rest
        '<row r="2"><c r="B2" s="1"><v>7.25</v></c></row>'
        '<row r="500"><c r="A500"><v>1</v></c></row>',
    ],
)
def test_the_shapes_excel_writes_read_the_same(sheet_data: str, parsing: str) -> None:
    strings = (
        '<si><t xml:space="preserve">TT </t></si>'
        "<si><r><rPr><b/></rPr><t>Tiêu</t></r><r><t> chí_x005F_x</t></r>"
        '<rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>'
    )
    _same(_by_hand(sheet_data, strings))


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',  # a formula
        '<row r="1"><c r="A1" s="2"><v>45000</v></c></row>',  # a custom date format
        '<row r="1"><c r="A1" s="3"><v>45000</v></c></row>',  # a built-in date format
        '<row r="1"><c r="A1" t="d"><v>2026-12-03</v></c></row>',  # a date cell
        '<row r="1"><c r="A1" t="s"><v>7</v></c></row>',  # a string that is not there
        '<row r="1"><c r="1A"><v>1</v></c></row>',  # a cell reference that is not one
        '<row r="1"><c r="A1"><v>1</v></c>',  # not whole
    ],
)
def test_what_is_not_plain_is_left_to_openpyxl(sheet_data: str) -> None:
    assert plain_grids(_by_hand(sheet_data), ROWS, COLUMNS) is None


def test_a_date_left_to_openpyxl_is_read_as_a_date_there() -> None:
    """The reason dates go to openpyxl: it reads them by their style."""
    data = _by_hand('<row r="1"><c r="A1" s="2"><v>46359</v></c></row>')
    assert _openpyxl(data)[0][0][0].date() == date(2026, 12, 3)


def test_the_content_types_are_openpyxls() -> None:
    """Written out, so that the bot's start does not import openpyxl."""
    from openpyxl.xml.constants import SHARED_STRINGS, XLSM, XLSX, XLTM, XLTX

    from bot.domain import xlsx_values

    assert xlsx_values._WORKBOOK_TYPES == (XLTM, XLTX, XLSM, XLSX)
    assert xlsx_values._SHARED_STRINGS == SHARED_STRINGS


def test_a_damaged_part_is_left_to_openpyxl_and_refused_there() -> None:
    """However the plain reader fails inside the file, openpyxl has the last word (here: not a
    workbook it can read), and the officer is told so."""
    from bot.domain.score_form_reading import FormRefused, read_score_form

    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 400))
    data = bytearray(_by_hand(rows, compression=zipfile.ZIP_DEFLATED))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as book:
        member = book.getinfo("xl/worksheets/sheet1.xml")
    start = member.header_offset + 30 + len(member.filename.encode())
    data[start + 10 : start + member.compress_size - 10] = bytes(member.compress_size - 20)
    assert plain_grids(bytes(data), ROWS, COLUMNS) is None
    with pytest.raises(FormRefused):
        read_score_form(bytes(data), TABLE)
