"""Crash safety: the bot runs as a separate process and is killed with SIGKILL in the middle of
a fan-out; after a restart every message is delivered, and at most those under way (one per
chat) twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from pathlib import Path

from bot.app import open_services
from bot.clock import SystemClock
from bot.config import Settings
from bot.delivery.sender import Pacing
from bot.domain.messages import Reply
from bot.fakes.telegram_server import FakeTelegram, Sent

MESSAGES = 300
CHATS = 100


def _texts(sent: list[Sent]) -> Counter[str]:
    return Counter(s.text for s in sent if s.method == "sendMessage" and s.text.startswith("fan-"))


async def _spawn(telegram: FakeTelegram, data: Path) -> asyncio.subprocess.Process:
    env = os.environ | {
        "CUMTHIDUA_TELEGRAM_TOKEN": telegram.token,
        "CUMTHIDUA_TELEGRAM_BASE_URL": telegram.base_url,
        "CUMTHIDUA_TELEGRAM_FILE_URL": telegram.file_url,
        "CUMTHIDUA_TELEGRAM_POLL_TIMEOUT": "1",
        "CUMTHIDUA_DATA_DIR": str(data),
        "CUMTHIDUA_SEND_PER_SECOND": "150",
        "CUMTHIDUA_SEND_CHAT_INTERVAL": "0.2",
        "CUMTHIDUA_LOG_LEVEL": "WARNING",
        "CUMTHIDUA_WEB_PORT": "0",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, stdin=asyncio.subprocess.DEVNULL
    )


async def test_sigkill_during_a_fan_out_loses_nothing(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    services = await open_services(Settings(_env_file=None, data_dir=data), SystemClock())
    for n in range(MESSAGES):
        chat = str(5000 + n % CHATS)
        await services.outbox.enqueue(f"fan:{n}", "telegram", chat, Reply(f"fan-{n:03d}"))
    await services.db.close()

    first = await _spawn(telegram, data)
    await telegram.wait_sent(lambda sent: len(_texts(sent)) >= MESSAGES // 3)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    delivered_before_restart = len(_texts(telegram.sent))
    assert delivered_before_restart < MESSAGES, "the kill came too late to test anything"

    second = await _spawn(telegram, data)
    try:
        await telegram.wait_sent(lambda sent: len(_texts(sent)) == MESSAGES, timeout=60)
    finally:
        second.send_signal(signal.SIGTERM)
        await second.wait()
    counts = _texts(telegram.sent)
    assert set(counts) == {f"fan-{n:03d}" for n in range(MESSAGES)}
    twice = [text for text, count in counts.items() if count == 2]
    assert sum(counts.values()) - len(counts) == len(twice) <= Pacing().in_flight
    duplicates = [int(text[4:]) for text in twice]
    assert len({n % CHATS for n in duplicates}) == len(duplicates)  # never two to one chat
    assert second.returncode == 0  # SIGTERM is a clean stop
