# ruff: noqa: E501 (the tables' rows are written one a line)
"""Official scoring tables of other provinces and years, written for the tests, built into
DOCX, XLSX and ruled PDF at test time, with what the reader must make of them: roman groups
numbered afresh in each (DOCX, a bonus/penalty group outside the total), letter groups numbered
through with a rule column and a) b) sub-criteria (XLSX, merged group rows), a bloc's table as
a PDF; one whose sums disagree; and a realistic 60-criterion table with sub-criteria."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from fpdf import FPDF
from openpyxl import Workbook

Row = tuple[str, str, str, str]
"""TT, name, maximum, rule (the rule column, or a line under the row when the table has none)."""


def _rows(text: str) -> list[Row]:
    rows: list[Row] = []
    for line in text.strip().splitlines():
        cells = [c.strip() for c in line.split("|")]
        code, name, points, rule = [*cells, "", "", "", ""][:4]
        rows.append((code, name, points, rule))
    return rows


@dataclass
class TableCase:
    name: str
    title: str
    header: list[str]
    rows: list[Row]
    kind: str
    """``docx``, ``xlsx`` or ``pdf``."""
    rule_column: bool = True
    """False: the rule is written on a line of its own under the row (TT empty)."""

    def data(self) -> bytes:
        return {"docx": docx_table, "xlsx": xlsx_table, "pdf": pdf_table}[self.kind](self)

    def grid(self) -> list[list[str]]:
        """The table as the document lays it out: header, then each row (a rule on its own
        line where the table has no rule column)."""
        width = len(self.header)
        out = [list(self.header)]
        for code, name, points, rule in self.rows:
            if self.rule_column:
                out.append([code, name, points, rule, *[""] * (width - 4)])
            else:
                out.append([code, name, points, *[""] * (width - 3)])
                if rule:
                    out.append(["", rule, "", *[""] * (width - 3)])
        return out


def docx_table(case: TableCase) -> bytes:
    document = Document()
    for text in ("UBND TỈNH LAI CHÂU", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", case.title):
        document.add_paragraph(text)
    grid = case.grid()
    table = document.add_table(rows=len(grid), cols=len(case.header))
    table.style = "Table Grid"
    for r, cells in enumerate(grid):
        group = cells[0] and not cells[0][0].isdigit() and not cells[2] and r > 0
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
        if group and cells[1] and not any(cells[3:]):  # a group heading merged across
            merged = table.cell(r, 1).merge(table.cell(r, len(case.header) - 1))
            merged.text = cells[1]
    document.add_paragraph("Nơi nhận: - Như trên; - Lưu: VT.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_table(case: TableCase) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Bảng điểm"
    sheet.append([case.title])
    sheet.append([])
    for r, cells in enumerate(case.grid(), start=3):
        values: list[object] = []
        for c, text in enumerate(cells):
            if c == 2 and text.replace(",", "").isdigit():
                values.append(float(text.replace(",", ".")) if "," in text else int(text))
            else:
                values.append(text or None)
        sheet.append(values)
        if cells[0] and cells[0].isalpha() and cells[0].isupper() and not cells[2]:
            sheet.merge_cells(start_row=r, start_column=2, end_row=r, end_column=len(cells))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf_table(case: TableCase) -> bytes:
    import matplotlib

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = FPDF(orientation="L")
    pdf.add_font("dejavu", fname=str(font))
    pdf.add_font("dejavu", style="B", fname=str(font.with_name("DejaVuSans-Bold.ttf")))
    pdf.set_font("dejavu", size=8)
    pdf.add_page()
    pdf.multi_cell(0, 5, case.title, new_x="LMARGIN", new_y="NEXT")
    widths = (12, 120, 22, 100, 25)[: len(case.header)]
    with pdf.table(col_widths=widths, text_align="LEFT") as table:
        for cells in case.grid():
            row = table.row()
            for text in cells:
                row.cell(text)
    return bytes(pdf.output())


DISTRICTS_2024 = TableCase(
    name="districts-2024-docx",
    title="BẢNG TIÊU CHÍ CHẤM ĐIỂM THI ĐUA CÁC CỤM, KHỐI THI ĐUA NĂM 2024",
    header=["TT", "Nội dung tiêu chí", "Điểm chuẩn", "Điểm tự chấm", "Ghi chú"],
    kind="docx",
    rule_column=False,
    rows=_rows(
        """
        I | THỰC HIỆN NHIỆM VỤ PHÁT TRIỂN KINH TẾ - XÃ HỘI | 50 |
        1 | Thu ngân sách nhà nước trên địa bàn | 20 | Đạt 100% kế hoạch được 20 điểm; mỗi 1% giảm trừ 0,2 điểm.
        2 | Giảm tỷ lệ hộ nghèo theo kế hoạch | 10 | Hoàn thành 100% chỉ tiêu được 10 điểm; không đạt chỉ tiêu 0 điểm.
        3 | Xây dựng nông thôn mới | 20 |
        3.1 | Số xã đạt chuẩn nông thôn mới trong năm | 12 | Mỗi xã đạt chuẩn được 4 điểm, tối đa 12 điểm.
        3.2 | Ban hành kế hoạch xây dựng nông thôn mới | 8 | Hoàn thành được 8 điểm, không hoàn thành 0 điểm.
        II | CÔNG TÁC THI ĐUA, KHEN THƯỞNG | 30 |
        1 | Ban hành kế hoạch phát động phong trào thi đua | 10 | Có kế hoạch được 10 điểm; không có kế hoạch không chấm điểm.
        2 | Mô hình, điển hình tiên tiến được nhân rộng | 10 | Mỗi mô hình được 2,5 điểm, tối đa 10 điểm.
        3 | Tham gia các hoạt động của Cụm | 10 |
        III | XÂY DỰNG ĐẢNG, CHÍNH QUYỀN | 20 |
        1 | Cải cách hành chính | 20 | Đạt 100% kế hoạch được 20 điểm; mỗi 1% giảm trừ 1 điểm.
        | Tổng cộng | 100 |
        IV | ĐIỂM THƯỞNG, ĐIỂM TRỪ (ngoài tổng điểm) |  |
        1 | Được tặng Cờ thi đua của Chính phủ | +3 |
        2 | Có sáng kiến được công nhận cấp tỉnh | 5 | Mỗi sáng kiến cộng 1 điểm, tối đa 5 điểm.
        3 | Để xảy ra vụ việc phức tạp về an ninh trật tự | trừ 5 điểm |
        """
    ),
)
DISTRICTS_2024_EXPECTED = {
    "total": 100,
    "groups": [
        (
            "I",
            50,
            [
                ("1", 20, "quantitative", []),
                ("2", 10, "quantitative", []),
                ("3", 20, None, [("3.1", 12, "per_occurrence", []), ("3.2", 8, "qualitative", [])]),
            ],
        ),
        (
            "II",
            30,
            [
                ("1", 10, "qualitative", []),
                ("2", 10, "per_occurrence", []),
                ("3", 10, "qualitative", []),
            ],
        ),
        ("III", 20, [("1", 20, "quantitative", [])]),
    ],
    "bonus_penalty": [("1", 0, 3), ("2", 0, 5), ("3", -5, 0)],
    "flagged": [("no_rule", "3"), ("rate", "1")],
}

COMMUNES_2026 = TableCase(
    name="communes-2026-xlsx",
    title="Bảng chấm điểm thi đua Cụm thi đua các xã, phường năm 2026",
    header=["STT", "Tiêu chí", "Điểm tối đa", "Cách chấm điểm", "Điểm đơn vị tự chấm", "Ghi chú"],
    kind="xlsx",
    rows=_rows(
        """
        A | Thực hiện nhiệm vụ chính trị |  |
        1 | Tổng thu ngân sách xã | 15 | Đạt 100% dự toán được 15 điểm; tính theo tỷ lệ thuận.
        2 | Chuyển đổi số, dịch vụ công trực tuyến | 10 |
        a) | Tỷ lệ hồ sơ trực tuyến toàn trình | 6 | Đạt 80% trở lên được 6 điểm; dưới 80% không được điểm.
        b) | Số thủ tục được số hóa | 4 | Mỗi thủ tục được 0,5 điểm, tối đa 4 điểm.
        3 | Giải quyết đơn thư đúng hạn | 5 | Đạt: 5 điểm; không đạt: 0 điểm.
        B | Công tác thi đua, khen thưởng | 20 |
        4 | Gửi báo cáo 6 tháng, năm đúng hạn | 10 | Đúng hạn được 10 điểm.
        5 | Xây dựng và nhân rộng điển hình | 10 | 2 điểm/điển hình, tối đa 10 điểm.
        C | Hoạt động của Cụm | 10 |
        6 | Tham gia giao ước, kiểm tra chéo | 10 | Hoàn thành được 10 điểm, không hoàn thành 0 điểm.
        | Tổng số điểm | 60 |
        D | Điểm thưởng |  |
        7 | Đơn vị được tặng Bằng khen của Thủ tướng Chính phủ | 2 |
        8 | Sáng kiến, mô hình mới | 3 | Cộng tối đa 3 điểm.
        """
    ),
)
COMMUNES_2026_EXPECTED = {
    "total": 60,
    "groups": [
        (
            "A",
            30,
            [
                ("1", 15, "quantitative", []),
                ("2", 10, None, [("a)", 6, "quantitative", []), ("b)", 4, "per_occurrence", [])]),
                ("3", 5, "qualitative", []),
            ],
        ),
        ("B", 20, [("4", 10, "qualitative", []), ("5", 10, "per_occurrence", [])]),
        ("C", 10, [("6", 10, "qualitative", [])]),
    ],
    "bonus_penalty": [("7", 0, 2), ("8", 0, 3)],
    "flagged": [("no_rule", "4")],
}

DEPARTMENTS_2025 = TableCase(
    name="departments-2025-pdf",
    title="BẢNG TIÊU CHÍ THI ĐUA KHỐI CÁC SỞ, BAN, NGÀNH NĂM 2025",
    header=["TT", "Nội dung", "Thang điểm", "Hướng dẫn chấm"],
    kind="pdf",
    rows=_rows(
        """
        I | Thực hiện nhiệm vụ chuyên môn | 60 |
        1 | Hoàn thành các chỉ tiêu được giao | 30 | Đạt 100% chỉ tiêu được 30 điểm; mỗi 1% giảm trừ 0,3 điểm.
        2 | Cải cách hành chính | 30 |
        2.1 | Chỉ số cải cách hành chính | 20 | Đạt 100% được 20 điểm; tính tỷ lệ thuận.
        2.2 | Giải quyết hồ sơ đúng hạn | 10 | Hoàn thành được 10 điểm, không hoàn thành 0 điểm.
        II | Công tác thi đua | 40 |
        1 | Tổ chức phong trào thi đua chuyên đề | 20 | Mỗi phong trào được 5 điểm, tối đa 20 điểm.
        2 | Khen thưởng kịp thời, đúng quy định | 20 | Đạt được 20 điểm; không đạt 0 điểm.
        | Tổng cộng | 100 |
        III | Điểm trừ |  |
        1 | Có cán bộ bị kỷ luật | 5 |
        2 | Chậm gửi báo cáo | 3 | Mỗi lần trừ 1 điểm, tối đa trừ 3 điểm.
        """
    ),
)
DEPARTMENTS_2025_EXPECTED = {
    "total": 100,
    "groups": [
        (
            "I",
            60,
            [
                ("1", 30, "quantitative", []),
                ("2", 30, None, [("2.1", 20, "quantitative", []), ("2.2", 10, "qualitative", [])]),
            ],
        ),
        ("II", 40, [("1", 20, "per_occurrence", []), ("2", 20, "qualitative", [])]),
    ],
    "bonus_penalty": [("1", -5, 0), ("2", -3, 0)],
    "flagged": [],
}

CASES = [
    (DISTRICTS_2024, DISTRICTS_2024_EXPECTED),
    (COMMUNES_2026, COMMUNES_2026_EXPECTED),
    (DEPARTMENTS_2025, DEPARTMENTS_2025_EXPECTED),
]

WRONG_SUMS = TableCase(
    name="wrong-sums-docx",
    title="BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2025",
    header=["TT", "Nội dung tiêu chí", "Điểm chuẩn", "Cách chấm"],
    kind="docx",
    rows=_rows(
        """
        I | Nhiệm vụ chính trị | 40 |
        1 | Phát triển kinh tế | 25 |
        1.1 | Tăng trưởng | 10 | Đạt 100% kế hoạch được 10 điểm; tính theo tỷ lệ thuận.
        1.2 | Thu ngân sách | 10 | Đạt 100% dự toán được 10 điểm; tính theo tỷ lệ thuận.
        2 | Văn hóa - xã hội | 15 | Hoàn thành được 15 điểm, không hoàn thành 0 điểm.
        II | Thi đua, khen thưởng | 60 |
        1 | Phong trào thi đua | 30 | Mỗi phong trào được 10 điểm, tối đa 30 điểm.
        2 | Báo cáo đúng hạn | 20 | Đúng hạn được 20 điểm, không đúng hạn 0 điểm.
        | Tổng cộng | 100 |
        """
    ),
)
"""Criterion I.1 writes 25 over sub-criteria of 10 + 10; group II writes 60 over 30 + 20 (the
groups as written make the total, 100)."""


def sixty_criteria() -> TableCase:
    """A realistic table: six groups, 60 scored criteria, some made of sub-criteria, every
    kind, a bonus/penalty group; 100 points in the groups, 1000 in all (the province's scale)."""
    topics = [
        "Phát triển kinh tế",
        "Văn hóa - xã hội",
        "Quốc phòng - an ninh",
        "Xây dựng chính quyền",
        "Công tác thi đua, khen thưởng",
        "Hoạt động của Cụm",
    ]
    rows: list[Row] = []
    count = 0
    for g, topic in enumerate(topics):
        roman = ["I", "II", "III", "IV", "V", "VI"][g]
        rows.append((roman, topic.upper(), "", ""))
        group_rows: list[Row] = []
        n = 0
        while n < 10:
            number = str(sum(1 for r in group_rows if "." not in r[0]) + 1)
            if n % 5 == 4 and n + 1 < 10:  # a criterion of two sub-criteria
                group_rows.append((number, f"{topic}: nội dung tổng hợp {n + 1}", "30", ""))
                group_rows.append(
                    (
                        f"{number}.1",
                        f"{topic}: chỉ tiêu {n + 1}",
                        "15",
                        "Đạt 100% kế hoạch được 15 điểm; tính theo tỷ lệ thuận.",
                    )
                )
                group_rows.append(
                    (
                        f"{number}.2",
                        f"{topic}: chỉ tiêu {n + 2}",
                        "15",
                        "Mỗi mô hình được 2,5 điểm, tối đa 15 điểm.",
                    )
                )
                n += 2
                continue
            rule = [
                "Hoàn thành được 15 điểm, không hoàn thành 0 điểm.",
                "Mỗi lượt được 1,5 điểm, tối đa 15 điểm.",
                "Đạt 100% chỉ tiêu được 15 điểm; mỗi 1% giảm trừ 0,15 điểm.",
                "Đạt: 15 điểm; không đạt: 0 điểm.",
            ][n % 4]
            group_rows.append((number, f"{topic}: tiêu chí {n + 1}", "15", rule))
            n += 1
        rows += group_rows
        count += 10
    rows.append(("", "Tổng cộng", "900", ""))
    rows += [
        ("VII", "ĐIỂM THƯỞNG, ĐIỂM TRỪ", "", ""),
        ("1", "Được tặng Cờ thi đua của Chính phủ", "+20", ""),
        ("2", "Sáng kiến cấp tỉnh", "30", "Mỗi sáng kiến cộng 10 điểm, tối đa 30 điểm."),
        ("3", "Vi phạm kỷ luật tài chính", "trừ 20 điểm", ""),
    ]
    assert count == 60
    return TableCase(
        name="sixty-criteria-docx",
        title="BẢNG CHẤM ĐIỂM THI ĐUA CỤM CÁC XÃ VÙNG CAO NĂM 2026",
        header=["TT", "Nội dung tiêu chí", "Điểm chuẩn", "Cách chấm điểm", "Ghi chú"],
        kind="docx",
        rows=rows,
    )
