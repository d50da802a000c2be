"""The provincial emulation board's view: every cluster at a glance, looking at one cluster,
and an announcement to every open cluster's chair."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.domain.access import Actor
from bot.domain.cluster import ClusterYear
from bot.domain.messages import Reply
from bot.domain.report_status import status_matrix
from bot.domain.scoring import Ranked
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.notices import notify_officers
from bot.services.ranking_data import load_ranking
from bot.services.years import ClusterSummary
from bot.usecases.ranking import published_at

__all__ = [
    "ClusterGlance",
    "LookingAt",
    "at_a_glance",
    "clusters",
    "look_at",
    "open_chairs",
    "published_top",
    "tell_chairs",
]


@dataclass(frozen=True, slots=True)
class ClusterGlance:
    """One cluster's current year as the board sees it."""

    cluster: ClusterSummary
    year: ClusterYear
    is_open: bool
    services: Services
    """That year's services, for what a door reads further (its ranking)."""
    done: int
    """Reports in among those due so far (all of the plan's, before the first is due)."""
    due: int
    late_units: tuple[str, ...]
    """Names of the units with a report overdue."""


@dataclass(frozen=True, slots=True)
class LookingAt:
    cluster_name: str
    year: int


def clusters(services: Services) -> list[ClusterSummary]:
    return services.years.clusters()


async def at_a_glance(services: Services, today: date) -> list[ClusterGlance]:
    found = []
    for summary in services.years.clusters():
        record = services.years.current(summary.id)
        if record is None:
            continue
        scoped = services.scoped(record.id)
        year = scoped.cluster_year
        latest, marks = await scoped.submissions.latest(), await scoped.submissions.marks()
        rows = status_matrix(year, today, latest, marks)
        deliverables = year.plan.deliverables
        due = {d.code for d in deliverables if d.due <= today} or {d.code for d in deliverables}
        cells = [
            c
            for row in rows
            for d, c in zip(deliverables, row.cells, strict=True)
            if c is not None and d.code in due
        ]
        late = sorted(
            {row.unit.name for row in rows for c in row.cells if c is not None and c.value == "❌"}
        )
        glance = ClusterGlance(
            summary,
            year,
            record.is_open,
            scoped,
            sum(c.done for c in cells),
            len(cells),
            tuple(late),
        )
        found.append(glance)
    return found


async def look_at(services: Services, actor: Actor, cluster_id: int) -> LookingAt | None:
    """The board member looks at this cluster from now on (read only); None if it has no year."""
    record = services.years.current(cluster_id)
    if record is None:
        return None
    await services.officers.look_at(actor.officer_id, record.cluster_id)
    return LookingAt(record.data.cluster.name, record.year)


async def published_top(glance: ClusterGlance, count: int = 3) -> tuple[Ranked, ...] | None:
    """The first ``count`` of the cluster's ranking once its chair has published it, else
    None (the board sees a ranking only when the cluster's members do)."""
    services = glance.services
    data = await load_ranking(services)
    if data is None or not data.ranked or not await published_at(services):
        return None
    return tuple(data.ranked[:count])


def open_chairs(services: Services) -> list[tuple[str, str]]:
    """(unit code, cluster name) of every open year's chair."""
    return [(y.data.cluster.chair, y.data.cluster.name) for y in services.years.open_years()]


async def tell_chairs(
    services: Services, actor: Actor, build: Callable[[Translator], Reply]
) -> int:
    """Queue the board's announcement to every open cluster's chair officers, audited; returns
    how many chats it goes to."""
    now = services.clock.now()
    chairs = await services.officers.chair_officers({code for code, _ in open_chairs(services)})
    key = f"province:{actor.officer_id}:{now.isoformat()}"
    queued = await notify_officers(services, chairs, key, build)
    await services.audit.record(
        now, f"officer:{actor.officer_id}", "province.announced", "chairs", recipients=queued
    )
    return queued
