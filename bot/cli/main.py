"""The ``cumthidua`` command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.cli.access import (
    audit,
    create_invitation,
    list_invitations,
    print_sheets,
    revoke_invitation,
)
from bot.cli.check import check_config
from bot.cli.clusters import (
    add_cluster_commands,
    add_year_options,
    change_year,
    import_cluster,
    list_clusters,
)
from bot.cli.documents import DOCUMENT_NAMES, write_document
from bot.cli.export import export_ranking, export_submissions
from bot.cli.maintenance import OPERATION_COMMANDS, add_operation_commands, run_operation
from bot.cli.plan import import_plan_file
from bot.cli.province import add_province_commands, import_province_file, write_template
from bot.cli.scoring import import_scoring_file, read_score_form, write_score_form
from bot.cluster_files import ClusterDataError, configured_folder, load_cluster_year
from bot.config import Settings
from bot.domain.access import Role
from bot.i18n import Translator, translator
from bot.logs import configure_logging, secrets_of
from bot.operations.maintenance import BackupError, NewerDatabaseError
from bot.texts.plan import plan_json, plan_table
from bot.usecases.cluster_years import UnreadableYear

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cumthidua", description="Bot Cụm thi đua")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the bot (refused when no token is set)")
    run.add_argument(
        "--demo", action="store_true", help="with no token, play the offline demonstration"
    )
    sub.add_parser("demo", help="the offline demonstration against local fake servers")
    sub.add_parser("check-config", help="validate settings and cluster data")
    plan = sub.add_parser("plan", help="the cluster's plan").add_subparsers(dest="plan_command")
    show = plan.add_parser("show", help="print the plan")
    show.add_argument("--json", action="store_true", help="print JSON")
    load = plan.add_parser("import", help="read the plan from a DOCX, PDF or text document")
    load.add_argument("file", type=Path)
    load.add_argument("--json", action="store_true", help="print what was read as JSON")
    load.add_argument("--dry-run", action="store_true", help="show it, change nothing")
    scoring = sub.add_parser("scoring", help="the scoring table and the units' score forms")
    scoring_sub = scoring.add_subparsers(dest="scoring_command")
    table = scoring_sub.add_parser(
        "import", help="read the province's scoring table from a DOCX, XLSX or PDF"
    )
    table.add_argument("file", type=Path)
    table.add_argument("--json", action="store_true", help="print what was read as JSON")
    table.add_argument("--dry-run", action="store_true", help="show it, change nothing")
    table.add_argument(
        "--apply", action="store_true", help="after a self-score: apply it as a new version"
    )
    add_year_options(table)
    form = scoring_sub.add_parser("form", help="write a unit's score form (.xlsx)")
    form.add_argument("--unit", required=True, help="the unit's code")
    form.add_argument("--out", required=True, type=Path, help="the .xlsx file to write")
    add_year_options(form)
    read = scoring_sub.add_parser("read", help="read a filled score form (.xlsx)")
    read.add_argument("file", type=Path)
    read.add_argument("--unit", help="read it into this unit's last sent self-score")
    read.add_argument("--json", action="store_true", help="print JSON")
    add_year_options(read)
    admin = sub.add_parser("admin", help="administrators").add_subparsers(dest="admin_command")
    admin.add_parser("add", help="print a one-time code that makes its sender an admin")
    invite = sub.add_parser("invite", help="invitations").add_subparsers(dest="invite_command")
    create = invite.add_parser("create", help="print a one-time invitation code")
    create.add_argument("--unit", help="unit code or name (not needed for observers)")
    create.add_argument(
        "--role", choices=["member", "chair", "observer", "province"], help="default: by unit"
    )
    create.add_argument("--cluster", help="the cluster's key (see `cumthidua cluster list`)")
    sheets = invite.add_parser(
        "sheets", help="printable invitations (A4): per listed officer, per unit without one"
    )
    which = sheets.add_mutually_exclusive_group(required=True)
    which.add_argument("--cluster", help="the cluster's key (see `cumthidua cluster list`)")
    which.add_argument("--all", action="store_true", help="every cluster's open year")
    sheets.add_argument("--out", required=True, type=Path, help="the .docx file to write")
    listing = invite.add_parser("list", help="the invitations not used, withdrawn or expired")
    listing.add_argument("--cluster", help="only this cluster's")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    withdraw = invite.add_parser("revoke", help="withdraw an unused invitation")
    withdraw.add_argument("invitation", help="its code, or its number (see `invite list`)")
    export = sub.add_parser("export", help="export data").add_subparsers(dest="export_command")
    submissions = export.add_parser("submissions", help="latest report files + manifest.csv")
    submissions.add_argument("--out", required=True, type=Path, help="folder to write")
    add_year_options(submissions)
    ranking = export.add_parser("ranking", help="the ranking workbook (.xlsx)")
    ranking.add_argument("--out", required=True, type=Path, help="file to write")
    add_year_options(ranking)
    document = sub.add_parser("document", help="an official document: DOCX draft (and PDF)")
    document.add_argument("name", choices=DOCUMENT_NAMES)
    document.add_argument("--out", required=True, type=Path, help="the .docx file to write")
    add_year_options(document)
    add_cluster_commands(sub)
    add_province_commands(sub)
    audit = sub.add_parser("audit", help="print the audit log")
    audit.add_argument("--json", action="store_true", help="one JSON object per line")
    add_operation_commands(sub)
    return parser


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors():
            field = "CUMTHIDUA_" + "_".join(str(p) for p in error["loc"]).upper()
            print(f"configuration: {field}: {error['msg']}", file=sys.stderr)
        raise SystemExit(2) from None


async def _scoring(settings: Settings, args: argparse.Namespace, _: Translator) -> int:
    where = {"cluster": args.cluster, "year": args.year} if args.scoring_command else {}
    if args.scoring_command == "import":
        return await import_scoring_file(
            settings,
            args.file,
            _,
            **where,
            as_json=args.json,
            dry_run=args.dry_run,
            confirmed=args.apply,
        )
    if args.scoring_command == "form":
        return await write_score_form(settings, args.unit, args.out, _, **where)
    if args.scoring_command == "read":
        return await read_score_form(settings, args.file, _, args.unit, args.json, **where)
    print("cumthidua scoring import|form|read --help", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    settings = _settings()
    configure_logging(settings.log_level, secrets_of(settings), settings.log_format == "json")
    _ = translator(settings.default_language)
    try:
        if command in OPERATION_COMMANDS:
            return run_operation(args, settings, _)
        if command == "check-config":
            return asyncio.run(check_config(settings, _))
        if command == "plan" and args.plan_command == "import":
            return asyncio.run(import_plan_file(settings, args.file, args.json, args.dry_run, _))
        if command == "plan":
            year = load_cluster_year(configured_folder(settings.cluster_dir))
            if getattr(args, "json", False):
                print(json.dumps(plan_json(year), ensure_ascii=False, indent=2))
            else:
                print(plan_table(year, _))
            return 0
        if command == "scoring":
            return asyncio.run(_scoring(settings, args, _))
        if command == "admin":
            return asyncio.run(create_invitation(settings, None, Role.ADMIN, _))
        if command == "invite" and args.invite_command == "sheets":
            return asyncio.run(print_sheets(settings, args.cluster, args.out, _))
        if command == "invite" and args.invite_command == "list":
            return asyncio.run(list_invitations(settings, args.cluster, args.json, _))
        if command == "invite" and args.invite_command == "revoke":
            return asyncio.run(revoke_invitation(settings, args.invitation, _))
        if command == "invite":
            role = Role(args.role) if args.role else None
            return asyncio.run(create_invitation(settings, args.unit, role, _, args.cluster))
        if command == "export" and args.export_command == "submissions":
            return asyncio.run(export_submissions(settings, args.out, _, args.cluster, args.year))
        if command == "export" and args.export_command == "ranking":
            return asyncio.run(export_ranking(settings, args.out, _, args.cluster, args.year))
        if command == "document":
            return asyncio.run(
                write_document(settings, args.name, args.out, args.year, _, args.cluster)
            )
        if command == "cluster" and args.cluster_command == "import":
            return asyncio.run(import_cluster(settings, args.folder, args.dry_run, args.apply, _))
        if command == "cluster" and args.cluster_command in ("close", "remove", "chair"):
            return asyncio.run(
                change_year(
                    settings,
                    args.cluster_command,
                    args.key,
                    args.year,
                    getattr(args, "unit", None),
                    _,
                )
            )
        if command == "province" and args.province_command == "import":
            return asyncio.run(import_province_file(settings, args, _))
        if command == "province" and args.province_command == "template":
            return write_template(args.out, _)
        if command == "cluster":
            return asyncio.run(list_clusters(settings, _))
        if command == "audit":
            return asyncio.run(audit(settings, args.json))
        no_channel = settings.telegram_token is None and settings.zalo_token is None
        if command == "demo" or (no_channel and getattr(args, "demo", False)):
            from bot.cli.demo import run_demo

            return asyncio.run(run_demo(settings))
        if no_channel:  # a service without its token fails, so that it is seen (and restarted)
            print(
                _(
                    "No messaging channel is configured: set CUMTHIDUA_TELEGRAM_TOKEN or "
                    "CUMTHIDUA_ZALO_TOKEN (in the environment or in .env). For the offline "
                    "demonstration, run `cumthidua demo`."
                ),
                file=sys.stderr,
            )
            return 2
        from bot.app import BotApp

        asyncio.run(BotApp(settings).run_until_signalled())
        return 0
    except (ClusterDataError, NewerDatabaseError, BackupError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except UnreadableYear as exc:
        print(
            _(
                "The database's {cluster} {year} is not valid ({fields}): run "
                "`cumthidua check-config` to see what to put right."
            ).format(cluster=exc.key, year=exc.year, fields=exc.fields),
            file=sys.stderr,
        )
        return 2
