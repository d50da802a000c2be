"""``cumthidua province import FILE`` and ``cumthidua province template --out FILE.xlsx``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.app import open_database
from bot.cli.clusters import add_guard_options, print_guarded
from bot.clock import SystemClock
from bot.config import Settings
from bot.domain.file_types import UnsafeFile
from bot.domain.plan_documents import UnreadableDocument
from bot.i18n import Translator
from bot.services.file_checks import read_province
from bot.texts.province import flag_text
from bot.usecases import province_import
from bot.usecases.cluster_years import Invalid, Verdict
from bot.usecases.province_import import Flagged, NeedsProvince

__all__ = ["add_province_commands", "import_province_file", "write_template"]


def add_province_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    province = sub.add_parser("province", help="the province's clusters, blocs and officers")
    commands = province.add_subparsers(dest="province_command")
    load = commands.add_parser(
        "import", help="read the province's decision (DOCX, PDF, text, XLSX) or its workbook"
    )
    load.add_argument("file", type=Path)
    load.add_argument("--year", type=int, help="the year of its clusters (default: this year)")
    load.add_argument("--province", help="the province (default: the installation's)")
    load.add_argument("--json", action="store_true", help="print what was read, write nothing")
    add_guard_options(load)
    template = commands.add_parser("template", help="write the workbook a province fills in")
    template.add_argument("--out", required=True, type=Path, help="the .xlsx file to write")


def _refuse(path: Path, reason: str, _: Translator) -> int:
    print(_("Cannot read {path}: {reason}").format(path=path, reason=reason))
    return 2


async def import_province_file(settings: Settings, args: argparse.Namespace, _: Translator) -> int:
    path: Path = args.file
    limit = settings.max_file_mb
    try:
        if path.stat().st_size > limit * 2**20:
            return _refuse(path, _("larger than {limit} MB").format(limit=f"{limit:g}"), _)
        read = await read_province(settings, path.read_bytes())
    except UnsafeFile:
        return _refuse(path, _("it cannot be read safely"), _)
    except (OSError, UnreadableDocument) as exc:
        return _refuse(path, str(exc), _)
    if args.json:
        decision = getattr(read, "decision", read)
        print(json.dumps(decision.as_json(), ensure_ascii=False, indent=2))
        return 0
    clock = SystemClock()
    db = await open_database(settings, clock)
    try:
        done = await province_import.import_province(
            db,
            read,
            args.year or clock.now().year,
            args.province,
            clock.now(),
            args.dry_run,
            args.apply,
            path.name,
        )
    finally:
        await db.close()
    if isinstance(done, Flagged):
        for flag in done.flags:
            print(flag_text(flag, _))
        print(_("Nothing was imported: put the lines above right in the document first."))
        return 2
    if isinstance(done, NeedsProvince):
        known = ", ".join(done.known) or _("none yet")
        print(
            _("Say which province with --province NAME (the installation has: {known}).").format(
                known=known
            )
        )
        return 2
    if isinstance(done, Invalid):
        print(_("Not changed: {reason}").format(reason=done.message))
        return 2
    status = print_guarded(done.outcome, _)
    if done.officers and done.outcome.verdict is Verdict.APPLIED:
        print(
            _("{count} officers listed: an invitation can be made for each.").format(
                count=done.officers
            )
        )
    return status


def write_template(out: Path, _: Translator) -> int:
    out.write_bytes(province_import.template())
    print(
        _("Wrote {path}: fill it in, then run cumthidua province import {path}.").format(path=out)
    )
    return 0
