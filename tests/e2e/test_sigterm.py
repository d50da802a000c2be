"""SIGTERM stops the bot cleanly in the middle of a fan-out: it exits 0, every message that left
is marked sent and every other one is still pending, the database is closed (its WAL folded
back), and the next start delivers the rest with no message twice."""

from __future__ import annotations

import signal
import sqlite3
from collections import Counter
from pathlib import Path

from bot.app import open_services
from bot.clock import SystemClock
from bot.config import Settings
from bot.domain.messages import Reply
from bot.fakes.telegram_server import FakeTelegram, Sent
from tests.e2e.test_crash import _spawn

MESSAGES = 200
CHATS = 50


def _texts(sent: list[Sent]) -> Counter[str]:
    return Counter(s.text for s in sent if s.method == "sendMessage" and s.text.startswith("fan-"))


def _rows(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as conn:
        return dict(conn.execute("SELECT key, status FROM outbox WHERE key LIKE 'term:%'"))


async def test_sigterm_with_pending_messages_loses_and_repeats_nothing(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    settings = Settings(_env_file=None, data_dir=data)
    services = await open_services(settings, SystemClock())
    for n in range(MESSAGES):
        chat = str(6000 + n % CHATS)
        await services.outbox.enqueue(f"term:{n:03d}", "telegram", chat, Reply(f"fan-{n:03d}"))
    await services.db.close()

    first = await _spawn(telegram, data)
    await telegram.wait_sent(lambda sent: len(_texts(sent)) >= MESSAGES // 4)
    first.send_signal(signal.SIGTERM)
    assert await first.wait() == 0
    delivered = _texts(telegram.sent)
    assert not (data / "cumthidua.sqlite3-wal").exists(), "the database was not closed"
    rows = _rows(settings.database_path)
    sent = {key for key, status in rows.items() if status == "sent"}
    pending = {key for key, status in rows.items() if status == "pending"}
    assert sent | pending == set(rows) and len(rows) == MESSAGES
    assert pending, "the stop came too late to test anything"
    assert {f"fan-{key[5:]}" for key in sent} == set(delivered)  # what left is marked
    assert all(count == 1 for count in delivered.values())

    second = await _spawn(telegram, data)
    try:
        await telegram.wait_sent(lambda sent: len(_texts(sent)) == MESSAGES, timeout=60)
    finally:
        second.send_signal(signal.SIGTERM)
        assert await second.wait() == 0
    counts = _texts(telegram.sent)
    assert set(counts) == {f"fan-{n:03d}" for n in range(MESSAGES)}
    assert all(count == 1 for count in counts.values()), "a graceful stop repeats nothing"
    assert set(_rows(settings.database_path).values()) == {"sent"}
