# ruff: noqa: E501 (the messages the officer reads are compared whole)
"""A unit's score form: written (protected, validated, printable, prefilled, never a formula),
filled by openpyxl and by LibreOffice and read back, the columns found where the officer moved
them, every row checked against the table, and a hostile form refused politely."""

from __future__ import annotations

import asyncio
import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER, Settings
from bot.domain.score_form_reading import (
    FormRefused,
    ReadForm,
    corrected,
    parse_correction,
    read_score_form,
)
from bot.domain.score_sheet import Evidence, SheetEntries
from bot.domain.scoring import points_for
from bot.domain.scoring_import import read_scoring_table, to_scoring_table
from bot.domain.scoring_table import ScoringTable
from bot.i18n import translator
from bot.outputs.score_form import HEADER_ROW, score_form
from bot.outputs.score_form_copies import _copied, filled_form
from bot.services.file_checks import read_score_form_file
from tests.crafted_files import xlsx_bomb
from tests.score_forms import columns as _columns
from tests.score_forms import fill_form, good_points, resave_by_libreoffice, rows_workbook
from tests.score_forms import rows as _rows
from tests.scoring_corpus import sixty_criteria

VI, EN = translator("vi"), translator("en")
BASE = load_cluster_year(BUNDLED_CLUSTER).scoring
assert BASE is not None
TABLE = to_scoring_table(read_scoring_table(sixty_criteria().data()), BASE)
DRAFT = (
    SheetEntries()
    .scored("I.1", 1, 15.0)
    .noted("I.1", '=HYPERLINK("x")')
    .with_evidence("I.1", Evidence("ab", "qd.pdf"))
    .noted("I.2", "chưa có số liệu")
    .with_bonus("VII.1", True)
)


def _form(draft: SheetEntries | None = DRAFT, language: str = "vi") -> bytes:
    _ = VI if language == "vi" else EN
    return score_form(TABLE, "Cụm thi đua các xã vùng cao", "Xã Pa Tần", 2026, draft, _, language)


def _filled(data: bytes, change: dict[str, object] | None = None) -> tuple[bytes, float]:
    """The form with every criterion scored and the bonus VII.1 answered."""
    return fill_form(data, TABLE, change, {"VII.1": 20, "VII.3": 0})


def test_the_form_is_laid_out_protected_validated_and_printable() -> None:
    book = load_workbook(io.BytesIO(_form()))
    sheet = book.active
    assert [sheet.cell(r, 1).value for r in range(2, 5)] == [
        "Cụm thi đua: Cụm thi đua các xã vùng cao",
        "Đơn vị: Xã Pa Tần",
        "Năm: 2026",
    ]
    columns = _columns(sheet)
    assert list(columns) == [
        "TT",
        "Tiêu chí",
        "Điểm tối đa",
        "Cách chấm",
        "Điểm tự chấm",
        "Ghi chú",
        "Minh chứng",
    ]
    rows = _rows(sheet)
    assert len([c for c in rows if c in TABLE.criterion_codes]) == len(TABLE.criteria())
    i1, score = rows["I.1"], columns["Điểm tự chấm"]
    assert sheet.cell(i1, columns["Cách chấm"]).value == "Đạt: 15 điểm; không đạt: 0 điểm."
    assert (
        sheet.cell(rows["I.2"], columns["Cách chấm"]).value
        == "Mỗi lần được 1,5 điểm, tối đa 15 điểm."
    )
    assert sheet.protection.sheet
    for column in ("Điểm tự chấm", "Ghi chú", "Minh chứng"):
        assert not sheet.cell(i1, columns[column]).protection.locked
    for column in ("TT", "Tiêu chí", "Điểm tối đa"):
        assert sheet.cell(i1, columns[column]).protection.locked
    assert sheet.cell(rows["I"], score).protection.locked  # a group row has no score
    ranges = {
        str(v.sqref): (v.type, v.formula1, v.formula2)
        for v in sheet.data_validations.dataValidation
    }
    cell = f"E{rows['I.2']}"
    found = next(rule for where, rule in ranges.items() if cell in where.split())
    assert found == ("decimal", "0", "15")
    either = next(rule for where, rule in ranges.items() if f"E{i1}" in where.split())
    assert either[:2] == ("list", '"0,15"')
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.cell(i1, columns["Tiêu chí"]).alignment.wrap_text
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.cell(rows["I.5.1"], 2).alignment.indent == 2  # under I and I.5


