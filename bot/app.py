"""The composition root: builds storage, services, the router and the channels, and runs them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from bot.channels.base import Channel
from bot.channels.counted_zalo import CountedZaloClient
from bot.channels.downloads import DownloadAllowance
from bot.channels.telegram import OnStarted, TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_client import ZaloClient
from bot.clock import Clock, SystemClock
from bot.cluster_files import NoClusterError
from bot.config import Settings
from bot.delivery.answers import answer_events
from bot.delivery.outbox import Outbox
from bot.delivery.reachability import mark_unreachable
from bot.delivery.sender import Pacing, Sender
from bot.delivery.zalo_quota import ZaloQuota, zalo_bot_id
from bot.domain.access import Actor
from bot.domain.messages import Attachment, Inbound, Reply
from bot.engine.dispatcher import Dispatcher
from bot.engine.flood import FloodGuard, FloodLimits
from bot.engine.router import Router
from bot.i18n import N_, translator
from bot.operations.backups import NightlyBackup, backup_before_migrating
from bot.operations.metrics import Metrics
from bot.operations.probe import OperationsProbe
from bot.operations.retention import Retention, retention_periods
from bot.scheduler import PeriodicJobs
from bot.services.announcement_progress import AnnouncementTracker
from bot.services.container import Services, year_repositories
from bot.services.file_checks import retire_idle_workers, start_file_checks
from bot.services.reminders import ReminderTicker
from bot.services.years import YearRegistry, ensure_years
from bot.usecases.one_time_links import attachment_url
from bot.web.server import WebServer
from handlers.announcements import announcements_router
from handlers.basics import basics_router
from handlers.deadlines import deadlines_router
from handlers.documents import documents_router
from handlers.handover import handover_router
from handlers.inspection import inspection_router
from handlers.invitations import invitations_router
from handlers.membership import membership_router
from handlers.nudges import nudges_router
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
from handlers.scoring_import import scoring_import_router
from handlers.voting import voting_router
from handlers.web_access import web_access_router
from storage.audit import AuditLog
from storage.ballot_seals import BallotSeals
from storage.clusters import ClusterRepository
from storage.conversations import ConversationRepository
from storage.database import Database
from storage.files import FileStore
from storage.options import OptionRepository
from storage.outbox import OutboxRepository, OutboxRow
from storage.preferences import MetaRepository, PreferenceRepository
from storage.seen_updates import SeenUpdates

__all__ = ["BotApp", "build_router", "installation", "open_database", "open_services"]

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 15
"""How long a stopping sender may take to finish the message in flight."""
NO_CLUSTER = N_(
    "This bot is not set up yet: it has no cluster. Its administrator imports the province's "
    "clusters on the server with `cumthidua province import FILE` (or one cluster with "
    "`cumthidua cluster import FOLDER`), then restarts the bot."
)


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
        scoring_import_router,
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
        nudges_router,
    ):
        router.include(part)
    return router


@contextlib.asynccontextmanager
async def installation(settings: Settings) -> AsyncIterator[Services]:
    """The services of an installation for one command-line task, the database closed after."""
    services = await open_services(settings, SystemClock())
    try:
        yield services
    finally:
        await services.db.close()


async def open_database(settings: Settings, clock: Clock, first_start: bool = True) -> Database:
    """Open the database, migrating it (after a backup) and importing the configured cluster
    folder, if any, on the first start (unless ``first_start`` is False: only checking)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = await Database.open(
        settings.database_path,
        busy_timeout=settings.database_busy_seconds,
        before_migrating=backup_before_migrating(settings, clock),
    )
    try:
        if first_start:
            await ensure_years(db, settings.cluster_dir, clock.now())
    except BaseException:
        await db.close()
        raise
    return db


async def open_services(settings: Settings, clock: Clock) -> Services:
    """Open the database and build the services, bound to the first cluster's current year;
    raises :class:`NoClusterError` when the installation has no cluster yet."""
    db = await open_database(settings, clock)
    try:
        years = YearRegistry(ClusterRepository(db))
        await years.load()
        if not years.clusters():
            raise NoClusterError()
    except BaseException:
        await db.close()
        raise
    files = FileStore(db, settings.files_dir)
    seals = BallotSeals(settings.seals_dir)
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
        seals=seals,
        audit=AuditLog(db),
        outbox=Outbox(OutboxRepository(db), files, clock, _gathering(settings)),
        years=years,
        **year_repositories(db, year, seals),
    )
    years.scoped[year.id] = services
    return services


def _gathering(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.notice_gather_seconds)


def _telegram(
    settings: Settings,
    commands: list[tuple[str, str]],
    downloads: DownloadAllowance,
    on_started: OnStarted | None,
) -> TelegramChannel:
    assert settings.telegram_token is not None
    return TelegramChannel(
        token=settings.telegram_token.get_secret_value(),
        base_url=settings.telegram_base_url,
        file_url=settings.telegram_file_url,
        poll_timeout=settings.telegram_poll_timeout,
        timeout=settings.telegram_timeout,
        commands=commands,
        downloads=downloads,
        on_started=on_started,
    )


@dataclass(frozen=True, slots=True)
class _ZaloDeliveries:
    """Zalo's deliveries, kept in ``seen_updates``."""

    seen: SeenUpdates
    clock: Clock

    async def receive(self, key: str, payload: str) -> bool:
        return await self.seen.receive("zalo", key, payload, self.clock.now())

    async def handled(self, key: str) -> None:
        await self.seen.handled("zalo", key)

    async def unhandled(self) -> list[str]:
        return await self.seen.unhandled("zalo")


