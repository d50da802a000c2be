"""A unit's filled score form read back, bounded: the file's size, its ZIP entries and
uncompressed size, rows and cells (the worker process adds memory and time). Read-only; formulas
are never evaluated — a formula's cached value is taken, a formula without one is a problem on
its row. The columns are found by their header wherever the officer moved them; every row is
checked against the scoring table (unknown code, over the maximum, negative, not a number, met
or not met, a whole number of occurrences; "7,5" is 7.5). The result feeds the self-score
entries as stored (``ReadForm.entries``)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time
from typing import Any

from bot.domain.file_types import UnsafeFile, ZipLimits, check_zip
from bot.domain.formatting import number
from bot.domain.score_form_columns import column_of
from bot.domain.score_sheet import CriterionEntry, SheetEntries
from bot.domain.scoring import UnitScore
from bot.domain.scoring_table import Criterion, CriterionKind, Group, ScoringTable
from bot.domain.strings import nfc
from bot.domain.xlsx_values import plain_grids
from bot.i18n import N_, Translator

__all__ = [
    "FORM_ZIP_LIMITS",
    "MAX_FORM_BYTES",
    "MAX_FORM_ROWS",
    "FormProblem",
    "FormRefused",
    "FormScore",
    "ReadForm",
    "corrected",
    "parse_correction",
    "read_score_form",
]

MAX_FORM_BYTES = 5 << 20
FORM_ZIP_LIMITS = ZipLimits(entries=300, unpacked_bytes=40 << 20, ratio=100)
MAX_FORM_ROWS = 2000
MAX_FORM_COLUMNS = 40
HEADER_WITHIN_ROWS = 40
MAX_TEXT = 1000
_EPSILON = 1e-6
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_CORRECTION = re.compile(
    r"^\s*([A-Za-zĐđ0-9]+(?:[.)][A-Za-zĐđ0-9]+)*)[.):]?\s*[:=]?\s+([+-]?\d+(?:[.,]\d+)?)\s*$"
)


class FormRefused(Exception):
    """The file is not a form the bot reads; ``reason`` is a msgid (through gettext)."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason.format(**values))
        self.reason, self.values = reason, values

    def text(self, _: Translator) -> str:
        return _(self.reason).format(**self.values)


TOO_LARGE = N_("The file is larger than {megabytes} MB; a score form is much smaller.")
NOT_A_WORKBOOK = N_(
    "This is not an Excel workbook (XLSX). Please send the score form back as .xlsx."
)
UNSAFE = N_("The file cannot be read safely (too many parts or too large once unpacked).")
TOO_MANY_ROWS = N_("The form has more than {rows} rows; please send the form the bot gave you.")
NO_HEADER = N_("No column “{code}” and “{score}” found: please send the form the bot gave you.")


@dataclass(frozen=True)
class FormProblem:
    """A row that was not taken, why (a msgid with ``{code}``, ``{row}`` and ``values``)."""

    row: int
    code: str
    reason: str
    values: Mapping[str, float] = field(default_factory=dict)

    def text(self, _: Translator, language: str = "vi") -> str:
        """Its message; a correction typed in chat (row 0) is named by its code alone."""
        shown = {k: number(v, language) for k, v in self.values.items()}
        reason = _IN_CHAT[self.reason] if self.row == 0 else self.reason
        return _(reason).format(code=self.code, row=self.row, **shown)


UNKNOWN = N_("Row {row}: {code} is not a criterion of the table.")
TWICE = N_("Row {row}: {code} is already scored on row {first}.")
NOT_NUMBER = N_("Row {row}, {code}: the score is not a number (for example 7,5).")
FORMULA = N_("Row {row}, {code}: a formula with no saved value; please enter the number itself.")
NEGATIVE = N_("Row {row}, {code}: the score cannot be negative.")
OVER = N_("Row {row}, {code}: the score is above the maximum {max}.")
RANGE = N_("Row {row}, {code}: the score must be from {low} to {high}.")
EITHER = N_("Row {row}, {code}: met or not met, so {low} or {high}.")
APPLIES = N_("Row {row}, {code}: enter {points} if it applies to your unit, otherwise 0.")
MULTIPLE = N_("Row {row}, {code}: {each} points each time, so a multiple of {each}.")
_IN_CHAT = {
    UNKNOWN: N_("{code} is not a criterion of the table."),
    NEGATIVE: N_("{code}: the score cannot be negative."),
    OVER: N_("{code}: the score is above the maximum {max}."),
    RANGE: N_("{code}: the score must be from {low} to {high}."),
    EITHER: N_("{code}: met or not met, so {low} or {high}."),
    APPLIES: N_("{code}: enter {points} if it applies to your unit, otherwise 0."),
    MULTIPLE: N_("{code}: {each} points each time, so a multiple of {each}."),
}


