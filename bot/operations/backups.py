"""Backups taken by the bot itself: before schema migrations and nightly (when configured)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import Settings
from storage.backup import BackupInfo, create_backup, prune_backups, record_backup
from storage.database import BeforeMigrating, Migration

__all__ = ["NightlyBackup", "backup_before_migrating", "take_backup"]

log = logging.getLogger(__name__)


async def take_backup(settings: Settings, out: Path, now: datetime) -> BackupInfo:
    """One archive of the installation (in a thread: the event loop keeps serving)."""
    info = await asyncio.to_thread(
        create_backup, settings.database_path, settings.files_dir, out, now
    )
    await asyncio.to_thread(record_backup, settings.database_path, info)
    log.info("backup written: %s (%d files, %d bytes)", info.path, info.files, info.size)
    return info


def backup_before_migrating(settings: Settings, clock: Clock) -> BeforeMigrating:
    """The hook :meth:`storage.database.Database.open` calls before it migrates."""

    async def hook(current: int, pending: list[Migration]) -> None:
        now = clock.now()
        target = pending[-1][0]
        name = f"pre-migration-{current:03d}-to-{target:03d}-{now:%Y%m%d-%H%M%S}.tar"
        log.info("schema %d → %d: taking a backup first", current, target)
        await take_backup(settings, settings.upgrade_backup_dir / name, now)

    return hook


class NightlyBackup:
    """Due once a local day from ``backup_hour``; keeps the newest ``backup_keep`` archives.
    Run it often (every few minutes): a run finds whether today's archive exists and does
    nothing if so."""

    def __init__(self, settings: Settings, clock: Clock, timezone: str) -> None:
        if settings.backup_dir is None:
            raise ValueError("nightly backups need CUMTHIDUA_BACKUP_DIR")
        self._settings = settings
        self._folder = settings.backup_dir
        self._clock = clock
        self._zone = ZoneInfo(timezone)

    async def tick(self) -> BackupInfo | None:
        settings, folder = self._settings, self._folder
        now = self._clock.now()
        local = now.astimezone(self._zone)
        if local.hour < settings.backup_hour or any(folder.glob(f"cumthidua-{local:%Y%m%d}-*.tar")):
            return None
        info = await take_backup(settings, folder / f"cumthidua-{local:%Y%m%d-%H%M%S}.tar", now)
        for gone in prune_backups(folder, settings.backup_keep):
            log.info("old backup removed: %s", gone.name)
        return info
