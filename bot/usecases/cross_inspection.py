"""The cross-inspection round (kiểm tra chéo): the chair sets up the pairs and the date the
minutes are due; the minutes are a deliverable of the year's plan (so the report intake,
receipts, versions, reminders, ``/tiendo`` and the export apply); the inspected unit is told when
minutes about it arrive and may answer, and the chair is told of the answer (of the chair unit's
own answer, the deputy unit or the province board, never the chair)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from functools import partial

from bot.domain.access import Actor
from bot.domain.cluster import Deliverable, Plan
from bot.domain.pairing import Pair, propose_pairs, repeats
from bot.domain.strings import fold
from bot.services.container import Services
from bot.services.notices import (
    Recipient,
    notify_officers,
    notify_on,
    notify_reviewers,
    recipients,
    reviewers_of,
)
from bot.texts.cross_inspection import answer_notice, inspector_notice, minutes_notice
from storage.database import Writes
from storage.inspections import Answer
from storage.submissions import Submission

__all__ = [
    "MINUTES",
    "Answer",
    "InspectedChats",
    "InspectionStatus",
    "PairProgress",
    "answerable_round",
    "inspected_chats",
    "inspection_status",
    "open_round",
    "proposed_pairs",
    "record_answer",
    "repeats_earlier_years",
    "reviewed_by_someone",
    "tell_inspected_on",
]

MINUTES = "kiem-tra-cheo"
"""The deliverable code of the inspection minutes (biên bản kiểm tra)."""
MINUTES_TITLE = "Biên bản kiểm tra chéo công tác thi đua, khen thưởng"


def _with_minutes(plan: Plan, due: date, inspectors: tuple[str, ...]) -> Plan:
    """The plan with the minutes owed by every inspecting unit, under the plan's inspection
    task (the chair's first task otherwise)."""
    task = next(
        (t.number for t in plan.tasks if "kiem tra cheo" in fold(t.title)), plan.tasks[0].number
    )
    minutes = Deliverable(code=MINUTES, title=MINUTES_TITLE, task=task, due=due, owed_by=inspectors)
    others = tuple(d for d in plan.deliverables if d.code != MINUTES)
    return plan.model_copy(update={"deliverables": (*others, minutes)})


@dataclass(frozen=True, slots=True)
class PairProgress:
    pair: Pair
    sent: bool
    """Whether the inspecting unit has sent its minutes."""


@dataclass(frozen=True, slots=True)
class InspectionStatus:
    """The year's round as everyone sees it: the pairs, whose minutes are in, the answers."""

    due: date
    pairs: tuple[PairProgress, ...]
    answers: tuple[Answer, ...]


async def inspection_status(services: Services) -> InspectionStatus | None:
    """The year's round; None when none has been set up."""
    current = await services.inspections.current()
    if current is None:
        return None
    latest = await services.submissions.latest()
    progress = tuple(
        PairProgress(p, (current.deliverable, p.inspector) in latest) for p in current.pairs
    )
    answers = tuple(await services.inspections.answers(current.id))
    return InspectionStatus(current.due, progress, answers)


async def proposed_pairs(services: Services) -> tuple[Pair, ...]:
    """Each unit inspects one other, nobody itself, no two each other, earlier years avoided."""
    history = await services.inspections.history(services.year.cluster_id)
    units = [u.code for u in services.cluster_year.cluster.units]
    return propose_pairs(units, history, services.year.year)


async def repeats_earlier_years(services: Services, pairs: tuple[Pair, ...]) -> bool:
    return bool(repeats(pairs, await services.inspections.history(services.year.cluster_id)))


async def open_round(services: Services, actor: Actor, pairs: tuple[Pair, ...], due: date) -> int:
    """Store the round, add the minutes to the year's plan, tell every inspecting unit."""
    now = services.clock.now()
    round_id = await services.inspections.create(pairs, MINUTES, due, actor.officer_id, now)
    plan = _with_minutes(services.cluster_year.plan, due, tuple(p.inspector for p in pairs))
    await services.years.set_plan(services.year.id, plan, services.year.flagged)
    bound = services.scoped(services.year.id)
    cluster = bound.cluster_year.cluster
    officers = await bound.officers.active()
    for pair in pairs:
        told = partial(inspector_notice, cluster, bound.year.year, pair.inspected, due)
        own = [o for o in officers if o.unit_code == pair.inspector]
        await notify_officers(bound, own, bound.year_key(f"inspection:{round_id}"), told)
    return round_id


@dataclass(frozen=True, slots=True)
class InspectedChats:
    """Who hears that minutes arrived about their unit: read before the minutes' transaction."""

    round_id: int
    unit_code: str
    """The inspected unit."""
    chats: list[Recipient]


async def inspected_chats(
    services: Services, deliverable: str, inspector: str
) -> InspectedChats | None:
    """The chats of the unit that ``inspector`` inspects in the current round, when
    ``deliverable`` is that round's minutes."""
    current = await services.inspections.current()
    if current is None or deliverable != current.deliverable:
        return None
    inspected = current.inspected_by(inspector)
    if inspected is None:
        return None
    own = [o for o in await services.officers.active() if o.unit_code == inspected]
    return InspectedChats(current.id, inspected, await recipients(services, own))


def tell_inspected_on(
    conn: sqlite3.Connection,
    writes: Writes,
    services: Services,
    told: InspectedChats,
    submission: Submission,
) -> None:
    """Minutes arrived: the inspected unit's officers are told and may answer (their notices
    added to ``writes`` on the database thread, committed with the submission)."""
    cluster = services.cluster_year.cluster
    names = [f.name for f in submission.files]
    notice = partial(
        minutes_notice, cluster, submission.unit_code, submission.version, names, told.round_id
    )
    key = services.year_key(f"inspected:{told.round_id}:{told.unit_code}:{submission.version}")
    notify_on(conn, writes, services, told.chats, key, notice)


async def answerable_round(services: Services, actor: Actor, round_id: int) -> bool:
    """Whether the officer's unit is inspected in the year's current round ``round_id``."""
    current = await services.inspections.current()
    return (
        current is not None
        and current.id == round_id
        and current.inspector_of(actor.unit_code or "") is not None
    )


async def record_answer(services: Services, actor: Actor, round_id: int, text: str) -> int:
    """Keep the inspected unit's explanation and tell the chair, or, for the chair unit's own
    answer, those who review it (the deputy unit or the province board); returns its id."""
    unit_code = actor.unit_code or ""
    answer_id = await services.inspections.answer(
        round_id, unit_code, actor.officer_id, text, services.clock.now()
    )
    told = partial(answer_notice, services.cluster_year.cluster, unit_code, text)
    key = services.year_key(f"inspection-answer:{round_id}:{answer_id}")
    await notify_reviewers(services, unit_code, key, told)
    return answer_id


async def reviewed_by_someone(services: Services, unit_code: str) -> bool:
    """Whether anyone registered hears this unit's answers (for the chair unit: an officer of
    the deputy unit or of the province board)."""
    return bool(await reviewers_of(services, unit_code))
