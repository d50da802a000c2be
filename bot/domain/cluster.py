"""The cluster-year as data: units, plan tasks with their time windows, and deliverables."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from bot.domain.ballots import ElectionRule
from bot.domain.fair_rules import FairRules
from bot.domain.reminder_policy import ReminderPolicy
from bot.domain.scoring_table import ScoringTable
from bot.domain.strings import fold, nfc

__all__ = [
    "Campaign",
    "Campaigns",
    "Cluster",
    "ClusterKind",
    "ClusterYear",
    "Deliverable",
    "Plan",
    "Task",
    "Unit",
    "UnitKind",
    "Window",
    "is_time_zone",
]


class UnitKind(StrEnum):
    HUYEN = "huyện"
    QUAN = "quận"
    THI_XA = "thị xã"
    THANH_PHO = "thành phố"
    XA = "xã"
    PHUONG = "phường"
    DAC_KHU = "đặc khu"
    SO = "sở"
    BAN = "ban"
    NGANH = "ngành"
    CO_QUAN = "cơ quan"
    """A body whose name carries no kind ("Công an tỉnh", "Văn phòng UBND tỉnh")."""


class ClusterKind(StrEnum):
    CUM = "cụm"
    """A cluster of local units (districts, communes, wards)."""
    KHOI = "khối"
    """A bloc of departments."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _nfc_strings(value: object) -> object:
    return nfc(value) if isinstance(value, str) else value


class Unit(_Model):
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{0,15}$")
    name: str = Field(min_length=1)
    kind: UnitKind

    _norm = field_validator("name", mode="before")(_nfc_strings)

    @property
    def full_name(self) -> str:
        """The name with its kind before it, unless the name already begins with a kind
        ("Sở Tài chính", "Phường Cam Đường", "UBND xã Mường Ảng" stay as written)."""
        if self.kind is UnitKind.CO_QUAN or _names_its_kind(self.name):
            return self.name
        return f"{self.kind.value.capitalize()} {self.name}"


def _names_its_kind(name: str) -> bool:
    words = fold(name)
    return words.startswith(("ubnd ", "ủy ban ", "uỷ ban ")) or any(
        words.startswith(kind.value + " ") for kind in UnitKind
    )


def _day(value: object) -> object:
    """A date as offices write it ("30/06/2027", "1/7/2027") as well as ISO "2027-06-30"."""
    if isinstance(value, str) and (found := _DAY_MONTH_YEAR.fullmatch(value.strip())):
        day, month, year = (int(part) for part in found.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise PydanticCustomError("date_value", _BAD_DATE, {"value": value}) from None
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value.strip()):
        raise PydanticCustomError("date_format", _BAD_DATE, {"value": value})
    return value


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_BAD_DATE = "'{value}' is not a date: write it as 30/06/2027 or 2027-06-30"
_BAD_ZONE = "'{value}' is not a time zone: write it as Asia/Ho_Chi_Minh"


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is a time zone of the IANA database ("Asia/Ho_Chi_Minh")."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_PROVINCE_KIND = re.compile(r"(tỉnh|thành phố|tp\.?)\s+(\S.*)", re.IGNORECASE)


