"""The bot on one channel and its fake server, for tests that run on both channels."""

from __future__ import annotations

from dataclasses import dataclass

from bot.fakes.demo_people import Person, person_on, platform_settings
from bot.fakes.telegram_server import FakeTelegram
from bot.fakes.zalo_server import FakeZalo
from tests.harness import Harness

__all__ = ["Person", "Platform", "platform_settings"]


@dataclass
class Platform:
    name: str
    harness: Harness
    server: FakeTelegram | FakeZalo

    def person(self, number: int, name: str) -> Person:
        return person_on(self.server, number, name)
