from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import build_router, open_services
from bot.clock import FixedClock
from bot.config import Settings
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services


@pytest.fixture
async def services(settings: Settings, clock: FixedClock) -> AsyncIterator[Services]:
    services = await open_services(settings, clock)
    yield services
    await services.db.close()


@pytest.fixture
def dispatcher(services: Services) -> Dispatcher:
    return Dispatcher(services, build_router())
