"""The ranking workbook prints as what it is: read back with openpyxl (title rows, print titles,
footer) and printed to PDF by LibreOffice (every page carries its title, header and number)."""

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
    assert len(blank) == 10 and all(r[2] is None and r[3] is None for r in blank)


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