def test_the_form_is_prefilled_and_writes_no_text_as_a_formula() -> None:
    book = load_workbook(io.BytesIO(_form()))
    sheet = book.active
    columns, rows = _columns(sheet), _rows(sheet)
    note = sheet.cell(rows["I.1"], columns["Ghi chú"])
    assert (note.value, note.data_type) == ('=HYPERLINK("x")', "s")
    assert sheet.cell(rows["I.1"], columns["Điểm tự chấm"]).value == 15
    assert sheet.cell(rows["I.1"], columns["Minh chứng"]).value == "qd.pdf"
    assert sheet.cell(rows["I.2"], columns["Điểm tự chấm"]).value is None  # no value yet
    assert sheet.cell(rows["VII.1"], columns["Điểm tự chấm"]).value == 20
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_the_english_form_reads_back_the_same() -> None:
    data = _form(None, "en")
    sheet = load_workbook(io.BytesIO(data)).active
    assert "Self-score points" in _columns(sheet) and sheet.cell(2, 1).value.startswith("Cluster:")
    assert read_score_form(data, TABLE).blank == TABLE.criterion_codes


def test_a_form_filled_by_openpyxl_reads_back_whole() -> None:
    data, total = _filled(_form(), {"I.2": "7,5"})
    form = read_score_form(data, TABLE)
    assert form.problems == () and form.blank == ()
    assert form.total == pytest.approx(total - 4.5 + 7.5)
    assert form.bonuses == {"VII.1": True, "VII.3": False}
    assert form.scores["I.2"].points == 7.5 and form.scores["I.2"].value == 5
    assert sum(form.subtotals.values()) + 20 == pytest.approx(form.total)
    assert form.subtotals["I"] == pytest.approx(
        sum(form.scores[c].points for c in TABLE.group_criterion_codes("I"))
    )
    for criterion in TABLE.criteria():  # the value as the chat walk stores it earns the points
        score = form.scores[criterion.code]
        assert points_for(criterion, score.value) == pytest.approx(score.points)
    entries = form.entries(DRAFT)
    assert entries.entry("I.1").evidence == (Evidence("ab", "qd.pdf"),)
    assert entries.entry("I.1").evidence_text == ""  # the file names, as written
    assert entries.entry("I.1").note == '=HYPERLINK("x")'
    assert dict(entries.bonuses) == {"VII.1": True, "VII.3": False}
    assert ReadForm.from_data(form.as_data()) == form


def test_a_row_left_empty_takes_back_the_drafts_score_and_keeps_the_rest() -> None:
    data, _total = _filled(_form(), {"I.1": None})  # scored in the draft, emptied on the form
    form = read_score_form(data, TABLE)
    assert form.blank == ("I.1",)
    entries = form.entries(DRAFT)
    first = entries.entry("I.1")
    assert (first.value, first.points) == (None, 0.0)
    assert first.note == '=HYPERLINK("x")' and first.evidence == (Evidence("ab", "qd.pdf"),)
    second = entries.entry("I.2")  # noted in the draft, scored on the form (the note on it)
    assert second.points == form.scores["I.2"].points and second.note == "chưa có số liệu"
    assert set(entries.criteria) == set(TABLE.criterion_codes)
    assert DRAFT.entry("I.1").points == 15.0  # the draft itself is left as it was


def test_columns_moved_and_a_row_inserted_are_still_found() -> None:
    data, total = _filled(_form())
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    sheet.insert_cols(3)
    sheet.insert_rows(HEADER_ROW + 2)
    sheet.cell(HEADER_ROW + 2, 2).value = "dòng anh/chị thêm vào"
    columns = _columns(sheet)
    note, evidence = columns["Ghi chú"], columns["Minh chứng"]
    for row in range(HEADER_ROW, sheet.max_row + 1):  # note and evidence swapped
        a, b = sheet.cell(row, note), sheet.cell(row, evidence)
        a.value, b.value = b.value, a.value
    sheet.cell(_rows(sheet)["I.3"], note).value = "Báo cáo số 12/BC-UBND"
    buffer = io.BytesIO()
    book.save(buffer)
    form = read_score_form(buffer.getvalue(), TABLE)
    assert form.problems == () and form.total == pytest.approx(total)
    assert form.scores["I.3"].evidence == "Báo cáo số 12/BC-UBND"
    assert form.entries(None).entry("I.3").evidence_text == "Báo cáo số 12/BC-UBND"


