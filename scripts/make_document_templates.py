"""Writes the bundled DOCX templates of the official documents (bot/data/document_templates/).

Run it after changing the layout: `.venv/bin/python scripts/make_document_templates.py`, then
commit the .docx files. The layout follows Nghị định 30/2020/NĐ-CP (Phụ lục I): A4, margins
20/20/30/15 mm, Times New Roman (LibreOffice sets it in the metric-compatible Liberation Serif,
which has every Vietnamese letter), proofing language vi-VN; the national motto and the
issuing body side by side, each with a short rule beneath; number and date line; title; body
at 14 pt, justified; "Nơi nhận" and the signature block side by side (in the minutes, Nơi nhận
under the secretary's signature, as Mẫu 1.5 of Phụ lục III has it); page numbers at the top
centre from page 2. Fields and loops are docxtpl (Jinja) tags on the document data objects of
``bot/outputs/document_data.py`` (``doc``); a province edits a copy in Word, keeping the tags.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

OUT = Path(__file__).resolve().parents[1] / "bot" / "data" / "document_templates"
FONT = "Times New Roman"
LANGUAGE = "vi-VN"
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY

Container = DocumentType | _Cell


def _document() -> DocumentType:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.header_distance = Cm(1)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    _vietnamese(doc)
    _page_numbers(doc)
    return doc


def _vietnamese(doc: DocumentType) -> None:
    """Vietnamese as the proofing language: the defaults, every style that names a language,
    and the theme's (so Word checks the spelling as Vietnamese, not English)."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if defaults.find(qn("w:lang")) is None:
        defaults.append(OxmlElement("w:lang"))
    for language in styles.iter(qn("w:lang")):
        for attribute in ("w:val", "w:eastAsia"):
            language.set(qn(attribute), LANGUAGE)
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)


def _page_numbers(doc: DocumentType) -> None:
    """The page number at the top centre, from the second page (Nghị định 30, Phụ lục I)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _paragraph(
    where: Container,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    before: float = 0,
    after: float = 0,
) -> Paragraph:
    paragraph = where.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    paragraph.alignment = align
    layout = paragraph.paragraph_format
    layout.space_before, layout.space_after = Pt(before), Pt(after)
    if indent:
        layout.first_line_indent = Cm(1.27)
    return paragraph


def _body(doc: DocumentType, text: str, *, bold: bool = False) -> Paragraph:
    return _paragraph(doc, text, bold=bold, align=JUSTIFY, indent=True, after=6)


def _lines(doc: DocumentType, items: str, text: str = "{{ line }}") -> None:
    """A body paragraph per item of ``items`` (a template expression), none when it is empty."""
    _tag(doc, "{%p for line in " + items + " %}")
    _body(doc, text)
    _tag(doc, "{%p endfor %}")


def _tag(where: Container, tag: str) -> None:
    """A docxtpl paragraph tag (``{%p … %}``): the paragraph disappears when rendered."""
    _paragraph(where, tag, size=10)


def _rule(where: Container, indent_cm: float) -> None:
    """A short horizontal rule: an empty tiny paragraph with a bottom border, indented."""
    paragraph = _paragraph(where, align=CENTER, before=1, after=2)
    layout = paragraph.paragraph_format
    layout.left_indent = layout.right_indent = Cm(indent_cm)
    layout.line_spacing = Pt(2)
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.append(borders)


def _no_borders(table: Table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _widths(table: Table, widths: list[float]) -> None:
    """Column widths in the grid (LibreOffice reads these) and in every cell (Word does)."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _tight_cells(table: Table) -> None:
    """Narrow cell margins, so the motto fits its column on one line at 13 pt."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "30")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _two_columns(doc: DocumentType, left: float = 6.6, right: float = 10.4, rows: int = 1) -> Table:
    """A borderless layout table whose rows never split across pages."""
    table = doc.add_table(rows=rows, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    _tight_cells(table)
    _widths(table, [left, right])
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            cell._tc.remove(cell.paragraphs[0]._p)
    return table


def _letterhead(doc: DocumentType) -> None:
    """Issuing body | national motto; number | place and date."""
    table = _two_columns(doc)
    body, motto = table.rows[0].cells
    _paragraph(body, "{{ doc.head.governing_body }}", size=13, align=CENTER)
    _paragraph(body, "{{ doc.head.issuing_body }}", size=13, bold=True, align=CENTER)
    _rule(body, 2.0)
    _paragraph(
        body,
        "Số: {{ doc.head.number or '        ' }}/{{ doc.head.symbol }}",
        size=13,
        align=CENTER,
        before=4,
    )
    _paragraph(motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True, align=CENTER)
    _paragraph(motto, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, align=CENTER)
    _rule(motto, 2.05)
    _paragraph(
        motto,
        "{{ doc.head.place }}, {{ doc.head.day }}",
        size=14,
        italic=True,
        align=CENTER,
        before=4,
    )


def _title(doc: DocumentType, kind: str, summary: str) -> None:
    _paragraph(doc, kind, bold=True, align=CENTER, before=18)
    _paragraph(doc, summary, bold=True, align=CENTER)
    _rule(doc, 6.5)
    _paragraph(doc, after=6)


def _grid(
    doc: DocumentType,
    headers: list[str],
    row: list[str],
    loop: str,
    widths: list[float],
    text_columns: tuple[int, ...] = (1,),
) -> None:
    """A bordered table: a header row repeated on each page, then one row per item
    (``{%tr for … %}``); ``text_columns`` are aligned left, the others centred."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _widths(table, widths)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _fill(cell, text, bold=True, align=CENTER)
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr " + loop + " %}")
    for index, (cell, text) in enumerate(zip(table.rows[2].cells, row, strict=True)):
        _fill(cell, text, align=None if index in text_columns else CENTER)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header.append(repeat)
    _paragraph(doc, after=6)


