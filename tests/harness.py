"""Starting, stopping and restarting the real bot in tests."""

from __future__ import annotations

from bot.app import BotApp
from bot.clock import FixedClock
from bot.config import Settings


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
