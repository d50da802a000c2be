"""The province workbook: written, filled in, read back with the decision's checks and its own,
every problem said in Vietnamese (or English) with its sheet, row and column; and the worker
process that reads a province's file off the event loop."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from openpyxl import Workbook, load_workbook

from bot.config import Settings
from bot.domain.file_types import UnsafeFile
from bot.domain.plan_documents import UnreadableDocument
from bot.domain.province_decision import Decision, Flag, FlagReason
from bot.domain.province_documents import read_decision
from bot.domain.province_workbook import (
    CLUSTERS_SHEET,
    GUIDE_SHEET,
    OFFICERS_SHEET,
    UNITS_SHEET,
    Officer,
    ProvinceWorkbook,
    read_province_file,
    read_province_workbook,
)
from bot.i18n import translator
from bot.outputs.province_template import province_template
from bot.services.file_check_worker import PROVINCE_MAX_BYTES
from bot.services.file_checks import read_province
from bot.texts.province import flag_text
from tests import province_corpus as corpus

OFFICERS = (
    Officer("Nguyễn Văn An", "Chánh Văn phòng", "Phường Cam Đường", "0912 345 678", None, None),
    Officer("Lò Thị Bình", "Chuyên viên", "Sở Văn hóa, Thể thao và Du lịch", None,
            "binh@laocai.gov.vn", "lo_thi_binh"),
)  # fmt: skip


def _filled() -> bytes:
    return province_template(read_decision(corpus.headed_docx()), {"Xã Bát Xát": "BX"}, OFFICERS)


def _edited(data: bytes, sheet: str, cells: dict[str, object]) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    for at, value in cells.items():
        workbook[sheet][at] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_template_has_its_sheets_styled_headers_and_a_guide() -> None:
    workbook = load_workbook(io.BytesIO(province_template()))
    assert workbook.sheetnames == [GUIDE_SHEET, CLUSTERS_SHEET, UNITS_SHEET, OFFICERS_SHEET]
    assert "mỗi dòng một cụm hoặc khối" in workbook[GUIDE_SHEET]["A2"].value
    officers = workbook[OFFICERS_SHEET]
    assert [c.value for c in officers[1]] == [
        "Họ và tên *",
        "Chức vụ",
        "Đơn vị *",
        "Điện thoại",
        "Email",
        "Tên Telegram (nếu có)",
    ]
    assert officers["A1"].font.bold and officers["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert officers.freeze_panes == "A2" and officers.column_dimensions["C"].width == 40
    assert officers["D2"].number_format == "@"  # a phone number keeps its leading zero
    kinds = workbook[CLUSTERS_SHEET].data_validations.dataValidation[0]
    assert kinds.formula1 == '"cụm,khối"'


def test_round_trip() -> None:
    decision = read_decision(corpus.headed_docx())
    found = read_province_workbook(_filled())
    assert found.decision == decision
    assert found.decision.as_json()["clusters"] == corpus.LAO_CAI
    assert found.codes == {"Xã Bát Xát": "BX"}
    assert found.officers == (
        OFFICERS[0],
        Officer("Lò Thị Bình", "Chuyên viên", "Sở Văn hóa, Thể thao và Du lịch", None,
                "binh@laocai.gov.vn", "lo_thi_binh"),
    )  # fmt: skip
    assert ProvinceWorkbook.from_json(found.as_json()) == found


def test_text_is_written_as_text_never_as_a_formula() -> None:
    decision = Decision(
        tuple(
            replace(c, name="=HYPERLINK(1)") if c.name == "Cụm 2" else c
            for c in read_decision(corpus.headed_docx()).clusters
        )
    )
    data = province_template(decision)
    sheet = load_workbook(io.BytesIO(data))[CLUSTERS_SHEET]
    assert sheet["A3"].value == "=HYPERLINK(1)" and sheet["A3"].data_type == "s"
    assert sheet["A3"].quotePrefix
    assert read_province_workbook(data).decision.clusters[1].name == "=HYPERLINK(1)"


def test_the_units_sheet_names_kinds_and_owns_words() -> None:
    data = _edited(_filled(), CLUSTERS_SHEET, {"B2": "Cụm", "E4": "Khối trưởng", "F4": "Khối phó"})
    clusters = read_province_workbook(data).decision.clusters
    assert clusters[0].kind.value == "cụm"
    assert (clusters[2].chair_word, clusters[2].deputy_word) == ("Khối trưởng", "Khối phó")


@pytest.mark.parametrize(
    ("sheet", "cells", "reason", "place"),
    [
        (CLUSTERS_SHEET, {"B3": "nhóm"}, FlagReason.BAD_KIND, (3, "Loại (cụm hoặc khối)")),
        (CLUSTERS_SHEET, {"A3": None}, FlagReason.EMPTY_CELL, (3, "Tên cụm, khối thi đua")),
        (
            CLUSTERS_SHEET,
            {"A3": "Cụm 1"},
            FlagReason.DUPLICATE_CLUSTER,
            (3, "Tên cụm, khối thi đua"),
        ),
        (CLUSTERS_SHEET, {"C2": "Xã Y Tý"}, FlagReason.CHAIR_NOT_MEMBER, (2, "Đơn vị trưởng")),
        (UNITS_SHEET, {"C3": "Cụm 9"}, FlagReason.UNKNOWN_CLUSTER, (3, "Thuộc cụm, khối")),
        (
            UNITS_SHEET,
            {"A6": "Phường Lào Cai"},
            FlagReason.UNIT_IN_TWO_CLUSTERS,
            (6, "Thuộc cụm, khối"),
        ),
        (UNITS_SHEET, {"B3": "cd-1"}, FlagReason.BAD_CODE, (3, "Mã (để trống: tự tạo)")),
        (UNITS_SHEET, {"B3": "BX"}, FlagReason.DUPLICATE_CODE, (4, "Mã (để trống: tự tạo)")),
        (UNITS_SHEET, {"B3": "=A1"}, FlagReason.FORMULA, (3, "B")),
        (OFFICERS_SHEET, {"C2": "Xã Tả Phìn"}, FlagReason.UNKNOWN_UNIT, (2, "Đơn vị")),
        (OFFICERS_SHEET, {"D2": "912345678"}, FlagReason.BAD_PHONE, (2, "Điện thoại")),
        (OFFICERS_SHEET, {"E3": "binh.laocai.gov.vn"}, FlagReason.BAD_EMAIL, (3, "Email")),
        (OFFICERS_SHEET, {"F3": "@ab"}, FlagReason.BAD_TELEGRAM, (3, "Tên Telegram (nếu có)")),
    ],
)
def test_every_problem_names_its_sheet_row_and_column(
    sheet: str, cells: dict[str, object], reason: FlagReason, place: tuple[int, str]
) -> None:
    found = read_province_workbook(_edited(_filled(), sheet, cells))
    flags = [(f.reason, f.sheet, (f.row, f.column)) for f in found.flagged]
    assert flags[0] == (reason, sheet, place)
    if reason not in _CASCADING:
        assert flags == [(reason, sheet, place)]


_CASCADING = {
    FlagReason.EMPTY_CELL: "its units name a cluster the sheet no longer has",
    FlagReason.DUPLICATE_CLUSTER: "so do the second one's units",
    FlagReason.UNIT_IN_TWO_CLUSTERS: "the second cluster's chair is now outside it",
}


def test_errors_in_vietnamese_and_in_english() -> None:
    flag = read_province_workbook(
        _edited(_filled(), OFFICERS_SHEET, {"E3": "binh.laocai.gov.vn"})
    ).flagged[0]
    assert flag_text(flag, translator("vi")) == (
        "Trang «Cán bộ», dòng 3, cột «Email»: «binh.laocai.gov.vn» không phải địa chỉ email; "
        "đề nghị anh/chị ghi dạng ten@laocai.gov.vn."
    )
    assert flag_text(flag, translator("en")) == (
        "Sheet “Cán bộ”, row 3, column “Email”: “binh.laocai.gov.vn” is not an e-mail address; "
        "write it as name@laocai.gov.vn."
    )
    cut = next(f for f in read_decision(corpus.cut_off_docx()).flagged)
    assert flag_text(cut, translator("vi")) == (
        f"Dòng {cut.line} (Cụm 2): văn bản dừng giữa danh sách («Xã Y Tý;»): đề nghị anh/chị "
        "gửi đủ văn bản, đến phần chữ ký."
    )


def test_every_flag_reason_has_a_sentence() -> None:
    for reason in FlagReason:
        text = flag_text(Flag(reason, "X", sheet="S", row=2), translator("vi"))
        assert text.startswith("Trang «S», dòng 2: ") and "{" not in text


def test_missing_sheets_and_headers() -> None:
    workbook = Workbook()
    workbook.active.title = CLUSTERS_SHEET
    workbook.active.append(["Tên cụm, khối thi đua", "Trưởng"])
    workbook.create_sheet(UNITS_SHEET)
    buffer = io.BytesIO()
    workbook.save(buffer)
    found = read_province_workbook(buffer.getvalue())
    assert [(f.reason, f.sheet, f.column) for f in found.flagged] == [
        (FlagReason.MISSING_COLUMN, CLUSTERS_SHEET, "Loại (cụm hoặc khối)"),
        (FlagReason.MISSING_COLUMN, UNITS_SHEET, "Tên đơn vị (ghi đầy đủ)"),
        (FlagReason.MISSING_COLUMN, UNITS_SHEET, "Thuộc cụm, khối"),
    ]
    assert found.decision.clusters == ()


def test_a_workbook_is_told_from_a_decision_sheet() -> None:
    assert isinstance(read_province_file(_filled()), ProvinceWorkbook)
    assert read_province_file(corpus.decision_xlsx()).as_json()["clusters"] == corpus.LAO_CAI


async def test_the_worker_reads_a_decision_and_a_workbook(settings: Settings) -> None:
    decision = await read_province(settings, corpus.table_docx())
    assert decision == read_decision(corpus.table_docx())
    text = await read_province(settings, corpus.PLAIN_TEXT.encode())
    assert isinstance(text, Decision) and text.clusters[1].chair_word == "Khối trưởng"
    workbook = await read_province(settings, _filled())
    assert workbook == read_province_workbook(_filled())


async def test_the_worker_refuses_what_it_cannot_read_safely(settings: Settings) -> None:
    with pytest.raises(UnreadableDocument):
        await read_province(settings, b"%PDF-1.7 cut")
    with pytest.raises(UnsafeFile):
        await read_province(settings, b"x" * (PROVINCE_MAX_BYTES + 1))
