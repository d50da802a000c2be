"""The sender never dies: a missing stored file, a locked database or a full disk fails only the
row concerned (retried, then closed as failed with the reason); an error outside any row
restarts the loop; ``/healthz`` shows the sender's state and the oldest due row's age."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import sqlite3
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.delivery.sender import SenderState
from bot.domain.messages import Attachment, Reply
from bot.fakes.telegram_server import FakeTelegram
from storage.outbox import OutboxRepository, OutboxRow
from tests.harness import Harness


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        web_port=0,
        send_per_second=500,
        send_chat_interval=0,
        send_backoff_seconds=0.01,
        send_max_attempts=3,
        database_busy_seconds=0.2,
    )


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait for a condition of the running bot (checked every 10 ms), failing after timeout."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


def texts_to(telegram: FakeTelegram, chat_id: int) -> list[str]:
    return [
        s.text
        for s in telegram.sent
        if s.method == "sendMessage" and str(s.chat_id) == str(chat_id)
    ]


async def health(bot: Harness) -> tuple[int, dict[str, object]]:
    assert bot.app is not None and bot.app.web is not None
    async with httpx.AsyncClient() as client:
        response = await client.get(f"http://127.0.0.1:{bot.app.web.port}/healthz")
    return response.status_code, response.json()


async def status_of(bot: Harness, key: str) -> tuple[str, str]:
    assert bot.app is not None and bot.app.services is not None
    row = await bot.app.services.db.fetchone(
        "SELECT status, last_error FROM outbox WHERE key = ?", (key,)
    )
    assert row is not None
    return row["status"], row["last_error"] or ""


async def test_a_missing_stored_file_fails_its_row_and_nothing_else(
    bot: Harness, telegram: FakeTelegram
) -> None:
    app = bot.app
    assert app is not None and app.services is not None
    services = app.services
    later = bot.clock.now() + timedelta(minutes=1)
    scan = b"%PDF-1.4 a scanned report"
    await services.outbox.enqueue(
        "lost",
        "telegram",
        "7001",
        Reply("Tệp", attachment=Attachment("bc.pdf", scan, "application/pdf")),
        not_before=later,
    )
    await services.outbox.enqueue("other", "telegram", "7002", Reply("Tin khác"), not_before=later)
    services.files.path(hashlib.sha256(scan).hexdigest()).unlink()  # lost from the disk
    bot.clock.advance(timedelta(minutes=2))
    await services.outbox.enqueue("after", "telegram", "7001", Reply("Tin sau"))

    await telegram.wait_sent(lambda sent: "Tin sau" in texts_to(telegram, 7001))
    assert texts_to(telegram, 7002) == ["Tin khác"]
    status, reason = await status_of(bot, "lost")
    assert status == "failed"
    assert "gave up after 3 attempts" in reason and "FileNotFoundError" in reason
    assert app.senders["telegram"].state is SenderState.RUNNING
    code, body = await health(bot)
    assert code == 200 and body["senders"] == {
        "telegram": {"state": "running", "restarts": 0, "last_error": ""}
    }


async def test_a_locked_database_delays_sending_and_repeats_nothing(
    bot: Harness, telegram: FakeTelegram
) -> None:
    app = bot.app
    assert app is not None and app.services is not None
    services = app.services
    later = bot.clock.now() + timedelta(minutes=1)
    await services.outbox.enqueue(
        "locked", "telegram", "7101", Reply("Giữa khóa"), not_before=later
    )
    other = sqlite3.connect(app.settings.database_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process (a careless script) holds the write lock
    try:
        bot.clock.advance(timedelta(minutes=2))
        services.outbox.wake_event("telegram").set()
        await telegram.wait_sent(lambda sent: "Giữa khóa" in texts_to(telegram, 7101))
        sender = app.senders["telegram"]
        await until(lambda: sender.failed_attempts >= 2)  # the "sent" mark waited and failed
        assert sender.state is SenderState.RUNNING
    finally:
        other.execute("ROLLBACK")
        other.close()
    await services.outbox.enqueue("unlocked", "telegram", "7101", Reply("Sau khóa"))
    await telegram.wait_sent(lambda sent: "Sau khóa" in texts_to(telegram, 7101))
    assert texts_to(telegram, 7101) == ["Giữa khóa", "Sau khóa"]  # sent once, marked later
    assert (await status_of(bot, "locked"))[0] == "sent"


class FullDisk(OutboxRepository):
    """The real repository, on a disk that is full for the first ``reads`` reads of due rows
    and the first ``marks`` "sent" marks."""

    def __init__(self, repo: OutboxRepository, reads: int, marks: int) -> None:
        super().__init__(repo._db)
        self.reads, self.marks = reads, marks

    async def due(
        self, channel: str, now: datetime, skip: Collection[str] = (), limit: int = 500
    ) -> list[OutboxRow]:
        if self.reads > 0:
            self.reads -= 1
            raise sqlite3.OperationalError("database or disk is full")
        return await super().due(channel, now, skip, limit)

    async def mark_sent(self, row_ids: Sequence[int], message_id: str, now: datetime) -> None:
        if self.marks > 0:
            self.marks -= 1
            raise sqlite3.OperationalError("database or disk is full")
        await super().mark_sent(row_ids, message_id, now)


async def test_a_full_disk_restarts_the_loop_and_health_shows_it(
    bot: Harness, telegram: FakeTelegram
) -> None:
    app = bot.app
    assert app is not None and app.services is not None
    services = app.services
    sender = app.senders["telegram"]
    services.outbox.repo = FullDisk(services.outbox.repo, reads=3, marks=1)
    await services.outbox.enqueue("full", "telegram", "7201", Reply("Đĩa đầy"))
    await telegram.wait_sent(lambda sent: "Đĩa đầy" in texts_to(telegram, 7201))
    await until(lambda: sender.state is SenderState.RUNNING and sender.restarts == 3)
    assert "database or disk is full" in sender.last_error
    await services.outbox.enqueue("next", "telegram", "7201", Reply("Tiếp"))
    await telegram.wait_sent(lambda sent: "Tiếp" in texts_to(telegram, 7201))
    assert texts_to(telegram, 7201) == ["Đĩa đầy", "Tiếp"]
    code, body = await health(bot)
    assert code == 200 and body["senders"]["telegram"]["restarts"] == 3


async def test_health_is_503_when_the_sender_stopped_or_a_row_waited_too_long(
    bot: Harness, telegram: FakeTelegram
) -> None:
    app = bot.app
    assert app is not None and app.services is not None
    services = app.services
    telegram.blocked.add(7301)  # keeps nothing pending: a blocked chat closes its row
    await services.outbox.enqueue(
        "old", "telegram", "7302", Reply("Cũ"), not_before=bot.clock.now()
    )
    await telegram.wait_sent(lambda sent: "Cũ" in texts_to(telegram, 7302))
    async with asyncio.timeout(10):  # the sender marks the row sent just after the send
        while (answer := await health(bot))[1]["outbox"]["pending"]:
            await asyncio.sleep(0.01)
    code, body = answer
    assert code == 200 and body["outbox"] == {"pending": 0, "oldest_pending_seconds": 0}

    app.senders["telegram"].stop()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(app._tasks[0]), 5)
    due = bot.clock.now()
    await services.outbox.enqueue("stuck", "telegram", "7302", Reply("Kẹt"), not_before=due)
    bot.clock.advance(timedelta(minutes=20))
    code, body = await health(bot)
    assert code == 503
    assert body["senders"]["telegram"]["state"] == "stopped"
    assert body["outbox"] == {"pending": 1, "oldest_pending_seconds": 1200}
    assert body["problems"] == [
        "sender telegram is stopped",
        "a due message has waited 1200 s (limit 900 s)",
    ]


async def test_a_chat_being_answered_gets_its_queued_messages_after_the_answer(
    bot: Harness, telegram: FakeTelegram
) -> None:
    """What an event queues for its own chat (the ranking a chair publishes, to the chair too)
    never overtakes the event's direct answer; other chats are not held up meanwhile."""
    app = bot.app
    assert app is not None and app.services is not None
    outbox = app.services.outbox
    with outbox.answering("telegram", "7201"):
        await outbox.enqueue("queued", "telegram", "7201", Reply("Bảng xếp hạng"))
        await outbox.enqueue("other", "telegram", "7202", Reply("Chat khác"))
        await telegram.wait_sent(lambda sent: "Chat khác" in texts_to(telegram, 7202))
        assert texts_to(telegram, 7201) == []  # passed over: its chat is being answered
        await app.channels[0].send("7201", Reply("Đang gửi tới 5 cuộc trò chuyện."))
    await telegram.wait_sent(lambda sent: "Bảng xếp hạng" in texts_to(telegram, 7201))
    assert texts_to(telegram, 7201) == ["Đang gửi tới 5 cuộc trò chuyện.", "Bảng xếp hạng"]
