"""The handover (bàn giao Trưởng Cụm): the outgoing chair opens next year's cluster-year with
its chair, deputy and plan (carried forward one year, every row flagged for the new chair to
confirm, or the new chair's document), closes this one (read only, its reminders stop), keeps
every registration and tells everyone; the new chair then confirms the carried plan. The
preview lists what the year leaves open (reports not in, scores not locked, votes open); going
on despite it takes a reason, which the audit log keeps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from bot.domain.access import Actor
from bot.domain.ballots import Title
from bot.domain.cluster import ClusterYear, Plan, Task
from bot.domain.plan_documents import UnreadableDocument, read_plan_document
from bot.domain.plan_import import extract_plan, plan_from_import
from bot.domain.report_status import local_day, status_matrix
from bot.services.container import Services
from bot.services.notices import notify_managers, notify_officers
from bot.texts.handover import chair_rights_notice, handover_notice
from bot.usecases.voting import decided

__all__ = [
    "HandedOver",
    "HandoverDraft",
    "OpenItems",
    "PlanProblem",
    "VotedLeaders",
    "carried_rows",
    "confirm_carried_plan",
    "following_year",
    "hand_over",
    "next_year",
    "open_items",
    "read_new_plan",
    "voted_leaders",
]


REASON_CHARS = 500


class PlanProblem(StrEnum):
    """Why the new chair's document cannot be next year's plan."""

    UNREADABLE = "unreadable"
    UNDATED = "undated"
    """Some rows have no dates the importer can read."""


@dataclass(frozen=True, slots=True)
class VotedLeaders:
    """What the votes decided for next year's chair and deputy units."""

    chair: str | None
    deputy: str | None
    deputy_voted: bool
    """Whether a deputy vote finished (it may have elected nobody but the chair)."""


@dataclass(frozen=True, slots=True)
class HandoverDraft:
    chair: str
    deputy: str | None
    plan: Plan | None
    """The new chair's plan; None carries this year's forward."""
    flagged: bool
    """Every row of the plan awaits the new chair's confirmation."""


@dataclass(frozen=True, slots=True)
class HandedOver:
    year: ClusterYear
    """The cluster-year now open."""
    closed_year: int


@dataclass(frozen=True, slots=True)
class OpenItems:
    """What the year leaves open at the handover."""

    reports: tuple[tuple[str, str], ...]
    """(unit code, deliverable title) of every report owed, not sent and not excused."""
    scores_unlocked: bool
    """Some unit self-scored and the scores are not locked."""
    votes: tuple[Title, ...]
    """The titles of the ballots whose round is still open."""

    @property
    def any(self) -> bool:
        return bool(self.reports or self.scores_unlocked or self.votes)


async def open_items(services: Services) -> OpenItems:
    year = services.cluster_year
    today = local_day(services.clock.now(), year.cluster.timezone)
    rows = status_matrix(
        year, today, await services.submissions.latest(), await services.submissions.marks()
    )
    reports = tuple(
        (row.unit.code, deliverable.title)
        for row in rows
        for deliverable, state in zip(year.plan.deliverables, row.cells, strict=True)
        if state is not None and not state.done
    )
    scored = bool(await services.scores.latest()) if year.scoring is not None else False
    unlocked = scored and not await services.scores.locked()
    votes = tuple(dict.fromkeys(r.ballot.title for r in await services.ballots.open_rounds()))
    return OpenItems(reports, unlocked, votes)


def following_year(services: Services) -> int | None:
    """Next year of the cluster when it is open already (handed over before)."""
    found = services.years.find(services.year.cluster_id, services.year.year + 1)
    return None if found is None else found.year


async def voted_leaders(services: Services) -> VotedLeaders:
    voted = await decided(services)
    chair = next(iter(voted.get(Title.CHAIR, ())), None)
    deputy = next((c for c in voted.get(Title.DEPUTY, ()) if c != chair), None)
    return VotedLeaders(chair, deputy, Title.DEPUTY in voted)


def read_new_plan(services: Services, data: bytes) -> Plan | PlanProblem:
    """The new chair's document as next year's plan (over this year's, carried forward)."""
    try:
        imported = extract_plan(read_plan_document(data))
    except UnreadableDocument:
        return PlanProblem.UNREADABLE
    if imported.flagged:
        return PlanProblem.UNDATED
    year = services.cluster_year
    carried = year.model_copy(update={"plan": year.plan.carried_forward(services.year.year + 1)})
    return plan_from_import(imported, carried)


def next_year(services: Services, draft: HandoverDraft) -> ClusterYear:
    """Next year as the draft stands: the cluster, its chair and deputy, the plan."""
    year = services.cluster_year
    cluster = year.cluster.model_copy(
        update={"year": year.cluster.year + 1, "chair": draft.chair, "deputy": draft.deputy}
    )
    plan = draft.plan or year.plan.carried_forward(cluster.year)
    return ClusterYear.model_validate(
        year.model_copy(update={"cluster": cluster, "plan": plan}).model_dump()
    )


async def hand_over(
    services: Services, actor: Actor, draft: HandoverDraft, reason: str = ""
) -> HandedOver:
    """Open next year, close this one, and tell every officer and the new chair; ``reason``
    is why the chair goes on with items open (audited with them)."""
    new = next_year(services, draft)
    left = await open_items(services)
    if left.any:
        await services.audit.record(
            services.clock.now(),
            f"officer:{actor.officer_id}",
            "handover.open_items",
            f"cluster_year:{services.year.id}",
            reason=reason.strip()[:REASON_CHARS],
            reports=len(left.reports),
            scores_unlocked=left.scores_unlocked,
            votes=[title.value for title in left.votes],
        )
    flagged = tuple(t.number for t in new.plan.tasks) if draft.flagged else ()
    record = await services.years.hand_over(
        services.year, new, flagged, f"officer:{actor.officer_id}", services.clock.now()
    )
    following = services.scoped(record.id)
    old_year = services.year.year

    everyone = await following.officers.active()
    told = partial(handover_notice, new.cluster, old_year)
    await notify_officers(following, everyone, following.year_key("handover"), told)
    rights = partial(chair_rights_notice, new.cluster, old_year, bool(flagged))
    await notify_managers(following, following.year_key("handover:chair"), rights)
    return HandedOver(new, old_year)


def carried_rows(services: Services) -> tuple[Task, ...]:
    """The rows of the year's plan carried forward and not confirmed yet."""
    flagged = services.year.flagged
    return tuple(t for t in services.cluster_year.plan.tasks if t.number in flagged)


async def confirm_carried_plan(services: Services, actor: Actor) -> bool:
    """The new chair confirms the carried plan as it stands; False when nothing awaited it."""
    if not services.year.flagged:
        return False
    plan = services.cluster_year.plan
    await services.plans.confirm(
        plan.model_dump_json(),
        "carried forward",
        actor.officer_id,
        f"officer:{actor.officer_id}",
        services.clock.now(),
    )
    await services.years.set_plan(services.year.id, plan)
    return True
