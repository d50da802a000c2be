"""The province workbook: the sheets a province fills in itself — its clusters and blocs, its
units, its officers — read back into the decision's clusters (with the checks every decision
gets) plus the units' codes and the officers. Every problem is flagged with its sheet, row and
column; nothing is guessed. Read-only and bounded (``province_documents.sheet_rows``); a
formula is never evaluated."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bot.domain.cluster import ClusterKind
from bot.domain.file_types import XLSX, sniff
from bot.domain.plan_documents import UnreadableDocument
from bot.domain.province_decision import Builder, Decision, Flag, FlagReason, Place
from bot.domain.province_documents import MAX_SHEETS, read_decision, sheet_rows
from bot.domain.strings import fold, nfc
from bot.domain.unit_names import unit_key

__all__ = [
    "CLUSTERS_SHEET",
    "CLUSTER_COLUMNS",
    "GUIDE",
    "GUIDE_SHEET",
    "OFFICERS_SHEET",
    "OFFICER_COLUMNS",
    "SHEETS",
    "UNITS_SHEET",
    "UNIT_COLUMNS",
    "Column",
    "Officer",
    "ProvinceWorkbook",
    "is_province_workbook",
    "read_province_file",
    "read_province_workbook",
]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    """The header as the template writes it; the reader matches it up to " (" whatever the
    case, so a header without its hint is found too."""
    width: int
    required: bool = False


GUIDE_SHEET = "Hướng dẫn"
CLUSTERS_SHEET = "Cụm, khối"
UNITS_SHEET = "Đơn vị"
OFFICERS_SHEET = "Cán bộ"
CLUSTER_COLUMNS = (
    Column("name", "Tên cụm, khối thi đua", 42, required=True),
    Column("kind", "Loại (cụm hoặc khối)", 16, required=True),
    Column("chair", "Đơn vị trưởng", 38),
    Column("deputy", "Đơn vị phó", 38),
    Column("chair_word", "Gọi trưởng là (nếu khác)", 24),
    Column("deputy_word", "Gọi phó là (nếu khác)", 24),
)
UNIT_COLUMNS = (
    Column("name", "Tên đơn vị (ghi đầy đủ)", 44, required=True),
    Column("code", "Mã (để trống: tự tạo)", 18),
    Column("cluster", "Thuộc cụm, khối", 42, required=True),
)
OFFICER_COLUMNS = (
    Column("name", "Họ và tên", 28, required=True),
    Column("position", "Chức vụ", 28),
    Column("unit", "Đơn vị", 40, required=True),
    Column("phone", "Điện thoại", 16),
    Column("email", "Email", 30),
    Column("telegram", "Tên Telegram (nếu có)", 22),
)
SHEETS = {
    CLUSTERS_SHEET: CLUSTER_COLUMNS,
    UNITS_SHEET: UNIT_COLUMNS,
    OFFICERS_SHEET: OFFICER_COLUMNS,
}
GUIDE = (
    "CÁCH ĐIỀN BẢNG CỤM, KHỐI THI ĐUA CỦA TỈNH",
    "1. Trang «Cụm, khối»: mỗi dòng một cụm hoặc khối thi đua; cột Loại ghi «cụm» hoặc «khối»;"
    " đơn vị trưởng, đơn vị phó ghi đúng tên như ở trang «Đơn vị».",
    "2. Trang «Đơn vị»: mỗi dòng một đơn vị, tên ghi đầy đủ như văn bản (ví dụ: Phường Cam Đường,"
    " Xã Bát Xát, Sở Văn hóa, Thể thao và Du lịch); cột Mã để trống thì hệ thống tự tạo;"
    " mỗi đơn vị chỉ thuộc một cụm, khối.",
    "3. Trang «Cán bộ»: mỗi dòng một cán bộ đầu mối; Đơn vị ghi đúng tên như ở trang «Đơn vị»;"
    " điện thoại ghi dạng 0912 345 678; tên Telegram (nếu có) ghi dạng @ten_telegram.",
    "4. Không ghi công thức, không đổi tên các trang và dòng tiêu đề.",
)
"""The guide sheet's lines, in Vietnamese (the province's language)."""

_KINDS = {"cụm": ClusterKind.CUM, "cum": ClusterKind.CUM, "khối": ClusterKind.KHOI}
_KINDS |= {"khoi": ClusterKind.KHOI}
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")
_PHONE = re.compile(r"^(?:0\d{9,10}|\+?84\d{9,10})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TELEGRAM = re.compile(r"^@?([A-Za-z][A-Za-z0-9_]{4,31})$")


@dataclass(frozen=True)
class Officer:
    name: str
    position: str
    unit: str
    """The unit's name as the units sheet writes it."""
    phone: str | None
    email: str | None
    telegram: str | None
    """The Telegram username, without "@"."""


