"""The chair reviews the units' self-scores: sees a unit's sheet and its evidence, sets a
criterion's reviewed points with a mandatory reason (the unit is told), and the unit may explain
itself to the chair (giải trình)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.delivery.outbox_keys import explanation_key, score_reviewed_key
from bot.domain.access import Actor
from bot.i18n import N_
from bot.services.container import Services
from bot.services.notices import notify_managers, notify_officers
from bot.services.ranking_data import RankingData, load_ranking
from bot.texts.score_notices import explanation_notice, review_notice

__all__ = [
    "EvidenceFile",
    "OutOfRange",
    "ReviewRefused",
    "Reviewed",
    "evidence_of",
    "explain",
    "review",
    "sheets",
]

REASON_CHARS = 500
EXPLANATION_CHARS = 2000


class ReviewRefused(StrEnum):
    """Why a review was not recorded; the value is the msgid of the answer."""

    GONE = N_("That choice is no longer valid. Please use the latest message.")
    LOCKED = N_("The scores are locked; they can no longer change.")


@dataclass(frozen=True, slots=True)
class OutOfRange:
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Reviewed:
    unit_code: str
    criterion: str
    old: float
    new: float


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    criterion: str
    name: str
    data: bytes
    mime: str


async def sheets(services: Services) -> RankingData | None:
    """The sheets, reviews and explanations of the year; None without a scoring table."""
    return await load_ranking(services)


async def evidence_of(services: Services, unit_code: str) -> list[EvidenceFile]:
    """The evidence files of a unit's last sheet, criterion by criterion."""
    data = await load_ranking(services)
    if data is None or unit_code not in data.sheets:
        return []
    entries = data.sheets[unit_code].entries
    return [
        EvidenceFile(criterion.code, f.name, services.files.read(f.sha256), _mime(f.name))
        for criterion in data.table.criteria()
        for f in entries.entry(criterion.code).evidence
    ]


def _mime(name: str) -> str:
    return "image/jpeg" if name.lower().endswith((".jpg", ".jpeg")) else "application/octet-stream"


async def review(
    services: Services,
    actor: Actor,
    unit_code: str,
    criterion_code: str,
    points: float,
    reason: str,
) -> Reviewed | OutOfRange | ReviewRefused:
    """Record the chair's points for one criterion of a unit's sheet and tell the unit."""
    data = await load_ranking(services)
    criterion = data.table.criterion(criterion_code) if data is not None else None
    if data is None or criterion is None or unit_code not in data.sheets:
        return ReviewRefused.GONE
    if not criterion.min <= points <= criterion.max:
        return OutOfRange(criterion.min, criterion.max)
    reason = reason.strip()[:REASON_CHARS]
    previous = data.reviews.get((unit_code, criterion.code))
    old = previous.points if previous else data.self_points(unit_code).get(criterion.code, 0.0)
    now = services.clock.now()
    code, officer_id = criterion.code, actor.officer_id
    if not await services.scores.review(unit_code, code, old, points, reason, officer_id, now):
        return ReviewRefused.LOCKED
    officers = [o for o in await services.officers.active() if o.unit_code == unit_code]
    notice = review_notice(services.cluster_year.cluster, code, old, points, reason)
    await notify_officers(services, officers, score_reviewed_key(unit_code, code, now), notice)
    return Reviewed(unit_code, criterion.code, old, points)


async def explain(services: Services, actor: Actor, criterion_code: str, text: str) -> None:
    """Keep the unit's explanation of one criterion and pass it to the chair."""
    assert actor.unit_code is not None
    now = services.clock.now()
    await services.scores.explain(
        actor.unit_code, criterion_code, text[:EXPLANATION_CHARS], actor.officer_id, now
    )
    cluster = services.cluster_year.cluster
    notice = explanation_notice(cluster, actor.unit_code, criterion_code, text)
    await notify_managers(services, explanation_key(actor.unit_code, criterion_code, now), notice)
