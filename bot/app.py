"""The composition root: builds storage, services, the router and the channels, and runs them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import timedelta

from bot.channels.base import Channel
from bot.channels.telegram import TelegramChannel
from bot.clock import Clock, SystemClock
from bot.cluster_files import load_cluster_year
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.i18n import translator
from bot.router import Router
from bot.services import Services
from handlers.basics import basics_router
from storage.conversations import ConversationRepository
from storage.database import Database
from storage.files import FileStore
from storage.options import OptionRepository
from storage.preferences import MetaRepository, PreferenceRepository

__all__ = ["BotApp", "build_router", "open_services"]

log = logging.getLogger(__name__)


def build_router() -> Router:
    router = Router("cumthidua")
    for part in (basics_router,):
        router.include(part)
    return router


async def open_services(settings: Settings, clock: Clock) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = await Database.open(settings.database_path)
    return Services(
        settings=settings,
        clock=clock,
        cluster_year=load_cluster_year(settings.cluster_dir),
        db=db,
        conversations=ConversationRepository(db),
        options=OptionRepository(db, timedelta(days=settings.option_lifetime_days)),
        preferences=PreferenceRepository(db),
        meta=MetaRepository(db),
        files=FileStore(db, settings.files_dir),
    )


class BotApp:
    """The running bot: services, dispatcher and every configured channel."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.services: Services | None = None
        self.dispatcher: Dispatcher | None = None
        self.channels: list[Channel] = []

    async def start(self) -> None:
        self.services = await open_services(self.settings, self.clock)
        self.dispatcher = Dispatcher(self.services, build_router())
        self.channels = self._channels(self.dispatcher.router)
        for channel in self.channels:
            await channel.start(self.dispatcher.handle)
        log.info("bot started with channels: %s", ", ".join(c.name for c in self.channels))

    def _channels(self, router: Router) -> list[Channel]:
        settings = self.settings
        channels: list[Channel] = []
        if settings.telegram_token is not None:
            _ = translator(settings.default_language)
            commands = [(name, _(description)) for name, description, _access in router.menu]
            channels.append(
                TelegramChannel(
                    token=settings.telegram_token.get_secret_value(),
                    base_url=settings.telegram_base_url,
                    file_url=settings.telegram_file_url,
                    poll_timeout=settings.telegram_poll_timeout,
                    commands=commands,
                    on_started=self._remember_username,
                )
            )
        return channels

    async def _remember_username(self, username: str) -> None:
        assert self.services is not None
        await self.services.meta.set("telegram.username", username)

    async def stop(self) -> None:
        for channel in reversed(self.channels):
            with contextlib.suppress(Exception):
                await channel.stop()
        self.channels = []
        if self.services is not None:
            await self.services.db.close()
            self.services = None

    async def run_until_signalled(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()