def _fill(
    cell: _Cell, text: str, *, bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None
) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(13), bold
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)


def _recipients(where: Container) -> None:
    _paragraph(where, "Nơi nhận:", size=12, bold=True, italic=True, before=6)
    _tag(where, "{%p for line in doc.head.recipients %}")
    _paragraph(where, "- {{ line }}", size=11)
    _tag(where, "{%p endfor %}")


DOTS = "………………………………………………"
"""A line to fill in by hand, where the bot does not know the value."""
BLANK_NAME = "……………………………"
"""Where the bot does not know a signer's name: a line to write it on."""


def _signature(where: Container, capacity: str, title: str, name: str) -> None:
    """Capacity and title, room to sign, then the name (``name`` is a template expression)."""
    _paragraph(where, capacity, bold=True, align=CENTER, before=6)
    if title:
        _paragraph(where, title, bold=True, align=CENTER)
    for _blank in range(4):
        _paragraph(where)
    _paragraph(where, "{{ " + name + " or '" + BLANK_NAME + "' }}", bold=True, align=CENTER)


def _keep_with_signatures(doc: DocumentType, paragraphs: int) -> None:
    """The last ``paragraphs`` before the signatures go to the page they are on, so a
    signature never stands alone on a page."""
    for paragraph in doc.paragraphs[-paragraphs:]:
        paragraph.paragraph_format.keep_with_next = True


def _closing(doc: DocumentType) -> None:
    """Nơi nhận at the left, the signature block at the right."""
    _paragraph(doc, after=6)
    _keep_with_signatures(doc, 2)
    table = _two_columns(doc, 7.0, 9.5)
    left, right = table.rows[0].cells
    _recipients(left)
    _signature(
        right,
        "{{ doc.head.signer_capacity }}",
        "{{ doc.head.signer_title }}",
        "doc.head.signer_name",
    )


def _ranking_table(doc: DocumentType, proposal: bool) -> None:
    headers = ["Hạng", "Đơn vị", "Tự chấm", "Điểm duyệt", "Xếp loại"]
    row = [
        "{{ r.rank }}",
        "{{ r.unit }}",
        "{{ r.self_score }}",
        "{{ r.score }}",
        "{{ r.classification }}",
    ]
    widths = [1.8, 4.9, 2.2, 2.2, 4.9]
    if proposal:
        headers.append("Đề nghị")
        row.append("{{ r.proposal }}")
        widths = [1.8, 4.3, 1.9, 1.9, 3.5, 2.6]
    _grid(doc, headers, row, "for r in doc.ranking", widths, (1, 4, 5))


