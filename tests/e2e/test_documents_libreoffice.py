"""Each drafted document opened by LibreOffice: converted to PDF, its text read back with
poppler's pdftotext and its fonts listed (`make test` installs LibreOffice, poppler and the
Liberation Serif with Vietnamese letters through scripts/ensure-libreoffice.sh)."""

from __future__ import annotations

import asyncio
import io
import re
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from bot.outputs.document_drafts import Conference, award_proposal, cluster_report, review_minutes
from bot.outputs.docx_render import DocumentError, office_to_pdf, pdf_available, render_document
from tests.year_end import year_end

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
LETTERS = "".join(unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES) + "đ"
"""Every Vietnamese letter: twelve vowels with each of six tones, and đ (then in upper case)."""
SERIF = "LiberationSerif"
"""What LibreOffice sets Times New Roman in (metric-compatible, with every Vietnamese letter)."""

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


def pdf_fonts(pdf: bytes) -> set[str]:
    """The fonts the PDF uses, without the subset prefix (``LiberationSerif-Bold``)."""
    reader = PdfReader(io.BytesIO(pdf))
    return {
        str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


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
            end.ballots,
            end.conference,
        ),
        "minutes": review_minutes(
            end.year,
            date(2022, 12, 20),
            end.ranking,
            end.ballots,
            replace(end.conference, voted=end.conference.electors - {"ML"}),
            venue="Hội trường UBND huyện Tuần Giáo",
        ),
        "proposal": award_proposal(
            end.year, date(2026, 1, 6), end.ranking, end.ballots, end.conference
        ),
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
            assert page.has_row("……………………………", "Vũ Văn Đức")  # the secretary: to fill in
        else:
            assert page.has_row("Nơi nhận:", "TM. CỤM THI ĐUA"), name  # side by side
            assert page.says("TRƯỞNG CỤM") and page.says("Vũ Văn Đức"), name
    report = printed["report"]
    for expected in (
        "BÁO CÁO",
        "Tổng kết công tác thi đua, khen thưởng năm 2022 của Cụm thi đua vùng thấp",
        "Trưởng Cụm đã nhận 8/8 báo cáo phải gửi, đạt 100 %.",
        "Đơn vị gửi báo cáo trễ hạn: Thị xã Mường Lay.",
        "II. KẾT QUẢ KIỂM TRA CHÉO",
        "III. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG",
        "Kết quả bỏ phiếu kín bình xét, suy tôn của các đơn vị thành viên:",
        "Trúng cử: Huyện Mường Ảng (4/5 phiếu, đạt 80 %).",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
        "Tiếp tục thực hiện các nhiệm vụ còn lại của Kế hoạch:",
    ):
        assert report.says(expected), expected
    assert report.has_row("Số:", "/BC-CTĐ", "Tuần Giáo, ngày 25 tháng 12 năm 2022")
    assert report.has_row("Thị xã Mường Lay", "Báo cáo kết quả thi đua", "4/7/2022", "Đã nộp, trễ")
    assert report.has_row("Thành phố Điện", "Báo cáo kết quả thi đua", "15/12/202", "Đã nộp")
    assert not report.says("Chưa nộp")
    assert report.has_row("Thực hiện tốt các nội")
    assert report.has_row("2", "Huyện Mường Ảng", "90", "90", "Hoàn thành xuất", "Cờ thi đua")
    minutes = printed["minutes"]
    for expected in (
        "BIÊN BẢN",
        "Họp bình xét thi đua, suy tôn và đề nghị khen thưởng năm 2022",
        "Thời gian: 14 giờ 00, ngày 20 tháng 12 năm 2022.",
        "Địa điểm: Hội trường UBND huyện Tuần Giáo.",
        "Chủ trì: Vũ Văn Đức, Huyện Tuần Giáo (đơn vị Trưởng Cụm).",
        "Bỏ phiếu Cờ thi đua của UBND tỉnh (vòng 1, bầu 1 đơn vị): 5/5 đơn vị bỏ phiếu.",
        "Đơn vị trúng cử khi có từ 80 % trở lên tổng số đơn vị trong Cụm bỏ phiếu tán thành.",
        "Trúng cử: Huyện Mường Ảng (4/5 phiếu, đạt 80 %).",
        "Trúng cử: Huyện Điện Biên (5/5 phiếu, đạt 100 %); Huyện Tuần Giáo (3/5 phiếu, đạt 60 %).",
        "Căn cứ kết quả bỏ phiếu, Cụm đề nghị tặng Cờ thi đua của UBND tỉnh cho: Huyện Mường Ảng.",
        "Cuộc họp kết thúc vào hồi 16 giờ 30 cùng ngày.",
    ):
        assert minutes.says(expected), expected
    assert not minutes.says("Thống nhất")
    assert minutes.has_row("Huyện Mường Ảng", "4", "80", "Trúng cử")
    assert minutes.has_row("Huyện Tuần Giáo", "1", "20")
    assert minutes.has_row("1", "Huyện Tuần Giáo", "Vũ Văn Đức, Lò Văn", "Đã bỏ phiếu")
    assert minutes.has_row("4", "Thị xã Mường Lay", "Tòng Thị Mai", "Không bỏ phiếu")
    proposal = printed["proposal"]
    for expected in (
        "TỜ TRÌNH",
        "Về việc đề nghị tặng Cờ thi đua, Bằng khen năm 2022",
        "Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh Điện Biên.",
        "1. Tặng Cờ thi đua của UBND tỉnh",
        "2. Tặng Bằng khen của Chủ tịch UBND tỉnh",
        "- Như trên;",
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ",
        "Căn cứ Thông tư số 15/2025/TT-BNV của Bộ Nội vụ",
        "kết quả bỏ phiếu kín bình xét Cờ thi đua của UBND tỉnh ngày 20/12/2022 (5/5 đơn vị",
    ):
        assert proposal.says(expected), expected
    assert proposal.has_row("Tuần Giáo, ngày 06 tháng 01 năm 2026")
    assert proposal.has_row("1", "Huyện Mường Ảng", "2", "90", "Hoàn thành", "Bỏ phiếu vòng 1: 4/5")
    assert proposal.has_row(
        "2", "Huyện Điện Biên", "3", "80", "Hoàn thành tốt", "Bỏ phiếu vòng 1: 5/5"
    )
    reader = PdfReader(io.BytesIO(pdfs["report"]))
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4 portrait
    for name, pdf in pdfs.items():  # one serif, in its four styles: no fallback font
        assert {f.split("-")[0] for f in pdf_fonts(pdf)} == {SERIF}, (name, pdf_fonts(pdf))


