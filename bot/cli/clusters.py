"""``cumthidua cluster import FOLDER``, ``cluster list``, ``cluster close|remove|chair``;
choosing a cluster-year for the commands that take ``--cluster`` and ``--year``; saying what an
import changes (``--dry-run``, ``--apply``)."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import installation, open_database
from bot.clock import SystemClock
from bot.cluster_files import load_cluster_year
from bot.config import Settings
from bot.i18n import Translator
from bot.services.container import Services
from bot.texts.cluster_changes import changes_lines
from bot.texts.roles import Leader, title_of
from bot.usecases import cluster_years
from bot.usecases.cluster_years import (
    ChairRefused,
    Guarded,
    Invalid,
    NoSuchCluster,
    NoSuchYear,
    RemovalRefused,
    Verdict,
    YearLine,
)

__all__ = [
    "add_cluster_commands",
    "add_guard_options",
    "add_year_options",
    "change_year",
    "choose_year",
    "import_cluster",
    "list_clusters",
    "print_guarded",
    "year_services",
]


def add_guard_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would change, write nothing"
    )
    parser.add_argument(
        "--apply", action="store_true", help="confirm changes to data already installed"
    )


def add_cluster_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cluster = sub.add_parser("cluster", help="clusters and their years")
    commands = cluster.add_subparsers(dest="cluster_command")
    load = commands.add_parser("import", help="add or update a cluster-year from a folder")
    load.add_argument("folder", type=Path)
    add_guard_options(load)
    commands.add_parser("list", help="clusters, years, chairs and status")
    for name, text in (
        ("close", "close a cluster-year (it stays, read-only)"),
        ("remove", "remove a cluster-year that holds no work"),
        ("chair", "choose a cluster-year's chair unit"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("key", help="the cluster's key (see `cumthidua cluster list`)")
        command.add_argument("--year", type=int, required=True)
        if name == "chair":
            command.add_argument("--unit", required=True, help="the unit's code")


def add_year_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="the cluster-year (default: the current one)")
    parser.add_argument("--cluster", help="the cluster's key (see `cumthidua cluster list`)")


@asynccontextmanager
async def year_services(
    settings: Settings, cluster_key: str | None, year: int | None, _: Translator
) -> AsyncIterator[Services | None]:
    """The services of the cluster-year a command asks for (None, said why, when there is
    none), with the database closed afterwards."""
    async with installation(settings) as root:
        yield choose_year(root, cluster_key, year, _)


def choose_year(
    services: Services, cluster_key: str | None, year: int | None, _: Translator
) -> Services | None:
    """The services of the cluster-year asked for, or None (said why) when there is none."""
    chosen = cluster_years.choose(services, cluster_key, year)
    if isinstance(chosen, NoSuchCluster):
        keys = ", ".join(chosen.known)
        print(
            _("There is no cluster “{key}”. The clusters are: {keys}.").format(
                key=chosen.key, keys=keys
            )
        )
        return None
    if isinstance(chosen, NoSuchYear):
        years = ", ".join(map(str, chosen.known))
        print(
            _("{cluster} has no year {year}. Its years are: {years}.").format(
                cluster=chosen.cluster, year=chosen.year, years=years
            )
        )
        return None
    return chosen


def print_guarded(guarded: Guarded, _: Translator) -> int:
    """Say what an import changes (or would, or may not), and its exit status."""
    for line in changes_lines(guarded.changes, _):
        print(line)
    verdict = guarded.verdict
    if verdict is Verdict.CONFLICT:
        print(_("Nothing was imported."))
    elif verdict is Verdict.UNCONFIRMED:
        print(
            _(
                "Nothing was changed: this import changes data already installed. Check the "
                "list above, then run the same command again with --apply."
            )
        )
    elif verdict is Verdict.DRY_RUN:
        print(_("Dry run: nothing was written."))
    elif verdict is Verdict.UNCHANGED:
        print(_("Nothing to change: the installation already holds this."))
    else:
        print(
            _(
                "Saved and audited. A running bot reads the change within a minute "
                "(one started without any cluster needs a restart)."
            )
        )
    return 2 if verdict in (Verdict.CONFLICT, Verdict.UNCONFIRMED) else 0


async def import_cluster(
    settings: Settings, folder: Path, dry_run: bool, apply: bool, _: Translator
) -> int:
    data = load_cluster_year(folder)  # errors name the file and the line
    db = await open_database(settings, SystemClock())  # the first cluster comes this way too
    try:
        guarded = await cluster_years.import_folder(
            db, data, folder, SystemClock().now(), dry_run, apply
        )
    finally:
        await db.close()
    if guarded.verdict is Verdict.APPLIED:
        cluster = data.cluster
        text = (
            _("Imported {cluster} {year}: {units} units, {title} {chair}, {status}.")
            if guarded.changes.new_years
            else _("Updated {cluster} {year}: {units} units, {title} {chair}, {status}.")
        )
        print(
            text.format(
                cluster=cluster.name,
                year=cluster.year,
                units=len(cluster.units),
                title=title_of(cluster, Leader.CHAIR, _),
                chair=cluster.chair or _("to be chosen"),
                status=_status(True, _),
            )
        )
    return print_guarded(guarded, _)


async def change_year(
    settings: Settings, command: str, key: str, year: int, unit: str | None, _: Translator
) -> int:
    """``cluster close|remove|chair KEY --year Y [--unit CODE]``."""
    async with installation(settings) as services:
        if command == "close":
            done: object = await cluster_years.close_year(services, key, year)
        elif command == "remove":
            done = await cluster_years.remove_year(services, key, year)
        else:
            assert unit is not None
            done = await cluster_years.choose_chair(services, key, year, unit)
        if isinstance(done, NoSuchCluster | NoSuchYear):
            choose_year(services, key, year, _)  # says why
            return 2
    if isinstance(done, RemovalRefused):
        print(
            _(
                "{cluster} {year} is not removed: it holds work ({tables}). Close it instead: "
                "cumthidua cluster close {key} --year {year}"
            ).format(cluster=done.cluster, year=done.year, tables=", ".join(done.holds), key=key)
        )
        return 2
    if isinstance(done, ChairRefused):
        print(
            _(
                "{unit} cannot chair {cluster}: choose one of its units, not the deputy: {units}."
            ).format(unit=done.unit, cluster=done.cluster, units=", ".join(done.known))
        )
        return 2
    if isinstance(done, Invalid):
        print(_("Not changed: {reason}").format(reason=done.message))
        return 2
    assert isinstance(done, YearLine)
    cluster = done.data.cluster
    text = {
        "close": _("Closed {cluster} {year}: it stays, read-only."),
        "remove": _("Removed {cluster} {year}."),
        "chair": _("{cluster} {year}: the chair is now {chair}."),
    }[command]
    print(text.format(cluster=cluster.name, year=done.year, chair=cluster.chair))
    return 0


async def list_clusters(settings: Settings, _: Translator) -> int:
    async with installation(settings) as services:
        for listed in cluster_years.listing(services):
            summary = listed.cluster
            print(f"{summary.name} ({summary.province}) — {summary.key}")
            for line in listed.years:
                cluster = line.data.cluster
                deputy = (
                    f", {title_of(cluster, Leader.DEPUTY, _)} {cluster.deputy}"
                    if cluster.deputy
                    else ""
                )
                print(
                    "  "
                    + _("{year}: {title} {chair}{deputy}, {units} units, {status}").format(
                        year=line.year,
                        title=title_of(cluster, Leader.CHAIR, _),
                        chair=cluster.chair or _("to be chosen"),
                        deputy=deputy,
                        units=len(cluster.units),
                        status=_status(line.is_open, _),
                    )
                )
        return 0


def _status(is_open: bool, _: Translator) -> str:
    return _("open") if is_open else _("closed")
