"""The province's official scoring table (bảng chấm điểm, bảng tiêu chí thi đua) read from the
table of a DOCX, XLSX or text PDF: groups (I, II … or A, B …), criteria and sub-criteria (1,
1.1, a)), their maximum (điểm chuẩn, điểm tối đa), each criterion's kind from its words
(``scoring_rules_text``), the bonus/penalty group outside the total (điểm thưởng, điểm trừ).
Sums are checked (criteria to their parent, groups to the total); whatever is unsure or does not
add up is flagged with its rows for the chair to confirm. ``to_scoring_table`` makes the model
a cluster-year holds."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import ValidationError

from bot.domain.document_tables import Cell, docx_blocks, pdf_content, xlsx_grids
from bot.domain.file_types import DOCX, PDF, XLSX, sniff
from bot.domain.formatting import number
from bot.domain.scoring_rules_text import Sign, bonus_reading, criterion_reading, points_cell
from bot.domain.scoring_table import (
    Bonus,
    Classification,
    Criterion,
    CriterionKind,
    Group,
    ScoringTable,
)
from bot.domain.strings import fold, nfc
from bot.i18n import N_, Translator

__all__ = [
    "MAX_TABLE_ROWS",
    "Flag",
    "ImportedBonus",
    "ImportedCriterion",
    "ImportedGroup",
    "ImportedTable",
    "TableNotConvertible",
    "UnreadableScoringTable",
    "import_scoring_table",
    "read_scoring_table",
    "to_scoring_table",
]

MAX_TABLE_ROWS = 3000
MAX_TABLE_COLUMNS = 40
MAX_PDF_PAGES = 40
_EPSILON = 1e-6

_ROMAN = re.compile(r"^[IVXL]{1,6}$")
_LETTER_GROUP = re.compile(r"^[A-HĐ]$")
_ARABIC = re.compile(r"^\d{1,3}$")
_DOTTED = re.compile(r"^(?:[IVXL]{1,6}|[A-HĐ]|\d{1,3})(?:\.\d{1,3})+$")
_LETTER = re.compile(r"^[a-zđ]$")
_BONUS_GROUP = re.compile(r"điểm (?:thưởng|cộng|trừ)|(?:cộng|trừ) điểm|điểm khuyến khích")
_TOTAL = re.compile(r"^(?:tổng cộng|tổng số|tổng điểm|tổng|cộng)\b")
_TITLE = re.compile(r"bảng (?:chấm|tiêu chí|điểm)|thang điểm|tiêu chí (?:chấm|thi đua)")
_TOTAL_IN_WORDS = re.compile(r"(?:tổng số điểm|thang điểm|tổng điểm)[^\d]{0,20}(\d{2,4})\s*điểm")


class UnreadableScoringTable(Exception):
    """Not a DOCX, XLSX or text PDF, or no scoring table (TT · Nội dung · Điểm) in it."""


@dataclass(frozen=True)
class Flag:
    """Something the chair must confirm: a kind not written in words, a sum that does not add
    up (with the rows it adds), a maximum written twice differently, a repeated code."""

    problem: str
    """``kind``, ``sum``, ``total``, ``max``, ``code``, ``sign``."""
    code: str
    row: int
    message: str
    """An English msgid with ``{code}`` and the ``values``' placeholders (through gettext)."""
    values: Mapping[str, float] = field(default_factory=dict)
    rows: tuple[int, ...] = ()
    """For a sum: the rows added up."""

    def text(self, _: Translator, language: str = "vi") -> str:
        shown = {k: number(v, language) for k, v in self.values.items()}
        rows = ", ".join(map(str, self.rows))
        return _(self.message).format(code=self.code, row=self.row, rows=rows, **shown)

    def as_json(self) -> dict[str, Any]:
        return {
            "problem": self.problem,
            "code": self.code,
            "row": self.row,
            "rows": list(self.rows),
            "message": self.text(lambda m: m, "en"),
        }


