# ruff: noqa: E501 (the documents' rows are written one a line)
"""Whole plan documents of other clusters and years, written for the tests, and the readers'
expected results: districts before 2025, communes and wards after, a bloc of provincial
departments, one numbered list with no table; as tab-separated or space-aligned text, DOCX
(letterhead and signature in borderless tables, merged cells, a row broken over two, a section
row) and PDF (ruled, or with columns only by position)."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from fpdf import FPDF

Row = list[str] | str
"""A task row in the plan's columns (TT, content, responsible, coordinating, time, notes), or a
section heading row ("I. CÔNG TÁC TUYÊN TRUYỀN")."""
Expected = tuple[int, str | None, str | None, str | None]
"""number, start, end, recurrence ("flag": not understood)."""


def _table(text: str) -> list[Row]:
    """Rows written one a line, cells split by " | " ("\\n": a cell on two lines); a line
    without a bar is a section heading."""
    rows: list[Row] = []
    for line in text.strip().splitlines():
        cells = [c.strip().replace("\\n", "\n") for c in line.split("|")]
        rows.append((cells + [""] * 6)[:6] if len(cells) > 1 else line.strip())
    return rows


@dataclass
class PlanCase:
    name: str
    year: int
    cluster: str
    letterhead: list[str]
    opening: list[str]
    header: list[str]
    order: list[int]
    """For each column of the document, the plan column it holds (0 number … 5 notes)."""
    rows: list[Row]
    closing: list[str]
    signature: list[str]
    expected: list[Expected]
    chair: tuple[str, str]
    members: list[tuple[str, str]]
    render: Callable[[PlanCase], bytes] = field(default=lambda case: text_tabbed(case))

    def document_rows(self) -> list[Row]:
        return [r if isinstance(r, str) else [r[i] for i in self.order] for r in self.rows]

    def data(self) -> bytes:
        return self.render(self)


def _lines(case: PlanCase, table: list[str]) -> bytes:
    text = "\n".join([*case.letterhead, "", *case.opening, *table, "", *case.closing])
    return "\n".join([text, *case.signature]).encode()


def text_tabbed(case: PlanCase) -> bytes:
    """Tab-separated; a cell with two lines gives a second line with an empty TT."""
    table = ["\t".join(case.header)]
    for row in case.document_rows():
        if isinstance(row, str):
            table.append(row)
            continue
        parts = [cell.split("\n") for cell in row]
        for k in range(max(len(p) for p in parts)):
            table.append("\t".join(p[k] if k < len(p) else "" for p in parts))
    return _lines(case, table)


def text_aligned(case: PlanCase, widths: tuple[int, ...] = (5, 48, 18, 18, 22, 12)) -> bytes:
    """Columns aligned with spaces, long cells wrapped over lines."""
    import textwrap

    def line(cells: list[str]) -> str:
        return "".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()

    table = [line(case.header)]
    for row in case.document_rows():
        if isinstance(row, str):
            table.append(row)
            continue
        wrapped = [textwrap.wrap(c, w - 2) or [""] for c, w in zip(row, widths, strict=False)]
        for k in range(max(len(p) for p in wrapped)):
            table.append(line([p[k] if k < len(p) else "" for p in wrapped]))
    return _lines(case, table)


def _borderless(document: Document, left: list[str], right: list[str]) -> None:
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "\n".join(left), "\n".join(right)


NATIONAL = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def docx_plan(
    case: PlanCase,
    merge_column: int | None = None,
    split_row: int | None = None,
    recipients_beside_signature: bool = False,
    split_header: tuple[int, int] | None = None,
) -> bytes:
    """Letterhead and signature in borderless tables; ``merge_column``: that column's cells of
    the first two tasks merged vertically; ``split_row``: that task broken over two table rows
    (as a row that runs onto the next page looks once copied); section rows merged across;
    ``recipients_beside_signature``: "Nơi nhận" in the signature table's left cell;
    ``split_header``: those two adjacent columns headed "Đơn vị" over a second header row."""
    document = Document()
    _borderless(document, case.letterhead, NATIONAL)
    for text in case.opening:
        document.add_paragraph(text)
    rows: list[Row] = []
    for number, row in enumerate(case.document_rows()):
        if number == split_row and not isinstance(row, str):
            rows += [
                [c.split(" ", 1)[0] if c else "" for c in row],
                ["", *(c.split(" ", 1)[1] if " " in c else "" for c in row[1:])],
            ]
        else:
            rows.append(row)
    top = 2 if split_header else 1
    table = document.add_table(rows=len(rows) + top, cols=len(case.header))
    table.style = "Table Grid"
    for column, title in enumerate(case.header):
        table.cell(0, column).text = title
    if split_header:
        left, right = split_header
        for column in range(len(case.header)):
            if column not in split_header:
                table.cell(0, column).merge(table.cell(1, column))
        table.cell(1, left).text, table.cell(1, right).text = case.header[left], case.header[right]
        table.cell(0, left).merge(table.cell(0, right)).text = "Đơn vị"
    task_rows = []
    for r, row in enumerate(rows, start=top):
        if isinstance(row, str):
            merged = table.cell(r, 0).merge(table.cell(r, len(case.header) - 1))
            merged.text = row
            continue
        task_rows.append(r)
        for column, text in enumerate(row):
            table.cell(r, column).text = text
    if merge_column is not None:
        first, second = task_rows[0], task_rows[1]
        keep = table.cell(first, merge_column).text
        table.cell(second, merge_column).text = ""
        table.cell(first, merge_column).merge(table.cell(second, merge_column)).text = keep
    beside = case.closing if recipients_beside_signature else []
    for text in [] if beside else case.closing:
        document.add_paragraph(text)
    _borderless(document, beside, case.signature)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf() -> FPDF:
    import matplotlib

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = FPDF(orientation="L")
    pdf.add_font("dejavu", fname=str(font))
    pdf.add_font("dejavu", style="B", fname=str(font.with_name("DejaVuSans-Bold.ttf")))
    pdf.set_font("dejavu", size=8)
    pdf.add_page()
    return pdf


def _pdf_paragraphs(pdf: FPDF, lines: list[str]) -> None:
    for text in lines:
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")


def pdf_ruled(case: PlanCase, merge_column: int | None = None) -> bytes:
    """A ruled table (fpdf2 repeats its header on each page); ``merge_column``: that column's
    cells of the first two rows merged vertically (they must hold the same text)."""
    pdf = _pdf()
    _pdf_paragraphs(pdf, [*case.letterhead, *case.opening])
    widths = (10, 100, 40, 40, 45, 25)[: len(case.header)]
    with pdf.table(col_widths=widths, text_align="LEFT") as table:
        for r, row in enumerate([case.header, *case.document_rows()]):
            cells = table.row()
            if isinstance(row, str):
                cells.cell(row, colspan=len(case.header))
                continue
            for column, text in enumerate(row):
                if column != merge_column or r not in (1, 2):
                    cells.cell(text.replace("\n", " "))
                elif r == 1:
                    cells.cell(text, rowspan=2)
    _pdf_paragraphs(pdf, [*case.closing, *case.signature])
    return bytes(pdf.output())


def pdf_positioned(case: PlanCase) -> bytes:
    """No rules: every cell written at its column's position, long cells over several lines,
    the header written again at the top of each new page."""
    pdf = _pdf()
    pdf.set_auto_page_break(False)
    _pdf_paragraphs(pdf, [*case.letterhead, *case.opening])
    widths = (12, 95, 40, 40, 45, 30)[: len(case.header)]
    _pdf_row(pdf, case.header, widths)
    for row in case.document_rows():
        if pdf.get_y() > pdf.h - 30:
            pdf.add_page()
            _pdf_row(pdf, case.header, widths)
        if isinstance(row, str):
            _pdf_paragraphs(pdf, [row])
        else:
            _pdf_row(pdf, row, widths)
    _pdf_paragraphs(pdf, [*case.closing, *case.signature])
    return bytes(pdf.output())


def _pdf_row(pdf: FPDF, row: list[str], widths: tuple[int, ...]) -> None:
    top, bottom, x = pdf.get_y(), pdf.get_y(), pdf.l_margin
    for text, width in zip(row, widths, strict=False):
        pdf.set_xy(x, top)
        pdf.multi_cell(width - 4, 5, text.replace("\n", " "), new_x="LEFT", new_y="NEXT")
        bottom, x = max(bottom, pdf.get_y()), x + width
    pdf.set_xy(pdf.l_margin, bottom + 1)


STANDARD = [0, 1, 2, 3, 4, 5]
HEADER = [
    "TT",
    "Nội dung, nhiệm vụ",
    "Cơ quan thực hiện",
    "Đơn vị phối hợp",
    "Thời gian thực hiện",
    "Ghi chú",
]

NORTH_2023 = PlanCase(
    name="districts-2023-tabbed",
    year=2023,
    cluster="Cụm thi đua các huyện vùng cao",
    letterhead=["UBND HUYỆN MƯỜNG NHÉ", "CỤM THI ĐUA CÁC HUYỆN VÙNG CAO", "Số: 05/KH-CTĐ"],
    opening=[
        "Mường Nhé, ngày 20 tháng 02 năm 2023",
        "KẾ HOẠCH",
        "Hoạt động của Cụm thi đua các huyện vùng cao năm 2023",
        "Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/2023 của UBND tỉnh, UBND huyện Mường Nhé"
        " - Trưởng Cụm thi đua các huyện vùng cao năm 2023 xây dựng Kế hoạch như sau:",
        "I. NỘI DUNG, THỜI GIAN THỰC HIỆN",
    ],
    header=HEADER,
    order=STANDARD,
    rows=_table(
        """
        A. CÔNG TÁC TỔ CHỨC
        1 | Xây dựng, ban hành Kế hoạch hoạt động của Cụm | Trưởng Cụm | Các thành viên | Chậm nhất ngày 15/3/2023 |
        2 | Tuyên truyền các phong trào thi đua | Các đơn vị |  | Thường xuyên |
        3 | Gửi báo cáo sơ kết 6 tháng đầu năm về Trưởng Cụm | Các thành viên |  | Trước ngày\\n20/6 |
        B. KIỂM TRA, TỔNG KẾT
        4 | Kiểm tra chéo công tác thi đua | Trưởng Cụm | Các thành viên | Tháng 10 đến tháng 11 | Có kế hoạch riêng
        5 | Báo cáo kết quả hoạt động hằng quý | Các thành viên |  | Hằng quý |
        6 | Tổng hợp kết quả, chấm điểm thi đua | Trưởng Cụm | Các thành viên | Tháng 12/2023 - 01/2024 |
        7 | Hội nghị tổng kết, bình xét thi đua | Trưởng Cụm | Các thành viên | Tháng 01 |
        8 | Giao lưu văn hóa, thể thao | Trưởng Cụm |  | Sớm nhất có thể |
        """
    ),
    closing=[
        "II. TỔ CHỨC THỰC HIỆN",
        "Các đơn vị thành viên triển khai thực hiện Kế hoạch này.",
        "Nơi nhận:",
        "- Ban Thi đua - Khen thưởng tỉnh;",
        "- UBND các huyện: Mường Chà, Nậm Pồ, Tủa Chùa;",
        "- UBND thị xã Mường Lay;",
        "- Lưu: VT.",
    ],
    signature=["TRƯỞNG CỤM", "CHỦ TỊCH UBND HUYỆN MƯỜNG NHÉ", "Lò Văn Pâng"],
    expected=[
        (1, None, "2023-03-15", None),
        (2, "2023-01-01", "2023-12-31", "continuous"),
        (3, None, "2023-06-19", None),
        (4, "2023-10-01", "2023-11-30", None),
        (5, "2023-01-01", "2023-12-31", "quarterly"),
        (6, "2023-12-01", "2024-01-31", None),
        (7, "2024-01-01", "2024-01-31", None),
        (8, None, None, "flag"),
    ],
    chair=("huyện", "Mường Nhé"),
    members=[
        ("huyện", "Mường Chà"),
        ("huyện", "Nậm Pồ"),
        ("huyện", "Tủa Chùa"),
        ("thị xã", "Mường Lay"),
    ],
)

PLAIN_2024 = PlanCase(
    name="districts-2024-aligned",
    year=2024,
    cluster="Cụm thi đua đồng bằng",
    letterhead=["CỤM THI ĐUA CÁC HUYỆN, THÀNH PHỐ ĐỒNG BẰNG"],
    opening=[
        "Thái Bình, ngày 05 tháng 3 năm 2024",
        "KẾ HOẠCH",
        "Công tác thi đua, khen thưởng Cụm thi đua đồng bằng năm 2024",
        "Cụm thi đua đồng bằng gồm 4 đơn vị: UBND thành phố Thái Bình, UBND các huyện: Vũ Thư,"
        " Kiến Xương, Đông Hưng.",
        "II. NHIỆM VỤ",
    ],
    header=[
        "STT",
        "Nội dung công việc",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời hạn",
        "Ghi chú",
    ],
    order=STANDARD,
    rows=_table(
        """
        1 | Ký kết giao ước thi đua năm 2024 giữa các đơn vị trong Cụm | Trưởng Cụm | Các đơn vị | Tháng 3/2024 |
        2 | Gửi báo cáo sơ kết 6 tháng | Các đơn vị |  | Chậm nhất 10/6/2024 |
        3 | Tổ chức hội thảo chuyên đề về xây dựng điển hình tiên tiến trong phong trào thi đua | Trưởng Cụm | Các đơn vị | Quý III |
        II. KIỂM TRA VÀ TỔNG KẾT
        4 | Kiểm tra chéo kết quả thực hiện | Trưởng Cụm | Các đơn vị | Từ 01/10 đến 15/11 |
        5 | Gửi báo cáo tổng kết và bảng tự chấm điểm | Các đơn vị |  | Hạn chót 30/11/2024 |
        6 | Tổng kết, bàn giao Trưởng Cụm năm 2025 | Trưởng Cụm | Các đơn vị | Quý I/2025 |
        """
    ),
    closing=[
        "III. NHIỆM VỤ CỦA TRƯỞNG CỤM",
        "1. Trưởng cụm thi đua (UBND thành phố Thái Bình) chủ trì các hoạt động của Cụm.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
    ],
    signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    expected=[
        (1, "2024-03-01", "2024-03-31", None),
        (2, None, "2024-06-10", None),
        (3, "2024-07-01", "2024-09-30", None),
        (4, "2024-10-01", "2024-11-15", None),
        (5, None, "2024-11-30", None),
        (6, "2025-01-01", "2025-03-31", None),
    ],
    chair=("thành phố", "Thái Bình"),
    members=[("huyện", "Vũ Thư"), ("huyện", "Kiến Xương"), ("huyện", "Đông Hưng")],
    render=lambda case: text_aligned(case),
)

WARDS_2026 = PlanCase(
    name="wards-2026-docx",
    year=2026,
    cluster="Cụm thi đua số 3",
    letterhead=["UBND PHƯỜNG HỒNG GAI", "Số: 12/KH-UBND"],
    opening=[
        "Hồng Gai, ngày 10 tháng 02 năm 2026",
        "KẾ HOẠCH",
        "Hoạt động của Cụm thi đua số 3 năm 2026",
        "Căn cứ Kế hoạch của UBND tỉnh về công tác thi đua, khen thưởng năm 2026, Cụm thi đua số 3"
        " xây dựng Kế hoạch hoạt động năm 2026 như sau:",
    ],
    header=[
        "STT",
        "Nội dung công việc",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian hoàn thành",
        "Ghi chú",
    ],
    order=STANDARD,
    rows=_table(
        """
        I. CÔNG TÁC TỔ CHỨC
        1 | Xây dựng Kế hoạch hoạt động năm 2026 của Cụm | Trưởng Cụm | Các phường, xã | Tháng 02/2026 |
        2 | Tổ chức ký kết giao ước thi đua | Trưởng Cụm | Các phường, xã | Trước\\n31/3/2026 |
        3 | Cập nhật phần mềm quản lý thi đua | Các phường, xã |  | Hằng tháng |
        II. KIỂM TRA, ĐÁNH GIÁ
        4 | Kiểm tra chéo giữa các đơn vị trong Cụm | Trưởng Cụm | Các phường, xã | Từ 01/10 đến 15/11/2026 | Theo đoàn
        5 | Hội nghị tổng kết Cụm, bình xét thi đua năm 2026 | Trưởng Cụm | Các phường, xã | Cuối tháng 12 |
        6 | Tổng hợp hồ sơ đề nghị khen thưởng gửi tỉnh | Trưởng Cụm |  | Chậm nhất ngày 15/01/2027 |
        """
    ),
    closing=[
        "Nơi nhận:",
        "- Sở Nội vụ (Ban Thi đua - Khen thưởng);",
        "- UBND các phường: Hạ Long, Bãi Cháy; UBND các xã: Quảng La, Thống Nhất;",
        "- Lưu: VT.",
    ],
    signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Hùng"],
    expected=[
        (1, "2026-02-01", "2026-02-28", None),
        (2, None, "2026-03-30", None),
        (3, "2026-01-01", "2026-12-31", "monthly"),
        (4, "2026-10-01", "2026-11-15", None),
        (5, "2026-12-21", "2026-12-31", None),
        (6, None, "2027-01-15", None),
    ],
    chair=("phường", "Hồng Gai"),
    members=[
        ("phường", "Hạ Long"),
        ("phường", "Bãi Cháy"),
        ("xã", "Quảng La"),
        ("xã", "Thống Nhất"),
    ],
    render=lambda case: docx_plan(case, merge_column=2, split_row=5, split_header=(2, 3)),
)

COMMUNES_2025 = PlanCase(
    name="communes-2025-docx-reordered-nfd",
    year=2025,
    cluster="Cụm thi đua các xã phía Tây",
    letterhead=["ỦY BAN NHÂN DÂN XÃ TÂN UYÊN"],
    opening=[
        "Tân Uyên, ngày 15 tháng 8 năm 2025",
        "KẾ HOẠCH",
        "Hoạt động Cụm thi đua các xã phía Tây năm 2025",
        "Uỷ ban nhân dân xã Tân Uyên (Trưởng Cụm thi đua các xã phía Tây) ban hành Kế hoạch như sau:",
    ],
    header=["Số TT", "Nhiệm vụ", "Thời gian", "Cơ quan thực hiện", "Phối hợp"],
    order=[0, 1, 4, 2, 3],
    rows=_table(
        """
        1 | Ra mắt Cụm thi đua sau sắp xếp đơn vị hành chính | Trưởng Cụm | Các xã | Tháng 9/2025 |
        2 | Phát động phong trào thi đua đặc biệt | Trưởng Cụm | Các xã | Đầu tháng 10 |
        3 | Báo cáo kết quả thực hiện phong trào | Các xã | Trưởng Cụm | Định kỳ hằng quý |
        4 | Gửi hồ sơ tự chấm điểm thi đua | Các xã |  | Trước ngày 05/12/2025 |
        5 | Tổng kết, bình xét thi đua | Trưởng Cụm | Các xã | Tháng 12/2025 - tháng 01/2026 |
        """
    ),
    closing=[
        "Nơi nhận:",
        "- UBND các xã: Mường Khoa, Phúc Khoa, Trung Đồng;",
        "- Lưu: VT.",
    ],
    signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    expected=[
        (1, "2025-09-01", "2025-09-30", None),
        (2, "2025-10-01", "2025-10-10", None),
        (3, "2025-01-01", "2025-12-31", "quarterly"),
        (4, None, "2025-12-04", None),
        (5, "2025-12-01", "2026-01-31", None),
    ],
    chair=("xã", "Tân Uyên"),
    members=[("xã", "Mường Khoa"), ("xã", "Phúc Khoa"), ("xã", "Trung Đồng")],
    render=lambda case: _nfd(docx_plan(case)),
)

DEPARTMENTS_2026 = PlanCase(
    name="departments-2026-pdf-ruled",
    year=2026,
    cluster="Khối thi đua các sở, ngành tổng hợp",
    letterhead=["SỞ TÀI CHÍNH", "KHỐI THI ĐUA CÁC SỞ, NGÀNH TỔNG HỢP"],
    opening=[
        "Quảng Ninh, ngày 25 tháng 02 năm 2026",
        "KẾ HOẠCH",
        "Hoạt động của Khối thi đua các sở, ngành tổng hợp năm 2026",
        "Thành viên Khối gồm: Sở Tài chính, Sở Nội vụ, Sở Tư pháp, Sở Xây dựng, Sở Y tế.",
    ],
    header=[
        "TT",
        "Nội dung",
        "Đơn vị thực hiện",
        "Đơn vị phối hợp",
        "Thời gian thực hiện",
        "Ghi chú",
    ],
    order=STANDARD,
    rows=_table(
        """
        1 | Ban hành Kế hoạch hoạt động của Khối | Trưởng Khối | Các sở | Tháng 3/2026 |
        2 | Hội thảo chuyển đổi số trong công tác thi đua | Trưởng Khối | Sở Nội vụ | QII/2026 |
        3 | Cập nhật kết quả thi đua | Các sở |  | Hằng tháng |
        4 | Báo cáo sơ kết 6 tháng | Các sở |  | 6 tháng đầu năm |
        5 | Kiểm tra chéo | Trưởng Khối | Các sở | Quý III - IV/2026 |
        6 | Gửi bảng tự chấm điểm | Các sở |  | Không quá ngày 20/11/2026 |
        7 | Họp Khối bình xét thi đua | Trưởng Khối | Các sở | Theo lịch của tỉnh |
        """
    ),
    closing=[
        "III. TỔ CHỨC THỰC HIỆN",
        "Trưởng khối (Sở Tài chính) chủ trì, phối hợp các đơn vị triển khai Kế hoạch.",
        "Nơi nhận:",
        "- Ban Thi đua - Khen thưởng tỉnh;",
        "- Lưu: VT.",
    ],
    signature=["GIÁM ĐỐC", "Trần Thị Lan"],
    expected=[
        (1, "2026-03-01", "2026-03-31", None),
        (2, "2026-04-01", "2026-06-30", None),
        (3, "2026-01-01", "2026-12-31", "monthly"),
        (4, "2026-01-01", "2026-06-30", None),
        (5, "2026-07-01", "2026-12-31", None),
        (6, None, "2026-11-20", None),
        (7, None, None, "flag"),
    ],
    chair=("sở", "Tài chính"),
    members=[("sở", "Nội vụ"), ("sở", "Tư pháp"), ("sở", "Xây dựng"), ("sở", "Y tế")],
    render=lambda case: pdf_ruled(case, merge_column=2),
)

HIGHLAND_2023 = PlanCase(
    name="districts-2023-pdf-positions",
    year=2023,
    cluster="Cụm thi đua các huyện biên giới",
    letterhead=["UBND HUYỆN ĐỒNG VĂN"],
    opening=[
        "Đồng Văn, ngày 01 tháng 3 năm 2023",
        "KẾ HOẠCH",
        "Công tác thi đua Cụm thi đua các huyện biên giới năm 2023",
        "UBND huyện Đồng Văn là Trưởng Cụm thi đua các huyện biên giới năm 2023.",
    ],
    header=HEADER,
    order=STANDARD,
    rows=_table(
        """
        1 | Xây dựng kế hoạch hoạt động của Cụm thi đua năm 2023 | Trưởng Cụm | Các huyện | Tháng 3/2023 |
        2 | Phát động thi đua chào mừng ngày Quốc khánh | Trưởng Cụm | Các huyện | Giữa tháng 8 |
        I. BÁO CÁO, TỔNG KẾT
        3 | Gửi báo cáo năm về Trưởng Cụm thi đua | Các huyện |  | Trước ngày 15/11/2023 |
        4 | Hội nghị tổng kết và bàn giao Trưởng Cụm năm 2024 | Trưởng Cụm | Các huyện | Tháng 01 - 02/2024 |
        """
    ),
    closing=[
        "Nơi nhận:",
        "- UBND các huyện: Mèo Vạc, Yên Minh, Quản Bạ;",
        "- Lưu: VT.",
    ],
    signature=["CHỦ TỊCH", "Hoàng Văn Sùng"],
    expected=[
        (1, "2023-03-01", "2023-03-31", None),
        (2, "2023-08-11", "2023-08-20", None),
        (3, None, "2023-11-14", None),
        (4, "2024-01-01", "2024-02-29", None),
    ],
    chair=("huyện", "Đồng Văn"),
    members=[("huyện", "Mèo Vạc"), ("huyện", "Yên Minh"), ("huyện", "Quản Bạ")],
    render=pdf_positioned,
)

LIST_2026 = PlanCase(
    name="communes-2026-numbered-list",
    year=2026,
    cluster="Cụm thi đua các xã biên giới",
    letterhead=["UBND XÃ BẢN LẦU"],
    opening=[
        "Bản Lầu, ngày 03 tháng 3 năm 2026",
        "KẾ HOẠCH",
        "Hoạt động Cụm thi đua các xã biên giới năm 2026",
        "UBND xã Bản Lầu - Trưởng Cụm thi đua các xã biên giới năm 2026 ban hành Kế hoạch:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Đẩy mạnh phong trào thi đua trong các xã.",
        "2. Bảo đảm thiết thực, hiệu quả.",
        "II. NỘI DUNG VÀ THỜI GIAN THỰC HIỆN",
        "1. Xây dựng Kế hoạch hoạt động của Cụm.",
        "- Đơn vị chủ trì: Trưởng Cụm.",
        "- Đơn vị phối hợp: Các xã thành viên.",
        "- Thời gian thực hiện: Tháng 3/2026.",
        "2. Ký kết giao ước thi đua. Đơn vị chủ trì: Trưởng Cụm; thời gian: chậm nhất ngày 31/3/2026.",
        "3. Trao đổi kinh nghiệm, nhân rộng điển hình tiên tiến.",
        "- Thời gian thực hiện: Thường xuyên trong năm.",
        "4. Kiểm tra chéo giữa các xã.",
        "- Thời gian: Tháng 10 đến tháng 11.",
        "5. Tổng kết, bình xét và bàn giao Trưởng Cụm.",
        "- Thời gian: Tháng 01/2027.",
        "III. TỔ CHỨC THỰC HIỆN",
        "Các xã thành viên: UBND xã Mường Khương, UBND xã Pha Long, UBND xã Bản Xen.",
    ],
    header=[],
    order=[],
    rows=[],
    closing=["Nơi nhận:", "- Như trên;", "- Lưu: VT."],
    signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    expected=[
        (1, "2026-03-01", "2026-03-31", None),
        (2, None, "2026-03-31", None),
        (3, "2026-01-01", "2026-12-31", "continuous"),
        (4, "2026-10-01", "2026-11-30", None),
        (5, "2027-01-01", "2027-01-31", None),
    ],
    chair=("xã", "Bản Lầu"),
    members=[("xã", "Mường Khương"), ("xã", "Pha Long"), ("xã", "Bản Xen")],
    render=lambda case: _lines(case, []),
)

CITIES_2024 = PlanCase(
    name="towns-2024-docx-sections-renumbered",
    year=2024,
    cluster="CỤM THI ĐUA CÁC THỊ XÃ, THÀNH PHỐ",
    letterhead=["UBND THỊ XÃ SƠN TÂY", "CỤM THI ĐUA CÁC THỊ XÃ, THÀNH PHỐ"],
    opening=[
        "Sơn Tây, ngày 12 tháng 3 năm 2024",
        "KẾ HOẠCH",
        "CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA CỤM THI ĐUA CÁC THỊ XÃ, THÀNH PHỐ NĂM 2024",
    ],
    header=[
        "TT",
        "Nội dung",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian thực hiện",
        "Ghi chú",
    ],
    order=STANDARD,
    rows=_table(
        """
        A. HOẠT ĐỘNG CHUNG
        1 | Ký giao ước thi đua | Trưởng Cụm | Các đơn vị | Ngày 26/3/2024 |
        2 | Tuyên truyền phong trào thi đua | Các đơn vị |  | Cả năm |
        B. BÁO CÁO
        1 | Báo cáo 6 tháng | Các đơn vị |  | Trước 20/6/2024 |
        2 | Báo cáo năm | Các đơn vị |  | Hạn cuối ngày 20/11/2024 |
        """
    ),
    closing=[
        "Nơi nhận:",
        "- UBND thành phố Bắc Ninh; UBND thị xã Từ Sơn; UBND thành phố Hòa Bình;",
        "- Lưu: VT.",
    ],
    signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH UBND THỊ XÃ SƠN TÂY"],
    expected=[
        (1, "2024-03-26", "2024-03-26", None),
        (2, "2024-01-01", "2024-12-31", "continuous"),
        (3, None, "2024-06-19", None),
        (4, None, "2024-11-20", None),
    ],
    chair=("thị xã", "Sơn Tây"),
    members=[("thành phố", "Bắc Ninh"), ("thị xã", "Từ Sơn"), ("thành phố", "Hòa Bình")],
    render=lambda case: docx_plan(case, recipients_beside_signature=True),
)


def _nfd(data: bytes) -> bytes:
    """A DOCX whose text was typed in NFD (decomposed), as some Vietnamese keyboards send."""
    import zipfile

    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "word/document.xml":
                content = unicodedata.normalize("NFD", content.decode()).encode()
            zout.writestr(item, content)
    return target.getvalue()


CASES = [
    NORTH_2023,
    PLAIN_2024,
    WARDS_2026,
    COMMUNES_2025,
    DEPARTMENTS_2026,
    HIGHLAND_2023,
    LIST_2026,
    CITIES_2024,
]
