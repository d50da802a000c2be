"""``cumthidua plan import FILE [--json] [--dry-run]``."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app import installation
from bot.config import Settings
from bot.domain.file_types import UnsafeFile
from bot.domain.plan_documents import UnreadableDocument
from bot.i18n import Translator
from bot.services.file_checks import read_plan
from bot.texts.plan_preview import import_json, preview_text
from bot.usecases import plan_import

__all__ = ["import_plan_file"]


def _refuse(path: Path, reason: str, _: Translator) -> int:
    print(_("Cannot read {path}: {reason}").format(path=path, reason=reason))
    return 2


async def import_plan_file(
    settings: Settings, path: Path, as_json: bool, dry_run: bool, _: Translator
) -> int:
    limit = settings.max_file_mb
    try:
        if path.stat().st_size > limit * 2**20:
            return _refuse(path, _("larger than {limit} MB").format(limit=f"{limit:g}"), _)
        imported = await read_plan(settings, path.read_bytes())
    except UnsafeFile:
        return _refuse(path, _("it cannot be read safely"), _)
    except (OSError, UnreadableDocument) as exc:
        return _refuse(path, str(exc), _)
    async with installation(settings) as services:
        if as_json:
            data = import_json(imported, services.cluster_year)
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            print(preview_text(imported, services.cluster_year, _))
        if dry_run:
            return 0
        if imported.flagged:
            print(
                _(
                    "Not imported: fix the rows above in the document "
                    "(or in chat with /nhapkehoach)."
                )
            )
            return 2
        version = await plan_import.confirm(services, imported, None, path.name)
        print(
            _("Plan version {version} is confirmed: reminders follow it from now on.").format(
                version=version
            )
        )
        return 0