class Cluster(_Model):
    name: str = Field(min_length=1)
    province: str = Field(min_length=1)
    year: int = Field(ge=2000, le=2100)
    timezone: str = "Asia/Ho_Chi_Minh"
    kind: ClusterKind = ClusterKind.CUM
    chair: str | None
    """The chair unit's code; None while the province has not chosen it (``cumthidua cluster
    chair``)."""
    deputy: str | None = None
    """The deputy chair unit (Phó Trưởng Cụm), if the cluster has one."""
    chair_title: str | None = None
    """The province's own word for the chair ("Khối trưởng"), when not the usual one."""
    deputy_title: str | None = None
    """The province's own word for the deputy ("Cụm phó"), when not the usual one."""
    units: tuple[Unit, ...] = Field(min_length=2)
    reminders: ReminderPolicy = ReminderPolicy()
    election: ElectionRule = ElectionRule()
    """How this cluster-year's ballots elect (``election:`` in ``cluster.yaml``)."""
    rules: FairRules = FairRules()
    """The year's fair rules (``rules:`` in ``cluster.yaml``): who reviews the chair unit, when
    the scores may be locked, what an award requires."""

    _norm = field_validator("name", "province", "chair_title", "deputy_title", mode="before")(
        _nfc_strings
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_time_zone(value):
            raise PydanticCustomError("time_zone", _BAD_ZONE, {"value": value})
        return value

    @model_validator(mode="after")
    def _chair_is_a_unit(self) -> Self:
        codes = [u.code for u in self.units]
        if len(set(codes)) != len(codes):
            raise ValueError("unit codes must be unique")
        if self.chair is not None and self.chair not in codes:
            raise ValueError(f"chair {self.chair!r} is not one of the units {codes}")
        if self.deputy is not None and (self.deputy not in codes or self.deputy == self.chair):
            raise ValueError(f"deputy {self.deputy!r} must be another of the units {codes}")
        return self

    @property
    def key(self) -> str:
        """What names the cluster across its years: province and name, folded to ASCII."""
        return _slug(f"{self.province} {self.name}")

    @property
    def province_title(self) -> str:
        """The province as official text names it, "tỉnh Điện Biên", "thành phố Hà Nội": its
        kind once, however the name was written ("Tỉnh Lào Cai" is "tỉnh Lào Cai")."""
        found = _PROVINCE_KIND.match(self.province)
        if found is None:
            return f"tỉnh {self.province}"
        kind = fold(found.group(1))
        return f"{'tỉnh' if kind == 'tỉnh' else 'thành phố'} {found.group(2)}"

    @property
    def members(self) -> tuple[Unit, ...]:
        """Every unit but the chair."""
        return tuple(u for u in self.units if u.code != self.chair)

    def unit(self, code: str | None) -> Unit | None:
        return self._by_code.get(code) if code is not None else None

    @cached_property
    def _by_code(self) -> dict[str, Unit]:
        """The units by code (a ranking of thousands looks each up)."""
        return {u.code: u for u in reversed(self.units)}

    def find_unit(self, typed: str) -> Unit | None:
        """The unit a person means by a code or a name, typed in any case, NFC or NFD."""
        key = fold(typed)
        for unit in self.units:
            if key in (fold(unit.code), fold(unit.name), fold(unit.full_name)):
                return unit
        return None


class Window(_Model):
    """When a task happens: a date range, a deadline only, or recurring through a range."""

    start: date | None = None
    end: date
    recurring: bool = False
    text: str = ""
    """The time frame as the plan wrote it ("Tháng 11-12/2022")."""

    _days = field_validator("start", "end", mode="before")(_day)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start is not None and self.start > self.end:
            raise ValueError("start is after end")
        if self.recurring and self.start is None:
            raise ValueError("a recurring window needs a start")
        return self


class Deliverable(_Model):
    """Something each responsible unit must send the chair, with a due date."""

    code: str = Field(pattern=r"^[a-z0-9_-]{1,24}$")
    title: str = Field(min_length=1)
    task: int
    due: date
    owed_by: tuple[str, ...] | None = None
    """Unit codes; None means every member unit."""
    with_score: bool = False

    _norm = field_validator("title", mode="before")(_nfc_strings)
    _days = field_validator("due", mode="before")(_day)


class Task(_Model):
    number: int = Field(ge=1)
    title: str = Field(min_length=1)
    responsible: str = Field(min_length=1)
    coordinating: str = ""
    window: Window
    notes: str = ""

    _norm = field_validator("title", "responsible", "coordinating", "notes", mode="before")(
        _nfc_strings
    )


def _slug(text: str) -> str:
    ascii_text = fold(text).replace("đ", "d")
    ascii_text = unicodedata.normalize("NFKD", ascii_text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


CHAIR_WORDS = {
    "trưởng cụm",
    "cụm trưởng",
    "thường trực cụm",
    "trưởng khối",
    "khối trưởng",
    "thường trực khối",
}


class Plan(_Model):
    title: str = Field(min_length=1)
    tasks: tuple[Task, ...] = ()
    """None yet in a cluster-year the province set up: its chair imports the plan."""
    deliverables: tuple[Deliverable, ...] = ()

    _norm = field_validator("title", mode="before")(_nfc_strings)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        numbers = [t.number for t in self.tasks]
        if len(set(numbers)) != len(numbers):
            raise ValueError("task numbers must be unique")
        codes = [d.code for d in self.deliverables]
        if len(set(codes)) != len(codes):
            raise ValueError("deliverable codes must be unique")
        for deliverable in self.deliverables:
            if deliverable.task not in numbers:
                raise ValueError(f"deliverable {deliverable.code!r} names unknown task")
        return self

    def chair_tasks(self) -> tuple[Task, ...]:
        """Tasks the chair itself carries out ("Trưởng Cụm", "Cụm trưởng", "Thường trực Cụm",
        a bloc's "Trưởng Khối", "Khối trưởng", "Thường trực Khối")."""
        return tuple(t for t in self.tasks if fold(t.responsible) in CHAIR_WORDS)

    def task(self, number: int) -> Task | None:
        return next((t for t in self.tasks if t.number == number), None)

    def carried_forward(self, year: int) -> Plan:
        """This plan moved to ``year``: every date one year on per year between, every year
        written in a title or a time frame changed alike (the new chair confirms each row)."""
        shift = year - (_plan_year(self) or year)

        def day(value: date) -> date:
            try:
                return value.replace(year=value.year + shift)
            except ValueError:  # 29 February
                return value.replace(year=value.year + shift, day=28)

        def text(value: str) -> str:
            return re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) + shift), value)

        tasks = tuple(
            t.model_copy(
                update={
                    "title": text(t.title),
                    "window": t.window.model_copy(
                        update={
                            "start": day(t.window.start) if t.window.start else None,
                            "end": day(t.window.end),
                            "text": text(t.window.text),
                        }
                    ),
                }
            )
            for t in self.tasks
        )
        deliverables = tuple(
            d.model_copy(update={"title": text(d.title), "due": day(d.due)})
            for d in self.deliverables
        )
        return self.model_copy(
            update={"title": text(self.title), "tasks": tasks, "deliverables": deliverables}
        )


