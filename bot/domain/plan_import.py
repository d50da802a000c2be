"""Turning a plan document into the cluster's plan: the year, the cluster, the chair, the
members ("Nơi nhận"), and every task row with its time frame parsed — or flagged, never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.domain.cluster import ClusterYear, Plan, Task, Window
from bot.domain.plan_documents import PlanDocument
from bot.domain.text import fold, nfc
from bot.domain.time_frames import parse_time_frame

__all__ = ["ImportedPlan", "ImportedTask", "extract_plan", "plan_from_import"]

KINDS = ("thành phố", "thị xã", "huyện", "quận", "phường", "xã", "sở")
_KIND = "|".join(KINDS)


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

    @property
    def flagged(self) -> bool:
        return self.end is None

    def set_window(self, window: Window | None) -> None:
        self.start = window.start.isoformat() if window and window.start else None
        self.end = window.end.isoformat() if window else None
        self.recurring = bool(window and window.recurring)


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
                    "notes": t.notes,
                    "flagged": t.flagged,
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
            )
            for t in data["tasks"]
        ]
        members = [(m["kind"], m["name"]) for m in data["members"]]
        return cls(data["title"], data["year"], data["cluster"], chair, members, tasks)


def _title(paragraphs: list[str]) -> str:
    for i, line in enumerate(paragraphs):
        if fold(line) == "kế hoạch" and i + 1 < len(paragraphs):
            return paragraphs[i + 1]
    return next((p for p in paragraphs if "cụm thi đua" in fold(p)), "")


def _members(paragraphs: list[str]) -> list[tuple[str, str]]:
    """From lines like "UBND các huyện: Mường Ảng, Điện Biên, UBND thị xã Mường Lay, …"."""
    found: list[tuple[str, str]] = []
    for line in paragraphs:
        if not re.match(r"^-?\s*UBND (các )?(" + _KIND + ")", line):
            continue
        for part in re.split(r"\bUBND\b", line):
            match = re.match(r"\s*(?:các\s+)?(" + _KIND + r")\s*:?\s*(.+)", part.strip(" ;,.-"))
            if match:
                kind, names = match.groups()
                found += [(kind, nfc(n).strip()) for n in names.split(",") if n.strip(" ;.")]
    return [(k, n.strip(" ;.")) for k, n in found]


def extract_plan(document: PlanDocument) -> ImportedPlan:
    paragraphs = [nfc(p) for p in document.paragraphs]
    title = _title(paragraphs)
    year_match = re.search(r"năm (\d{4})", title)
    year = int(year_match.group(1)) if year_match else None
    name_match = re.search(r"(Cụm thi đua .+?) năm \d{4}", title)
    chair = None
    for line in paragraphs:
        match = re.search(r"Trưởng [cC]ụm thi đua \(UBND (" + _KIND + r") ([^)]+)\)", line)
        if match:
            chair = (match.group(1), match.group(2).strip())
            break
    plan = ImportedPlan(
        title, year, name_match.group(1) if name_match else "", chair, _members(paragraphs)
    )
    for row in document.rows:
        cells = [*row, "", "", "", "", ""][:6]
        task = ImportedTask(
            int(cells[0].rstrip(".")), cells[1], cells[2], cells[3], cells[4], cells[5]
        )
        task.set_window(parse_time_frame(task.frame, year) if year else None)
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
            window=Window(
                start=date.fromisoformat(t.start) if t.start else None,
                end=date.fromisoformat(t.end or ""),
                recurring=t.recurring,
                text=t.frame,
            ),
        )
        for t in imported.tasks
    )
    numbers = {t.number for t in tasks}
    deliverables = tuple(d for d in current.plan.deliverables if d.task in numbers)
    return Plan(title=imported.title or current.plan.title, tasks=tasks, deliverables=deliverables)