def test_every_row_is_checked_against_the_table() -> None:
    data, _total = _filled(
        _form(),
        {
            "I.1": 7,  # met or not met
            "I.2": 1.2,  # not a multiple of 1,5
            "I.3": 16,  # above the maximum
            "I.4": -1,
            "I.6": "bảy",
            "I.7": "=2+3",  # a formula openpyxl cannot save a value for
            "VII.1": 5,
            "VII.2": 35,
        },
    )
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    rows = _rows(sheet)
    sheet.append(["9.9", "Tiêu chí lạ", None, None, 4])
    sheet.append(["I.8", "I.8 lần nữa", None, None, 4])
    buffer = io.BytesIO()
    book.save(buffer)
    form = read_score_form(buffer.getvalue(), TABLE)
    problems = [p.text(VI) for p in form.problems]
    assert problems == [
        f"Dòng {rows['I.1']}, tiêu chí I.1: tiêu chí đạt/không đạt nên chỉ nhập 0 hoặc 15.",
        f"Dòng {rows['I.2']}, tiêu chí I.2: mỗi lần được 1,5 điểm nên điểm phải là bội số của 1,5.",
        f"Dòng {rows['I.3']}, tiêu chí I.3: điểm vượt điểm tối đa 15.",
        f"Dòng {rows['I.4']}, tiêu chí I.4: điểm không được âm.",
        f"Dòng {rows['I.6']}, tiêu chí I.6: điểm không phải là số (ví dụ 7,5).",
        f"Dòng {rows['I.7']}, tiêu chí I.7: ô có công thức nhưng chưa lưu giá trị; xin nhập trực tiếp số điểm.",
        f"Dòng {rows['VII.2']}, tiêu chí VII.2: điểm phải từ 0 đến 30.",
        f"Dòng {rows['VII.1']}, VII.1: nhập 20 nếu đơn vị được điểm này, nếu không nhập 0.",
        f"Dòng {sheet.max_row - 1}: 9.9 không phải tiêu chí của bảng điểm.",
        f"Dòng {sheet.max_row}: I.8 đã được chấm ở dòng {rows['I.8']}.",
    ]
    assert {"I.1", "I.7", "VII.2"} <= set(form.blank) and "VII.1" not in form.bonuses
    entries = form.entries(DRAFT)  # a refused row keeps what the draft had
    assert entries.entry("I.1").points == 15 and entries.bonuses["VII.1"] is True


def test_a_form_filled_and_saved_again_by_libreoffice_reads_back() -> None:
    data, total = _filled(_form(), {"I.2": "=2*2.25", "I.6": "7,5"})  # 4,5 and 7,5
    again = asyncio.run(resave_by_libreoffice(data))
    assert again != data
    sheet = load_workbook(io.BytesIO(again)).active
    assert sheet.protection.sheet and _columns(sheet)["Điểm tự chấm"] == 5
    form = read_score_form(again, TABLE)
    assert form.problems == () and form.blank == ()
    assert form.scores["I.2"].points == 4.5  # the formula's value LibreOffice saved
    assert form.scores["I.6"].points == 7.5
    assert form.total == pytest.approx(total - good_points(TABLE.criterion("I.6")) + 7.5)  # type: ignore[arg-type]
    assert form.scores["I.1"].note == '=HYPERLINK("x")'


def test_a_hostile_form_is_refused_politely() -> None:
    refusals = []
    for data in (rows_workbook(100_000), xlsx_bomb(), b"%PDF-1.7 not a form", bytes(6 << 20)):
        with pytest.raises(FormRefused) as raised:
            read_score_form(data, TABLE)
        refusals.append(raised.value.text(VI))
    assert refusals == [
        "Phiếu có hơn 2000 dòng; xin anh/chị gửi lại đúng phiếu bot đã gửi.",
        "Tệp không đọc được an toàn (quá nhiều thành phần hoặc quá lớn khi giải nén).",
        "Tệp này không phải bảng tính Excel (XLSX). Xin anh/chị gửi lại phiếu tự chấm điểm dạng .xlsx.",
        "Tệp lớn hơn 5 MB, trong khi phiếu tự chấm điểm nhỏ hơn nhiều. Xin anh/chị gửi lại đúng phiếu.",
    ]
    with pytest.raises(FormRefused) as raised:
        read_score_form(rows_workbook(3, code="Mục"), TABLE)
    assert "“TT”" in raised.value.text(VI)


