"""The installation's clusters and their years as an operator handles them: choosing the
cluster-year a command means, importing one from a folder (guarded: see
:func:`guarded_save`), listing, closing and removing them, choosing a chair."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import ValidationError

from bot.domain.cluster import ClusterYear
from bot.domain.cluster_changes import Changes, InstalledYear, compare
from bot.domain.cluster_checks import Problem, installation_problems
from bot.domain.listed_officers import ListedOfficer
from bot.services.container import Services
from bot.services.years import ClusterSummary
from storage.clusters import ClusterRepository, UnreadableYear, YearStatus
from storage.database import Database

__all__ = [
    "ChairRefused",
    "ClusterListing",
    "Guarded",
    "Invalid",
    "NoSuchCluster",
    "NoSuchYear",
    "RemovalRefused",
    "UnreadableYear",
    "Verdict",
    "YearLine",
    "choose",
    "choose_chair",
    "close_year",
    "guarded_save",
    "import_folder",
    "listing",
    "remove_year",
    "stored_problems",
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


class Verdict(StrEnum):
    CONFLICT = "conflict"
    """A unit would be in two clusters of a year: refused."""
    UNCONFIRMED = "unconfirmed"
    """It changes installed data: shown, and done only with ``apply``."""
    DRY_RUN = "dry_run"
    UNCHANGED = "unchanged"
    APPLIED = "applied"


@dataclass(frozen=True, slots=True)
class Guarded:
    verdict: Verdict
    changes: Changes


@dataclass(frozen=True, slots=True)
class Invalid:
    """The cluster-year the import would make is not valid (e.g. a removed unit still owes a
    deliverable of its plan)."""

    message: str


@dataclass(frozen=True, slots=True)
class RemovalRefused:
    cluster: str
    year: int
    holds: tuple[str, ...]
    """The tables holding its work (submissions, score_sheets, ballots …)."""


@dataclass(frozen=True, slots=True)
class ChairRefused:
    cluster: str
    unit: str
    known: tuple[str, ...]
    """The cluster's unit codes (the chair must be one, and not the deputy)."""


async def guarded_save(
    repo: ClusterRepository,
    incoming: Sequence[ClusterYear],
    now: datetime,
    dry_run: bool,
    apply: bool,
    source: str,
    listed: Mapping[tuple[str, int], Sequence[ListedOfficer]] | None = None,
) -> Guarded:
    """Save ``incoming`` cluster-years in one transaction, unless a unit would be in two
    clusters of a year, or it changes installed data (renames or moves a unit, updates a
    cluster-year) without ``apply``; ``dry_run`` only says what would change."""
    installed = [InstalledYear(r.cluster_key, r.year, r.data) for r in await repo.years()]
    changes = compare(installed, await repo.units(), incoming)
    if changes.conflicts:
        return Guarded(Verdict.CONFLICT, changes)
    if dry_run:
        return Guarded(Verdict.DRY_RUN, changes)
    if changes.needs_apply and not apply:
        return Guarded(Verdict.UNCONFIRMED, changes)
    unchanged = set(changes.unchanged)
    saved = [d for d in incoming if d.cluster.name not in unchanged]
    if not saved and not listed:
        return Guarded(Verdict.UNCHANGED, changes)
    await repo.save_years(saved, source, "cli", now, listed)
    return Guarded(Verdict.APPLIED, changes)


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
    db: Database, data: ClusterYear, folder: Path, now: datetime, dry_run: bool, apply: bool
) -> Guarded:
    """Add or update the cluster-year read from ``folder``, guarded (:func:`guarded_save`);
    also into an installation that has no cluster yet, hence a bare database."""
    return await guarded_save(ClusterRepository(db), [data], now, dry_run, apply, str(folder))


def _chosen(
    services: Services, cluster_key: str, year: int
) -> tuple[Services, int] | NoSuchCluster | NoSuchYear:
    chosen = choose(services, cluster_key, year)
    if isinstance(chosen, NoSuchCluster | NoSuchYear):
        return chosen
    return chosen, chosen.year.id


async def close_year(
    services: Services, cluster_key: str, year: int
) -> YearLine | NoSuchCluster | NoSuchYear:
    """Close a cluster-year: it stays, read-only, with everything it holds."""
    chosen = _chosen(services, cluster_key, year)
    if not isinstance(chosen, tuple):
        return chosen
    await services.years.set_status(chosen[1], YearStatus.CLOSED, "cli", services.clock.now())
    record = services.years.get(chosen[1])
    return YearLine(record.year, record.is_open, record.data)


async def remove_year(
    services: Services, cluster_key: str, year: int
) -> YearLine | NoSuchCluster | NoSuchYear | RemovalRefused:
    """Remove a cluster-year that holds no work (no submissions, scores, votes, marks …);
    one that does is refused (close it instead)."""
    chosen = _chosen(services, cluster_key, year)
    if not isinstance(chosen, tuple):
        return chosen
    record = services.years.get(chosen[1])
    holds = await services.years.repo.holdings(record.id)
    if holds:
        return RemovalRefused(record.data.cluster.name, record.year, tuple(holds))
    await services.years.remove(record.id, "cli", services.clock.now())
    return YearLine(record.year, record.is_open, record.data)


async def choose_chair(
    services: Services, cluster_key: str, year: int, unit_code: str
) -> YearLine | NoSuchCluster | NoSuchYear | ChairRefused | Invalid:
    """Make ``unit_code`` the chair of a cluster-year (one imported with its chair to be
    chosen, or a change the province decided), audited."""
    chosen = _chosen(services, cluster_key, year)
    if not isinstance(chosen, tuple):
        return chosen
    data = services.years.get(chosen[1]).data
    cluster = data.cluster
    unit = cluster.find_unit(unit_code)
    if unit is None or unit.code == cluster.deputy:
        return ChairRefused(cluster.name, unit_code, tuple(u.code for u in cluster.units))
    try:
        new = data.model_validate(
            data.model_dump() | {"cluster": cluster.model_dump() | {"chair": unit.code}}
        )
    except ValidationError as exc:
        return Invalid(str(exc.errors()[0]["msg"]))
    record = await services.years.save(new, "cli", services.clock.now(), "cluster_year.chair")
    return YearLine(record.year, record.is_open, record.data)


def listing(services: Services) -> list[ClusterListing]:
    def years(cluster_id: int) -> tuple[YearLine, ...]:
        return tuple(
            YearLine(r.year, r.is_open, r.data) for r in services.years.of_cluster(cluster_id)
        )

    return [ClusterListing(c, years(c.id)) for c in services.years.clusters()]


async def stored_problems(db: Database) -> tuple[int, list[Problem]]:
    """How many cluster-years the database holds, and what is wrong in them (``check-config``)."""
    stored = await ClusterRepository(db).stored()
    return len(stored), installation_problems(stored)