@dataclass(frozen=True)
class FormScore:
    code: str
    row: int
    points: float
    value: float
    """What the chat walk stores as the value: the result (quantitative), the count
    (per occurrence), 1 or 0 (met or not), the points (bonus/penalty); its points are these."""
    note: str
    evidence: str


def _fields(item: FormScore | FormProblem) -> dict[str, Any]:
    return {f.name: getattr(item, f.name) for f in fields(item)}


@dataclass(frozen=True)
class ReadForm:
    scores: dict[str, FormScore]
    """Criterion code → its accepted score."""
    bonuses: dict[str, bool]
    """Whole-table bonus code → applies (those the form answered)."""
    problems: tuple[FormProblem, ...]
    blank: tuple[str, ...]
    """Criteria with no score on the form (left empty, or their row missing)."""
    total: float
    subtotals: dict[str, float]
    """Top-level group code → its subtotal."""

    def as_data(self) -> dict[str, Any]:
        """As JSON (the worker's answer); ``from_data`` makes it again. Field by field, as
        ``asdict`` deep-copies every value (a fifth of a form's read)."""
        return {
            "scores": {code: _fields(score) for code, score in self.scores.items()},
            "bonuses": dict(self.bonuses),
            "problems": [_fields(p) | {"values": dict(p.values)} for p in self.problems],
            "blank": list(self.blank),
            "total": self.total,
            "subtotals": dict(self.subtotals),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ReadForm:
        return cls(
            scores={code: FormScore(**s) for code, s in data["scores"].items()},
            bonuses=dict(data["bonuses"]),
            problems=tuple(FormProblem(**p) for p in data["problems"]),
            blank=tuple(data["blank"]),
            total=data["total"],
            subtotals=dict(data["subtotals"]),
        )

    def entries(self, draft: SheetEntries | None = None) -> SheetEntries:
        """The unit's draft with the form's answers: each scored row's value, points, note and
        evidence text (the files sent in chat kept), a row left blank unscored, a row with a
        problem as the draft had it."""
        entries = draft or SheetEntries()
        refused = {p.code for p in self.problems}
        changed: dict[str, CriterionEntry] = {}
        for code in self.blank:
            if code not in refused and code in entries.criteria:
                changed[code] = replace(entries.entry(code), value=None, points=0.0)
        for code, score in self.scores.items():
            entry = changed.get(code, entries.entry(code))
            files = ", ".join(f.name for f in entry.evidence)
            changed[code] = replace(
                entry,
                value=score.value,
                points=score.points,
                note=score.note,
                evidence_text=score.evidence if score.evidence != files else "",
            )
        entries = entries.with_entries(changed)
        for code, applies in self.bonuses.items():
            entries = entries.with_bonus(code, applies)
        return entries


def _value(criterion: Criterion, points: float) -> float:
    if criterion.kind is CriterionKind.QUALITATIVE:
        return 1.0 if points >= criterion.max else 0.0
    if criterion.kind is CriterionKind.PER_OCCURRENCE:
        return round(points / (criterion.points_each or 1))
    if criterion.kind is CriterionKind.QUANTITATIVE:
        target = criterion.target or 0
        if criterion.formula == "full_at_target":
            return target if points >= criterion.max else 0.0
        return round(points * target / criterion.max, 4)
    return points


def _either(criterion: Criterion) -> bool:
    return criterion.kind is CriterionKind.QUALITATIVE or (
        criterion.kind is CriterionKind.QUANTITATIVE and criterion.formula == "full_at_target"
    )


def _check(criterion: Criterion, points: float) -> tuple[str, dict[str, float]] | None:
    """Why these points do not fit the criterion, if they do not."""
    if criterion.kind is CriterionKind.BONUS_PENALTY:
        if not criterion.min - _EPSILON <= points <= criterion.max + _EPSILON:
            return RANGE, {"low": criterion.min, "high": criterion.max}
        return None
    if points < 0:
        return NEGATIVE, {}
    if points > criterion.max + _EPSILON:
        return OVER, {"max": criterion.max}
    if _either(criterion) and min(points, abs(points - criterion.max)) > _EPSILON:
        return EITHER, {"low": 0, "high": criterion.max}
    each = criterion.points_each or 0
    per_occurrence = criterion.kind is CriterionKind.PER_OCCURRENCE and each > 0
    if per_occurrence and abs(points / each - round(points / each)) > _EPSILON:
        return MULTIPLE, {"each": each}
    return None


def parse_correction(text: str) -> tuple[str, float] | None:
    """A correction typed in chat, "2.3 7,5" or "I.2: 4": the code and the points."""
    match = _CORRECTION.match(nfc(text))
    if match is None or not any(ch.isdigit() for ch in match.group(1)):
        return None
    return match.group(1), float(match.group(2).replace(",", "."))


def corrected(
    table: ScoringTable, entries: SheetEntries, code: str, points: float
) -> tuple[str, SheetEntries] | FormProblem:
    """The code as the table writes it and the draft with that criterion (or whole-table bonus)
    set to ``points``, checked as a form row is; the problem (on row 0: typed in chat) when they
    do not fit."""
    known = {c.casefold(): c for c in (*table.criterion_codes, *(b.code for b in table.bonuses))}
    code = known.get(code.casefold(), code)
    bonus = next((b for b in table.bonuses if b.code == code), None)
    if bonus is not None:
        if min(abs(points), abs(points - bonus.points)) > _EPSILON:
            return FormProblem(0, code, APPLIES, {"points": bonus.points})
        return code, entries.with_bonus(code, abs(points) > _EPSILON)
    criterion = table.criterion(code)
    if criterion is None:
        return FormProblem(0, code, UNKNOWN)
    problem = _check(criterion, points)
    if problem is not None:
        return FormProblem(0, code, problem[0], problem[1])
    return code, entries.scored(code, _value(criterion, points), points)


def _number(value: object) -> float | None:
    if isinstance(value, bool | datetime | date | time):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = nfc(str(value)).replace(" ", "").replace("\u00a0", "")
    return float(text.replace(",", ".")) if _NUMBER.match(text) else None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))[:MAX_TEXT]


