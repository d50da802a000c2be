"""Where the reports stand: the status of every unit on every report (``/tiendo``,
``/hanchot``) and one unit's versions of one report (``/xem``). Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.access import Actor, Role
from bot.domain.cluster import Cluster, Deliverable
from bot.domain.file_names import safe_file_name
from bot.domain.file_types import BY_EXTENSION
from bot.domain.messages import Attachment
from bot.domain.report_status import StatusRow, local_day, owed_report, status_matrix
from bot.domain.submissions import Mark, Submission
from bot.services.container import Services

__all__ = ["Progress", "ReportHistory", "progress", "report_history", "today"]


@dataclass(frozen=True, slots=True)
class Progress:
    """The status matrix as the actor may see it: a member sees its own unit's row only."""

    as_of: date
    deliverables: tuple[Deliverable, ...]
    rows: tuple[StatusRow, ...]
    """Each row's cells follow ``deliverables``."""


@dataclass(frozen=True, slots=True)
class ReportHistory:
    """One unit's versions of one report, oldest first, the chair's mark on it, and the files
    of the newest version to send."""

    cluster: Cluster
    deliverable: Deliverable
    unit_code: str
    versions: tuple[Submission, ...]
    mark: Mark | None
    latest_files: tuple[Attachment, ...]


def today(services: Services) -> date:
    """Today in the cluster's time zone, by the services' clock."""
    return local_day(services.clock.now(), services.cluster_year.cluster.timezone)


async def progress(services: Services, actor: Actor) -> Progress:
    """The status of the services' year, with the role the actor has in that year."""
    year = services.cluster_year
    actor = actor.in_year(year.cluster.chair)
    as_of = today(services)
    rows = status_matrix(
        year, as_of, await services.submissions.latest(), await services.submissions.marks()
    )
    if actor.role is Role.MEMBER:
        rows = [r for r in rows if r.unit.code == actor.unit_code]
    return Progress(as_of, year.plan.deliverables, tuple(rows))


async def report_history(services: Services, unit_code: str, code: str) -> ReportHistory | None:
    """None when the unit owes no report of this code."""
    deliverable = owed_report(services.cluster_year, unit_code, code)
    if deliverable is None:
        return None
    versions = tuple(await services.submissions.history(code, unit_code))
    mark = (await services.submissions.marks()).get((code, unit_code))
    files = versions[-1].files if versions else ()
    latest = tuple(
        Attachment(
            safe_file_name(f.name, f.kind),  # also for files stored before this rule
            services.files.read(f.sha256),
            BY_EXTENSION[f.kind].mime,
        )
        for f in files
    )
    return ReportHistory(
        services.cluster_year.cluster, deliverable, unit_code, versions, mark, latest
    )
