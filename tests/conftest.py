"""Shared fixtures: settings in a temporary data folder, the fake Telegram server, the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr

from bot.app import BotApp
from bot.clock import FixedClock
from bot.config import Settings
from bot.fakes.telegram_server import FakeTelegram

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2022, 3, 15, 9, 0, tzinfo=HANOI))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", web_port=0)


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


class Harness:
    """Starts, stops and restarts the real bot against the fake server, keeping its data."""

    def __init__(self, settings: Settings, clock: FixedClock) -> None:
        self.settings = settings
        self.clock = clock
        self.app: BotApp | None = None

    async def start(self) -> BotApp:
        self.app = BotApp(self.settings, self.clock)
        await self.app.start()
        return self.app

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            self.app = None

    async def restart(self) -> BotApp:
        await self.stop()
        return await self.start()


@pytest.fixture
async def bot(
    settings: Settings, telegram: FakeTelegram, clock: FixedClock
) -> AsyncIterator[Harness]:
    connected = settings.model_copy(
        update={
            "telegram_token": SecretStr(telegram.token),
            "telegram_base_url": telegram.base_url,
            "telegram_file_url": telegram.file_url,
            "telegram_poll_timeout": 1,
        }
    )
    harness = Harness(connected, clock)
    await harness.start()
    yield harness
    await harness.stop()
