"""The fault suite: the fake Telegram server answers a random share of sends — proactive ones
and direct replies — with 429 (retry_after), 502, 500, a hang past the client's time-out or a
dropped connection, and 403 for blocked recipients. Every deliverable message arrives once it
can; one that never can is given up (marked failed) without holding up the others."""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.access import Role
from bot.domain.invitations import Claimant
from bot.domain.messages import Reply
from bot.fakes.telegram_server import FakeTelegram, Fault
from bot.services.container import Services
from tests.harness import Harness
from tests.people import invite

RATE = float(os.environ.get("FAULT_RATE", "0.25"))
MESSAGES = int(os.environ.get("FAULT_MESSAGES", "60"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        web_port=0,
        telegram_timeout=0.5,
        send_per_second=200,
        send_chat_interval=0,
        send_backoff_seconds=0.01,
        send_max_attempts=50,
    )


async def test_random_faults(bot: Harness, telegram: FakeTelegram) -> None:
    services = bot.app.services
    chats = [str(8000 + n) for n in range(20)]
    for chat in chats:
        _id, code = await services.invitations.create(
            "MA", Role.MEMBER, services.clock.now(), timedelta(days=1), None, "test"
        )
        await services.invitations.redeem(
            code, Claimant("telegram", chat, chat, f"Cán bộ {chat}"), services.clock.now()
        )
    blocked = {int(chats[0]), int(chats[1])}
    telegram.blocked |= blocked
    telegram.chaos_rate = RATE
    for n in range(MESSAGES):
        chat = chats[n % len(chats)]
        await services.outbox.enqueue(f"chaos:{n}", "telegram", chat, Reply(f"chaos-{n:03d}"))
    reachable = {
        f"chaos-{n:03d}" for n in range(MESSAGES) if int(chats[n % len(chats)]) not in blocked
    }

    def delivered(sent: list) -> set[str]:
        return {s.text for s in sent if s.text.startswith("chaos-")}

    await telegram.wait_sent(lambda sent: delivered(sent) >= reachable, timeout=120)
    telegram.chaos_rate = 0

    await _settled(services)
    statuses = await services.outbox.repo.statuses("chaos:")
    assert statuses.get("unreachable", 0) == MESSAGES - len(reachable)
    assert statuses.get("sent", 0) == len(reachable)
    counts = Counter(s.text for s in telegram.sent if s.text.startswith("chaos-"))
    assert all(counts[t] <= 1 + telegram.hung[t] for t in counts)  # each hang may repeat one
    for chat in blocked:
        record = await services.officers.actor("telegram", str(chat), services.clock.now())
        assert record is not None
    rows = await services.db.fetchall(
        "SELECT chat_id FROM identities WHERE unreachable_at IS NOT NULL"
    )
    assert {int(r["chat_id"]) for r in rows} == blocked
    assert await services.db.integrity_check() == "ok"


async def test_direct_replies_arrive_through_faults(bot: Harness, telegram: FakeTelegram) -> None:
    services = bot.app.services
    chats = [str(8200 + n) for n in range(10)]
    for chat in chats:
        _id, code = await services.invitations.create(
            "MA", Role.MEMBER, services.clock.now(), timedelta(days=1), None, "test"
        )
        await services.invitations.redeem(
            code, Claimant("telegram", chat, chat, f"Cán bộ {chat}"), services.clock.now()
        )
    telegram.chaos_rate = RATE
    asked = max(1, min(MESSAGES // len(chats), services.settings.flood_burst))

    def answers(sent: list) -> Counter[int]:
        return Counter(s.chat_id for s in sent if s.text.startswith("Anh/chị là Cán bộ"))

    async def converse(chat: int) -> None:  # a person waits for each answer before the next
        for n in range(asked):
            telegram.user(chat, f"Cán bộ {chat}").send("/toi")
            await telegram.wait_sent(lambda sent, n=n: answers(sent)[chat] > n, timeout=120)

    await asyncio.gather(*(converse(int(chat)) for chat in chats))
    telegram.chaos_rate = 0
    await _settled(services)
    texts = {s.text for s in telegram.sent if s.text.startswith("Anh/chị là Cán bộ")}
    repeats = sum(telegram.hung[text] for text in texts)  # each hang may repeat one
    assert sum(answers(telegram.sent).values()) <= len(chats) * asked + repeats
    assert await services.db.integrity_check() == "ok"


async def test_a_reply_that_always_fails_is_given_up_and_the_others_go_on(
    settings: Settings, telegram: FakeTelegram, clock: FixedClock
) -> None:
    bot = Harness(
        settings.model_copy(
            update={
                "telegram_token": SecretStr(telegram.token),
                "telegram_base_url": telegram.base_url,
                "telegram_file_url": telegram.file_url,
                "telegram_poll_timeout": 1,
                "send_max_attempts": 3,
            }
        ),
        clock,
    )
    app = await bot.start()
    try:
        services = app.services
        doomed, fine = telegram.user(8300, "Cán bộ A"), telegram.user(8301, "Cán bộ B")
        code = await invite(app, "MA", Role.MEMBER)
        telegram.faults.append(
            Fault("sendMessage", 500, "Internal Server Error", chat_id=8300, times=10**6)
        )
        doomed.send(f"/start {code}")  # the welcome fails directly, then three times more

        async def given_up() -> None:
            while await services.outbox.repo.statuses("journal:telegram:8300:") != {"failed": 1}:
                await asyncio.sleep(0.02)

        await asyncio.wait_for(given_up(), 60)
        assert await services.officers.actor("telegram", "8300", clock.now()) is not None
        assert not [s for s in telegram.sent if s.chat_id == doomed.chat_id]
        await services.outbox.enqueue("after", "telegram", str(fine.chat_id), Reply("vẫn gửi"))
        assert (await fine.next_message(20)).text == "vẫn gửi"
    finally:
        await bot.stop()


async def _settled(services: Services) -> None:
    """Wait until no outbox row is due (the last send may still await its answer)."""

    async def drained() -> None:
        while await services.outbox.repo.pending(services.clock.now()):
            await asyncio.sleep(0.02)

    await asyncio.wait_for(drained(), 60)