_MESSAGES = {
    "no_rule": N_("{code} (row {row}): its kind is not written in words; taken as met/not met."),
    "rate": N_(
        "{code} (row {row}): its deduction rate is not proportional to its target; taken as "
        "proportional."
    ),
    "partial": N_(
        "{code} (row {row}): how a result below the target scores is not written; taken as "
        "proportional."
    ),
    "sum": N_("{code} (row {row}): its maximum {written} is not the sum {sum} of rows {rows}."),
    "total": N_(
        "The total {written} (row {row}) is not the sum {sum} of the groups (rows {rows})."
    ),
    "no_total": N_("The table writes no total; taken as the sum of the groups, {sum}."),
    "max": N_("{code} (row {row}): the maximum {written} differs from the {words} in its words."),
    "no_max": N_("{code} (row {row}): no maximum is written."),
    "code": N_("{code} (row {row}): the code is written twice."),
    "sign": N_(
        "{code} (row {row}): whether it adds or takes points is not written; taken as a bonus."
    ),
    "orphan": N_("{code} (row {row}): a criterion before any group; put in a group of its own."),
}


@dataclass
class ImportedCriterion:
    code: str
    """As the document writes it: "1", "1.1", "a)"."""
    name: str
    row: int
    max: float | None
    """The written maximum; for a criterion with children and none written, their sum."""
    kind: CriterionKind | None = None
    """None for a criterion made of sub-criteria."""
    rule: str = ""
    target: float | None = None
    unit: str = ""
    formula: str = "proportional"
    points_each: float | None = None
    min: float = 0
    children: list[ImportedCriterion] = field(default_factory=list)
    written_max: tuple[float, int] | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "max": self.max,
            "kind": None if self.kind is None else self.kind.value,
            "children": [c.as_json() for c in self.children],
        }

    def leaves(self) -> Iterator[ImportedCriterion]:
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()


@dataclass
class ImportedGroup:
    code: str
    name: str
    row: int
    max: float | None
    criteria: list[ImportedCriterion] = field(default_factory=list)
    written_max: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "max": self.max,
            "criteria": [c.as_json() for c in self.criteria],
        }


@dataclass(frozen=True)
class ImportedBonus:
    code: str
    name: str
    row: int
    min: float
    max: float
    fixed: bool
    """All or nothing ("+3", "trừ 5 điểm"); else any points within [min, max]."""

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "min": self.min, "max": self.max}


@dataclass
class ImportedTable:
    title: str
    total: float
    groups: list[ImportedGroup]
    bonus_penalty: list[ImportedBonus]
    bonus_group: tuple[str, str] | None
    """The bonus/penalty group's code and name, as written."""
    flagged: list[Flag]

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "groups": [g.as_json() for g in self.groups],
            "bonus_penalty": [b.as_json() for b in self.bonus_penalty],
            "flagged": [f.as_json() for f in self.flagged],
        }

    def as_data(self) -> dict[str, Any]:
        """Everything read, as JSON (the worker's answer); ``from_data`` makes it again."""
        return asdict(self)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ImportedTable:
        def criterion(d: Mapping[str, Any]) -> ImportedCriterion:
            written = d["written_max"]
            return ImportedCriterion(
                **(
                    dict(d)
                    | {
                        "kind": None if d["kind"] is None else CriterionKind(d["kind"]),
                        "children": [criterion(c) for c in d["children"]],
                        "written_max": None if written is None else (written[0], written[1]),
                    }
                )
            )

        return cls(
            title=data["title"],
            total=data["total"],
            groups=[
                ImportedGroup(**(g | {"criteria": [criterion(c) for c in g["criteria"]]}))
                for g in data["groups"]
            ],
            bonus_penalty=[ImportedBonus(**b) for b in data["bonus_penalty"]],
            bonus_group=None if data["bonus_group"] is None else tuple(data["bonus_group"]),
            flagged=[Flag(**(f | {"rows": tuple(f["rows"])})) for f in data["flagged"]],
        )

    def mismatches(self) -> list[Flag]:
        """The sums that do not add up."""
        return [f for f in self.flagged if f.problem in ("sum", "total")]


# Finding the table -----------------------------------------------------------------------------

_CODE_LABELS = ("tt", "stt", "số tt", "số thứ tự", "mã", "mã số", "ký hiệu")


