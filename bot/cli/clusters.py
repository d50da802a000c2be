"""``cumthidua cluster import FOLDER`` and ``cumthidua cluster list``; choosing a cluster-year
for the commands that take ``--cluster`` and ``--year``."""

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
from bot.texts.roles import Leader, title_of
from bot.usecases import cluster_years
from bot.usecases.cluster_years import NoSuchCluster, NoSuchYear

__all__ = [
    "add_cluster_commands",
    "add_year_options",
    "choose_year",
    "import_cluster",
    "list_clusters",
    "year_services",
]


def add_cluster_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cluster = sub.add_parser("cluster", help="clusters and their years")
    commands = cluster.add_subparsers(dest="cluster_command")
    load = commands.add_parser("import", help="add or update a cluster-year from a folder")
    load.add_argument("folder", type=Path)
    commands.add_parser("list", help="clusters, years, chairs and status")


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


async def import_cluster(settings: Settings, folder: Path, _: Translator) -> int:
    data = load_cluster_year(folder)  # errors name the file and the line
    db = await open_database(settings, SystemClock())  # the first cluster comes this way too
    try:
        imported = await cluster_years.import_folder(db, data, folder, SystemClock().now())
        line = imported.line
        cluster = line.data.cluster
        text = (
            _("Imported {cluster} {year}: {units} units, {title} {chair}, {status}.")
            if imported.created
            else _("Updated {cluster} {year}: {units} units, {title} {chair}, {status}.")
        )
        print(
            text.format(
                cluster=cluster.name,
                year=line.year,
                units=len(cluster.units),
                title=title_of(cluster, Leader.CHAIR, _),
                chair=cluster.chair,
                status=_status(line.is_open, _),
            )
        )
        return 0
    finally:
        await db.close()


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
                        chair=cluster.chair,
                        deputy=deputy,
                        units=len(cluster.units),
                        status=_status(line.is_open, _),
                    )
                )
        return 0


def _status(is_open: bool, _: Translator) -> str:
    return _("open") if is_open else _("closed")
