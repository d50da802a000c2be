"""The checks ``cumthidua check-config`` makes of every cluster-year stored in the database, on
its data as stored (it may have been edited by hand, or written before a check existed): time
zone names, chair and deputy among the units, dates inside the plan's year, a unit in one
cluster a year; anything else the model refuses. Each problem names cluster, year and field."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from bot.domain.cluster import ClusterYear, is_time_zone

__all__ = ["Problem", "ProblemKind", "StoredYear", "installation_problems"]


class ProblemKind(StrEnum):
    TIME_ZONE = "time_zone"
    CHAIR = "chair"
    DEPUTY = "deputy"
    DATE = "date"
    TWO_CLUSTERS = "two_clusters"
    INVALID = "invalid"
    """Anything else the cluster-year model refuses (its message, in English)."""


@dataclass(frozen=True, slots=True)
class StoredYear:
    key: str
    year: int
    data: str
    """The stored JSON."""


@dataclass(frozen=True, slots=True)
class Problem:
    cluster: str
    year: int
    field: str
    kind: ProblemKind
    value: str
    other: str = ""
    """The other cluster, for a unit in two."""


def _dates(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    plan = data.get("plan", {})
    for i, task in enumerate(plan.get("tasks", ())):
        for end in ("start", "end"):
            if task.get("window", {}).get(end):
                yield f"plan.tasks.{i}.window.{end}", task["window"][end]
    for i, deliverable in enumerate(plan.get("deliverables", ())):
        yield f"plan.deliverables.{i}.due", deliverable.get("due", "")


def _year_problems(stored: StoredYear) -> list[Problem]:
    def problem(field: str, kind: ProblemKind, value: object, other: str = "") -> Problem:
        return Problem(stored.key, stored.year, field, kind, str(value), other)

    try:
        data = json.loads(stored.data)
        cluster = data["cluster"]
        codes = [u["code"] for u in cluster["units"]]
    except (ValueError, KeyError, TypeError) as exc:
        return [problem("cluster", ProblemKind.INVALID, exc)]
    found = []
    zone = cluster.get("timezone", "Asia/Ho_Chi_Minh")
    if not isinstance(zone, str) or not is_time_zone(zone):
        found.append(problem("cluster.timezone", ProblemKind.TIME_ZONE, zone))
    chair, deputy = cluster.get("chair"), cluster.get("deputy")
    if chair is not None and chair not in codes:
        found.append(problem("cluster.chair", ProblemKind.CHAIR, chair))
    if deputy is not None and (deputy not in codes or deputy == chair):
        found.append(problem("cluster.deputy", ProblemKind.DEPUTY, deputy))
    years = (stored.year, stored.year + 1)
    for field, text in _dates(data):
        try:
            day = date.fromisoformat(text)
        except (TypeError, ValueError):
            continue  # the model names it below
        if day.year not in years:
            found.append(problem(field, ProblemKind.DATE, f"{day.day}/{day.month}/{day.year}"))
    if found:
        return found
    try:
        ClusterYear.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(map(str, error["loc"])) or "cluster"
            found.append(problem(field, ProblemKind.INVALID, error["msg"]))
    return found


def installation_problems(years: Sequence[StoredYear]) -> list[Problem]:
    """Every problem of the stored cluster-years, and every unit in two clusters of a year."""
    found = [p for stored in years for p in _year_problems(stored)]
    holder: dict[tuple[str, int], str] = {}
    for stored in years:
        try:
            units = json.loads(stored.data)["cluster"]["units"]
            codes = [u["code"] for u in units]
        except (ValueError, KeyError, TypeError):
            continue
        for code in codes:
            other = holder.setdefault((code, stored.year), stored.key)
            if other != stored.key:
                found.append(
                    Problem(
                        stored.key,
                        stored.year,
                        "cluster.units",
                        ProblemKind.TWO_CLUSTERS,
                        code,
                        other,
                    )
                )
    return found
