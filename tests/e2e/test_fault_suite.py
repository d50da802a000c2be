"""The fault suite: the fake Telegram server answers a random share of sends with 429
(retry_after), 502, 500, a hang past the client's time-out or a dropped connection, and 403 for
blocked recipients. Every deliverable message arrives once it can; nothing crashes."""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.access import Role
from bot.domain.messages import Reply
from bot.fakes.telegram_server import FakeTelegram
from storage.invitations import Claimant
from tests.harness import Harness

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

    async def settled() -> None:  # the last send may still await its answer
        while await services.outbox.repo.pending(services.clock.now()):
            await asyncio.sleep(0.02)

    await asyncio.wait_for(settled(), 30)
    statuses = await services.outbox.repo.statuses("chaos:")
    assert statuses.get("unreachable", 0) == MESSAGES - len(reachable)
    assert statuses.get("sent", 0) == len(reachable)
    counts = Counter(s.text for s in telegram.sent if s.text.startswith("chaos-"))
    assert all(counts[t] <= 2 for t in counts)  # a hang past the time-out may deliver twice
    for chat in blocked:
        record = await services.officers.actor("telegram", str(chat), services.clock.now())
        assert record is not None
    rows = await services.db.fetchall(
        "SELECT chat_id FROM identities WHERE unreachable_at IS NOT NULL"
    )
    assert {int(r["chat_id"]) for r in rows} == blocked
    assert await services.db.integrity_check() == "ok"
