"""Operator commands: ``backup``, ``restore`` and ``migrate [--check]``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import Translator
from bot.operations import maintenance
from bot.operations.maintenance import BackupError, NewerDatabaseError

__all__ = ["OPERATION_COMMANDS", "add_operation_commands", "run_operation"]

OPERATION_COMMANDS = ("backup", "restore", "migrate")


def add_operation_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser("backup", help="write a backup archive (safe while the bot runs)")
    backup.add_argument("--out", required=True, type=Path, help="the archive to write (.tar)")
    restore = sub.add_parser("restore", help="verify a backup archive, then restore it")
    restore.add_argument("file", type=Path, help="the archive")
    restore.add_argument("--data-dir", required=True, type=Path, help="the folder to restore into")
    restore.add_argument(
        "--force", action="store_true", help="replace the database of a non-empty folder"
    )
    migrate = sub.add_parser("migrate", help="apply schema migrations (a backup is taken first)")
    migrate.add_argument("--check", action="store_true", help="only say which would run")


def run_operation(args: argparse.Namespace, settings: Settings, _: Translator) -> int:
    """Exit status: 0 done (or up to date), 1 refused or migrations pending (``--check``),
    2 the database is from a newer release."""
    try:
        if args.command == "backup":
            return _backup(settings, args.out, _)
        if args.command == "restore":
            count = maintenance.restore(args.file, args.data_dir, args.force)
            print(
                _("Restored {files} stored files and the database into {folder}.").format(
                    files=count, folder=args.data_dir
                )
            )
            return 0
        if args.check:
            return _check(settings, _)
        asyncio.run(maintenance.migrate(settings))
        print(
            _("The database is up to date (schema {version}).").format(
                version=maintenance.schema(settings)
            )
        )
        return 0
    except BackupError as exc:
        print(_("Refused: {reason}").format(reason=exc), file=sys.stderr)
        return 1
    except NewerDatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return 2


def _backup(settings: Settings, out: Path, _: Translator) -> int:
    info = maintenance.back_up(settings, out, SystemClock().now())
    print(
        _("Backup written: {path} ({files} stored files, {size} bytes).").format(
            path=info.path, files=info.files, size=info.size
        )
    )
    return 0


def _check(settings: Settings, _: Translator) -> int:
    current, pending = maintenance.schema(settings), maintenance.pending(settings)
    if not pending:
        print(_("The database is up to date (schema {version}).").format(version=current))
        return 0
    print(_("Schema {version}; these migrations would run:").format(version=current))
    for name in pending:
        print(f"  {name}")
    return 1
