"""Shared fixtures: settings in a temporary data folder, the fake Telegram server, the bot."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr

from bot.app import open_services
from bot.clock import FixedClock
from bot.config import BUNDLED_CLUSTER, Settings
from bot.fakes.telegram_server import FakeTelegram
from bot.fakes.zalo_server import FakeZalo
from bot.services.container import Services
from tests.harness import Harness
from tests.platforms import Platform, platform_settings

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

# A real installation starts with no cluster; the tests' bots start with the bundled one, as if
# the operator had set it (a test of the empty installation removes the setting).
os.environ.setdefault("CUMTHIDUA_CLUSTER_DIR", str(BUNDLED_CLUSTER))
# The tests see each of the chair's notices as a message of its own (on a fixed clock, gathered
# ones would wait for it to move); tests/e2e/test_gathered_notices.py sets the gathering.
os.environ.setdefault("CUMTHIDUA_NOTICE_GATHER_SECONDS", "0")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2022, 3, 15, 9, 0, tzinfo=HANOI))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", web_port=0)


@pytest.fixture
async def services(settings: Settings, clock: FixedClock) -> AsyncIterator[Services]:
    """The services of a fresh installation (the bundled cluster), without channels."""
    services = await open_services(settings, clock)
    yield services
    await services.db.close()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


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


@pytest.fixture(params=["telegram", "zalo"])
async def platform(
    request: pytest.FixtureRequest, settings: Settings, clock: FixedClock
) -> AsyncIterator[Platform]:
    """The bot on one channel, against that channel's fake server (each test runs on both)."""
    server = FakeTelegram() if request.param == "telegram" else FakeZalo()
    async with server:
        values = platform_settings(server)
        for key in ("telegram_token", "zalo_token"):
            if key in values:
                values[key] = SecretStr(values[key])
        harness = Harness(settings.model_copy(update=values), clock)
        await harness.start()
        yield Platform(request.param, harness, server)
        await harness.stop()
