"""Turning a plan document into the cluster's plan: the year, the cluster, the chair, the
members ("Nơi nhận"), and every task row with its time frame parsed — or flagged, never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.domain.cluster import ClusterYear, Plan, Task, Window
from bot.domain.plan_documents import PlanDocument
from bot.domain.strings import fold, nfc
from bot.domain.time_frames import TimeFrame, read_time_frame, recurrence_of
from bot.domain.unit_names import family, mentions, unit_key, unit_list

__all__ = ["ImportedPlan", "ImportedTask", "extract_plan", "plan_from_import"]

_CLUSTER = re.compile(r"((?:Cụm|Khối) thi đua.*?)(?:\s+năm \d{4}|$)", re.IGNORECASE)
_ISSUED = re.compile(r",\s*ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
_ROLE = re.compile(
    r"(?:trưởng|thường trực)\s+(?:cụm|khối)|(?:cụm|khối)\s+trưởng|\(trưởng\)", re.IGNORECASE
)
_SIGNATURE = re.compile(r"^(?:TM\.|KT\.|Q\.|TL\.)?\s*(?:CHỦ TỊCH|GIÁM ĐỐC|ỦY BAN|UỶ BAN|UBND)")
_MEMBER_LIST = re.compile(r"(?:gồm|thành viên)[^:]{0,60}:", re.IGNORECASE)


@dataclass
class ImportedTask:
    number: int
    title: str
    responsible: str
    coordinating: str
    frame: str
    notes: str
    start: str | None = None
    end: str | None = None
    recurring: bool = False
    recurrence: str | None = None
    """How a recurring row recurs ("quarterly", "continuous" …: ``Recurrence``)."""

    @property
    def flagged(self) -> bool:
        """Not understood: the row keeps its wording and no date until the chair fixes it."""
        return self.end is None

    def window(self) -> Window | None:
        if self.end is None:
            return None
        return Window(
            start=date.fromisoformat(self.start) if self.start else None,
            end=date.fromisoformat(self.end),
            recurring=self.recurring,
            text=self.frame,
        )

    def set_window(self, window: Window | None) -> None:
        self.set_frame(TimeFrame(window, recurrence_of(window)) if window else None)

    def set_frame(self, found: TimeFrame | None) -> None:
        window = found.window if found else None
        self.start = window.start.isoformat() if window and window.start else None
        self.end = window.end.isoformat() if window else None
        self.recurring = bool(window and window.recurring)
        self.recurrence = found.recurrence.value if found and found.recurrence else None


@dataclass
class ImportedPlan:
    title: str
    year: int | None
    cluster_name: str
    chair: tuple[str, str] | None
    """(kind, name) of the chair unit."""
    members: list[tuple[str, str]] = field(default_factory=list)
    tasks: list[ImportedTask] = field(default_factory=list)

    @property
    def flagged(self) -> list[int]:
        return [t.number for t in self.tasks if t.flagged]

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "year": self.year,
            "cluster": self.cluster_name,
            "chair": {"kind": self.chair[0], "name": self.chair[1]} if self.chair else None,
            "members": [{"kind": k, "name": n} for k, n in self.members],
            "tasks": [
                {
                    "number": t.number,
                    "title": t.title,
                    "responsible": t.responsible,
                    "coordinating": t.coordinating,
                    "time_frame": t.frame,
                    "start": t.start,
                    "end": t.end,
                    "recurring": t.recurring,
                    "recurrence": t.recurrence,
                    "notes": t.notes,
                    "flagged": t.flagged,
                    "flag": t.frame if t.flagged else None,
                }
                for t in self.tasks
            ],
            "flagged": self.flagged,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportedPlan:
        chair = (data["chair"]["kind"], data["chair"]["name"]) if data["chair"] else None
        tasks = [
            ImportedTask(
                t["number"],
                t["title"],
                t["responsible"],
                t["coordinating"],
                t["time_frame"],
                t["notes"],
                t["start"],
                t["end"],
                t["recurring"],
                t.get("recurrence"),
            )
            for t in data["tasks"]
        ]
        members = [(m["kind"], m["name"]) for m in data["members"]]
        return cls(data["title"], data["year"], data["cluster"], chair, members, tasks)


def _title(paragraphs: list[str]) -> str:
    for i, line in enumerate(paragraphs):
        if fold(line) == "kế hoạch" and i + 1 < len(paragraphs):
            return paragraphs[i + 1]
    return next((p for p in paragraphs if _CLUSTER.search(p)), "")


def _issued(paragraphs: list[str]) -> date | None:
    """The date under the letterhead ("Tuần Giáo, ngày 10 tháng 3 năm 2022")."""
    for line in paragraphs[:15]:
        if match := _ISSUED.search(line):
            day, month, year = (int(g) if g else 1 for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def _chair(paragraphs: list[str]) -> tuple[str, str] | None:
    """Where the document names the chair: a sentence with its role ("UBND phường A (Trưởng
    Cụm)", "Trưởng cụm thi đua (UBND huyện B)"), else the signature block, else the letterhead."""
    for line in paragraphs:
        role = _ROLE.search(line)
        found = mentions(line) if role else []
        if role and found:
            nearest = min(found, key=lambda m: abs(m.at - role.start()))
            return nearest.kind, nearest.name
    signatures = [line for line in paragraphs if _SIGNATURE.match(line)]
    for line in [*reversed(signatures), *paragraphs[:6]]:
        if line == line.upper() and (found := mentions(line)):
            return found[0].kind, found[0].name
    return None


