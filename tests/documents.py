"""Real office documents made by the tests themselves (python-docx, fpdf2)."""

from __future__ import annotations

import io

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
