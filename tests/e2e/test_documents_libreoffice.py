"""Each drafted document opened by LibreOffice: converted to PDF, its text read back with
poppler's pdftotext (`make test` installs both through scripts/ensure-libreoffice.sh)."""

from __future__ import annotations

import asyncio
import io
import re
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from bot.outputs.document_data import Attendance
from bot.outputs.document_drafts import award_proposal, cluster_report, review_minutes
from bot.outputs.docx_render import DocumentError, office_to_pdf, pdf_available, render_document
from tests.year_end import year_end

HEAD = (
    "UBND TỈNH ĐIỆN BIÊN",
    "CỤM THI ĐUA VÙNG THẤP",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Nơi nhận:",
    "- Lưu: VT.",
)


def pdf_text(pdf: bytes, *options: str) -> str:
    done = subprocess.run(
        ["pdftotext", *options, "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode()


def squashed(text: str) -> str:
    """Without any white space: justified lines and table cells space words unevenly."""
    return "".join(text.split())


class Printed:
    """What a reader sees on the PDF's pages: running text, and table rows as printed lines."""

    def __init__(self, pdf: bytes) -> None:
        self.text = squashed(pdf_text(pdf))
        self.lines = [squashed(line) for line in pdf_text(pdf, "-layout").splitlines()]

    def says(self, expected: str) -> bool:
        """In poppler's reading order, or in the printed lines read one after the other."""
        wanted = squashed(expected)
        return wanted in self.text or wanted in "".join(self.lines)

    def has_row(self, *cells: str) -> bool:
        """A printed line holding these cells, left to right."""
        pattern = ".*".join(re.escape(squashed(cell)) for cell in cells)
        return any(re.search(pattern, line) for line in self.lines)


async def test_every_document_opens_in_libreoffice_with_the_right_text() -> None:
    assert pdf_available(), "make test installs LibreOffice (scripts/ensure-libreoffice.sh)"
    end = year_end()
    documents = {
        "report": cluster_report(
            end.year,
            date(2022, 12, 25),
            False,
            end.status,
            end.received,
            end.ranking,
            end.inspections,
        ),
        "minutes": review_minutes(
            end.year,
            date(2022, 12, 20),
            end.ranking,
            end.ballots,
            held_at="14 giờ 00, ngày 20 tháng 12 năm 2022",
            attendance=[
                Attendance("Huyện Tuần Giáo", "Lò Văn Hùng, Phó Chủ tịch UBND huyện", True),
                Attendance("Thị xã Mường Lay", "", False),
            ],
            venue="Hội trường UBND huyện Tuần Giáo",
        ),
        "proposal": award_proposal(end.year, date(2022, 1, 6), end.ranking, end.ballots),
    }
    docx = {name: await asyncio.to_thread(render_document, d) for name, d in documents.items()}
    pdfs = dict(
        zip(docx, await asyncio.gather(*(office_to_pdf(d) for d in docx.values())), strict=True)
    )
    printed = {name: Printed(pdf) for name, pdf in pdfs.items()}
    for name, page in printed.items():
        for expected in HEAD:
            assert page.says(expected), (name, expected)
        assert not page.says("{{") and not page.says("{%"), name
        assert page.has_row("UBND TỈNH ĐIỆN BIÊN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), name
        if name == "minutes":
            assert page.has_row("THƯ KÝ", "CHỦ TRÌ")
        else:
            assert page.has_row("Nơi nhận:", "TM. CỤM THI ĐUA"), name
    report = printed["report"]
    for expected in (
        "BÁO CÁO",
        "Tổng kết công tác thi đua, khen thưởng năm 2022 của Cụm thi đua vùng thấp",
        "Trưởng Cụm đã nhận 7/8 báo cáo phải gửi, đạt 87,5 %.",
        "Đơn vị gửi báo cáo trễ hạn: Thị xã Mường Lay.",
        "Đơn vị chưa gửi đủ báo cáo: Thành phố Điện Biên Phủ.",
        "II. KẾT QUẢ KIỂM TRA CHÉO",
        "III. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG",
    ):
        assert report.says(expected), expected
    assert report.has_row("Số:", "/BC-CTĐ", "Tuần Giáo, ngày 25 tháng 12 năm 2022")
    assert report.has_row("Thị xã Mường Lay", "Báo cáo kết quả thi đua", "4/7/2022", "Trễ 4 ngày")
    assert report.has_row("Thành phố Điện", "Báo cáo kết quả thi đua", "Chưa nộp")
    assert report.has_row("Thực hiện tốt các nội")
    assert report.has_row("2", "Huyện Mường Ảng", "90", "90", "Hoàn thành xuất", "Cờ thi đua")
    minutes = printed["minutes"]
    for expected in (
        "BIÊN BẢN",
        "Họp bình xét thi đua, suy tôn và đề nghị khen thưởng năm 2022",
        "Thời gian: 14 giờ 00, ngày 20 tháng 12 năm 2022.",
        "Bỏ phiếu Cờ thi đua của UBND tỉnh (vòng 1, bầu 1 đơn vị): 5/5 đơn vị bỏ phiếu.",
        "Đơn vị được bầu khi có từ 80 % trở lên tổng số đơn vị trong Cụm bỏ phiếu tán thành.",
        "Kết quả: Huyện Mường Ảng.",
        "Kết quả: Huyện Điện Biên, Huyện Tuần Giáo.",
        "Thống nhất đề nghị tặng Cờ thi đua của UBND tỉnh cho: Huyện Mường Ảng.",
    ):
        assert minutes.says(expected), expected
    assert minutes.has_row("Huyện Mường Ảng", "4", "80", "Trúng")
    assert minutes.has_row("Huyện Tuần Giáo", "1", "20")
    assert minutes.has_row("1", "Huyện Tuần Giáo", "Lò Văn Hùng, Phó Chủ", "Có")
    assert minutes.has_row("2", "Thị xã Mường Lay", "Vắng")
    proposal = printed["proposal"]
    for expected in (
        "TỜ TRÌNH",
        "Về việc đề nghị tặng Cờ thi đua, Bằng khen năm 2022",
        "Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh Điện Biên.",
        "1. Tặng Cờ thi đua của UBND tỉnh",
        "2. Tặng Bằng khen của Chủ tịch UBND tỉnh",
        "- Như trên;",
    ):
        assert proposal.says(expected), expected
    assert proposal.has_row("Tuần Giáo, ngày 06 tháng 01 năm 2022")
    assert proposal.has_row("1", "Huyện Mường Ảng", "2", "90", "Hoàn thành xuất", "4/5 đơn vị")
    assert proposal.has_row("2", "Huyện Điện Biên", "3", "80", "Hoàn thành tốt", "5/5 đơn vị")
    reader = PdfReader(io.BytesIO(pdfs["report"]))
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4 portrait
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Liberation" in f or "Times" in f for f in fonts), fonts  # Times metrics


async def test_a_conversion_that_hangs_is_stopped() -> None:
    end = year_end()
    docx = render_document(award_proposal(end.year, date(2022, 12, 26), end.ranking))
    with pytest.raises(DocumentError, match="longer than"):
        await office_to_pdf(docx, timeout=0.05)
