"""Provinces' decisions on their clusters and blocs, built at test time in the shapes offices
write them (python-docx, fpdf2 with DejaVu Sans, openpyxl, plain text), with the clusters each
must give. Names are those of after July 2025: communes, wards, departments."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from fpdf import FPDF
from openpyxl import Workbook

LAO_CAI: list[dict[str, Any]] = [
    {
        "name": "Cụm 1",
        "kind": "cụm",
        "chair": "Phường Cam Đường",
        "deputy": "Xã Bát Xát",
        "members": ["Phường Cam Đường", "Phường Lào Cai", "Xã Bát Xát", "Xã Mường Hum"],
    },
    {
        "name": "Cụm 2",
        "kind": "cụm",
        "chair": "Phường Sa Pa",
        "deputy": None,
        "members": ["Phường Sa Pa", "Xã Y Tý", "Xã Bắc Hà"],
    },
    {
        "name": "Khối thi đua Nội chính",
        "kind": "khối",
        "chair": "Công an tỉnh",
        "deputy": "Sở Tư pháp",
        "members": ["Công an tỉnh", "Sở Tư pháp", "Thanh tra tỉnh", "Sở Nội vụ"],
    },
    {
        "name": "Khối thi đua Văn hóa - Xã hội",
        "kind": "khối",
        "chair": "Sở Văn hóa, Thể thao và Du lịch",
        "deputy": "Sở Y tế",
        "members": ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế", "Sở Giáo dục và Đào tạo"],
    },
]
"""Lào Cai's decision, as every shape of it must be read."""

LETTERHEAD = [
    "ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "QUYẾT ĐỊNH",
    "Về việc chia cụm, khối thi đua năm 2026",
    "- Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "- Theo đề nghị của Giám đốc Sở Nội vụ.",
    "QUYẾT ĐỊNH:",
    "Điều 1. Chia các cụm, khối thi đua của tỉnh như sau:",
]
CLOSING = [
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "1. Các cụm, khối thi đua xây dựng quy chế hoạt động.",
    "Nơi nhận:",
    "- Như Điều 2;",
    "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH",
]


def headed_lines(clusters: list[dict[str, Any]] = LAO_CAI) -> list[str]:
    """Headings introducing clusters and blocs, members dashed or numbered, "+ Cụm trưởng:"."""
    lines = list(LETTERHEAD)
    lines.append("I. CỤM THI ĐUA CÁC XÃ, PHƯỜNG:")
    blocs_started = False
    for number, cluster in enumerate(clusters, start=1):
        bloc = cluster["kind"] == "khối"
        if bloc and not blocs_started:
            lines.append("II. KHỐI THI ĐUA CÁC CƠ QUAN, SỞ, BAN, NGÀNH:")
            blocs_started = True
        lines.append(f"{number}. {cluster['name']} (gồm {len(cluster['members']):02d} đơn vị):")
        for i, member in enumerate(cluster["members"], start=1):
            end = "." if i == len(cluster["members"]) else ";"
            lines.append(f"{i}. {member}{end}" if bloc else f"- {member}{end}")
        word = "Khối" if bloc else "Cụm"
        if cluster["chair"]:
            chair = cluster["chair"]
            lines.append(f"+ {word} trưởng: UBND {chair[0].lower()}{chair[1:]}" if not bloc
                         else f"+ {word} trưởng: {chair}")  # fmt: skip
        if cluster["deputy"]:
            lines.append(f"+ Phó Trưởng {word}: {cluster['deputy']}")
    return lines + CLOSING


def _docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def headed_docx(lines: list[str] | None = None) -> bytes:
    document = Document()
    table = document.add_table(rows=1, cols=2)  # the letterhead, as offices lay it out
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 15/QĐ-UBND"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLào Cai, ngày 5 tháng 1 năm 2026"
    for line in headed_lines() if lines is None else lines:
        document.add_paragraph(line)
    return _docx_bytes(document)


def cut_off_docx() -> bytes:
    """The decision's first pages only: it ends inside the second cluster's list."""
    lines = headed_lines()
    end = lines.index("- Xã Y Tý;") + 1
    return headed_docx(lines[:end])


TABLE_HEADER = ["TT", "Tên cụm, khối thi đua", "Đơn vị thành viên", "Trưởng", "Phó"]


def table_docx(clusters: list[dict[str, Any]] = LAO_CAI) -> bytes:
    """An annex: one row per cluster, its members numbered lines of one cell."""
    document = Document()
    for line in LETTERHEAD[:5]:
        document.add_paragraph(line)
    document.add_paragraph("PHỤ LỤC: DANH SÁCH CÁC CỤM, KHỐI THI ĐUA")
    table = document.add_table(rows=len(clusters) + 1, cols=len(TABLE_HEADER))
    for column, title in enumerate(TABLE_HEADER):
        table.cell(0, column).text = title
    for r, cluster in enumerate(clusters, start=1):
        members = "\n".join(f"{i}. {m}" for i, m in enumerate(cluster["members"], start=1))
        cells = [str(r), cluster["name"], members, cluster["chair"] or "", cluster["deputy"] or ""]
        for column, text in enumerate(cells):
            table.cell(r, column).text = text
    for line in CLOSING:
        document.add_paragraph(line)
    return _docx_bytes(document)


def _font() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