async def _no_files(_chat_id: str, _attachment: Attachment) -> str:
    raise RuntimeError("a bot without a cluster sends no files")


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
        self._waiting_db: Database | None = None
        """The database of a bot that has no cluster yet (see :meth:`_start_without_cluster`)."""
        self.downloads = DownloadAllowance(int(settings.chat_downloads_mb * 2**20))
        """The chat files held in memory at once, over every channel."""

    async def start(self) -> None:
        try:
            services = self.services = await open_services(self.settings, self.clock)
        except NoClusterError as exc:
            await self._start_without_cluster(exc)
            return
        if swept := services.files.sweep_incoming():
            log.info("removed %d partial files a stopped process left in the file store", swept)
        start_file_checks()
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
            self.metrics.counted(self.dispatcher.handle),
            services,
            self._flood_limits(),
            self._identify,
        )
        await services.outbox.release_journal()  # copies a dead process left unsettled
        for channel in self.channels:
            await channel.start(answer_events(channel, self.flood, services.outbox))
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
        # an import on the command line (another process) is served within one tick
        self.jobs.every(self.settings.reminder_tick_seconds, "clusters", services.years.refresh)
        tracker = AnnouncementTracker(services, {c.name: c for c in self.channels})
        self.jobs.every(self.settings.progress_tick_seconds, "announcements", tracker.tick)
        self.jobs.every(3600, "ballot-seals", services.ballots.sweep_seals)
        if self.settings.backup_dir is not None:
            nightly = NightlyBackup(
                self.settings, self.clock, services.cluster_year.cluster.timezone
            )
            self.jobs.every(600, "nightly-backup", nightly.tick)
        retention = Retention(services.db, self.clock, retention_periods(self.settings))
        # not at the start: a restart on a busy day is not the time to delete in bulk
        self.jobs.every(3600, "retention", retention.prune, first_after=600)
        self.jobs.start()
        log.info("bot started with channels: %s", ", ".join(c.name for c in self.channels))

    async def _start_without_cluster(self, reason: NoClusterError) -> None:
        """No cluster to serve (the demo's never comes into a real installation): say how to
        import one in the log, and through the outbox to whoever writes (the administrators
        setting the bot up). Only the chat channels (Zalo by polling) and their senders run;
        an imported cluster is served from the next start."""
        log.warning("bot started without a cluster: %s, then restart the bot", reason)
        settings, clock = self.settings, self.clock
        db = self._waiting_db = await open_database(settings, clock)
        files = FileStore(db, settings.files_dir)
        outbox = Outbox(OutboxRepository(db), files, clock, _gathering(settings))
        preferences = PreferenceRepository(db, settings.cache_entries)

        async def tell(inbound: Inbound) -> list[Reply]:
            language = (
                await preferences.language(inbound.channel, inbound.user_id)
                or settings.default_language
            )
            key = f"no-cluster:{inbound.channel}:{inbound.chat_id}:{inbound.message_id}"
            notice = Reply(translator(language)(NO_CLUSTER))
            await outbox.enqueue(key, inbound.channel, inbound.chat_id, notice)
            return []

        async def as_is(
            _channel: str, _chat: str, replies: list[Reply], _user: str = ""
        ) -> list[Reply]:
            return replies  # a notice has no options to tokenise

        async def unreachable(row: OutboxRow) -> None:
            log.info("%s chat %s blocked the bot", row.channel, row.chat_id)

        self.channels = (
            [_telegram(settings, [], self.downloads, None)] if settings.telegram_token else []
        )
        if settings.zalo_token is not None and settings.zalo_mode == "polling":
            client = ZaloClient(
                settings.zalo_token.get_secret_value(),
                settings.zalo_base_url,
                settings.telegram_timeout,
            )
            self.channels.append(
                ZaloChannel(
                    client,
                    settings.zalo_poll_timeout,
                    _no_files,
                    translator(settings.default_language),
                    _ZaloDeliveries(SeenUpdates(db), clock),
                    self.downloads,
                )
            )
        for channel in self.channels:
            await channel.start(answer_events(channel, tell, outbox))
            sender = Sender(channel, outbox, files, clock, as_is, self._pacing(), unreachable)
            self.senders[channel.name] = sender
            self._tasks.append(asyncio.create_task(sender.run(), name=f"sender-{channel.name}"))

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
            stranger_burst=s.flood_stranger_burst,
            stranger_per_minute=s.flood_stranger_per_minute,
            strangers_per_minute=s.flood_strangers_per_minute,
            strangers_burst=s.flood_strangers_burst,
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
            channels.append(_telegram(settings, commands, self.downloads, self._remember_username))
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
        assert self._seen is not None
        channel = ZaloChannel(
            client,
            settings.zalo_poll_timeout,
            publish,
            translator(settings.default_language),
            _ZaloDeliveries(self._seen, self.clock),
            self.downloads,
            webhook,
        )
        if webhook is not None:
            web.accept_zalo_webhook(webhook[1], channel.handle_webhook)
        return channel

    async def _remember_username(self, username: str) -> None:
        assert self.services is not None
        await self.services.meta.set("telegram.username", username)

    async def delivered_all(self) -> bool:
        """Nothing in the outbox is due now (the demo waits for this before it reads on)."""
        assert self.services is not None
        return not await self.services.outbox.repo.pending(self.clock.now())

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
        retire_idle_workers()
        if self.services is not None:
            await self.services.db.close()
            self.services = None
        if self._waiting_db is not None:
            await self._waiting_db.close()
            self._waiting_db = None

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
