"""Invitations on paper: one A4 page per officer (cluster, unit, role, name, the code, the QR
code of the Telegram deep link, how to join on Zalo, valid until), as a DOCX made with
python-docx in the official documents' face (Times New Roman, A4, 20/20/30/15 mm margins)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.formatting import local_datetime
from bot.domain.invitations import PrintedInvitation
from bot.domain.invite_codes import display
from bot.i18n import Translator
from bot.texts.invitations import deep_link, qr_png
from bot.texts.roles import role_name, unit_label

__all__ = ["SheetPage", "invitation_sheets_docx", "sheet_page"]

FONT = "Times New Roman"
QR_WIDTH_CM = 7.0


@dataclass(frozen=True, slots=True)
class SheetPage:
    """One printed invitation as words and a picture."""

    title: str
    rows: tuple[tuple[str, str], ...]
    """(label, value): cluster, unit, role, officer, valid until."""
    code: str
    qr: bytes | None
    """The PNG of the Telegram deep link; none when the bot's username is not known."""
    steps: tuple[str, ...]
    """How to join, on Telegram and on Zalo."""


def sheet_page(printed: PrintedInvitation, _: Translator) -> SheetPage:
    """The words of one invitation sheet in the reader's language."""
    cluster, made, officer = printed.cluster, printed.made, printed.officer
    name = officer.name or _("Contact officer")
    if officer.position:
        name = f"{name} — {officer.position}"
    rows = (
        (_("Cluster"), f"{cluster.name} ({cluster.province})"),
        (_("Unit"), unit_label(cluster, made.unit_code, _)),
        (_("Role"), role_name(made.role, cluster, _)),
        (_("Officer"), name),
        (_("Valid until"), local_datetime(made.expires_at, cluster.timezone)),
    )
    qr = None
    if made.bot_username is None:
        telegram = _(
            "On Telegram: open a private chat with the emulation bot and send it the code above."
        )
    else:
        link = deep_link(made.bot_username, made.code)
        qr = qr_png(link)
        telegram = _(
            "On Telegram: scan the QR code with the phone's camera, or open {link}"
        ).format(link=link)
    steps = (
        telegram,
        _(
            "On Zalo: find the emulation bot, open a private chat with it and send it the code "
            "above."
        ),
        _("The code works once, for one person; keep this sheet for yourself."),
    )
    title = _("INVITATION TO THE EMULATION BOT")
    return SheetPage(title, rows, display(made.code), qr, steps)


def invitation_sheets_docx(pages: Sequence[SheetPage]) -> bytes:
    """One A4 page per sheet (blocking: run it off the event loop)."""
    from docx import Document  # python-docx: on use
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    center = WD_ALIGN_PARAGRAPH.CENTER
    for number, page in enumerate(pages):
        heading = doc.add_paragraph()
        heading.paragraph_format.page_break_before = number > 0
        heading.alignment = center
        run = heading.add_run(page.title)
        run.bold, run.font.size = True, Pt(16)
        table = doc.add_table(rows=0, cols=2)
        table.autofit = False
        widths = (Cm(4.5), Cm(12))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for label, value in page.rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = widths
            cells[0].paragraphs[0].add_run(label).bold = True
            cells[1].paragraphs[0].add_run(value)
        code = doc.add_paragraph()
        code.alignment = center
        code.paragraph_format.space_before = Pt(18)
        code_run = code.add_run(page.code)
        code_run.bold, code_run.font.size, code_run.font.name = True, Pt(20), "Courier New"
        if page.qr is not None:
            picture = doc.add_paragraph()
            picture.alignment = center
            picture.add_run().add_picture(io.BytesIO(page.qr), width=Cm(QR_WIDTH_CM))
        for step in page.steps:
            line = doc.add_paragraph(step)
            line.paragraph_format.space_before = Pt(6)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
