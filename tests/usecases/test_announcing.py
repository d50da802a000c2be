"""Announcing as a use case: one outbox row per recipient chat and a progress message for the
chair, a group audience falling back to private messages where the channel has no groups, a
scheduled announcement cancelled with its rows, read receipts, and a group unlinked."""

from __future__ import annotations

from datetime import timedelta

from bot.delivery.outbox_keys import (
    AnnouncementKey,
    KeyPrefix,
    announcement_prefix,
    announcement_progress_key,
    group_unlinked_key,
    parse_announcement_key,
)
from bot.domain.access import Role
from bot.domain.messages import FULL_CAPABILITIES, Capabilities
from bot.services.container import Services
from bot.usecases import announcing
from bot.usecases.announcing import AnnouncementDraft, Audience, Receipts, Scheduled
from tests.usecases.conftest import MakeActor

NO_GROUPS = {"memory": Capabilities(max_text=2000, documents=False, groups=False)}
CHAIR_CHAT = ("memory", "tg")


def _draft(services: Services, audience: Audience, later: timedelta) -> AnnouncementDraft:
    when = services.clock.now() + later
    return AnnouncementDraft("Họp cụm lúc 8 giờ.", None, audience, (), when)


async def _keys(services: Services, number: int) -> set[AnnouncementKey | None]:
    rows = await services.db.fetchall(
        "SELECT key FROM outbox WHERE key LIKE ?", (f"{announcement_prefix(number)}%",)
    )
    return {parse_announcement_key(r["key"]) for r in rows}


async def test_sent_now_to_every_officer_with_receipts(
    services: Services, actor_of: MakeActor
) -> None:
    chair = await actor_of("TG", Role.CHAIR)
    member = await actor_of("MA", Role.MEMBER)
    await actor_of("DB", Role.MEMBER)
    draft = _draft(services, Audience.OFFICERS, timedelta(0))
    sent = await announcing.announce(
        services, chair, draft, {"memory": FULL_CAPABILITIES}, CHAIR_CHAT
    )
    assert (sent.recipients, sent.fallback, sent.scheduled) == (2, False, False)
    assert await _keys(services, sent.id) == {
        AnnouncementKey(sent.id, "memory", "ma"),
        AnnouncementKey(sent.id, "memory", "db"),
    }
    progress = await services.outbox.repo.find(announcement_progress_key(sent.id))
    assert progress is not None and progress[:2] == CHAIR_CHAT

    assert not await announcing.acknowledge(services, member, sent.id + 1)
    assert await announcing.acknowledge(services, member, sent.id)
    assert await announcing.receipts(services) == [Receipts(sent.id, draft.send_at, ("MA",))]
    assert not await announcing.cancel(services, chair, sent.id)  # it went out already


async def test_scheduled_then_cancelled(services: Services, actor_of: MakeActor) -> None:
    chair = await actor_of("TG", Role.CHAIR)
    await actor_of("MA", Role.MEMBER)
    draft = _draft(services, Audience.OFFICERS, timedelta(days=1))
    sent = await announcing.announce(services, chair, draft, NO_GROUPS, CHAIR_CHAT)
    assert sent.scheduled and sent.recipients == 1
    assert await announcing.scheduled(services) == [Scheduled(sent.id, draft.send_at, draft.text)]
    assert await announcing.cancel(services, chair, sent.id)
    recipients = await services.outbox.repo.statuses(announcement_prefix(sent.id))
    progress = await services.outbox.repo.statuses(KeyPrefix(announcement_progress_key(sent.id)))
    assert recipients == progress == {"cancelled": 1}
    assert await announcing.scheduled(services) == []
    assert not await announcing.cancel(services, chair, sent.id)


async def test_a_group_audience_and_a_group_unlinked(
    services: Services, actor_of: MakeActor
) -> None:
    chair = await actor_of("TG", Role.CHAIR)
    await actor_of("MA", Role.MEMBER)
    assert not await announcing.has_groups(services)
    await announcing.link_group(services, chair, "memory", "-100", "Cụm thi đua")
    assert await announcing.has_groups(services)

    draft = _draft(services, Audience.GROUPS, timedelta(0))
    in_group = await announcing.announce(
        services, chair, draft, {"memory": FULL_CAPABILITIES}, CHAIR_CHAT
    )
    assert (in_group.recipients, in_group.fallback) == (1, False)
    assert await _keys(services, in_group.id) == {AnnouncementKey(in_group.id, "memory", "-100")}
    privately = await announcing.announce(services, chair, draft, NO_GROUPS, CHAIR_CHAT)
    assert (privately.recipients, privately.fallback) == (2, True)  # the group and MA

    assert await announcing.unlink_group(services, "memory", "-100", "someone")
    told = KeyPrefix(group_unlinked_key("memory", "-100", services.clock.now()))
    assert await services.outbox.repo.statuses(told) == {"pending": 1}  # the chair
    assert not await announcing.has_groups(services)
    assert not await announcing.unlink_group(services, "memory", "-100", "someone")