def _grids(data: bytes, cached: bool) -> list[list[list[Any]]]:
    """Each sheet's rows of at most MAX_FORM_COLUMNS cells: formulas as written, or
    (``cached``) their saved values, read by openpyxl. More than MAX_FORM_ROWS rows refuse
    the file."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=cached)
    try:
        grids = []
        for sheet in book.worksheets:
            grid: list[list[Any]] = []
            limit = MAX_FORM_ROWS + 1
            for cells in sheet.iter_rows(max_row=limit, max_col=MAX_FORM_COLUMNS, values_only=True):
                if len(grid) >= MAX_FORM_ROWS:
                    raise FormRefused(TOO_MANY_ROWS, rows=MAX_FORM_ROWS)
                grid.append(list(cells))
            grids.append(grid)
        return grids
    finally:
        book.close()


def _within_rows(grids: list[list[tuple[Any, ...]]]) -> list[list[list[Any]]]:
    """The grids of a plain workbook (``bot.domain.xlsx_values``) as ``_grids`` gives them."""
    if any(len(grid) > MAX_FORM_ROWS for grid in grids):
        raise FormRefused(TOO_MANY_ROWS, rows=MAX_FORM_ROWS)
    return [[list(cells) for cells in grid] for grid in grids]


def _header(grid: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    for r, cells in enumerate(grid[:HEADER_WITHIN_ROWS]):
        found: dict[str, int] = {}
        for i, cell in enumerate(cells):
            column = column_of(cell)
            if column and column not in found:
                found[column] = i
        if {"code", "score"} <= found.keys():
            return r, found
    return None


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _group_codes(table: ScoringTable) -> set[str]:
    def walk(items: tuple[Group | Criterion, ...]) -> Iterator[str]:
        for item in items:
            if isinstance(item, Group):
                yield item.code
                yield from walk(item.items)

    return set(walk(table.groups))


def read_score_form(data: bytes, table: ScoringTable) -> ReadForm:
    """The scores of a filled form, checked row by row against ``table``. Raises FormRefused
    for a file that is not a readable form (too large, not XLSX, no header, too many rows)."""
    if len(data) > MAX_FORM_BYTES:
        raise FormRefused(TOO_LARGE, megabytes=MAX_FORM_BYTES >> 20)
    if not data.startswith(b"PK\x03\x04"):
        raise FormRefused(NOT_A_WORKBOOK)
    try:
        check_zip(data, FORM_ZIP_LIMITS)
    except UnsafeFile as exc:
        raise FormRefused(UNSAFE) from exc
    plain = plain_grids(data, MAX_FORM_ROWS + 1, MAX_FORM_COLUMNS)  # no formula, no date
    try:
        written = _grids(data, cached=False) if plain is None else _within_rows(plain)
    except FormRefused:
        raise
    except Exception as exc:  # not a workbook inside, or a damaged one: openpyxl raises anything
        raise FormRefused(NOT_A_WORKBOOK) from exc
    found = next(
        ((s, h) for s, grid in enumerate(written) if (h := _header(grid)) is not None), None
    )
    if found is None:
        raise FormRefused(NO_HEADER, code="TT", score="Điểm tự chấm")
    sheet, (header_row, columns) = found
    grid = written[sheet]
    has_formulas = plain is None and any(_is_formula(v) for cells in grid for v in cells)
    values = _grids(data, cached=True)[sheet] if has_formulas else grid
    return _checked(table, grid, values, header_row, columns)


def _checked(
    table: ScoringTable,
    grid: list[list[Any]],
    values: list[list[Any]],
    header_row: int,
    columns: dict[str, int],
) -> ReadForm:
    criteria = {c.code: c for c in table.criteria()}
    bonuses = {b.code: b for b in table.bonuses}
    groups = _group_codes(table)
    scores: dict[str, FormScore] = {}
    chosen: dict[str, bool] = {}
    seen: dict[str, int] = {}
    problems: list[FormProblem] = []

    def cell(cells: list[Any], name: str) -> Any:
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    for r in range(header_row + 1, len(grid)):
        row, cells, saved = r + 1, grid[r], values[r] if r < len(values) else []
        code = _text(cell(cells, "code")).strip(" .")
        raw = cell(cells, "score")
        if not code or code in groups:
            continue
        if code not in criteria and code not in bonuses:
            if raw not in (None, ""):
                problems.append(FormProblem(row, code, UNKNOWN))
            continue
        if code in seen:
            problems.append(FormProblem(row, code, TWICE, {"first": seen[code]}))
            continue
        seen[code] = row
        if raw is None or raw == "":
            continue
        if _is_formula(raw):
            raw = cell(saved, "score")
            if raw is None or raw == "":
                problems.append(FormProblem(row, code, FORMULA))
                continue
        points = _number(raw)
        if points is None:
            problems.append(FormProblem(row, code, NOT_NUMBER))
            continue
        if code in bonuses:
            bonus = bonuses[code]
            if min(abs(points), abs(points - bonus.points)) > _EPSILON:
                problems.append(FormProblem(row, code, APPLIES, {"points": bonus.points}))
            else:
                chosen[code] = abs(points) > _EPSILON
            continue
        criterion = criteria[code]
        problem = _check(criterion, points)
        if problem is not None:
            problems.append(FormProblem(row, code, problem[0], problem[1]))
            continue
        note, evidence = (
            _text(_cached(cell(cells, n), cell(saved, n))) for n in ("note", "evidence")
        )
        scores[code] = FormScore(code, row, points, _value(criterion, points), note, evidence)
    score = UnitScore("", {c: s.points for c, s in scores.items()}, chosen)
    return ReadForm(
        scores=scores,
        bonuses=chosen,
        problems=tuple(problems),
        blank=tuple(c for c in criteria if c not in scores),
        total=score.total(table),
        subtotals={g.code: score.subtotal(table, g.code) for g in table.groups},
    )


def _cached(written: object, saved: object) -> object:
    """A text cell's value: a formula's saved value (never the formula itself)."""
    return saved if _is_formula(written) else written
