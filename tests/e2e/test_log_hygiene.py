"""At DEBUG, the logs of the whole stack (SQLite, python-telegram-bot, the bot's own) carry no
name and nothing a user wrote."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from bot.logs import configure_logging
from tests.harness import Harness
from tests.people import register

NAME = "Nguyễn Thị Bí Mật"
NOTE = "ghi chú riêng tư 4711"


@pytest.fixture
def debug_logs() -> Iterator[io.StringIO]:
    """The project's own logging set-up at DEBUG, written where the test reads it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    written = io.StringIO()
    configure_logging("DEBUG", [], stream=written)
    yield written
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_debug_logs_hold_no_personal_data(
    debug_logs: io.StringIO,
    settings: Settings,
    telegram: FakeTelegram,
    clock: FixedClock,
) -> None:
    harness = Harness(
        settings.model_copy(
            update={
                "telegram_token": SecretStr(telegram.token),
                "telegram_base_url": telegram.base_url,
                "telegram_file_url": telegram.file_url,
                "telegram_poll_timeout": 1,
                "log_level": "DEBUG",
            }
        ),
        clock,
    )
    app = await harness.start()
    try:
        user = telegram.user(4300, NAME)
        await register(app, user, "MA", Role.MEMBER)
        await user.ask(NOTE)
        await user.ask("/toi")
    finally:
        await harness.stop()
    logged = debug_logs.getvalue()
    assert logging.getLogger().getEffectiveLevel() == logging.DEBUG
    assert "bot started with channels: telegram" in logged  # the log was really written
    assert NAME not in logged and "Bí Mật" not in logged
    assert NOTE not in logged
