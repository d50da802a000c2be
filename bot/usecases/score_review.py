"""The chair reviews the units' self-scores: sees a unit's sheet and its evidence, sets a
criterion's reviewed points with a mandatory reason (the unit is told), and the unit may explain
itself to the chair (giải trình). The chair unit's own sheet is reviewed, and its explanations
heard, by the deputy unit or the province board, never by the chair (the year's fair rules)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.delivery.outbox_keys import explanation_key, score_reviewed_key
from bot.domain.access import Actor
from bot.domain.fair_rule_checks import may_review
from bot.i18n import N_
from bot.services.container import Services
from bot.services.notices import notify_officers, notify_reviewers
from bot.services.ranking_data import RankingData, load_ranking
from bot.texts.score_notices import explanation_notice, review_notice

__all__ = [
    "EvidenceFile",
    "OutOfRange",
    "ReviewRefused",
    "Reviewed",
    "evidence_of",
    "explain",
    "may_review_unit",
    "review",
    "reviewable_units",
    "sheets",
]

REASON_CHARS = 500
EXPLANATION_CHARS = 2000


class ReviewRefused(StrEnum):
    """Why a review was not recorded; the value is the msgid of the answer."""

    GONE = N_("That choice is no longer valid. Please use the latest message.")
    LOCKED = N_("The scores are locked; they can no longer change.")
    NOT_YOURS = N_(
        "You do not review this unit's self-score: the chair unit's is reviewed by the deputy"
        " unit (or the province board), the other units' by the chair."
    )


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


def may_review_unit(services: Services, actor: Actor, unit_code: str) -> bool:
    return may_review(services.cluster_year.cluster, actor, unit_code)


def reviewable_units(services: Services, actor: Actor, data: RankingData) -> list[str]:
    """The units whose sheets ``actor`` may review, in code order."""
    return [code for code in sorted(data.sheets) if may_review_unit(services, actor, code)]


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
    if not may_review_unit(services, actor, unit_code):
        return ReviewRefused.NOT_YOURS
    if services.read_only:  # a closed year (the route is open to the deputy and the board)
        return ReviewRefused.LOCKED
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
    cluster = services.cluster_year.cluster
    notice = review_notice(cluster, code, old, points, reason, unit_code != cluster.chair)
    await notify_officers(services, officers, score_reviewed_key(unit_code, code, now), notice)
    return Reviewed(unit_code, criterion.code, old, points)


async def explain(services: Services, actor: Actor, criterion_code: str, text: str) -> None:
    """Keep the unit's explanation of one criterion and pass it to those who review the unit."""
    assert actor.unit_code is not None
    now = services.clock.now()
    await services.scores.explain(
        actor.unit_code, criterion_code, text[:EXPLANATION_CHARS], actor.officer_id, now
    )
    cluster = services.cluster_year.cluster
    notice = explanation_notice(cluster, actor.unit_code, criterion_code, text)
    key = explanation_key(actor.unit_code, criterion_code, now)
    await notify_reviewers(services, actor.unit_code, key, notice)
