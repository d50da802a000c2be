"""The flood guard in front of the real dispatcher, with an injected clock; and the caches that
must not keep every stranger."""

from __future__ import annotations

import asyncio

from bot.domain.access import Actor, Role
from bot.domain.messages import ChatKind, Inbound
from bot.engine.dispatcher import Dispatcher
from bot.engine.flood import FloodGuard, FloodLimits
from bot.services.container import Services
from storage.conversations import ConversationRepository, ConversationState
from storage.preferences import PreferenceRepository
from tests.clusters import join

SLOW_DOWN = "Anh/chị đang gửi tin nhắn nhanh hơn"


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _hello(user: str) -> Inbound:
    return Inbound(channel="telegram", chat_id=user, user_id=user, command="batdau")


def _guard(
    dispatcher: Dispatcher, services: Services, limits: FloodLimits, ticks: Ticks
) -> FloodGuard:
    async def identify(inbound: Inbound) -> Actor | None:
        return await services.officers.actor(inbound.channel, inbound.user_id, services.clock.now())

    return FloodGuard(dispatcher.handle, services, limits, identify, ticks)


async def test_a_sender_over_the_rate_is_told_once_then_ignored_until_the_bucket_refills(
    services: Services, dispatcher: Dispatcher
) -> None:
    ticks = Ticks()
    limits = FloodLimits(stranger_burst=3, stranger_per_minute=60)
    guard = _guard(dispatcher, services, limits, ticks)
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
    guard = _guard(dispatcher, services, FloodLimits(chat_pending=4), Ticks())

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


async def test_strangers_together_have_one_budget_and_an_officer_is_never_held_by_it(
    services: Services, dispatcher: Dispatcher
) -> None:
    ticks = Ticks()
    limits = FloodLimits(burst=3, stranger_burst=2, strangers_per_minute=30, strangers_burst=30)
    guard = _guard(dispatcher, services, limits, ticks)
    await join(services, "telegram", "500", "MA", Role.MEMBER)
    answered = [bool(await guard(_hello(f"s{n}"))) for n in range(100)]
    assert sum(answered) == 30 and all(answered[:30])  # the shared budget, then silence
    assert guard.strangers_dropped == 70 and guard.refused == 0
    assert (await guard(_hello("500")))[0].text.startswith("Xin chào!")  # the officer
    ticks.now = 4.0  # half a token a second comes back to the strangers' budget
    assert [bool(await guard(_hello(f"t{n}"))) for n in range(3)] == [True, True, False]
    assert guard.strangers_dropped == 71
