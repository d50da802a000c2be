from __future__ import annotations

import pytest

from bot.app import build_router
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services


@pytest.fixture
def dispatcher(services: Services) -> Dispatcher:
    return Dispatcher(services, build_router())
