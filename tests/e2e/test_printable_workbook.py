"""The ranking workbook prints as what it is: read back with openpyxl (title rows, print titles,
footer, landscape, wrapped names, totals, number format) and printed to PDF by LibreOffice
(every page carries its title, header and number; 12-point text in one serif; 97,5)."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.domain.scoring_table import ScoringTable
from bot.i18n import translator
from bot.outputs.docx_render import office_to_pdf
from bot.outputs.ranking_files import ranking_workbook
from bot.outputs.sheet_rows import POINTS_FORMAT
from tests.e2e.test_documents_libreoffice import SERIF, pdf_fonts
from tests.year_end import ranking_data

VI = translator("vi")
TITLE = "KẾT QUẢ XẾP HẠNG — Cụm thi đua vùng thấp năm 2022"


def _long_table(criteria: int) -> ScoringTable:
    """A scoring table long enough for a unit's sheet to take several printed pages."""
    items = [
        {"code": f"I.{n}", "name": f"Tiêu chí số {n}", "max": 10, "kind": "qualitative"}
        for n in range(1, criteria + 1)
    ]
    return ScoringTable.model_validate(
        {
            "title": "Bảng điểm dài",
            "groups": [{"code": "I", "name": "Nhóm I", "items": items}],
            "classifications": [{"name": "Hoàn thành", "min_total": 0, "award_eligible": True}],
        }
    )


async def test_an_export_before_anyone_scored_lists_every_unit() -> None:
    year = load_cluster_year(BUNDLED_CLUSTER)
    book = load_workbook(io.BytesIO(ranking_workbook(year.cluster, ranking_data(year, {}), VI)))
    summary = book["Tổng hợp"]
    assert summary["A1"].value == TITLE
    rows = list(summary.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[4]) for r in rows] == [
        ("Huyện Tuần Giáo", "chưa chấm"),
        ("Huyện Mường Ảng", "chưa chấm"),
        ("Huyện Điện Biên", "chưa chấm"),
        ("Thị xã Mường Lay", "chưa chấm"),
        ("Thành phố Điện Biên Phủ", "chưa chấm"),
    ]
    assert book.sheetnames == ["Tổng hợp", "TG", "MA", "DB", "ML", "DBP"]
    blank = list(book["ML"].iter_rows(min_row=3, values_only=True))
    assert len(blank) == 10 + 1 + 1  # criteria, the bonus, the total
    assert all(r[2] is None and r[3] is None for r in blank)  # nothing scored, nothing summed
    assert blank[-1][:2] == ("Tổng cộng", 110)


async def test_every_printed_page_says_what_it_is() -> None:
    year = load_cluster_year(BUNDLED_CLUSTER).model_copy(update={"scoring": _long_table(250)})
    data = ranking_data(year, {"MA": 0, "DB": 5})
    workbook = ranking_workbook(year.cluster, data, VI)
    book = load_workbook(io.BytesIO(workbook))
    assert book.sheetnames[:3] == ["Tổng hợp", "MA", "DB"]
    summary, unit = book["Tổng hợp"], book["DB"]
    assert (summary["B2"].value, summary["C2"].value) == ("Đơn vị", "Tự chấm")
    assert summary["B3"].value == "Huyện Mường Ảng" and summary["B5"].value == "Huyện Tuần Giáo"
    assert summary["E5"].value == "chưa chấm"
    assert unit["A1"].value == "Huyện Điện Biên — Cụm thi đua vùng thấp năm 2022"
    for sheet in (summary, unit):
        assert sheet.print_title_rows == "$1:$2"
        assert sheet.freeze_panes == "A3"
        assert sheet.oddFooter.right.text == "Trang &P/&N"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert summary.oddFooter.left.text == TITLE
    pdf = PdfReader(io.BytesIO(await office_to_pdf(workbook, ".xlsx")))
    pages = ["".join(page.extract_text().split()) for page in pdf.pages]
    unit_pages = [p for p in pages if "HuyệnĐiệnBiên—Cụmthiđuavùngthấpnăm2022" in p]
    assert len(unit_pages) >= 2, "so many criteria take several pages"
    numbers = []
    for page in unit_pages:
        assert "Tiêuchí" in page and "Tựchấm" in page  # the header, repeated
        numbers.append(int(re.search(r"Trang(\d+)/\d+", page).group(1)))  # type: ignore[union-attr]
    assert numbers == list(range(numbers[0], numbers[0] + len(unit_pages)))
    assert "".join(TITLE.split()) in pages[0] and "chưachấm" in pages[0]


def _printed_sizes(pdf: PdfReader, page: int) -> set[float]:
    """The sizes, in points as printed, of the text on a page (the font size times the scale)."""
    sizes: set[float] = set()

    def seen(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            sizes.add(round(size * abs(tm[3]) * abs(cm[3]), 1))

    pdf.pages[page].extract_text(visitor_text=seen)
    return sizes


async def test_a_unit_sheet_prints_landscape_at_a_readable_size_with_its_total() -> None:
    year = load_cluster_year(BUNDLED_CLUSTER)
    assert year.scoring is not None
    data = ranking_data(year, {"DB": 0, "MA": 0.25})
    workbook = ranking_workbook(year.cluster, data, VI)
    book = load_workbook(io.BytesIO(workbook))
    unit = book["MA"]
    assert unit.page_setup.orientation == "landscape" and unit.page_setup.fitToWidth == 1
    header = [cell.value for cell in unit[2]]
    assert header == ["Tiêu chí", "Điểm tối đa", "Tự chấm", "Điểm duyệt", "Lý do"]  # no evidence
    rows = list(unit.iter_rows(min_row=3))
    criteria = year.scoring.criteria()
    assert len(rows) == len(criteria) + len(year.scoring.bonuses) + 1
    for row in rows[: len(criteria)]:
        assert row[0].alignment.wrap_text and row[0].font.name == "Times New Roman"
        assert row[0].font.size == 12 and row[2].number_format == POINTS_FORMAT
    bonus = rows[len(criteria)]
    assert bonus[0].value.startswith("B.1 ") and bonus[2].value == 0  # not claimed
    total = [cell.value for cell in rows[-1][:4]]
    assert total == ["Tổng cộng", year.scoring.max_total, 97.5, 97.5]
    assert rows[-1][0].font.bold and rows[-1][2].number_format == "[$-42A]General"
    assert book["Tổng hợp"]["C4"].value == 97.5  # the same total on the summary
    printed = await office_to_pdf(workbook, ".xlsx")
    pdf = PdfReader(io.BytesIO(printed))
    pages = ["".join(page.extract_text().split()) for page in pdf.pages]
    number = next(n for n, page in enumerate(pages) if "HuyệnMườngẢng—Cụm" in page)
    page = pdf.pages[number]
    assert page.mediabox.width > page.mediabox.height  # landscape
    assert "Tổngcộng11097,597,5" in pages[number] and "97.5" not in pages[number]
    assert min(_printed_sizes(pdf, number)) >= 11.9  # 12 pt at 100 %: no shrinking to fit
    assert {font.split("-")[0] for font in pdf_fonts(printed)} == {SERIF}