def _plan_year(plan: Plan) -> int | None:
    """The year a plan is for: the year most of its deadlines fall in (None: it has none)."""
    years = [t.window.end.year for t in plan.tasks] + [d.due.year for d in plan.deliverables]
    return max(set(years), key=years.count) if years else None


class Campaign(_Model):
    """An emulation campaign (phong trào thi đua) the cluster launches."""

    code: str = Field(pattern=r"^[a-z0-9-]{1,32}$")
    name: str = Field(min_length=1)

    _norm = field_validator("name", mode="before")(_nfc_strings)


class Campaigns(_Model):
    campaigns: tuple[Campaign, ...] = ()


class ClusterYear(_Model):
    """Everything one folder of cluster data describes."""

    cluster: Cluster
    plan: Plan
    scoring: ScoringTable | None = None
    campaigns: tuple[Campaign, ...] = ()

    @model_validator(mode="after")
    def _owners_exist(self) -> Self:
        codes = {u.code for u in self.cluster.units}
        for deliverable in self.plan.deliverables:
            unknown = set(deliverable.owed_by or ()) - codes
            if unknown:
                raise ValueError(
                    f"deliverable {deliverable.code!r} owed by unknown {sorted(unknown)}"
                )
        return self

    def owers(self, deliverable: Deliverable) -> tuple[Unit, ...]:
        if deliverable.owed_by is None:
            return self.cluster.members
        return tuple(u for u in self.cluster.units if u.code in deliverable.owed_by)