DIEN_BIEN: list[dict[str, Any]] = [
    {
        "name": "Cụm thi đua số 1",
        "kind": "cụm",
        "chair": "Phường Điện Biên Phủ",
        "deputy": "Phường Mường Thanh",
        "members": ["Phường Điện Biên Phủ", "Phường Mường Thanh", "Phường Mường Lay"],
    },
    {
        "name": "Cụm thi đua số 2",
        "kind": "cụm",
        "chair": "Xã Tuần Giáo",
        "deputy": None,
        "members": ["Xã Tuần Giáo", "Xã Mường Ảng", "Xã Na Sang", "Xã Mường Phăng"],
    },
    {
        "name": "Khối các cơ quan tổng hợp",
        "kind": "khối",
        "chair": "Sở Tài chính",
        "deputy": "Văn phòng UBND tỉnh",
        "members": ["Sở Tài chính", "Văn phòng UBND tỉnh", "Sở Nông nghiệp và Môi trường"],
    },
]
"""Điện Biên's decision, sent as a text PDF."""


def dien_bien_lines() -> list[str]:
    """Headings without an introducing one, "Trưởng khối:" and "Phó Trưởng Cụm:" lines."""
    lines = ["ỦY BAN NHÂN DÂN TỈNH ĐIỆN BIÊN", "Điều 1. Thành lập các cụm, khối thi đua:"]
    for cluster in DIEN_BIEN:
        word = "Khối" if cluster["kind"] == "khối" else "Cụm"
        lines.append(cluster["name"] + ":")
        lines += [f"- {m};" for m in cluster["members"]]
        lines.append(f"Trưởng {word.lower()}: {cluster['chair']}.")
        if cluster["deputy"]:
            lines.append(f"Phó Trưởng {word}: {cluster['deputy']}.")
    return [*lines, "Điều 2. Các cụm, khối thi đua hoạt động theo quy chế."]


def text_pdf(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(_font()))
    pdf.set_font("dejavu", size=11)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


PLAIN_TEXT = """ỦY BAN NHÂN DÂN TỈNH LÀO CAI
Điều 1. Chia cụm thi đua các xã vùng cao như sau:

1. Cụm thi đua các xã vùng cao phía Bắc (gồm 03 đơn vị):
 1. UBND xã Y Tý (Cụm trưởng);
 2. UBND xã Bát Xát;
 3. UBND xã Mường Hum.
   Cụm phó: UBND xã Bát Xát

2. Khối thi đua các cơ quan Đảng
 - Ban Tổ chức Tỉnh ủy - Khối trưởng;
 - Ban Tuyên giáo và Dân vận Tỉnh ủy;
 - Văn phòng Tỉnh ủy.

Điều 2. Quyết định có hiệu lực kể từ ngày ký.
"""
PLAIN_TEXT_CLUSTERS: list[dict[str, Any]] = [
    {
        "name": "Cụm thi đua các xã vùng cao phía Bắc",
        "kind": "cụm",
        "chair": "UBND xã Y Tý",
        "deputy": "UBND xã Bát Xát",
        "members": ["UBND xã Y Tý", "UBND xã Bát Xát", "UBND xã Mường Hum"],
    },
    {
        "name": "Khối thi đua các cơ quan Đảng",
        "kind": "khối",
        "chair": "Ban Tổ chức Tỉnh ủy",
        "deputy": None,
        "members": [
            "Ban Tổ chức Tỉnh ủy",
            "Ban Tuyên giáo và Dân vận Tỉnh ủy",
            "Văn phòng Tỉnh ủy",
        ],
    },
]


def decision_xlsx(clusters: list[dict[str, Any]] = LAO_CAI) -> bytes:
    """A province's own sheet: one member per row, the cluster cell merged down its rows, the
    chair and deputy marked in a note column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append(["DANH SÁCH CỤM, KHỐI THI ĐUA NĂM 2026"])
    sheet.append(["STT", "Cụm, khối thi đua", "Tên đơn vị", "Ghi chú"])
    number = 0
    for cluster in clusters:
        first = sheet.max_row + 1
        for member in cluster["members"]:
            number += 1
            word = "Trưởng " if member == cluster["chair"] else ""
            word = "Phó Trưởng " if member == cluster["deputy"] else word
            note = word + ("Khối" if cluster["kind"] == "khối" else "Cụm") if word else ""
            sheet.append([number, cluster["name"], member, note])
        if len(cluster["members"]) > 1:
            sheet.merge_cells(start_row=first, start_column=2, end_row=sheet.max_row, end_column=2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_pdf(clusters: list[dict[str, Any]] = LAO_CAI) -> bytes:
    """The annex as a text PDF with a ruled table whose member column is narrow enough that
    long names wrap inside their cell."""
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(_font()))
    pdf.add_font("dejavu", style="B", fname=str(_font().with_name("DejaVuSans-Bold.ttf")))
    pdf.set_font("dejavu", size=9)
    pdf.add_page()
    for line in [*LETTERHEAD[:5], "PHỤ LỤC: DANH SÁCH CÁC CỤM, KHỐI THI ĐUA"]:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(8, 40, 42, 50, 40), text_align="LEFT") as table:
        for r, cluster in enumerate(clusters, start=1):
            if r == 1:
                header = table.row()
                for title in TABLE_HEADER:
                    header.cell(title)
            members = "\n".join(f"- {m}" for m in cluster["members"])
            row = table.row()
            for text in (str(r), cluster["name"], members, cluster["chair"], cluster["deputy"]):
                row.cell(text or "")
    for line in CLOSING:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
