"""The composition root: builds storage, services, the router and the channels, and runs them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import timedelta

from bot.channels.base import Channel
from bot.channels.counted_zalo import CountedZaloClient
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.delivery.outbox import Outbox
from bot.delivery.reachability import mark_unreachable
from bot.delivery.sender import Pacing, Sender
from bot.delivery.zalo_quota import ZaloQuota, zalo_bot_id
from bot.domain.access import Actor
from bot.domain.messages import Attachment, Inbound
from bot.engine.dispatcher import Dispatcher
from bot.engine.flood import FloodGuard, FloodLimits
from bot.engine.router import Router
from bot.i18n import translator
from bot.operations.backups import NightlyBackup, backup_before_migrating
from bot.operations.metrics import Metrics
from bot.operations.probe import OperationsProbe
from bot.scheduler import PeriodicJobs
from bot.services.announcing import AnnouncementTracker
from bot.services.container import Services, year_repositories
from bot.services.links import attachment_url
from bot.services.reminders import ReminderTicker
from bot.services.years import YearRegistry, ensure_years
from bot.web.server import WebServer
from handlers.announcements import announcements_router
from handlers.basics import basics_router
from handlers.deadlines import deadlines_router
from handlers.documents import documents_router
from handlers.handover import handover_router
from handlers.inspection import inspection_router
from handlers.invitations import invitations_router
from handlers.membership import membership_router
from handlers.officer_list import people_router
from handlers.operator_page import operations_router
from handlers.pact import pact_router
from handlers.plan_import import plan_import_router
from handlers.province import province_router
from handlers.ranking import ranking_router
from handlers.registration import registration_router
from handlers.report_views import report_views_router
from handlers.reports import reports_router
from handlers.score_review import score_review_router
from handlers.scoring import scoring_router
from handlers.voting import voting_router
from handlers.web_access import web_access_router
from storage.audit import AuditLog
from storage.clusters import ClusterRepository
from storage.conversations import ConversationRepository
from storage.database import Database
from storage.files import FileStore
from storage.options import OptionRepository
from storage.outbox import OutboxRepository, OutboxRow
from storage.preferences import MetaRepository, PreferenceRepository
from storage.seen_updates import SeenUpdates

__all__ = ["BotApp", "build_router", "open_services"]

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 15
"""How long a stopping sender may take to finish the message in flight."""


def build_router() -> Router:
    router = Router("cumthidua")
    for part in (
        registration_router,
        basics_router,
        reports_router,
        report_views_router,
        deadlines_router,
        scoring_router,
        score_review_router,
        ranking_router,
        announcements_router,
        plan_import_router,
        handover_router,
        pact_router,
        voting_router,
        documents_router,
        inspection_router,
        province_router,
        invitations_router,
        people_router,
        membership_router,
        operations_router,
        web_access_router,
    ):
        router.include(part)
    return router


async def open_services(settings: Settings, clock: Clock) -> Services:
    """Open the database (migrating it, and importing the configured cluster folder on the
    first start) and build the services, bound to the first cluster's current year."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = await Database.open(
        settings.database_path,
        busy_timeout=settings.database_busy_seconds,
        before_migrating=backup_before_migrating(settings, clock),
    )
    try:
        await ensure_years(db, settings.cluster_dir, clock.now())
        years = YearRegistry(ClusterRepository(db))
        await years.load()
    except BaseException:
        await db.close()
        raise
    files = FileStore(db, settings.files_dir)
    year = years.default()
    services = Services(
        settings=settings,
        clock=clock,
        db=db,
        conversations=ConversationRepository(db, settings.cache_entries),
        options=OptionRepository(db, timedelta(days=settings.option_lifetime_days)),
        preferences=PreferenceRepository(db, settings.cache_entries),
        meta=MetaRepository(db),
        files=files,
        audit=AuditLog(db),
        outbox=Outbox(OutboxRepository(db), files, clock),
        years=years,
        **year_repositories(db, year),
    )
    years.scoped[year.id] = services
    return services