def test_a_form_of_formulas_only_names_each_row() -> None:
    book = load_workbook(io.BytesIO(_form(None)))
    sheet = book.active
    score = _columns(sheet)["Điểm tự chấm"]
    for code, row in _rows(sheet).items():
        if code in TABLE.criterion_codes:
            sheet.cell(row, score).value = f"=MAX(0,{row})"
    buffer = io.BytesIO()
    book.save(buffer)
    form = read_score_form(buffer.getvalue(), TABLE)
    assert form.scores == {} and len(form.problems) == len(TABLE.criteria())
    assert all("công thức" in p.text(VI) for p in form.problems)


async def test_the_worker_reads_a_form_and_refuses_a_bomb(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    data, _total = _filled(_form())
    assert await read_score_form_file(settings, data, TABLE) == read_score_form(data, TABLE)
    for hostile in (xlsx_bomb(), rows_workbook(100_000)):
        with pytest.raises(FormRefused):
            await read_score_form_file(settings, hostile, TABLE)


def test_a_copy_of_the_blank_form_holds_what_the_built_form_holds() -> None:
    names = ("Cụm <vùng cao> & biên giới", "Xã Pa Tần")  # text the sheet's XML must escape
    plain = DRAFT.noted("I.1", "  đã có số liệu  ")
    for draft in (SheetEntries(), plain, plain.unscored("I.1").with_bonus("VII.1", False)):
        copied = _copied(TABLE, *names, 2026, draft, "vi")
        assert copied is not None  # copied, not built
        built = score_form(TABLE, *names, 2026, draft, VI, "vi")
        assert _cells(copied) == _cells(built)  # every cell: names, year, points, notes
        assert read_score_form(copied, TABLE) == read_score_form(built, TABLE)


def test_copies_made_at_once_are_all_whole() -> None:
    with ThreadPoolExecutor(4) as pool:
        made = list(
            pool.map(lambda n: filled_form(TABLE, "Cụm", f"Xã {n}", 2026, None, "vi"), range(60))
        )
    for n, data in enumerate(made):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            assert book.testzip() is None, n
        assert _cells(data)[2][0] == f"Đơn vị: Xã {n}"


def test_what_only_the_built_form_holds_is_built() -> None:
    formula_like = DRAFT  # its note '=HYPERLINK(…)' is shown with an apostrophe, kept as text
    assert _copied(TABLE, "Cụm", "Xã", 2026, formula_like, "vi") is None
    made = load_workbook(io.BytesIO(filled_form(TABLE, "Cụm", "Xã", 2026, formula_like, "vi")))
    assert made.active is not None and made.active.cell(8, 6).quotePrefix
    odd = TABLE.model_copy(update={"title": "Năm 9876543210"})  # a stand-in in its own text
    assert _copied(odd, "Cụm", "Xã", 2026, SheetEntries(), "vi") is None
    assert _cells(filled_form(odd, "Cụm", "Xã", 2026, None, "vi")) == _cells(
        score_form(odd, "Cụm", "Xã", 2026, None, VI, "vi")
    )


def _cells(data: bytes) -> list[tuple[object, ...]]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_the_model_table_round_trips_through_json_for_the_worker() -> None:
    assert ScoringTable.model_validate_json(TABLE.model_dump_json()) == TABLE


def test_a_correction_typed_in_chat_is_checked_as_a_form_row() -> None:
    assert parse_correction("2.3 7,5") == ("2.3", 7.5)
    assert parse_correction("I.2: 4") == ("I.2", 4.0) and parse_correction("vii.1 20")
    assert parse_correction("ghi chú 3") is None and parse_correction("7,5") is None
    code, entries = corrected(TABLE, DRAFT, "i.2", 7.5)  # type: ignore[misc]
    assert code == "I.2" and entries.entry("I.2").points == 7.5
    assert entries.entry("I.2").value == 5 and entries.entry("I.2").note == "chưa có số liệu"
    code, entries = corrected(TABLE, DRAFT, "VII.1", 0)  # type: ignore[misc]
    assert entries.bonuses["VII.1"] is False
    refused = [corrected(TABLE, DRAFT, c, p) for c, p in (("I.3", 16), ("9.9", 1), ("I.1", 7))]
    assert [r.text(VI) for r in refused] == [  # type: ignore[union-attr]
        "Tiêu chí I.3: điểm vượt điểm tối đa 15.",
        "9.9 không phải tiêu chí của bảng điểm.",
        "Tiêu chí I.1: tiêu chí đạt/không đạt nên chỉ nhập 0 hoặc 15.",
    ]