@dataclass(frozen=True)
class ProvinceWorkbook:
    decision: Decision
    """The clusters and every problem found, workbook checks included."""
    codes: Mapping[str, str]
    """The codes the units sheet gives (unit name → code); units without one get theirs when
    applied (``unit_codes.unit_code``)."""
    officers: tuple[Officer, ...]

    @property
    def flagged(self) -> tuple[Flag, ...]:
        return self.decision.flagged

    def as_json(self) -> dict[str, Any]:
        return {
            **self.decision.as_json(words=True),
            "codes": dict(self.codes),
            "officers": [asdict(o) for o in self.officers],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProvinceWorkbook:
        return cls(
            Decision.from_json(data),
            dict(data["codes"]),
            tuple(Officer(**o) for o in data["officers"]),
        )


def _head(label: str) -> str:
    return fold(label).split(" (")[0].strip(" :*")


def is_province_workbook(sheet_names: Sequence[str]) -> bool:
    """Whether a workbook has the template's sheets (and is read as one)."""
    names = {fold(n) for n in sheet_names}
    return fold(CLUSTERS_SHEET) in names and fold(UNITS_SHEET) in names


@dataclass(frozen=True)
class _Row:
    number: int
    values: dict[str, str]


class _Sheets:
    """The template's sheets as rows of named values, with the problems of their shape."""

    def __init__(self, workbook: Any, flags: list[Flag]) -> None:
        self.flags = flags
        self.rows: dict[str, list[_Row] | None] = {}
        by_name = {fold(s.title): s for s in workbook.worksheets[:MAX_SHEETS]}
        for title, columns in SHEETS.items():
            sheet = by_name.get(fold(title))
            if sheet is None:
                if title != OFFICERS_SHEET:  # officers can come later
                    flags.append(Flag(FlagReason.MISSING_SHEET, title, sheet=title))
                self.rows[title] = None
                continue
            self.rows[title] = self._named(title, columns, sheet_rows(sheet, flags))

    def _named(
        self, title: str, columns: Sequence[Column], rows: list[list[str | None]]
    ) -> list[_Row] | None:
        header = next((i for i, cells in enumerate(rows) if any(cells)), None)
        labels = [_head(c or "") for c in rows[header]] if header is not None else []
        where: dict[str, int] = {}
        for column in columns:
            if _head(column.label) in labels:
                where[column.key] = labels.index(_head(column.label))
            elif column.required:
                self.flags.append(
                    Flag(FlagReason.MISSING_COLUMN, column.label, sheet=title, column=column.label)
                )
        if header is None or any(c.required and c.key not in where for c in columns):
            return None
        found = []
        for number, cells in enumerate(rows[header + 1 :], start=header + 2):
            values = {
                key: " ".join(nfc(cells[i] or "").split()) if i < len(cells) else ""
                for key, i in where.items()
            }
            if any(values.values()):
                found.append(_Row(number, values))
        return found


def _label(columns: Sequence[Column], key: str) -> str:
    return next(c.label for c in columns if c.key == key)


class _Checker:
    def __init__(self, flags: list[Flag]) -> None:
        self.flags = flags

    def flag(
        self, reason: FlagReason, text: str, sheet: str, row: _Row, key: str, cluster: str = ""
    ) -> None:
        column = _label(SHEETS[sheet], key)
        self.flags.append(
            Flag(reason, text, cluster or None, row=row.number, sheet=sheet, column=column)
        )

    def required(self, sheet: str, row: _Row) -> bool:
        """Whether the row has every required cell (each empty one is flagged)."""
        whole = True
        for column in SHEETS[sheet]:
            if column.required and not row.values.get(column.key):
                self.flag(FlagReason.EMPTY_CELL, "", sheet, row, column.key)
                whole = False
        return whole


def _place(sheet: str, row: _Row, key: str | None = None) -> Place:
    column = _label(SHEETS[sheet], key) if key else None
    return Place(row=row.number, sheet=sheet, column=column)


def _clusters(
    rows: list[_Row], check: _Checker, rejected: set[str]
) -> dict[str, tuple[_Row, ClusterKind]]:
    """The clusters by folded name; ``rejected`` gets those flagged (their units are not)."""
    found: dict[str, tuple[_Row, ClusterKind]] = {}
    for row in rows:
        if not check.required(CLUSTERS_SHEET, row):
            continue
        name, kind = row.values["name"], _KINDS.get(fold(row.values["kind"]).split(" ")[0])
        if kind is None:
            check.flag(FlagReason.BAD_KIND, row.values["kind"], CLUSTERS_SHEET, row, "kind")
            rejected.add(fold(name))
        elif fold(name) in found:
            check.flag(FlagReason.DUPLICATE_CLUSTER, name, CLUSTERS_SHEET, row, "name")
        else:
            found[fold(name)] = (row, kind)
    return found


def _units(
    rows: list[_Row], clusters: Mapping[str, Any], rejected: set[str], check: _Checker
) -> tuple[dict[str, list[_Row]], dict[str, str], dict[str, str]]:
    """The units of each cluster, their codes, and every unit's name by its key."""
    members: dict[str, list[_Row]] = {key: [] for key in clusters}
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    cluster_of: dict[str, str] = {}
    for row in rows:
        if not check.required(UNITS_SHEET, row):
            continue
        name, cluster = row.values["name"], fold(row.values["cluster"])
        if cluster in rejected:
            continue
        if cluster not in clusters:
            check.flag(
                FlagReason.UNKNOWN_CLUSTER, row.values["cluster"], UNITS_SHEET, row, "cluster"
            )
            continue
        key = unit_key(name)
        if cluster_of.get(key, cluster) != cluster:
            check.flag(FlagReason.UNIT_IN_TWO_CLUSTERS, name, UNITS_SHEET, row, "cluster")
            continue
        cluster_of[key] = cluster
        code = row.values.get("code", "").upper()
        if code and not _CODE.match(code):
            check.flag(FlagReason.BAD_CODE, row.values["code"], UNITS_SHEET, row, "code")
        elif code and code in codes.values() and codes.get(name) != code:
            check.flag(FlagReason.DUPLICATE_CODE, code, UNITS_SHEET, row, "code")
        elif code:
            codes[name] = code
        names.setdefault(key, name)
        members[cluster].append(row)
    return members, codes, names


def _officers(rows: list[_Row], names: Mapping[str, str], check: _Checker) -> list[Officer]:
    found = []
    for row in rows:
        if not check.required(OFFICERS_SHEET, row):
            continue
        values = row.values
        unit = names.get(unit_key(values["unit"]))
        if unit is None:
            check.flag(FlagReason.UNKNOWN_UNIT, values["unit"], OFFICERS_SHEET, row, "unit")
        phone = values.get("phone", "")
        if phone and not _PHONE.match(re.sub(r"[\s.()-]", "", phone)):
            check.flag(FlagReason.BAD_PHONE, phone, OFFICERS_SHEET, row, "phone")
        email = values.get("email", "")
        if email and not _EMAIL.match(email):
            check.flag(FlagReason.BAD_EMAIL, email, OFFICERS_SHEET, row, "email")
        telegram = values.get("telegram", "")
        username = _TELEGRAM.match(telegram)
        if telegram and username is None:
            check.flag(FlagReason.BAD_TELEGRAM, telegram, OFFICERS_SHEET, row, "telegram")
        if unit is not None:
            found.append(
                Officer(
                    name=values["name"],
                    position=values.get("position", ""),
                    unit=unit,
                    phone=phone or None,
                    email=email or None,
                    telegram=username.group(1) if username else None,
                )
            )
    return found


def _open(data: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # a damaged or odd file: the library raises anything
        raise UnreadableDocument("the XLSX file cannot be read") from exc


def read_province_file(data: bytes) -> Decision | ProvinceWorkbook:
    """A province workbook (the template's sheets) or a decision in any shape."""
    if sniff(data) is XLSX:
        workbook = _open(data)
        names = workbook.sheetnames
        workbook.close()
        if is_province_workbook(names):
            return read_province_workbook(data)
    return read_decision(data)


def read_province_workbook(data: bytes) -> ProvinceWorkbook:
    """The province workbook's clusters, codes and officers, every problem flagged."""
    flags: list[Flag] = []
    workbook = _open(data)
    try:
        sheets = _Sheets(workbook, flags)
    except Exception as exc:
        raise UnreadableDocument("the XLSX file cannot be read") from exc
    finally:
        workbook.close()
    check = _Checker(flags)
    cluster_rows, unit_rows = sheets.rows[CLUSTERS_SHEET], sheets.rows[UNITS_SHEET]
    if cluster_rows is None or unit_rows is None:
        return ProvinceWorkbook(Decision((), tuple(flags)), {}, ())
    rejected: set[str] = set()
    clusters = _clusters(cluster_rows, check, rejected)
    members, codes, names = _units(unit_rows, clusters, rejected, check)
    builder = Builder()
    for key, (row, kind) in clusters.items():
        builder.heading(row.values["name"], kind, None, _place(CLUSTERS_SHEET, row, "name"))
        for unit in members[key]:
            builder.member(unit.values["name"], _place(UNITS_SHEET, unit, "name"))
        for role in ("chair", "deputy"):
            if row.values.get(role):
                word = row.values.get(f"{role}_word") or None
                builder.role(word, row.values[role], _place(CLUSTERS_SHEET, row, role), role)
        builder.end_list()
    officers = _officers(sheets.rows[OFFICERS_SHEET] or [], names, check)
    decision = builder.close()
    return ProvinceWorkbook(
        Decision(decision.clusters, (*flags, *decision.flagged)), codes, tuple(officers)
    )