PROVISIONAL = (
    "Kết quả chấm điểm, xếp hạng dưới đây là kết quả tạm tính (điểm tự chấm và điểm duyệt đến "
    "ngày lập văn bản); {{ doc.head.chair_title }} chưa chốt điểm."
)


def _provisional(doc: DocumentType) -> None:
    _tag(doc, "{%p if not doc.scores_locked %}")
    _body(doc, PROVISIONAL)
    _tag(doc, "{%p endif %}")


def _adjustments_and_eligibility(doc: DocumentType) -> None:
    """Every bonus and penalty with its reason; the units an award may not go to, and why."""
    _tag(doc, "{%p if doc.adjustments %}")
    _body(doc, "Điểm thưởng, điểm trừ của các đơn vị:")
    _lines(doc, "doc.adjustments", "- {{ line }}")
    _tag(doc, "{%p endif %}")
    _lines(doc, "doc.not_eligible")


def _report() -> DocumentType:
    doc = _document()
    _letterhead(doc)
    _title(
        doc,
        "BÁO CÁO",
        "{% if doc.mid_year %}Sơ kết{% else %}Tổng kết{% endif %} công tác thi đua, khen thưởng "
        "{{ doc.period }} của {{ doc.cluster }}",
    )
    _body(
        doc,
        "Thực hiện Kế hoạch công tác thi đua, khen thưởng của {{ doc.cluster }}, "
        "{{ doc.chair }} ({{ doc.head.chair_title }}) báo cáo kết quả {{ doc.period }} như sau:",
    )
    _body(doc, "I. TÌNH HÌNH THỰC HIỆN CHẾ ĐỘ BÁO CÁO", bold=True)
    _body(
        doc,
        "{{ doc.head.noun }} có {{ doc.units|length }} đơn vị: {{ doc.units|join(', ') }}. "
        "{{ doc.head.chair_title }} "
        "đã nhận {{ doc.sent }}/{{ doc.owed }} báo cáo phải gửi, đạt {{ doc.completion }} %.",
    )
    _grid(
        doc,
        ["TT", "Đơn vị", "Báo cáo", "Thời gian nhận", "Tình trạng"],
        [
            "{{ loop.index }}",
            "{{ r.unit }}",
            "{{ r.report }}",
            "{{ r.received }}",
            "{% if r.status == 'on_time' %}Đã nộp đúng hạn{% elif r.status == 'late' %}Đã "
            "nộp, trễ {{ r.days_late }} ngày{% elif r.status == 'excused' %}Được miễn{% else %}"
            "Chưa nộp{% endif %}",
        ],
        "for r in doc.reports",
        [1.0, 4.0, 5.3, 2.7, 3.0],
        (1, 2),
    )
    _tag(doc, "{%p if doc.late_units %}")
    _body(doc, "Đơn vị gửi báo cáo trễ hạn: {{ doc.late_units|join(', ') }}.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if doc.missing_units %}")
    _body(doc, "Đơn vị chưa gửi đủ báo cáo: {{ doc.missing_units|join(', ') }}.")
    _tag(doc, "{%p endif %}")
    _body(doc, "II. KẾT QUẢ KIỂM TRA CHÉO", bold=True)
    _tag(doc, "{%p if doc.inspections %}")
    _grid(
        doc,
        ["TT", "Đơn vị kiểm tra", "Đơn vị được kiểm tra", "Kết quả"],
        ["{{ loop.index }}", "{{ i.inspector }}", "{{ i.inspected }}", "{{ i.result }}"],
        "for i in doc.inspections",
        [1.1, 4.6, 4.6, 5.7],
        (1, 2, 3),
    )
    _tag(doc, "{%p else %}")
    _body(doc, "Trong kỳ báo cáo, {{ doc.head.noun }} chưa tổ chức kiểm tra chéo.")
    _tag(doc, "{%p endif %}")
    _body(doc, "III. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG", bold=True)
    _tag(doc, "{%p if doc.ranking %}")
    _provisional(doc)
    _ranking_table(doc, proposal=True)
    _lines(doc, "doc.ties")
    _adjustments_and_eligibility(doc)
    _tag(doc, "{%p else %}")
    _body(doc, "Đến ngày báo cáo, chưa có đơn vị gửi bảng tự chấm điểm.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if doc.ballots %}")
    _body(doc, "Kết quả bỏ phiếu kín bình xét, suy tôn của các đơn vị thành viên:")
    _lines(
        doc,
        "doc.ballots",
        "Bỏ phiếu {{ line.title }}, vòng {{ line.round }}: {{ line.cast }}/{{ line.electorate }} "
        "đơn vị bỏ phiếu. {{ line.summary }}",
    )
    _tag(doc, "{%p endif %}")
    _body(doc, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", bold=True)
    _lines(doc, "doc.next_steps")
    _tag(doc, "{%p if not doc.next_steps %}")
    _body(doc, DOTS)
    _tag(doc, "{%p endif %}")
    _body(
        doc,
        "Trên đây là báo cáo {% if doc.mid_year %}sơ kết{% else %}tổng kết{% endif %} "
        "công tác thi đua, khen thưởng {{ doc.period }} của {{ doc.cluster }}./.",
    )
    _closing(doc)
    return doc


def _minutes() -> DocumentType:
    doc = _document()
    _letterhead(doc)
    _title(
        doc, "BIÊN BẢN", "Họp bình xét thi đua, suy tôn và đề nghị khen thưởng năm {{ doc.year }}"
    )
    _body(doc, "Thời gian: {{ doc.held_at or '……… giờ ……, ngày …… tháng …… năm ……' }}.")
    _body(doc, "Địa điểm: {{ doc.venue or '" + DOTS + "' }}.")
    _body(doc, "I. THÀNH PHẦN", bold=True)
    _body(doc, "Chủ trì: {{ doc.chaired_by or '" + DOTS + "' }}.")
    _body(doc, "Thư ký: {{ doc.secretary or '" + DOTS + "' }}.")
    _body(doc, "Đại diện các đơn vị thành viên {{ doc.cluster }}:")
    _grid(
        doc,
        ["TT", "Đơn vị", "Cán bộ đầu mối", "Bỏ phiếu"],
        [
            "{{ loop.index }}",
            "{{ a.unit }}",
            "{{ a.representatives }}",
            "{% if a.voted %}Đã bỏ phiếu{% elif a.voted == false %}Không bỏ phiếu{% endif %}",
        ],
        "for a in doc.attendance",
        [1.0, 4.8, 6.6, 3.6],
        (1, 2),
    )
    _body(doc, "II. NỘI DUNG", bold=True)
    _body(doc, "1. Kết quả chấm điểm, xếp hạng", bold=True)
    _tag(doc, "{%p if doc.ranking %}")
    _provisional(doc)
    _ranking_table(doc, proposal=False)
    _lines(doc, "doc.ties")
    _adjustments_and_eligibility(doc)
    _tag(doc, "{%p else %}")
    _body(doc, "Chưa có đơn vị gửi bảng tự chấm điểm.")
    _tag(doc, "{%p endif %}")
    _body(doc, "2. Kết quả bỏ phiếu", bold=True)
    _tag(doc, "{%p if doc.ballots %}")
    _body(
        doc,
        "Các đơn vị thành viên bỏ phiếu kín qua Bot {{ doc.head.noun }} thi đua; kết quả được công "
        "bố khi kết thúc từng vòng.",
    )
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p for b in doc.ballots %}")
    _body(
        doc,
        "Bỏ phiếu {{ b.title }} (vòng {{ b.round }}, bầu {{ b.seats }} đơn vị): "
        "{{ b.cast }}/{{ b.electorate }} đơn vị bỏ phiếu. Đơn vị trúng cử khi có "
        "{{ b.rule }} bỏ phiếu tán thành.",
    )
    _grid(
        doc,
        ["Đơn vị", "Số phiếu", "Tỷ lệ (%)", "Kết quả"],
        [
            "{{ c.unit }}",
            "{{ c.votes }}",
            "{{ c.share }}",
            "{% if c.elected %}Trúng cử{% endif %}",
        ],
        "for c in b.counts",
        [6.4, 2.6, 2.6, 4.4],
        (0,),
    )
    _body(doc, "{{ b.summary }}")
    _tag(doc, "{%p else %}")
    _body(doc, "Không tổ chức bỏ phiếu.")
    _tag(doc, "{%p endfor %}")
    _body(doc, "III. KẾT LUẬN", bold=True)
    _lines(doc, "doc.conclusions")
    _body(
        doc,
        "Cuộc họp kết thúc vào hồi {{ doc.closed_at or '……… giờ ……… cùng ngày' }}. Biên bản "
        "đã được đọc lại và thông qua trước cuộc họp./.",
    )
    _paragraph(doc, after=6)
    _keep_with_signatures(doc, 2)
    table = _two_columns(doc, 8.0, 8.5, rows=2)
    (secretary, chair), (left, _right) = (row.cells for row in table.rows)
    _signature(secretary, "THƯ KÝ", "", "doc.secretary")
    _signature(chair, "CHỦ TRÌ", "", "doc.chair_name")
    _recipients(left)
    return doc


