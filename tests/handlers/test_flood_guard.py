"""The flood guard in front of the real dispatcher, with an injected clock; and the caches that
must not keep every stranger."""

from __future__ import annotations

import asyncio

from bot.domain.messages import ChatKind, Inbound
from bot.engine.dispatcher import Dispatcher
from bot.engine.flood import FloodGuard, FloodLimits
from bot.services.container import Services
from storage.conversations import ConversationRepository, ConversationState
from storage.preferences import PreferenceRepository

SLOW_DOWN = "Anh/chị đang gửi tin nhắn nhanh hơn"


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _hello(user: str) -> Inbound:
    return Inbound(channel="telegram", chat_id=user, user_id=user, command="batdau")


async def test_a_sender_over_the_rate_is_told_once_then_ignored_until_the_bucket_refills(
    services: Services, dispatcher: Dispatcher
) -> None:
    ticks = Ticks()
    guard = FloodGuard(dispatcher.handle, services, FloodLimits(burst=3, per_minute=60), ticks)
    answers = [await guard(_hello("71")) for _ in range(50)]
    assert all(a and a[0].text.startswith("Xin chào!") for a in answers[:3])
    assert [a[0].text for a in answers[3:] if a] == [answers[3][0].text]
    assert SLOW_DOWN in answers[3][0].text
    assert (await guard(_hello("72")))[0].text.startswith("Xin chào!")  # others go on
    ticks.now = 2.0
    assert await guard(_hello("71")) == []  # still held: the bucket is not full yet
    ticks.now = 3.0
    assert (await guard(_hello("71")))[0].text.startswith("Xin chào!")
    membership = Inbound(channel="telegram", chat_id="71", user_id="71", membership="blocked")
    assert await guard(membership) == []  # handled, not refused: the platform's notice
    assert guard.refused == 48


async def test_caches_keep_only_the_most_recent_strangers(services: Services) -> None:
    conversations = ConversationRepository(services.db, cached=5)
    preferences = PreferenceRepository(services.db, cached=5)
    now = services.clock.now()
    for n in range(200):
        await conversations.save(
            "zalo", f"s{n}", ConversationState("reports", "pick", {"n": n}), now, now
        )
        await preferences.set_language("zalo", f"s{n}", "en")
        assert await preferences.language("zalo", f"x{n}") is None
    assert len(conversations._rows) == 5 and len(preferences._cache) == 5
    first = await conversations.get("zalo", "s0")  # evicted, read back from the database
    assert first is not None and first.data == {"n": 0}
    assert await preferences.language("zalo", "s0") == "en"


async def test_a_chat_has_a_bound_on_events_in_work(
    services: Services, dispatcher: Dispatcher
) -> None:
    guard = FloodGuard(dispatcher.handle, services, FloodLimits(chat_pending=4), Ticks())

    def in_group(user: str) -> Inbound:
        return Inbound(
            channel="telegram",
            chat_id="-9",
            user_id=user,
            chat_kind=ChatKind.GROUP,
            command="batdau",
        )

    answers = await asyncio.gather(*(guard(in_group(f"g{n}")) for n in range(12)))
    handled = [a for a in answers if a and a[0].text.startswith("Xin chào!")]
    refused = [a for a in answers if a and SLOW_DOWN in a[0].text]
    assert (len(handled), len(refused), guard.refused) == (4, 8, 8)
    assert (await guard(in_group("g99")))[0].text.startswith("Xin chào!")  # the chat drained