class BotApp:
    """The running bot: services, dispatcher, every configured channel and its sender."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.services: Services | None = None
        self.dispatcher: Dispatcher | None = None
        self.flood: FloodGuard | None = None
        self._seen: SeenUpdates | None = None
        self.channels: list[Channel] = []
        self.senders: dict[str, Sender] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self.jobs = PeriodicJobs()
        self.reminders: ReminderTicker | None = None
        self.web: WebServer | None = None
        self.zalo_quota: ZaloQuota | None = None
        self.metrics: Metrics | None = None

    async def start(self) -> None:
        services = self.services = await open_services(self.settings, self.clock)
        if self.settings.zalo_token is not None:
            bot_id = zalo_bot_id(self.settings.zalo_token.get_secret_value())
            self.zalo_quota = ZaloQuota(services, bot_id)
        probe = OperationsProbe(services, self.senders, self.clock.now(), self.zalo_quota)
        services.operations = probe
        self.web = WebServer(services)
        local_url = await self.web.start(self.settings.web_host, self.settings.web_port)
        services.web_url = (self.settings.public_base_url or local_url).rstrip("/")
        self.dispatcher = Dispatcher(services, build_router(), self._identify)
        self.metrics = Metrics(probe, self.dispatcher.handler_errors)
        self.web.watch(probe, self.metrics)
        self._seen = SeenUpdates(services.db)
        self.channels = self._channels(self.dispatcher.router)
        self.dispatcher.capabilities = {c.name: c.capabilities for c in self.channels}
        self.flood = FloodGuard(
            self.metrics.counted(self.dispatcher.handle), services, self._flood_limits()
        )
        await services.outbox.release_journal()  # copies a dead process left unsettled
        for channel in self.channels:
            await channel.start(self.flood, services.outbox)
            sender = Sender(
                channel,
                services.outbox,
                services.files,
                self.clock,
                self.dispatcher.tokenise,
                self._pacing(),
                self._on_blocked,
            )
            self.senders[channel.name] = sender
            self._tasks.append(asyncio.create_task(sender.run(), name=f"sender-{channel.name}"))
        await self.dispatcher.offer_interrupted_drafts(self.clock.now())
        self.reminders = ReminderTicker(
            services, timedelta(hours=self.settings.reminder_staleness_hours)
        )
        self.jobs.every(self.settings.reminder_tick_seconds, "reminders", self.reminders.tick)
        tracker = AnnouncementTracker(services, {c.name: c for c in self.channels})
        self.jobs.every(self.settings.progress_tick_seconds, "announcements", tracker.tick)
        self.jobs.every(3600, "expired-options", lambda: services.options.purge(self.clock.now()))
        if self.settings.backup_dir is not None:
            nightly = NightlyBackup(
                self.settings, self.clock, services.cluster_year.cluster.timezone
            )
            self.jobs.every(600, "nightly-backup", nightly.tick)
        seen = self._seen
        assert seen is not None
        self.jobs.every(3600, "seen-updates", lambda: seen.purge(self.clock.now()))
        self.jobs.start()
        log.info("bot started with channels: %s", ", ".join(c.name for c in self.channels))

    def _pacing(self) -> Pacing:
        s = self.settings
        return Pacing(
            per_second=s.send_per_second,
            chat_interval=s.send_chat_interval,
            group_interval=s.send_group_interval,
            max_attempts=s.send_max_attempts,
            backoff_base=s.send_backoff_seconds,
        )

    def _flood_limits(self) -> FloodLimits:
        s = self.settings
        return FloodLimits(
            burst=s.flood_burst,
            per_minute=s.flood_per_minute,
            chat_pending=s.flood_chat_pending,
            senders=s.cache_entries,
        )

    async def _identify(self, inbound: Inbound) -> Actor | None:
        assert self.services is not None
        return await self.services.officers.actor(
            inbound.channel, inbound.user_id, self.clock.now()
        )

    async def _on_blocked(self, row: OutboxRow) -> None:
        assert self.services is not None
        await mark_unreachable(self.services, row.channel, row.chat_id)

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
                    timeout=settings.telegram_timeout,
                    commands=commands,
                    on_started=self._remember_username,
                )
            )
        if settings.zalo_token is not None:
            channels.append(self._zalo(settings.zalo_token.get_secret_value()))
        return channels

    def _zalo(self, token: str) -> ZaloChannel:
        settings, services, web = self.settings, self.services, self.web
        assert services is not None and web is not None
        webhook = None
        if settings.zalo_mode == "webhook":
            if settings.zalo_webhook_secret is None:
                raise ValueError("CUMTHIDUA_ZALO_WEBHOOK_SECRET is needed in webhook mode")
            secret = settings.zalo_webhook_secret.get_secret_value()
            webhook = (f"{services.web_url}/zalo/webhook", secret)

        async def publish(chat_id: str, attachment: Attachment) -> str:
            return await attachment_url(services, "zalo", chat_id, attachment)

        assert self.zalo_quota is not None
        client = CountedZaloClient(
            token, settings.zalo_base_url, settings.telegram_timeout, self.zalo_quota.count_one
        )
        seen = self._seen
        assert seen is not None

        async def first_seen(key: str) -> bool:
            return await seen.first_time("zalo", key, self.clock.now())

        channel = ZaloChannel(
            client,
            settings.zalo_poll_timeout,
            publish,
            translator(settings.default_language),
            first_seen,
            webhook,
        )
        if webhook is not None:
            web.accept_zalo_webhook(webhook[1], channel.handle_webhook)
        return channel

    async def _remember_username(self, username: str) -> None:
        assert self.services is not None
        await self.services.meta.set("telegram.username", username)

    async def stop(self) -> None:
        await self.jobs.stop(STOP_GRACE_SECONDS)
        self.jobs = PeriodicJobs()
        for sender in self.senders.values():
            sender.stop()
        for task in self._tasks:
            try:
                await asyncio.wait_for(task, STOP_GRACE_SECONDS)
            except (TimeoutError, asyncio.CancelledError):
                log.warning("%s did not stop in time", task.get_name())
            except Exception:  # a stop never re-raises: the database below must be closed
                log.exception("%s ended with an error", task.get_name())
        self._tasks = []
        for channel in reversed(self.channels):
            with contextlib.suppress(Exception):
                await channel.stop()
        self.channels = []
        if self.web is not None:
            await self.web.stop()
            self.web = None
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
