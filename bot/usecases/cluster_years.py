"""The installation's clusters and their years as an operator handles them: choosing the
cluster-year a command means, importing one from a folder, listing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.domain.cluster import ClusterYear
from bot.services.container import Services
from bot.services.years import ClusterSummary, YearRegistry
from storage.clusters import ClusterRepository
from storage.database import Database

__all__ = [
    "ClusterListing",
    "ImportedYear",
    "NoSuchCluster",
    "NoSuchYear",
    "YearLine",
    "choose",
    "import_folder",
    "listing",
]


@dataclass(frozen=True, slots=True)
class NoSuchCluster:
    key: str
    known: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NoSuchYear:
    cluster: str
    year: int | None
    known: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class YearLine:
    year: int
    is_open: bool
    data: ClusterYear


@dataclass(frozen=True, slots=True)
class ClusterListing:
    cluster: ClusterSummary
    years: tuple[YearLine, ...]


@dataclass(frozen=True, slots=True)
class ImportedYear:
    line: YearLine
    created: bool


def choose(
    services: Services, cluster_key: str | None, year: int | None
) -> Services | NoSuchCluster | NoSuchYear:
    """The services of the cluster-year asked for (default: the default cluster's current
    year), or why there is none."""
    clusters = services.years.clusters()
    if cluster_key is None:
        cluster = next(c for c in clusters if c.id == services.year.cluster_id)
    else:
        found = [c for c in clusters if c.key == cluster_key]
        if not found:
            return NoSuchCluster(cluster_key, tuple(c.key for c in clusters))
        cluster = found[0]
    if year is None:
        record = services.years.current(cluster.id)
    else:
        record = services.years.find(cluster.id, year)
    if record is None:
        known = tuple(y.year for y in services.years.of_cluster(cluster.id))
        return NoSuchYear(cluster.name, year, known)
    return services.scoped(record.id)


async def import_folder(
    db: Database, data: ClusterYear, folder: Path, now: datetime
) -> ImportedYear:
    """Add or update the cluster-year read from ``folder`` (also into an installation that has
    no cluster yet, hence a bare database: a running bot serves it from its next start)."""
    years = YearRegistry(ClusterRepository(db))
    await years.load()
    record, created = await years.import_year(data, str(folder), "cli", now)
    return ImportedYear(YearLine(record.year, record.is_open, record.data), created)


def listing(services: Services) -> list[ClusterListing]:
    def years(cluster_id: int) -> tuple[YearLine, ...]:
        return tuple(
            YearLine(r.year, r.is_open, r.data) for r in services.years.of_cluster(cluster_id)
        )

    return [ClusterListing(c, years(c.id)) for c in services.years.clusters()]
