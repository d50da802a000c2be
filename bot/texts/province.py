"""What is wrong in a province's decision or workbook, said to people: where (sheet, row and
column; or line; or table and row), which cluster, what is wrong and what to write instead."""

from __future__ import annotations

from bot.domain.province_decision import Flag, FlagReason
from bot.i18n import N_, Translator

__all__ = ["flag_text"]

_PROBLEMS = {
    FlagReason.CUT_OFF: N_(
        "the document stops in the middle of a list (“{text}”): please send the whole "
        "decision, down to its signature."
    ),
    FlagReason.UNREADABLE: N_(
        "this line could not be read: “{text}”. Write one unit per line (“- Xã Bát Xát;”) and "
        "the chair as “+ Cụm trưởng: …”."
    ),
    FlagReason.NUMBERING_GAP: N_(
        "the numbering jumps ({text}): a line may be missing; please check the list."
    ),
    FlagReason.COUNT_MISMATCH: N_(
        "the heading gives another number of units than the list has ({text}); please check "
        "the list."
    ),
    FlagReason.NO_MEMBERS: N_("“{text}” lists no member units; list them below it, one per line."),
    FlagReason.TOO_FEW_MEMBERS: N_("a cluster needs at least two units; only “{text}” is listed."),
    FlagReason.DUPLICATE_MEMBER: N_("“{text}” is listed twice; list each unit once."),
    FlagReason.CHAIR_NOT_MEMBER: N_(
        "the chair “{text}” is not among the units; write the name of one of its units."
    ),
    FlagReason.DEPUTY_NOT_MEMBER: N_(
        "the deputy “{text}” is not among the units; write the name of one of its units."
    ),
    FlagReason.SECOND_CHAIR: N_(
        "a second chair or deputy is named (“{text}”); a cluster has one of each: keep one."
    ),
    FlagReason.FORMULA: N_("the cell holds a formula ({text}); write the value itself instead."),
    FlagReason.NO_CLUSTERS: N_(
        "no cluster or bloc was found. Write each as a heading (“1. Cụm 1:”, “Khối thi đua Nội "
        "chính”) with its units below it, or fill in the workbook from “cumthidua province "
        "template”."
    ),
    FlagReason.MISSING_SHEET: N_(
        "the sheet is missing; use the workbook that “cumthidua province template” writes, "
        "without renaming its sheets."
    ),
    FlagReason.MISSING_COLUMN: N_(
        "the header “{text}” is missing; keep the template's header row."
    ),
    FlagReason.EMPTY_CELL: N_("this cell must be filled in."),
    FlagReason.BAD_KIND: N_("“{text}” is not a kind; write “cụm” or “khối”."),
    FlagReason.UNKNOWN_CLUSTER: N_(
        "“{text}” is not on the sheet “Cụm, khối”; write a cluster's name exactly as it is there."
    ),
    FlagReason.UNKNOWN_UNIT: N_(
        "“{text}” is not on the sheet “Đơn vị”; write a unit's name exactly as it is there."
    ),
    FlagReason.DUPLICATE_CLUSTER: N_("“{text}” is listed twice; list each cluster or bloc once."),
    FlagReason.UNIT_IN_TWO_CLUSTERS: N_(
        "“{text}” already belongs to another cluster or bloc; a unit belongs to one only."
    ),
    FlagReason.BAD_CODE: N_(
        "“{text}” is not a code; write capital letters without diacritics and digits, at most "
        "16 (e.g. CD), or leave the cell empty."
    ),
    FlagReason.DUPLICATE_CODE: N_(
        "the code “{text}” is already another unit's; write another, or leave the cell empty."
    ),
    FlagReason.BAD_PHONE: N_("“{text}” is not a phone number; write it as 0912 345 678."),
    FlagReason.BAD_EMAIL: N_("“{text}” is not an e-mail address; write it as name@laocai.gov.vn."),
    FlagReason.BAD_TELEGRAM: N_(
        "“{text}” is not a Telegram username; write 5 to 32 letters, digits or “_” (e.g. "
        "@nguyen_an), or leave the cell empty."
    ),
    FlagReason.TOO_MANY_ROWS: N_(
        "more than {text} rows; split the sheet or remove the empty rows."
    ),
}


def _place(flag: Flag, _: Translator) -> str:
    if flag.sheet is not None:
        if flag.row is not None and flag.column is not None:
            text = _("Sheet “{sheet}”, row {row}, column “{column}”")
        elif flag.row is not None:
            text = _("Sheet “{sheet}”, row {row}")
        elif flag.column is not None:
            text = _("Sheet “{sheet}”, column “{column}”")
        else:
            text = _("Sheet “{sheet}”")
    elif flag.table is not None:
        text = _("Table {table}, row {row}") if flag.row is not None else _("Table {table}")
    elif flag.line is not None:
        text = _("Line {line}")
    else:
        text = _("The document")
    return text.format(
        sheet=flag.sheet, row=flag.row, column=flag.column, table=flag.table, line=flag.line
    )


def flag_text(flag: Flag, _: Translator) -> str:
    """One problem as a sentence: "Trang «Cán bộ», dòng 5, cột «Email»: … đề nghị ghi …"."""
    problem = _(_PROBLEMS[flag.reason]).format(text=flag.text)
    if flag.cluster:
        return _("{place} ({cluster}): {problem}").format(
            place=_place(flag, _), cluster=flag.cluster, problem=problem
        )
    return _("{place}: {problem}").format(place=_place(flag, _), problem=problem)