def _award_table(doc: DocumentType, loop: str) -> None:
    _grid(
        doc,
        ["TT", "Đơn vị", "Xếp hạng", "Tổng điểm", "Xếp loại", "Căn cứ đề nghị"],
        [
            "{{ loop.index }}",
            "{{ l.unit }}",
            "{{ l.named_rank }}",
            "{{ l.score }}",
            "{{ l.classification }}",
            "{% if l.votes %}Bỏ phiếu {{ l.votes }}{% else %}Kết quả chấm điểm, xếp hạng"
            "{% endif %}",
        ],
        loop,
        [1.0, 4.0, 1.6, 1.6, 3.2, 4.6],
        (1, 4, 5),
    )


def _proposal() -> DocumentType:
    doc = _document()
    _letterhead(doc)
    _title(doc, "TỜ TRÌNH", "Về việc đề nghị tặng Cờ thi đua, Bằng khen năm {{ doc.year }}")
    _paragraph(doc, "Kính gửi: {{ doc.addressee }}.", align=CENTER, after=12)
    _lines(doc, "doc.legal_grounds")
    _body(
        doc,
        "Căn cứ Kế hoạch công tác thi đua, khen thưởng năm {{ doc.year }} của "
        "{{ doc.cluster }}; căn cứ kết quả chấm điểm, xếp hạng của {{ doc.units_count }} đơn "
        "vị thành viên{% if doc.votes %} và kết quả {{ doc.votes|join('; ') }}{% endif %},",
    )
    _body(
        doc,
        "{{ doc.head.chair_title }} kính đề nghị {{ doc.addressee }} xem xét, trình Chủ tịch UBND "
        "{{ doc.head.province }} khen thưởng các tập thể sau:",
    )
    _provisional(doc)
    _body(doc, "1. Tặng Cờ thi đua của UBND tỉnh", bold=True)
    _tag(doc, "{%p if doc.flags %}")
    _award_table(doc, "for l in doc.flags")
    _tag(doc, "{%p else %}")
    _body(doc, "Không có đơn vị đủ điều kiện.")
    _tag(doc, "{%p endif %}")
    _body(doc, "2. Tặng Bằng khen của Chủ tịch UBND tỉnh", bold=True)
    _tag(doc, "{%p if doc.certificates %}")
    _award_table(doc, "for l in doc.certificates")
    _tag(doc, "{%p else %}")
    _body(doc, "Không có đơn vị đủ điều kiện.")
    _tag(doc, "{%p endif %}")
    _adjustments_and_eligibility(doc)
    _body(doc, "(Gửi kèm biên bản họp bình xét và bảng tổng hợp kết quả chấm điểm.)")
    _body(doc, "Kính trình {{ doc.addressee }} xem xét, quyết định./.")
    _closing(doc)
    return doc


def _preserve_spaces(doc: DocumentType) -> None:
    """Keep every space of the text as written (blank numbers, dotted lines)."""
    for text in doc.element.body.iter(qn("w:t")):
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def write_templates(folder: Path = OUT) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in (("bao-cao", _report), ("bien-ban", _minutes), ("to-trinh", _proposal)):
        doc = build()
        _preserve_spaces(doc)
        doc.core_properties.title = name
        doc.core_properties.author = "cumthidua"
        doc.save(folder / f"{name}.docx")
        written.append(folder / f"{name}.docx")
    return written


if __name__ == "__main__":
    for path in write_templates():
        print(path)