def _column(label: str) -> str | None:
    text = fold(label).strip(" .:")
    if text in _CODE_LABELS:
        return "code"
    if any(w in text for w in ("tự chấm", "cụm chấm", "thẩm định", "đạt được", "ghi chú")):
        return None
    if any(w in text for w in ("cách chấm", "hướng dẫn", "phương pháp", "cách tính", "cách thức")):
        return "rule"
    if "điểm" in text and any(w in text for w in ("chuẩn", "tối đa", "thang", "số điểm")):
        return "max"
    if text in ("điểm", "số điểm"):
        return "max"
    if any(w in text for w in ("nội dung", "tiêu chí", "tên tiêu chí")):
        return "name"
    return None


def _header(cells: Sequence[Cell]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        column = _column(cell or "")
        if column and column not in found:
            found[column] = i
    return found if {"code", "name", "max"} <= found.keys() else None


def _clean(cell: Cell) -> str:
    return re.sub(r"[ \t]+", " ", nfc(cell or ""))


_FIELDS = ("code", "name", "max", "rule")


def _at(cells: Sequence[Cell], index: int | None) -> str:
    return _clean(cells[index]) if index is not None and index < len(cells) else ""


@dataclass(frozen=True)
class _Row:
    number: int
    code: str
    name: str
    max: str
    rule: str


def _table(grids: Sequence[Sequence[Sequence[Cell]]]) -> list[_Row] | None:
    """The rows of the first grid with a scoring header, and of the grids after it with as many
    columns (a table broken into two, or a PDF's pages); a repeated header is skipped. Row
    numbers count from the header's grid's first row (1), the next grids following on."""
    header: dict[str, int] | None = None
    width = 0
    rows: list[_Row] = []
    number = 0
    for grid in grids:
        if header is not None and (not grid or len(grid[0]) != width):
            break
        for cells in grid:
            number += 1
            if found := _header(cells):
                header, width = header or found, width or len(cells)
                continue
            if header is None:
                continue

            code, name, points, rule = (_at(cells, header.get(c)) for c in _FIELDS)
            rows.append(_Row(number, code, name, points, rule))
        if header is None:
            number = 0
    return rows if header is not None else None


# Reading the rows ------------------------------------------------------------------------------


def _plain(code: str) -> str:
    return code.strip(" .)(")


def _level(code: str) -> str:
    """What a code opens: a ``group``, a ``criterion``, a ``dotted`` sub-code, a ``letter``
    sub-criterion, or nothing (a continuation line, "-", "+")."""
    if _ROMAN.match(code) or _LETTER_GROUP.match(code):
        return "group"
    if _ARABIC.match(code):
        return "criterion"
    if _DOTTED.match(code):
        return "dotted"
    if _LETTER.match(code):
        return "letter"
    return ""


class _Builder:
    def __init__(self) -> None:
        self.groups: list[ImportedGroup] = []
        self.flags: list[Flag] = []
        self.open: list[ImportedCriterion] = []
        """The criteria now open, from the group's criterion down to the deepest child."""
        self.last: ImportedCriterion | ImportedGroup | None = None
        self.total: tuple[float, int] | None = None

    def flag(self, problem: str, code: str, row: int, **values: float) -> None:
        self.flags.append(Flag(problem, code, row, _MESSAGES[problem], values))

    def add(self, row: _Row) -> None:
        plain = _plain(row.code)
        level = _level(plain)
        folded = fold(row.name)
        if (not plain or fold(plain).startswith("tổng")) and _TOTAL.match(folded):
            written = points_cell(row.max)
            self.total = (written[0], row.number) if written else None
            return
        if level == "group":
            written = points_cell(row.max)
            group = ImportedGroup(row.code, row.name, row.number, None, [])
            group.written_max = written[0] if written else None
            self.groups.append(group)
            self.open, self.last = [], group
            return
        if not level:
            self._continue(row)
            return
        criterion = ImportedCriterion(
            row.code, row.name, row.number, None, rule=row.rule, written_max=points_cell(row.max)
        )
        parent = self._parent(level, plain)
        if not self.groups:
            self.groups.append(ImportedGroup("", "", row.number, None))
            self.flag("orphan", row.code, row.number)
        siblings = parent.children if parent is not None else self.groups[-1].criteria
        if any(s.code == row.code for s in siblings):
            self.flag("code", row.code, row.number)
        siblings.append(criterion)
        depth = 0 if parent is None else self.open.index(parent) + 1
        self.open = [*self.open[:depth], criterion]
        self.last = criterion

    def _parent(self, level: str, code: str) -> ImportedCriterion | None:
        if level == "letter":
            return next((c for c in reversed(self.open) if not _LETTER.match(_plain(c.code))), None)
        if level == "dotted":
            prefix = code.rsplit(".", 1)[0]
            return next((c for c in reversed(self.open) if _plain(c.code) == prefix), None)
        return None

    def _continue(self, row: _Row) -> None:
        """A line with no code: the rule of the row above, written under it."""
        text = " ".join(t for t in (row.name, row.rule) if t)
        if isinstance(self.last, ImportedCriterion) and text:
            self.last.rule = f"{self.last.rule} {text}".strip()
            if self.last.written_max is None and row.max:
                self.last.written_max = points_cell(row.max)


def _title(paragraphs: Sequence[str]) -> str:
    titled = [p for p in paragraphs if _TITLE.search(fold(p))]
    return (titled or [p for p in paragraphs if p.strip()] or [""])[0].strip()


def _sum(values: Sequence[float | None]) -> float:
    return round(sum(v or 0 for v in values), 4)


def _settle(criterion: ImportedCriterion, builder: _Builder) -> None:
    """A criterion's kind from its words, or its children's sum checked against its maximum."""
    written = criterion.written_max[0] if criterion.written_max else None
    if criterion.children:
        for child in criterion.children:
            _settle(child, builder)
        total = _sum([c.max for c in criterion.children])
        criterion.max = written if written is not None else total
        if written is not None and abs(written - total) > _EPSILON:
            rows = tuple(c.row for c in criterion.children)
            builder.flags.append(
                Flag(
                    "sum",
                    criterion.code,
                    criterion.row,
                    _MESSAGES["sum"],
                    {"written": written, "sum": total},
                    rows,
                )
            )
        return
    reading = criterion_reading(f"{criterion.name} {criterion.rule}", criterion.written_max)
    criterion.kind, criterion.min = reading.kind, reading.min
    criterion.target, criterion.unit = reading.target, reading.unit
    criterion.formula, criterion.points_each = reading.formula, reading.points_each
    criterion.max = written if written is not None else reading.max
    if reading.kind is CriterionKind.BONUS_PENALTY:
        criterion.max = reading.max
    elif written is not None and reading.max is not None and abs(written - reading.max) > _EPSILON:
        builder.flag("max", criterion.code, criterion.row, written=written, words=reading.max)
    if criterion.max is None:
        builder.flag("no_max", criterion.code, criterion.row)
    if not reading.sure:
        builder.flag(reading.doubt, criterion.code, criterion.row)


def _bonus_items(group: ImportedGroup, builder: _Builder) -> list[ImportedBonus]:
    words = fold(group.name)
    sign = Sign.NONE
    if ("thưởng" in words or "cộng" in words) != ("trừ" in words):
        sign = Sign.MINUS if "trừ" in words else Sign.PLUS
    items: list[ImportedBonus] = []
    for top in group.criteria:
        for leaf in top.leaves():
            read = bonus_reading(f"{leaf.name} {leaf.rule}", leaf.written_max, sign)
            if read is None:
                builder.flag("no_max", leaf.code, leaf.row)
                continue
            low, high, fixed, sure = read
            if not sure:
                builder.flag("sign", leaf.code, leaf.row)
            items.append(ImportedBonus(leaf.code, leaf.name, leaf.row, low, high, fixed))
    return items


def import_scoring_table(
    grids: Sequence[Sequence[Sequence[Cell]]], paragraphs: Sequence[str] = ()
) -> ImportedTable:
    """The scoring table in these grids (the first with a TT · Nội dung · Điểm header)."""
    rows = _table(grids)
    if rows is None:
        raise UnreadableScoringTable("no scoring table (TT · Nội dung · Điểm chuẩn) found")
    builder = _Builder()
    for row in rows:
        builder.add(row)
    groups: list[ImportedGroup] = []
    bonuses: list[ImportedBonus] = []
    bonus_group: tuple[str, str] | None = None
    for group in builder.groups:
        if _BONUS_GROUP.search(fold(group.name)) and bonus_group is None:
            bonus_group = (group.code, group.name)
            bonuses = _bonus_items(group, builder)
            continue
        for criterion in group.criteria:
            _settle(criterion, builder)
        total = _sum([c.max for c in group.criteria])
        group.max = group.written_max if group.written_max is not None else total
        if group.written_max is not None and abs(group.written_max - total) > _EPSILON:
            rows_added = tuple(c.row for c in group.criteria)
            builder.flags.append(
                Flag(
                    "sum",
                    group.code,
                    group.row,
                    _MESSAGES["sum"],
                    {"written": group.written_max, "sum": total},
                    rows_added,
                )
            )
        groups.append(group)
    if not any(g.criteria for g in groups):
        raise UnreadableScoringTable("the scoring table has no criteria")
    summed = _sum([g.max for g in groups])
    total = summed
    if builder.total is None:
        written_words = [
            float(m.group(1)) for p in paragraphs if (m := _TOTAL_IN_WORDS.search(fold(p)))
        ]
        builder.total = (written_words[0], 0) if written_words else None
    if builder.total is None:
        builder.flags.append(Flag("no_total", "", 0, _MESSAGES["no_total"], {"sum": summed}))
    else:
        total, row = builder.total
        if abs(total - summed) > _EPSILON:
            builder.flags.append(
                Flag(
                    "total",
                    "",
                    row,
                    _MESSAGES["total"],
                    {"written": total, "sum": summed},
                    tuple(g.row for g in groups),
                )
            )
    flagged = sorted(builder.flags, key=lambda f: f.row)
    return ImportedTable(_title(paragraphs), total, groups, bonuses, bonus_group, flagged)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def read_scoring_table(data: bytes) -> ImportedTable:
    """The scoring table of a DOCX, XLSX or text PDF (its ruled table)."""
    kind = sniff(data)
    if kind not in (DOCX, XLSX, PDF):
        raise UnreadableScoringTable("not a DOCX, XLSX or PDF file")
    try:
        paragraphs: list[str] = []
        if kind is DOCX:
            blocks = docx_blocks(data)
            grids = [b for b in blocks if not isinstance(b, str)]
            paragraphs = [line for b in blocks if isinstance(b, str) for line in _lines(b)]
        elif kind is XLSX:
            grids = xlsx_grids(data, MAX_TABLE_ROWS, MAX_TABLE_COLUMNS)
            paragraphs = [c for grid in grids for row in grid[:8] for c in row if c]
        else:
            content = pdf_content(data, MAX_PDF_PAGES)
            grids = [content.table_rows]
            paragraphs = [" ".join(p.text for p in line) for line in content.lines]
    except Exception as exc:  # a damaged or odd file: the libraries raise anything
        raise UnreadableScoringTable(f"the {kind.extension.upper()} file cannot be read") from exc
    if sum(len(g) for g in grids) > MAX_TABLE_ROWS:
        raise UnreadableScoringTable(f"more than {MAX_TABLE_ROWS} rows")
    return import_scoring_table(grids, paragraphs)


# Into the model --------------------------------------------------------------------------------


class TableNotConvertible(Exception):
    """The imported table cannot be the cluster-year's model as it stands; ``reasons`` say
    which rows (a criterion without a maximum)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _model_codes(table: ImportedTable) -> tuple[dict[int, str], dict[int, str]]:
    """Each criterion's and bonus item's model code by its row: its own ("1", "1.1"), a letter
    joined to its parent's ("1.a"); all under their group's code ("I.1") when bare codes would
    repeat."""

    def walk(items: list[ImportedCriterion], parent: str, group: str, into: dict[int, str]) -> None:
        for item in items:
            own = _plain(item.code)
            if _LETTER.match(own) and parent:
                code = f"{parent}.{own}"
            else:
                code = f"{group}.{own}" if group else own
            into[item.row] = code
            walk(item.children, code, group, into)

    def codes(qualify: bool) -> tuple[dict[int, str], dict[int, str]]:
        criteria: dict[int, str] = {}
        for group in table.groups:
            walk(group.criteria, "", _plain(group.code) if qualify else "", criteria)
        prefix = f"{_plain(table.bonus_group[0])}." if qualify and table.bonus_group else ""
        return criteria, {b.row: prefix + _plain(b.code) for b in table.bonus_penalty}

    bare = codes(qualify=False)
    every = [*bare[0].values(), *bare[1].values()]
    return bare if len(set(every)) == len(every) else codes(qualify=True)


def _scaled(base: ScoringTable, total: float) -> tuple[Classification, ...]:
    """The base table's classifications for a table of ``total`` points: each threshold in the
    same share of the total (90 of 100 becomes 810 of 900)."""
    written = sum(c.max for c in base.criteria())
    scale = total / written if written and total else 1.0
    if abs(scale - 1) < 1e-9:
        return base.classifications
    return tuple(
        c.model_copy(update={"min_total": round(c.min_total * scale, 2)})
        for c in base.classifications
    )


def to_scoring_table(table: ImportedTable, base: ScoringTable) -> ScoringTable:
    """The imported table as the model: groups and criteria (a criterion with sub-criteria
    becomes a group of them), a ranged bonus/penalty item a bonus_penalty criterion of the
    bonus group, an all-or-nothing one a whole-table bonus. The table it replaces (``base``)
    gives what the document does not hold: classifications (their thresholds scaled to the new
    total), award rules, tie-breaks."""
    codes, bonus_codes = _model_codes(table)
    reasons: list[str] = []

    def criterion(item: ImportedCriterion) -> Group | Criterion | None:
        code = codes[item.row]
        if item.children:
            return Group(code=code, name=item.name, items=_items(item.children))
        try:
            return Criterion(
                code=code,
                name=item.name,
                max=item.max if item.max is not None else 0,
                kind=item.kind or CriterionKind.QUALITATIVE,
                target=item.target,
                unit=item.unit,
                formula="full_at_target" if item.formula == "full_at_target" else "proportional",
                points_each=item.points_each,
                min=item.min,
            )
        except ValidationError:
            reasons.append(f"{item.code} (row {item.row}): max {item.max}, kind {item.kind}")
            return None

    def _items(items: list[ImportedCriterion]) -> tuple[Group | Criterion, ...]:
        return tuple(x for x in map(criterion, items) if x is not None)

    groups = [
        Group(code=_plain(g.code), name=g.name, items=_items(g.criteria)) for g in table.groups
    ]
    bonuses: list[Bonus] = []
    ranged: list[Criterion] = []
    for item in table.bonus_penalty:
        code = bonus_codes[item.row]
        if item.fixed:
            bonuses.append(Bonus(code=code, name=item.name, points=item.min or item.max))
            continue
        try:
            ranged.append(
                Criterion(
                    code=code,
                    name=item.name,
                    max=item.max,
                    min=item.min,
                    kind=CriterionKind.BONUS_PENALTY,
                )
            )
        except ValidationError:
            reasons.append(f"{item.code} (row {item.row}): from {item.min} to {item.max}")
    if ranged and table.bonus_group is not None:
        groups.append(
            Group(code=_plain(table.bonus_group[0]), name=table.bonus_group[1], items=tuple(ranged))
        )
    if reasons:
        raise TableNotConvertible(reasons)
    names = {g.code for g in groups}
    tie_break = tuple(c for c in base.tie_break if c in names) or tuple(
        g.code for g in groups if g.code != _plain((table.bonus_group or ("",))[0])
    )
    try:
        return ScoringTable(
            title=table.title or base.title,
            groups=tuple(groups),
            bonuses=tuple(bonuses),
            classifications=_scaled(base, table.total),
            awards=base.awards,
            tie_break=tie_break,
        )
    except ValidationError as exc:
        raise TableNotConvertible([str(e["msg"]) for e in exc.errors()]) from exc
