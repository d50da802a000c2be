"""The handover's use cases on real storage: what the votes decided, next year's draft and plan,
the handover itself (next year open, this one closed, everyone told) and the new chair's
confirmation of the carried plan."""

from __future__ import annotations

from bot.domain.ballots import Title
from bot.services.container import Services
from bot.usecases.handover import (
    HandoverDraft,
    PlanProblem,
    VotedLeaders,
    carried_rows,
    confirm_carried_plan,
    following_year,
    hand_over,
    next_year,
    read_new_plan,
    voted_leaders,
)
from bot.usecases.voting import NewBallot, OpenedVote, close_now, open_vote
from tests.documents import plan_docx, seed_rows
from tests.usecases.officers import unit_actors
from tests.usecases.votes import cast

CARRIED = HandoverDraft("MA", "DB", None, flagged=True)


async def test_the_vote_for_next_years_chair_names_the_chair(services: Services) -> None:
    people = await unit_actors(services)
    assert await voted_leaders(services) == VotedLeaders(None, None, deputy_voted=False)
    opened = await open_vote(services, people["TG"], NewBallot(Title.CHAIR, ("MA", "DB"), 1, 24))
    assert isinstance(opened, OpenedVote)
    for officer in people.values():
        await cast(services, officer, opened.round.id, ("MA",))
    await close_now(services, people["TG"], opened.round.id)  # every unit voted: at once
    assert await voted_leaders(services) == VotedLeaders("MA", None, deputy_voted=False)


async def test_next_years_draft_carries_the_plan_forward(services: Services) -> None:
    new = next_year(services, CARRIED)
    this = services.cluster_year
    assert (new.cluster.year, new.cluster.chair, new.cluster.deputy) == (
        this.cluster.year + 1,
        "MA",
        "DB",
    )
    assert new.plan == this.plan.carried_forward(this.cluster.year + 1)
    assert read_new_plan(services, b"not a document") is PlanProblem.UNREADABLE
    imported = read_new_plan(services, plan_docx(seed_rows()))
    assert not isinstance(imported, PlanProblem) and imported.tasks
    own = next_year(services, HandoverDraft("MA", None, imported, flagged=False))
    assert own.plan == imported and own.cluster.deputy is None


async def test_the_handover_opens_next_year_and_the_new_chair_confirms_the_plan(
    services: Services,
) -> None:
    people = await unit_actors(services)
    assert following_year(services) is None
    done = await hand_over(services, people["TG"], CARRIED)
    assert (done.year.cluster.year, done.closed_year) == (2023, 2022)
    assert following_year(services) == 2023
    old, new = services.years.of_cluster(services.year.cluster_id)
    assert (old.status, new.status) == ("closed", "open")
    following = services.scoped(new.id)
    rows = await services.db.fetchall("SELECT key FROM outbox")
    told = [r["key"] for r in rows if r["key"].startswith(following.year_key("handover:"))]
    assert len([k for k in told if ":chair:" not in k]) == len(people)
    assert carried_rows(following) == following.cluster_year.plan.tasks
    new_chair = people["MA"]
    assert await confirm_carried_plan(following, new_chair)
    following = services.scoped(new.id)
    assert carried_rows(following) == ()
    assert not await confirm_carried_plan(following, new_chair)