def _members(paragraphs: list[str], chair: tuple[str, str] | None) -> list[tuple[str, str]]:
    """The units listed in "Nơi nhận" ("UBND các phường: …; UBND các xã: …") or in a member
    list ("Cụm gồm 6 đơn vị: …"), but the chair, of the chair's family (localities or
    departments) when it is known."""
    found: list[tuple[str, str]] = []
    recipients = False
    for line in paragraphs:
        if fold(line).startswith("nơi nhận"):
            recipients = True
            line = line.split(":", 1)[1] if ":" in line else ""
        if recipients and line.lstrip(" -+*").strip():
            found += unit_list(line.lstrip(" -+*"))
        elif _MEMBER_LIST.search(line):
            found += unit_list(_MEMBER_LIST.split(line, maxsplit=1)[1])
    members: list[tuple[str, str]] = []
    keys = {(family(chair[0]), unit_key(chair[1]))} if chair else set()
    for kind, name in found:
        key = (family(kind), unit_key(name))
        if key not in keys and (chair is None or family(kind) == family(chair[0])):
            keys.add(key)
            members.append((kind, name))
    return members


def _numbers(rows: list[list[str]]) -> list[int]:
    """The rows' numbers; numbered again 1, 2, … when sections restart the numbering."""
    numbers = [int(row[0].rstrip(".)")) for row in rows]
    return numbers if len(set(numbers)) == len(numbers) else list(range(1, len(rows) + 1))


def extract_plan(document: PlanDocument) -> ImportedPlan:
    paragraphs = [nfc(p) for p in document.paragraphs]
    title, issued = _title(paragraphs), _issued(paragraphs)
    year_match = re.search(r"năm (\d{4})", title, re.IGNORECASE)
    year = int(year_match.group(1)) if year_match else issued.year if issued else None
    name_match = _CLUSTER.search(title)
    chair = _chair(paragraphs)
    plan = ImportedPlan(
        title,
        year,
        name_match.group(1).strip(" ,.") if name_match else "",
        chair,
        _members(paragraphs, chair),
    )
    for number, row in zip(_numbers(document.rows), document.rows, strict=True):
        cells = [*row, "", "", "", "", ""][:6]
        task = ImportedTask(number, cells[1], cells[2], cells[3], cells[4], cells[5])
        task.set_frame(read_time_frame(task.frame, year, issued) if year else None)
        plan.tasks.append(task)
    return plan


def plan_from_import(imported: ImportedPlan, current: ClusterYear) -> Plan:
    """The imported tasks as the plan; the deliverables members owe are kept where their task
    still exists (their due dates are configuration, not part of the document)."""
    tasks = tuple(
        Task(
            number=t.number,
            title=t.title,
            responsible=t.responsible,
            coordinating=t.coordinating,
            notes=t.notes,
            window=t.window(),
        )
        for t in imported.tasks
    )
    numbers = {t.number for t in tasks}
    deliverables = tuple(d for d in current.plan.deliverables if d.task in numbers)
    return Plan(title=imported.title or current.plan.title, tasks=tasks, deliverables=deliverables)
