"""One unit's record of a cluster-year, as its page shows it: every report it owes with its
versions (files, receipts' facts) and the chair's mark, its last self-score and the chair's
reviews; and a bounded one-time link (the chat's) to download one file of one version.

A member sees its own unit only; the chair's officers, administrators and the province's board
see every unit of the year (as chat's ``/xem``)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.access import Actor, Role
from bot.domain.cluster import Deliverable, Unit
from bot.domain.file_names import safe_file_name
from bot.domain.file_types import BY_EXTENSION
from bot.domain.messages import Attachment
from bot.domain.report_status import Cell, cell, owed_by
from bot.domain.score_sheet import Review, ScoreSheet
from bot.domain.scoring_table import ScoringTable
from bot.domain.submissions import Mark, Submission
from bot.services.container import Services
from bot.services.ranking_data import load_ranking
from bot.usecases.one_time_links import attachment_url
from bot.usecases.report_progress import today

__all__ = [
    "ReportRecord",
    "ScoreRecord",
    "UnitRecord",
    "may_see_unit",
    "unit_file_link",
    "unit_record",
]


@dataclass(frozen=True, slots=True)
class ReportRecord:
    deliverable: Deliverable
    state: Cell
    versions: tuple[Submission, ...]
    """Oldest first."""
    mark: Mark | None


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    table: ScoringTable
    sheet: ScoreSheet | None
    """The unit's last sent self-score."""
    self_total: float | None
    reviews: tuple[Review, ...]
    """The chair's reviews of this unit's criteria."""


@dataclass(frozen=True, slots=True)
class UnitRecord:
    unit: Unit
    reports: tuple[ReportRecord, ...]
    score: ScoreRecord | None
    """None when the year has no scoring table."""


def may_see_unit(actor: Actor, unit_code: str) -> bool:
    """``actor`` with their role in the year concerned."""
    if actor.can_manage or actor.role is Role.PROVINCE:
        return True
    return actor.role is Role.MEMBER and actor.unit_code == unit_code


async def unit_record(services: Services, actor: Actor, unit_code: str) -> UnitRecord | None:
    """None for a unit the year does not have or the actor may not see."""
    year = services.cluster_year
    unit = year.cluster.unit(unit_code)
    actor = actor.in_year(year.cluster.chair)
    if unit is None or not may_see_unit(actor, unit_code):
        return None
    as_of = today(services)
    latest, marks = await services.submissions.latest(), await services.submissions.marks()
    reports = []
    for deliverable in owed_by(year, unit_code):
        pair = (deliverable.code, unit_code)
        state = cell(deliverable.due, as_of, latest.get(pair), marks.get(pair))
        versions = tuple(await services.submissions.history(deliverable.code, unit_code))
        reports.append(ReportRecord(deliverable, state, versions, marks.get(pair)))
    return UnitRecord(unit, tuple(reports), await _score(services, unit_code))


async def _score(services: Services, unit_code: str) -> ScoreRecord | None:
    data = await load_ranking(services)
    if data is None:
        return None
    sheet = data.sheets.get(unit_code)
    reviews = tuple(r for (code, _c), r in sorted(data.reviews.items()) if code == unit_code)
    total = data.self_total(unit_code) if sheet is not None else None
    return ScoreRecord(data.table, sheet, total, reviews)


async def unit_file_link(
    services: Services,
    actor: Actor,
    chat: tuple[str, str],
    unit_code: str,
    code: str,
    version: int,
    index: int,
) -> str | None:
    """A one-time download link (as chat gives, for the ``(channel, chat id)`` that signed in)
    to file ``index`` of a version the actor may see; None when there is no such file for them."""
    year = services.cluster_year
    if not may_see_unit(actor.in_year(year.cluster.chair), unit_code):
        return None
    if code not in {d.code for d in owed_by(year, unit_code)}:
        return None
    history = await services.submissions.history(code, unit_code)
    found = next((s for s in history if s.version == version), None)
    if found is None or not 0 <= index < len(found.files):
        return None
    stored = found.files[index]
    attachment = Attachment(
        safe_file_name(stored.name, stored.kind),
        services.files.read(stored.sha256),
        BY_EXTENSION[stored.kind].mime,
    )
    return await attachment_url(services, chat[0], chat[1], attachment)
