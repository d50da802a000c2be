"""A province's decision on its clusters and blocs ("chia cụm, khối thi đua") read from its lines
and tables into clusters — name, kind, chair, deputy, members as written — with every line it
could not read, and a document cut off mid-list, flagged, never guessed.

The shapes read: headings ("1. Cụm 1:", "Khối thi đua Nội chính"; a heading followed at once by
another, "I. CỤM THI ĐUA CÁC XÃ, PHƯỜNG:", only introduces them), members as numbered or dashed
lines, chair and deputy as lines ("+ Cụm trưởng: …", "Phó Trưởng Cụm: …") or marked on a member
("UBND xã Na Sang (Cụm trưởng)"), and tables (TT · cụm, khối · member units, one per line of a
cell or separated by ";" · trưởng · phó · ghi chú), alone or under a heading."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from bot.domain.cluster import ClusterKind, UnitKind
from bot.domain.plan_tables import is_section
from bot.domain.strings import fold, nfc
from bot.domain.unit_names import family, kind_of, unit_key, unit_list

__all__ = [
    "Builder",
    "Decision",
    "DecisionCluster",
    "Flag",
    "FlagReason",
    "Line",
    "Place",
    "Table",
    "read_blocks",
    "split_members",
]

_NUMBERING = r"(?:(?:[IVXLC]{1,6}|\d{1,3}|[a-zđ])[.)]\s*)?"
_HEADING = re.compile(rf"^{_NUMBERING}((cụm|khối)\b.*)$", re.IGNORECASE)
_ROLE_WORD = (
    r"phó\s+trưởng\s+(?:cụm|khối)|phó\s+(?:cụm|khối)\s+trưởng|(?:cụm|khối)\s+phó"
    r"|trưởng\s+(?:cụm|khối)|(?:cụm|khối)\s+trưởng"
)
_ROLE_LINE = re.compile(
    rf"^[+\-–•*]?\s*({_ROLE_WORD})(?:\s+thi\s+đua)?\s*[:：]\s*(.*)$", re.IGNORECASE
)
_ROLE_START = re.compile(rf"^(?:{_ROLE_WORD})\b", re.IGNORECASE)
_MARKED = re.compile(rf"\s*(?:\(\s*({_ROLE_WORD})\s*\)|[-–]\s*({_ROLE_WORD}))\s*[.;,]?$", re.I)
_ITEM = re.compile(r"^(?:0*(\d{1,3})[.)]|[-–—•*+])\s*(.*)$")
_COUNT = re.compile(r"gồm\s+0*(\d{1,3})\s+(?:đơn vị|thành viên|cơ quan|xã|phường|sở)", re.I)
_COUNT_TAIL = re.compile(r"\s*[(,–-]?\s*\(?gồm\b.*$", re.IGNORECASE)
_INLINE = re.compile(r"^(?:gồm|thành viên|các đơn vị)[^:]{0,40}:\s*(.*)$", re.IGNORECASE)
_ENDS = re.compile(r"^(?:Điều\s+\d|Nơi nhận|TM\.|KT\.|Q\.|TL\.|CHỦ TỊCH|GIÁM ĐỐC)", re.I)
_WRAPPED = re.compile(r"(?:[,–-]|\bvà)$", re.IGNORECASE)
_OPEN_END = re.compile(r"(?:[,;:–-]|\bvà)$", re.IGNORECASE)
_PLURAL = re.compile(r"^(?:UBND\s+)?các\s+\w+(?:\s+\w+)?\s*:", re.IGNORECASE)
_MARKS = {"x", "✓", "√", "v"}
_LETTER = re.compile(r"[^\W\d_]")
_MAX_HEADING = 120
_DEFAULT_WORDS = {
    (ClusterKind.CUM, "chair"): "trưởng cụm",
    (ClusterKind.CUM, "deputy"): "phó trưởng cụm",
    (ClusterKind.KHOI, "chair"): "trưởng khối",
    (ClusterKind.KHOI, "deputy"): "phó trưởng khối",
}


class FlagReason(StrEnum):
    CUT_OFF = "cut_off"
    """The document ends in the middle of a list (or before a cluster's members)."""
    UNREADABLE = "unreadable"
    """A line inside a list that is neither a member nor a chair or deputy."""
    NUMBERING_GAP = "numbering_gap"
    COUNT_MISMATCH = "count_mismatch"
    """The heading says "gồm 5 đơn vị" and another number of members is listed."""
    NO_MEMBERS = "no_members"
    TOO_FEW_MEMBERS = "too_few_members"
    DUPLICATE_MEMBER = "duplicate_member"
    CHAIR_NOT_MEMBER = "chair_not_member"
    DEPUTY_NOT_MEMBER = "deputy_not_member"
    SECOND_CHAIR = "second_chair"
    """A chair (or deputy) named again, differently: the first one is kept."""
    FORMULA = "formula"
    """A spreadsheet cell holding a formula: never evaluated, its text not taken."""
    NO_CLUSTERS = "no_clusters"
    # the province workbook's own checks
    MISSING_SHEET = "missing_sheet"
    MISSING_COLUMN = "missing_column"
    EMPTY_CELL = "empty_cell"
    BAD_KIND = "bad_kind"
    UNKNOWN_CLUSTER = "unknown_cluster"
    UNKNOWN_UNIT = "unknown_unit"
    DUPLICATE_CLUSTER = "duplicate_cluster"
    UNIT_IN_TWO_CLUSTERS = "unit_in_two_clusters"
    BAD_CODE = "bad_code"
    DUPLICATE_CODE = "duplicate_code"
    BAD_PHONE = "bad_phone"
    BAD_EMAIL = "bad_email"
    BAD_TELEGRAM = "bad_telegram"
    TOO_MANY_ROWS = "too_many_rows"


@dataclass(frozen=True)
class Flag:
    reason: FlagReason
    text: str = ""
    """What the document has there (or, for a count, "5 ≠ 4")."""
    cluster: str | None = None
    line: int | None = None
    """The line of the document (plain text: its line number; DOCX, PDF: the n-th line read)."""
    table: int | None = None
    row: int | None = None
    sheet: str | None = None
    column: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "reason": self.reason.value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Flag:
        return cls(**{**data, "reason": FlagReason(data["reason"])})


@dataclass(frozen=True)
class DecisionCluster:
    name: str
    kind: ClusterKind
    chair: str | None
    deputy: str | None
    members: tuple[str, ...]
    """The member units as the document writes them, chair and deputy among them."""
    chair_word: str | None = None
    """The document's own word for the chair ("Khối trưởng"), if not the usual one."""
    deputy_word: str | None = None

    def as_json(self, words: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind.value,
            "chair": self.chair,
            "deputy": self.deputy,
            "members": list(self.members),
        }
        if words:
            data |= {"chair_word": self.chair_word, "deputy_word": self.deputy_word}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DecisionCluster:
        return cls(
            name=data["name"],
            kind=ClusterKind(data["kind"]),
            chair=data["chair"],
            deputy=data["deputy"],
            members=tuple(data["members"]),
            chair_word=data.get("chair_word"),
            deputy_word=data.get("deputy_word"),
        )


@dataclass(frozen=True)
class Decision:
    clusters: tuple[DecisionCluster, ...]
    flagged: tuple[Flag, ...] = ()

    def as_json(self, words: bool = False) -> dict[str, Any]:
        """``{"clusters": [{"name", "kind", "chair", "deputy", "members"}], "flagged": [...]}``;
        ``words`` adds each cluster's own words for chair and deputy (the worker's answer)."""
        return {
            "clusters": [c.as_json(words) for c in self.clusters],
            "flagged": [f.as_json() for f in self.flagged],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Decision:
        return cls(
            tuple(DecisionCluster.from_json(c) for c in data["clusters"]),
            tuple(Flag.from_json(f) for f in data["flagged"]),
        )


@dataclass(frozen=True)
class Line:
    text: str
    number: int


@dataclass(frozen=True)
class Table:
    rows: Sequence[Sequence[str | None]]
    """Cells as text (line breaks kept); None where a merged cell continues the one above."""
    number: int
    sheet: str | None = None


@dataclass(frozen=True)
class Place:
    """Where something is in the document: a line, or a table's row (and column)."""

    line: int | None = None
    table: int | None = None
    row: int | None = None
    sheet: str | None = None
    column: str | None = None
    """A spreadsheet column's header ("Trưởng")."""


@dataclass
class _Draft:
    name: str
    kind: ClusterKind | None
    at: Place
    expected: int | None = None
    members: list[tuple[str, Place]] = field(default_factory=list)
    chair: tuple[str, str | None, Place] | None = None
    deputy: tuple[str, str | None, Place] | None = None
    numbers: list[int] = field(default_factory=list)
    last_text: str = ""
    """The last member or role as written, punctuation kept (a cut-off list ends open)."""
    last_at: Place | None = None
    pending: list[tuple[str, Place]] = field(default_factory=list)
    """Lines that are neither members nor roles: flagged if the list goes on after them."""

    @property
    def empty(self) -> bool:
        return not self.members and self.chair is None and self.deputy is None


def _clean(text: str) -> str:
    return " ".join(nfc(text).split())


def _heading(text: str) -> tuple[str, ClusterKind, int | None] | None:
    """A cluster heading's name, kind and declared member count."""
    found = _HEADING.match(text)
    if not found or _ROLE_START.match(found.group(1)) or len(text) > _MAX_HEADING:
        return None
    if text.endswith((".", ";")):  # a sentence about clusters, not a heading
        return None
    count = _COUNT.search(text)
    name = _COUNT_TAIL.sub("", found.group(1)).rstrip(" :")
    return name, ClusterKind(fold(found.group(2))), int(count.group(1)) if count else None


def _role(word: str) -> str:
    return "deputy" if "phó" in fold(word) else "chair"


def _own_word(kind: ClusterKind | None, role: str, word: str | None) -> str | None:
    if word is None:
        return None
    word = _clean(word)
    usual = _DEFAULT_WORDS[(kind or ClusterKind.CUM, role)]
    return None if fold(word) == usual else word


def _member_text(text: str) -> tuple[str, str | None]:
    """A member's name, its trailing punctuation gone, and the role marked on it, if any."""
    text = _clean(text)
    role = None
    if marked := _MARKED.search(text):
        role = marked.group(1) or marked.group(2)
        text = text[: marked.start()]
    return text.strip(" ;,.").strip(), role


def _cell_lines(cell: str) -> list[str]:
    """A cell's lines, a name wrapped over two lines (a PDF breaks them where the column ends)
    joined again: when the cell numbers or dashes its members, a line without the mark goes on
    the one above; otherwise a line that starts in lower case, or follows one ending in ",",
    "và" or "-" and does not begin with a unit's kind ("Phường …", "Sở …"), does."""
    lines = [line.strip() for line in nfc(cell).splitlines() if line.strip()]
    marked = any(_ITEM.match(line) for line in lines)
    joined: list[str] = []
    for line in lines:
        wrapped = bool(joined and _WRAPPED.search(joined[-1])) and kind_of(line) is UnitKind.CO_QUAN
        goes_on = not _ITEM.match(line) if marked else line[0].islower() or wrapped
        if joined and goes_on:
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def split_members(cell: str) -> list[str]:
    """The members in a table cell: one per line or separated by ";" — never split at a comma,
    which belongs to names such as "Sở Văn hóa, Thể thao và Du lịch"."""
    items = []
    for line in _cell_lines(cell):
        for part in line.split(";"):
            part = part.strip()
            if found := _ITEM.match(part):
                part = found.group(2)
            if part.strip(" .,"):
                items.append(part)
    return items


class Builder:
    """Clusters built from what a document says in order — a heading, a member, a chair or
    deputy, a line of prose, the end of a list — with the checks every reader shares."""

    def __init__(self) -> None:
        self.clusters: list[DecisionCluster] = []
        self.flags: list[Flag] = []
        self.current: _Draft | None = None
        self.ended = True
        """No list is open: the last one was closed by a section, a signature or prose."""

    # -- the events -------------------------------------------------------------------------
    def heading(self, name: str, kind: ClusterKind | None, count: int | None, at: Place) -> None:
        if self.current is not None and self.current.empty:
            self.current = None  # it only introduced the clusters below it
        self.finish()
        self.current = _Draft(name, kind, at, expected=count)
        self.ended = False

    def member(self, text: str, at: Place, number: int | None = None) -> None:
        draft = self._open()
        if draft is None:
            return
        if _PLURAL.match(text):  # "UBND các xã: Na Sang, Ma Thì Hồ": locality names, commas
            for kind, name in unit_list(text):
                self.member(f"{kind.capitalize()} {name}", at)
            return
        name, role = _member_text(text)
        if not _LETTER.search(name):
            self.flag(FlagReason.UNREADABLE, text, at)
            return
        if number is not None:
            if draft.numbers and number != draft.numbers[-1] + 1:
                self.flag(FlagReason.NUMBERING_GAP, f"{draft.numbers[-1]} → {number}", at)
            draft.numbers.append(number)
        draft.members.append((name, at))
        draft.last_text, draft.last_at = _clean(text), at
        if role:
            self.role(role, name, at, written=False)

    def role(
        self, word: str | None, name: str, at: Place, role: str = "", written: bool = True
    ) -> None:
        draft = self._open()
        if draft is None:
            return
        role = role or _role(word or "")
        name = _clean(name).strip(" ;.").strip()
        if not _LETTER.search(name) or ";" in name:
            self.flag(FlagReason.UNREADABLE, name, at)
            return
        held = draft.chair if role == "chair" else draft.deputy
        if held is not None and unit_key(held[0]) != unit_key(name):
            self.flag(FlagReason.SECOND_CHAIR, name, at)
            return
        value = (name, word, at)
        if role == "chair":
            draft.chair = value
        else:
            draft.deputy = value
        if written:
            draft.last_text, draft.last_at = _clean(name), at

    def prose(self, text: str, at: Place) -> None:
        """A line that is neither heading, member nor role."""
        if self.current is not None and not self.ended:
            self.current.pending.append((text, at))

    def end_list(self) -> None:
        self.finish()
        self.ended = True

    def flag(self, reason: FlagReason, text: str, at: Place, cluster: str | None = None) -> None:
        if cluster is None and self.current is not None:
            cluster = self.current.name
        self.flags.append(
            Flag(reason, text, cluster, at.line, at.table, at.row, at.sheet, at.column)
        )

    # -- building -----------------------------------------------------------------------------
    def _open(self) -> _Draft | None:
        """The cluster a member or role belongs to (none outside the lists: a numbered line of
        the preamble is not a member); lines held as prose before it were inside its list, so
        they are flagged."""
        draft = self.current
        if draft is None or self.ended:
            return None
        for text_, where in draft.pending:
            self.flag(FlagReason.UNREADABLE, text_, where)
        draft.pending.clear()
        return draft

    def finish(self) -> None:
        draft, self.current = self.current, None
        if draft is None:
            return
        members: list[str] = []
        keys: dict[str, str] = {}
        for name, at in draft.members:
            if unit_key(name) in keys:
                self.flag(FlagReason.DUPLICATE_MEMBER, name, at, draft.name)
                continue
            keys[unit_key(name)] = name
            members.append(name)
        if not members:
            self.flag(FlagReason.NO_MEMBERS, draft.name, draft.at, draft.name)
        elif len(members) < 2:
            self.flag(FlagReason.TOO_FEW_MEMBERS, members[0], draft.at, draft.name)
        if draft.expected is not None and draft.expected != len(members):
            count = f"{draft.expected} ≠ {len(members)}"
            self.flag(FlagReason.COUNT_MISMATCH, count, draft.at, draft.name)
        kind = draft.kind or _kind_of_members(members)
        chair, chair_word = self._resolved(draft, draft.chair, keys, FlagReason.CHAIR_NOT_MEMBER)
        deputy, deputy_word = self._resolved(
            draft, draft.deputy, keys, FlagReason.DEPUTY_NOT_MEMBER
        )
        self.clusters.append(
            DecisionCluster(
                name=draft.name,
                kind=kind,
                chair=chair,
                deputy=deputy,
                members=tuple(members),
                chair_word=_own_word(kind, "chair", chair_word),
                deputy_word=_own_word(kind, "deputy", deputy_word),
            )
        )

    def _resolved(
        self,
        draft: _Draft,
        held: tuple[str, str | None, Place] | None,
        keys: dict[str, str],
        outside: FlagReason,
    ) -> tuple[str | None, str | None]:
        """The member a chair or deputy line names, in the members' own writing."""
        if held is None:
            return None, None
        name, word, at = held
        if unit_key(name) in keys:
            return keys[unit_key(name)], word
        self.flag(outside, name, at, draft.name)
        return name, word

    def close(self) -> Decision:
        draft = self.current
        if draft is not None and not self.ended and not draft.pending:  # ends inside the list
            cut = (
                draft.empty
                or bool(_OPEN_END.search(draft.last_text))
                or (draft.expected is not None and draft.expected > len(draft.members))
            )
            if cut:
                self.flag(
                    FlagReason.CUT_OFF, draft.last_text or draft.name, draft.last_at or draft.at
                )
        self.finish()
        if not self.clusters:
            self.flags.append(Flag(FlagReason.NO_CLUSTERS))
        return Decision(tuple(self.clusters), tuple(self.flags))


def _kind_of_members(members: Sequence[str]) -> ClusterKind:
    """A table's cluster named without "cụm" or "khối": a bloc when its members are bodies."""
    departments = sum(family(kind_of(m).value) == "department" for m in members)
    return ClusterKind.KHOI if members and departments * 2 > len(members) else ClusterKind.CUM


def _read_line(reader: Builder, line: Line, at: Place | None = None) -> None:
    text = _clean(line.text)
    at = at or Place(line=line.number)
    if not text:
        return
    if found := _ROLE_LINE.match(text):
        reader.role(found.group(1), found.group(2), at)
    elif heading := _heading(text):
        reader.heading(*heading, at)
    elif _ENDS.match(text) or is_section(text):
        reader.end_list()
    elif (found := _ITEM.match(text)) and found.group(2):
        number = int(found.group(1)) if found.group(1) else None
        reader.member(found.group(2), at, number)
    elif reader.current is not None and (count := _COUNT.search(text)):
        reader.current.expected = int(count.group(1))
    elif (found := _INLINE.match(text)) and reader.current is not None:
        for item in split_members(found.group(1)):
            reader.member(item, at)
    else:
        reader.prose(text, at)


_COLUMNS = ("number", "cluster", "members", "chair", "deputy", "note")


def _column(label: str) -> str | None:
    text = fold(label).strip(" .:")
    if "phó" in text:
        return "deputy"
    if "trưởng" in text:
        return "chair"
    if any(w in text for w in ("ghi chú", "vai trò", "chức danh", "nhiệm vụ")):
        return "note"
    if any(w in text for w in ("đơn vị", "thành viên", "cơ quan")):
        return "members"
    if "cụm" in text or "khối" in text or text.startswith("tên"):
        return "cluster"
    if text in ("tt", "stt", "số tt", "số thứ tự", "thứ tự"):
        return "number"
    return None


def _header(cells: Sequence[str | None]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        column = _column(cell or "")
        if column and column not in found:
            found[column] = i
    return found if "members" in found and len(found) >= 2 else None


def _header_kind(label: str) -> ClusterKind | None:
    text = fold(label)
    if ("cụm" in text) == ("khối" in text):
        return None
    return ClusterKind.CUM if "cụm" in text else ClusterKind.KHOI


def _read_table(reader: Builder, table: Table) -> list[Line]:
    """The table's rows as clusters; a table that is not one (a letterhead) gives its text back
    as lines."""
    header: dict[str, int] | None = None
    labels: Sequence[str | None] = ()
    loose: list[Line] = []
    for r, cells in enumerate(table.rows, start=1):
        at = Place(table=table.number, row=r, sheet=table.sheet)
        if found := _header(cells):
            if header is None:
                header, labels = found, cells
            continue
        if header is None:
            loose += [Line(t, 0) for c in cells if c for t in c.splitlines()]
            continue
        _read_row(reader, cells, header, labels, at)
    return loose


def _cell(cells: Sequence[str | None], header: dict[str, int], column: str) -> str | None:
    i = header.get(column)
    return cells[i] if i is not None and i < len(cells) else ""


def _read_row(
    reader: Builder,
    cells: Sequence[str | None],
    header: dict[str, int],
    labels: Sequence[str | None],
    at: Place,
) -> None:
    filled = [c for c in cells if c and c.strip()]
    cluster = _clean(_cell(cells, header, "cluster") or "")
    if not filled:
        return
    if len(filled) == 1 and not cluster and not (_cell(cells, header, "members") or "").strip():
        if filled[0] != _cell(cells, header, "number"):  # not a number alone
            _read_line(reader, Line(filled[0], 0), at)  # a section row: "I. CỤM THI ĐUA CÁC XÃ"
        return
    if cluster:
        heading = _heading(cluster)
        name, kind, count = heading or (cluster.rstrip(" :"), None, None)
        if kind is None and "cluster" in header:
            kind = _header_kind(labels[header["cluster"]] or "")
        same = reader.current is not None and reader.current.name == name and not reader.ended
        if not same:  # a name written again on each of its rows is one cluster
            reader.heading(name, kind, count, at)
    members = split_members(_cell(cells, header, "members") or "")
    for member in members:
        reader.member(member, at)
    for role in ("chair", "deputy"):
        value = _clean(_cell(cells, header, role) or "")
        label = _clean(labels[header[role]] or "") if role in header else ""
        word = label if re.fullmatch(_ROLE_WORD, label, re.IGNORECASE) else None
        if fold(value) in _MARKS and len(members) == 1:
            reader.role(word, _member_text(members[0])[0], at, role)
        elif value:
            reader.role(word, value, at, role)
    note = _clean(_cell(cells, header, "note") or "")
    if (marked := _ROLE_START.match(note)) and len(members) == 1:
        reader.role(marked.group(0), _member_text(members[0])[0], at)


def read_blocks(blocks: Iterable[Line | Table]) -> Decision:
    """The decision in a document's lines and tables, in the order the document has them."""
    reader = Builder()
    for block in blocks:
        if isinstance(block, Table):
            for line in _read_table(reader, block):
                _read_line(reader, line, Place(table=block.number, sheet=block.sheet))
        else:
            _read_line(reader, block)
    return reader.close()
