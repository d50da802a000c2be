"""``cumthidua plan import FILE [--json] [--dry-run]``."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app import open_services
from bot.clock import SystemClock
from bot.config import Settings
from bot.domain.plan_documents import UnreadableDocument, read_plan_document
from bot.domain.plan_import import extract_plan
from bot.i18n import Translator
from bot.services.plan_review import confirm_import, import_json, preview_text

__all__ = ["import_plan_file"]


async def import_plan_file(
    settings: Settings, path: Path, as_json: bool, dry_run: bool, _: Translator
) -> int:
    try:
        imported = extract_plan(read_plan_document(path.read_bytes()))
    except (OSError, UnreadableDocument) as exc:
        print(_("Cannot read {path}: {reason}").format(path=path, reason=exc))
        return 2
    services = await open_services(settings, SystemClock())
    try:
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
        version = await confirm_import(services, imported, None, "cli", path.name)
        print(
            _("Plan version {version} is confirmed: reminders follow it from now on.").format(
                version=version
            )
        )
        return 0
    finally:
        await services.db.close()
