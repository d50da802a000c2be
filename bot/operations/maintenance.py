"""The operator's maintenance of an installation, for the command line: a backup, a verified
restore, the schema's migrations."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.clock import SystemClock
from bot.config import Settings
from bot.operations.backups import backup_before_migrating
from storage.backup import BackupError, BackupInfo, create_backup, record_backup, restore_backup
from storage.database import (
    Database,
    NewerDatabaseError,
    known_migrations,
    pending_migrations,
    schema_version,
)

__all__ = [
    "BackupError",
    "BackupInfo",
    "NewerDatabaseError",
    "back_up",
    "migrate",
    "pending",
    "restore",
    "schema",
]


def back_up(settings: Settings, out: Path, now: datetime) -> BackupInfo:
    """One archive of the database and the stored files (safe while the bot runs)."""
    info = create_backup(settings.database_path, settings.files_dir, out, now)
    record_backup(settings.database_path, info)
    return info


def restore(archive: Path, data_dir: Path, force: bool) -> int:
    """Verify ``archive``, then restore it into ``data_dir``; returns the stored files written.
    Raises BackupError when refused."""
    return restore_backup(archive, data_dir, force)


def schema(settings: Settings) -> int:
    return schema_version(settings.database_path)


def pending(settings: Settings) -> list[str]:
    """The names of the migrations the database still needs."""
    return [name for _n, name, _sql in pending_migrations(schema(settings), known_migrations())]


async def migrate(settings: Settings) -> None:
    """Apply the pending migrations, with a backup taken first."""
    clock = SystemClock()
    db = await Database.open(
        settings.database_path,
        busy_timeout=settings.database_busy_seconds,
        before_migrating=backup_before_migrating(settings, clock),
    )
    await db.close()
