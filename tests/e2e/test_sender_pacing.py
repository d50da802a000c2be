"""The sender does not read again the queued rows of a chat it may not send to yet: on a
deadline day a chair's notices wait their turn without being read at every other send; and it
sends to several chats at once, never to one chat twice at once, and starts nothing after a
stop."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.config import Settings
from bot.delivery.sender import Pacing, Sender, SenderState
from bot.domain.messages import Reply
from bot.fakes.telegram_server import FakeTelegram
from storage.outbox import OutboxRepository, OutboxRow
from tests.e2e.test_sender_survives import until
from tests.harness import Harness


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", web_port=0, send_chat_interval=600)


class Reads(OutboxRepository):
    """The real repository, noting the chats of the rows each read of due rows returned."""

    def __init__(self, repo: OutboxRepository) -> None:
        super().__init__(repo._db)
        self.reads: list[list[str]] = []

    async def due(
        self, channel: str, now: datetime, skip: Collection[str] = (), limit: int = 500
    ) -> list[OutboxRow]:
        rows = await super().due(channel, now, skip, limit)
        self.reads.append([row.chat_id for row in rows])
        return rows


def _texts(telegram: FakeTelegram, chat: int) -> list[str]:
    return [s.text for s in telegram.sent if s.method == "sendMessage" and s.chat_id == chat]


async def test_a_paced_chats_rows_are_not_read_at_every_send(
    bot: Harness, telegram: FakeTelegram
) -> None:
    assert bot.app is not None and bot.app.services is not None
    outbox = bot.app.services.outbox
    reads = Reads(outbox.repo)
    outbox.repo = reads
    await outbox.enqueue("chair:1", "telegram", "8000", Reply("Tin 1"))
    await outbox.enqueue("chair:2", "telegram", "8000", Reply("Tin 2"))
    await telegram.wait_sent(lambda sent: "Tin 1" in _texts(telegram, 8000))
    for n in range(10):  # each wakes the sender while the chair's chat is paced
        await outbox.enqueue(f"other:{n}", "telegram", str(8001 + n), Reply(f"Khác {n}"))
        await telegram.wait_sent(lambda sent, n=n: [f"Khác {n}"] == _texts(telegram, 8001 + n))

    assert _texts(telegram, 8000) == ["Tin 1"]  # the second waits for the chat's interval
    first = next(i for i, chats in enumerate(reads.reads) if "8000" in chats)
    assert all("8000" not in chats for chats in reads.reads[first + 1 :])
    assert len(reads.reads) > first + 10  # the other sends did read the queue
    row = await bot.app.services.db.fetchone("SELECT status FROM outbox WHERE key = 'chair:2'")
    assert row is not None and row["status"] == "pending"


async def test_several_chats_are_sent_to_at_once_never_one_chat_twice(
    bot: Harness, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The platform's round trip does not set the pace: the sends to four chats are under way
    together (each answered only once all four have arrived), and a chat's second row waits
    for its interval."""
    assert bot.app is not None and bot.app.services is not None
    outbox, answered = bot.app.services.outbox, telegram._m_sendMessage
    under_way: list[str] = []
    four = asyncio.Event()

    async def held(params: dict[str, Any]) -> web.Response:
        under_way.append(str(params["text"]))
        if len(under_way) == 4:
            four.set()
        await four.wait()
        return await answered(params)

    monkeypatch.setattr(telegram, "_m_sendMessage", held)
    await outbox.enqueue("a:1", "telegram", "9001", Reply("A 1"))
    await outbox.enqueue("a:2", "telegram", "9001", Reply("A 2"))
    for chat in ("B", "C", "D"):
        await outbox.enqueue(f"{chat}:1", "telegram", f"90{ord(chat)}", Reply(f"{chat} 1"))
    await asyncio.wait_for(four.wait(), 10)
    await telegram.wait_sent(lambda sent: len(sent) == 4)

    assert sorted(under_way) == ["A 1", "B 1", "C 1", "D 1"]
    assert _texts(telegram, 9001) == ["A 1"]


async def test_a_stop_while_every_place_is_taken_starts_no_other_send(
    bot: Harness, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bot.app is not None and bot.app.services is not None
    services, own = bot.app.services, bot.app.senders["telegram"]
    own.stop()
    await until(lambda: own.state is SenderState.STOPPED)
    answered, release = telegram._m_sendMessage, asyncio.Event()
    arrived: list[str] = []

    async def held(params: dict[str, Any]) -> web.Response:
        arrived.append(str(params["text"]))
        await release.wait()
        return await answered(params)

    async def as_is(_channel: str, _chat: str, replies: list[Reply]) -> list[Reply]:
        return replies

    async def blocked(_row: OutboxRow) -> None:
        raise AssertionError("nobody blocked the bot")

    monkeypatch.setattr(telegram, "_m_sendMessage", held)
    sender = Sender(
        own._channel,
        services.outbox,
        services.files,
        bot.clock,
        as_is,
        Pacing(in_flight=1),
        blocked,
    )
    await services.outbox.enqueue("one", "telegram", "9101", Reply("Một"))
    await services.outbox.enqueue("two", "telegram", "9102", Reply("Hai"))
    running = asyncio.create_task(sender.run())
    await until(lambda: bool(arrived))
    sender.stop()  # the second row waits for the only place
    release.set()
    await asyncio.wait_for(running, 10)

    assert arrived == ["Một"]
    row = await services.db.fetchone("SELECT status FROM outbox WHERE key = 'two'")
    assert row is not None and row["status"] == "pending"