async def test_every_vietnamese_letter_is_set_in_the_one_serif() -> None:
    """A font without a letter makes LibreOffice take it from another font (and widen the
    line): a cluster named with every letter must print in Liberation Serif alone."""
    end = year_end()
    alphabet = f"{LETTERS} {LETTERS.upper()}"
    drafted = award_proposal(end.year, date(2026, 1, 6), end.ranking, end.ballots, Conference())
    proposal = replace(  # in the body, in bold (the issuing body) and in italics (the place)
        drafted,
        cluster=alphabet,
        head=replace(drafted.head, issuing_body=alphabet, place=alphabet),
    )
    pdf = await office_to_pdf(await asyncio.to_thread(render_document, proposal))
    assert len(LETTERS) == 12 * 6 + 1
    assert squashed(alphabet) in squashed(unicodedata.normalize("NFC", pdf_text(pdf)))
    fonts = pdf_fonts(pdf)
    assert {f.split("-")[0] for f in fonts} == {SERIF}, fonts
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= fonts


async def test_a_conversion_that_hangs_is_stopped() -> None:
    end = year_end()
    docx = render_document(award_proposal(end.year, date(2022, 12, 26), end.ranking))
    with pytest.raises(DocumentError, match="longer than"):
        await office_to_pdf(docx, timeout=0.05)
