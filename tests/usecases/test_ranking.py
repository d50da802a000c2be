"""The ranking as a use case: members see it once published, publishing needs the lock and
reaches every officer, and the province's decision is recorded for real units and awards only."""

from __future__ import annotations

from bot.delivery.outbox_keys import KeyPrefix, ranking_published_key
from bot.domain.access import Role
from bot.domain.score_sheet import SheetEntries
from bot.domain.scoring import FLAG
from bot.services.container import Services
from bot.usecases import ranking, score_lock, self_scoring
from bot.usecases.ranking import RankingRefused, Standings
from tests.usecases.conftest import MakeActor


async def test_published_once_locked_then_seen_by_members(
    services: Services, actor_of: MakeActor
) -> None:
    chair = await actor_of("TG", Role.CHAIR)
    member = await actor_of("MA", Role.MEMBER)
    table = services.cluster_year.scoring
    assert table is not None
    entries = SheetEntries()
    for criterion in table.criteria():
        entries = entries.scored(criterion.code, 1.0, criterion.max)
    await self_scoring.send(services, member, entries)

    assert await ranking.visible_ranking(services, member) is RankingRefused.NOT_PUBLISHED
    shown = await ranking.visible_ranking(services, chair)
    assert isinstance(shown, Standings) and not shown.publishable  # not locked yet
    assert [r.score.unit_code for r in shown.data.ranked] == ["MA"]
    assert await ranking.publish(services, chair) is RankingRefused.NOT_LOCKED
    assert await ranking.published_at(services) is None

    await score_lock.lock(services, chair, "hội nghị tổ chức sớm")
    shown = await ranking.visible_ranking(services, chair)
    assert isinstance(shown, Standings) and shown.publishable
    assert await ranking.publish(services, chair) == 2  # TG and MA, one chat each
    assert await ranking.published_at(services) == services.clock.now().isoformat()
    sent = KeyPrefix(services.year_key(ranking_published_key()))
    assert await services.outbox.repo.statuses(sent) == {"pending": 2}
    assert isinstance(await ranking.visible_ranking(services, member), Standings)


async def test_the_province_decision(services: Services, actor_of: MakeActor) -> None:
    chair = await actor_of("TG", Role.CHAIR)
    assert not await ranking.decide(services, chair, "XX", FLAG)
    assert not await ranking.decide(services, chair, "MA", "gold")
    assert await services.scores.decisions() == {}
    assert await ranking.decide(services, chair, "MA", FLAG)
    assert await services.scores.decisions() == {"MA": FLAG}
