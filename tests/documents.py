"""Real office documents made by the tests themselves (python-docx, fpdf2)."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from fpdf import FPDF


def docx_bytes(title: str = "Báo cáo kết quả thi đua 6 tháng đầu năm 2022") -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph("UBND huyện Mường Ảng báo cáo kết quả thực hiện công tác thi đua.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Chỉ tiêu", "Kết quả"
    table.cell(1, 0).text, table.cell(1, 1).text = "Phong trào", "Hoàn thành"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(pages: int = 2, text: str = "Bao cao ket qua thi dua") -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for page in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(0, 10, f"{text} - trang {page}")
    return bytes(pdf.output())


SEED = Path(__file__).parent / "fixtures" / "seed-plan-2022.txt"
HEADER = [
    "TT",
    "Nội dung, nhiệm vụ chủ yếu",
    "Cơ quan thực hiện",
    "Đơn vị phối hợp",
    "Thời gian thực hiện",
    "Ghi chú",
]
PARAGRAPHS = [
    "KẾ HOẠCH",
    "Triển khai, thực hiện công tác thi đua, khen thưởng Cụm thi đua vùng thấp năm 2022",
    "II. NỘI DUNG, NHIỆM VỤ, THỜI GIAN THỰC HIỆN",
]
CLOSING = [
    "1. Trưởng cụm thi đua (UBND huyện Tuần Giáo)",
    "Nơi nhận:",
    "- Ban TĐKT tỉnh Điện Biên;",
    "- UBND các huyện: Mường Ảng, Điện Biên, UBND thị xã Mường Lay, UBND thành phố Điện Biên Phủ;",
]


def seed_rows() -> list[list[str]]:
    """The seed's task table as the document has it: row 7 broken over two rows."""
    rows = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("TT"):
            rows.append((line.split("\t") + [""] * 6)[:6])
    return rows


def plan_docx(rows: list[list[str]]) -> bytes:
    """A Word plan: paragraphs, the table (the responsible cells of rows 1–3 merged vertically,
    as offices do with repeated values), closing paragraphs."""
    document = Document()
    for text in PARAGRAPHS:
        document.add_paragraph(text)
    table = document.add_table(rows=len(rows) + 1, cols=6)
    for column, title in enumerate(HEADER):
        table.cell(0, column).text = title
    for r, row in enumerate(rows, start=1):
        for column, text in enumerate(row):
            if not (column == 2 and r in (2, 3)):
                table.cell(r, column).text = text
    table.cell(1, 2).merge(table.cell(3, 2))
    table.cell(1, 2).text = "Trưởng Cụm"
    for text in CLOSING:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_pdf(rows: list[list[str]]) -> bytes:
    """The same plan as a text PDF with a ruled table (fpdf2, DejaVu Sans for Vietnamese)."""
    import matplotlib

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = FPDF(orientation="L")
    pdf.add_font("dejavu", fname=str(font))
    pdf.add_font("dejavu", style="B", fname=str(font.with_name("DejaVuSans-Bold.ttf")))
    pdf.set_font("dejavu", size=8)
    pdf.add_page()
    for text in PARAGRAPHS:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(8, 110, 25, 30, 35, 25), text_align="LEFT") as table:
        for row in [HEADER, *rows]:
            cells = table.row()
            for text in row:
                cells.cell(text)
    for text in CLOSING:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
