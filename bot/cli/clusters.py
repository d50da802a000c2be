"""``cumthidua cluster import FOLDER`` and ``cumthidua cluster list``; choosing a cluster-year
for the commands that take ``--cluster`` and ``--year``."""

from __future__ import annotations

import argparse
import csv
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import open_database, open_services
from bot.clock import SystemClock
from bot.cluster_files import load_cluster_year
from bot.config import Settings
from bot.domain.spreadsheet_text import csv_text
from bot.i18n import Translator
from bot.services.container import Services
from bot.services.years import YearRegistry
from storage.clusters import ClusterRepository

__all__ = [
    "add_cluster_commands",
    "add_year_options",
    "choose_year",
    "import_cluster",
    "list_clusters",
    "write_inspection_list",
    "write_pact_list",
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
    root = await open_services(settings, SystemClock())
    try:
        yield choose_year(root, cluster_key, year, _)
    finally:
        await root.db.close()


def choose_year(
    services: Services, cluster_key: str | None, year: int | None, _: Translator
) -> Services | None:
    """The services of the cluster-year asked for, or None (said why) when there is none."""
    clusters = services.years.clusters()
    if cluster_key is None:
        cluster = next(c for c in clusters if c.id == services.year.cluster_id)
    else:
        found = [c for c in clusters if c.key == cluster_key]
        if not found:
            keys = ", ".join(c.key for c in clusters)
            print(
                _("There is no cluster “{key}”. The clusters are: {keys}.").format(
                    key=cluster_key, keys=keys
                )
            )
            return None
        cluster = found[0]
    record = services.years.current(cluster.id) if year is None else None
    if year is not None:
        record = services.years.find(cluster.id, year)
    if record is None:
        years = ", ".join(str(y.year) for y in services.years.of_cluster(cluster.id))
        print(
            _("{cluster} has no year {year}. Its years are: {years}.").format(
                cluster=cluster.name, year=year, years=years
            )
        )
        return None
    return services.scoped(record.id)


async def import_cluster(settings: Settings, folder: Path, _: Translator) -> int:
    data = load_cluster_year(folder)  # errors name the file and the line
    db = await open_database(settings, SystemClock())  # the first cluster comes this way too
    try:
        years = YearRegistry(ClusterRepository(db))
        record, created = await years.import_year(data, str(folder), "cli", SystemClock().now())
        cluster = record.data.cluster
        text = (
            _("Imported {cluster} {year}: {units} units, chair {chair}, {status}.")
            if created
            else _("Updated {cluster} {year}: {units} units, chair {chair}, {status}.")
        )
        print(
            text.format(
                cluster=cluster.name,
                year=record.year,
                units=len(cluster.units),
                chair=cluster.chair,
                status=_status(record.status, _),
            )
        )
        return 0
    finally:
        await db.close()


async def list_clusters(settings: Settings, _: Translator) -> int:
    services = await open_services(settings, SystemClock())
    try:
        for summary in services.years.clusters():
            print(f"{summary.name} ({summary.province}) — {summary.key}")
            for record in services.years.of_cluster(summary.id):
                cluster = record.data.cluster
                deputy = _(", deputy {unit}").format(unit=cluster.deputy) if cluster.deputy else ""
                print(
                    "  "
                    + _("{year}: chair {chair}{deputy}, {units} units, {status}").format(
                        year=record.year,
                        chair=cluster.chair,
                        deputy=deputy,
                        units=len(cluster.units),
                        status=_status(record.status, _),
                    )
                )
        return 0
    finally:
        await services.db.close()


def _status(status: str, _: Translator) -> str:
    return _("open") if status == "open" else _("closed")


async def write_pact_list(services: Services, out: Path) -> None:
    """The year's pact signatures (unit, signed, officer, time, channel) as ``pact.csv``."""
    pact = await services.pacts.current()
    if pact is None:
        return
    signed = await services.pacts.signatures(pact.id)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "pact.csv").open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(("unit", "unit_name", "signed", "officer", "signed_at", "channel"))
        for unit in services.cluster_year.cluster.members:
            signature = signed.get(unit.code)
            row = (
                unit.code,
                unit.full_name,
                "yes" if signature else "no",
                signature.officer_name if signature else "",
                signature.at.isoformat() if signature else "",
                signature.channel if signature else "",
            )
            writer.writerow([csv_text(value) for value in row])


async def write_inspection_list(services: Services, out: Path) -> None:
    """The year's cross-inspection pairs, the minutes' latest version and the inspected unit's
    answers as ``inspection.csv``."""
    current = await services.inspections.current()
    if current is None:
        return
    latest = await services.submissions.latest()
    answers = await services.inspections.answers(current.id)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "inspection.csv").open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(("inspector", "inspected", "due", "minutes_version", "answers"))
        for pair in current.pairs:
            minutes = latest.get((current.deliverable, pair.inspector))
            said = " | ".join(a.text for a in answers if a.unit_code == pair.inspected)
            row = (
                pair.inspector,
                pair.inspected,
                current.due.isoformat(),
                str(minutes.version) if minutes else "",
                said,
            )
            writer.writerow([csv_text(value) for value in row])
