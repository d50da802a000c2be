"""Self-scoring: a unit scores itself against the year's scoring table, keeps notes and evidence
per criterion, and sends the sheet as its next version (until the chair locks the scores).

The sheet being filled in is a :class:`SheetEntries`; a chat keeps it in its draft in the same
JSON form as a sent sheet (:func:`draft_entries`, :func:`draft_fields`), so a draft saved by an
older release resumes unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.delivery.outbox_keys import score_sent_key
from bot.domain.access import Actor
from bot.domain.score_sheet import Evidence, ScoreSheet, SheetEntries
from bot.domain.scoring import unit_score
from bot.domain.scoring_table import ScoringTable
from bot.i18n import N_
from bot.services.container import Services
from bot.services.intake import Refusal, accept_file
from bot.services.notices import notify_managers
from bot.texts.score_notices import score_sent_notice
from storage.scores import entries_from_json, entries_to_json

__all__ = [
    "Incomplete",
    "Refusal",
    "ScoringClosed",
    "ScoringOpen",
    "Sent",
    "draft_entries",
    "draft_fields",
    "keep_evidence",
    "open_scoring",
    "send",
    "total_of",
]


class ScoringClosed(StrEnum):
    """Why a unit cannot score now; the value is the msgid of the answer (``{chair}``: the
    cluster's chair title)."""

    NO_SCORING = N_("There is no scoring for you in this cluster-year.")
    LOCKED = N_("The {chair} has locked the scores; they can no longer change.")


@dataclass(frozen=True, slots=True)
class ScoringOpen:
    table: ScoringTable
    last: ScoreSheet | None
    """The unit's last sent sheet, to start from."""


@dataclass(frozen=True, slots=True)
class Incomplete:
    missing: tuple[str, ...]
    """The criteria not scored yet, in the table's order."""


@dataclass(frozen=True, slots=True)
class Sent:
    version: int
    total: float


async def open_scoring(services: Services, actor: Actor) -> ScoringOpen | ScoringClosed:
    """Whether the actor's unit may score now, and what it sent last."""
    table = services.cluster_year.scoring
    if actor.unit_code is None or table is None:
        return ScoringClosed.NO_SCORING
    if await services.scores.locked():
        return ScoringClosed.LOCKED
    return ScoringOpen(table, (await services.scores.latest()).get(actor.unit_code))


def draft_entries(draft: Mapping[str, Any]) -> SheetEntries:
    """The sheet a chat draft holds."""
    return entries_from_json(draft)


def draft_fields(entries: SheetEntries) -> dict[str, Any]:
    """The fields a chat draft keeps the sheet in."""
    return entries_to_json(entries)


async def keep_evidence(services: Services, name: str, data: bytes) -> Evidence | Refusal:
    """Check and store one evidence file (the sheet records it when it is sent)."""
    taken = await accept_file(services, name, data)
    if isinstance(taken, Refusal):
        return taken
    return Evidence(taken["sha256"], taken["name"])


def total_of(table: ScoringTable, entries: SheetEntries) -> float:
    """The sheet's total as the unit scored it."""
    return unit_score("", entries.scored_points(), dict(entries.bonuses), False).total(table)


async def send(
    services: Services, actor: Actor, entries: SheetEntries
) -> Sent | Incomplete | ScoringClosed:
    """Store the sheet as the unit's next version and tell the chair."""
    table = services.cluster_year.scoring
    if actor.unit_code is None or table is None:
        return ScoringClosed.NO_SCORING
    missing = entries.missing(c.code for c in table.criteria())
    if missing:
        return Incomplete(tuple(missing))
    version = await services.scores.submit(
        actor.unit_code, actor.officer_id, entries, services.clock.now()
    )
    if version is None:
        return ScoringClosed.LOCKED
    total = total_of(table, entries)
    notice = score_sent_notice(services.cluster_year.cluster, actor.unit_code, version, total)
    key = services.year_key(score_sent_key(actor.unit_code, version))
    await notify_managers(services, key, notice, except_officer=actor.officer_id)
    return Sent(version, total)
