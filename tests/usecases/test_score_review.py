"""The chair's review as a use case: the sheets and their evidence, a reviewed score in range and
with its reason (the unit told, the old value the last review's), the unit's explanation (the
chair told), and nothing after the lock."""

from __future__ import annotations

from bot.delivery.outbox_keys import KeyPrefix, explanation_key, score_reviewed_key
from bot.domain.access import Actor, Role
from bot.domain.score_sheet import Evidence, SheetEntries
from bot.services.container import Services
from bot.usecases import score_lock, score_review, self_scoring
from bot.usecases.score_review import EvidenceFile, OutOfRange, Reviewed, ReviewRefused
from tests.usecases.conftest import MakeActor

PHOTO = b"\xff\xd8\xff\xe0 a photo of the minutes"


async def _sent(services: Services, actor_of: MakeActor) -> tuple[Actor, Actor]:
    chair = await actor_of("TG", Role.CHAIR)
    member = await actor_of("MA", Role.MEMBER)
    table = services.cluster_year.scoring
    assert table is not None
    sha = await services.files.put(PHOTO, "image/jpeg", services.clock.now())
    entries = SheetEntries().with_evidence("I.2", Evidence(sha, "bien-ban.JPG"))
    for criterion in table.criteria():
        entries = entries.scored(criterion.code, 1.0, criterion.max)
    assert isinstance(await self_scoring.send(services, member, entries), self_scoring.Sent)
    return chair, member


async def _pending(services: Services, key: str) -> dict[str, int]:
    return await services.outbox.repo.statuses(KeyPrefix(key))


async def test_the_chair_reviews_and_the_unit_explains(
    services: Services, actor_of: MakeActor
) -> None:
    chair, member = await _sent(services, actor_of)
    data = await score_review.sheets(services)
    assert data is not None and set(data.sheets) == {"MA"}
    assert await score_review.evidence_of(services, "MA") == [
        EvidenceFile("I.2", "bien-ban.JPG", PHOTO, "image/jpeg")
    ]
    assert await score_review.evidence_of(services, "DB") == []

    assert await score_review.review(services, chair, "MA", "I.1", 11, "quá") == OutOfRange(0, 10)
    assert await score_review.review(services, chair, "MA", "X.9", 1, "sai") is ReviewRefused.GONE
    assert await score_review.review(services, chair, "DB", "I.1", 1, "sai") is ReviewRefused.GONE
    assert await services.scores.reviews() == {}

    now = services.clock.now()
    first = await score_review.review(services, chair, "MA", "I.1", 7.5, " thiếu minh chứng ")
    assert first == Reviewed("MA", "I.1", 10.0, 7.5)
    assert (await services.scores.reviews())[("MA", "I.1")].reason == "thiếu minh chứng"
    assert await _pending(services, score_reviewed_key("MA", "I.1", now)) == {"pending": 1}
    again = await score_review.review(services, chair, "MA", "I.1", 8, "đã bổ sung")
    assert again == Reviewed("MA", "I.1", 7.5, 8)

    await score_review.explain(services, member, "I.1", "Đã gửi bổ sung biên bản.")
    assert await services.scores.explanations() == {("MA", "I.1"): "Đã gửi bổ sung biên bản."}
    assert await _pending(services, explanation_key("MA", "I.1", now)) == {"pending": 1}


async def test_no_review_after_the_lock(services: Services, actor_of: MakeActor) -> None:
    chair, _member = await _sent(services, actor_of)
    assert await score_lock.lock(services, chair, "hội nghị tổ chức sớm") is True
    refused = await score_review.review(services, chair, "MA", "I.1", 5, "muộn")
    assert refused is ReviewRefused.LOCKED
    assert await services.scores.reviews() == {}
