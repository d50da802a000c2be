"""The installation's clusters and their years, held in memory and written through.

Every chat command acts on the officer's cluster and its open year: :meth:`YearRegistry.for_actor`
finds that cluster-year without a query (the actor's unit, or for people of no unit the cluster
they joined or switched to). On the first start with an empty database the configured folder, if
any, is imported (the bundled demo cluster only in the demonstration); an upgraded database's
pending cluster-year is filled from it, or from the bundled folder that release 0.1 served by
default (see ``storage/migrations/011_cluster_years.sql``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.domain.access import Actor
from bot.domain.cluster import ClusterYear, Plan
from storage.clusters import ClusterRepository, YearRecord
from storage.database import Database
from storage.plans import PlanRepository

__all__ = ["ClusterSummary", "YearRegistry", "ensure_years"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    id: int
    key: str
    name: str
    province: str


async def ensure_years(db: Database, folder: Path | None, now: datetime) -> None:
    """Give the database its first cluster-year from ``folder`` when it has none, or fill the
    pending one of an upgrade (with the plan its chair confirmed, if any)."""
    repo = ClusterRepository(db)
    pending = await repo.pending()
    if pending:
        folder = folder or BUNDLED_CLUSTER
        data = load_cluster_year(folder)
        confirmed = await PlanRepository(db, pending[0]).latest()
        if confirmed is not None:
            data = data.model_copy(update={"plan": Plan.model_validate_json(confirmed)})
        await repo.save_year(data, str(folder), "upgrade", now, fill=pending[0])
        log.info(
            "upgraded database: its rows belong to %s %s", data.cluster.name, data.cluster.year
        )
    elif folder is not None and not await repo.years():
        data = load_cluster_year(folder)
        await repo.save_year(data, str(folder), "first start", now)
        log.info("first start: imported %s %s", data.cluster.name, data.cluster.year)


class YearRegistry:
    """Every cluster-year, by id; changes go through here so the cache stays true."""

    def __init__(self, repo: ClusterRepository) -> None:
        self.repo = repo
        self._years: dict[int, YearRecord] = {}
        self._by_unit: dict[str, list[YearRecord]] = {}
        self.scoped: dict[int, object] = {}
        """Services bound to each cluster-year, made once (see ``Services.scoped``)."""
        self.generation = ""
        """The clusters' generation (``storage.clusters.GENERATION_KEY``) last read."""

    async def load(self) -> None:
        self.generation = await self.repo.generation()
        self._years = {y.id: y for y in await self.repo.years()}
        self._by_unit = {}
        for year in self._years.values():
            for code in year.units:
                self._by_unit.setdefault(code, []).append(year)
        self.scoped.clear()

    # Reading ---------------------------------------------------------------------------------

    def get(self, year_id: int) -> YearRecord:
        return self._years[year_id]

    def all(self) -> list[YearRecord]:
        return sorted(self._years.values(), key=lambda y: (y.cluster_id, y.year))

    def open_years(self) -> list[YearRecord]:
        return [y for y in self.all() if y.is_open]

    def clusters(self) -> list[ClusterSummary]:
        found: dict[int, ClusterSummary] = {}
        for year in self.all():  # the newest year names the cluster
            cluster = year.data.cluster
            found[year.cluster_id] = ClusterSummary(
                year.cluster_id, year.cluster_key, cluster.name, cluster.province
            )
        return list(found.values())

    def of_cluster(self, cluster_id: int) -> list[YearRecord]:
        return [y for y in self.all() if y.cluster_id == cluster_id]

    def current(self, cluster_id: int) -> YearRecord | None:
        """The cluster's open year (the newest, if several), else its newest year."""
        years = self.of_cluster(cluster_id)
        opened = [y for y in years if y.is_open]
        return (opened or years or [None])[-1]

    def find(self, cluster_id: int, year: int) -> YearRecord | None:
        return next((y for y in self.of_cluster(cluster_id) if y.year == year), None)

    def default(self) -> YearRecord:
        """The first cluster's current year: for the command line and for strangers."""
        first = self.clusters()[0]
        year = self.current(first.id)
        assert year is not None
        return year

    def for_unit(self, unit_code: str) -> YearRecord | None:
        """The open year the unit belongs to, else the newest year it belonged to."""
        years = sorted(self._by_unit.get(unit_code, ()), key=lambda y: (y.is_open, y.year))
        return years[-1] if years else None

    def for_actor(self, actor: Actor | None) -> YearRecord:
        """The cluster-year a sender's commands act on."""
        found = None
        if actor is not None:
            if actor.unit_code is not None:
                found = self.for_unit(actor.unit_code)
            elif actor.cluster_id is not None:
                found = self.current(actor.cluster_id)
        return found or self.default()

    async def refresh(self) -> bool:
        """Read the clusters again if another process (``cumthidua province import``,
        ``cluster import``, ``cluster chair`` …) changed them since; True if it did."""
        if await self.repo.generation() == self.generation:
            return False
        await self.load()
        log.info("clusters changed: %d cluster-years read again", len(self._years))
        return True

    # Changing --------------------------------------------------------------------------------

    async def save(self, data: ClusterYear, actor: str, now: datetime, action: str) -> YearRecord:
        """Update one cluster-year's data (audited as ``action``)."""
        ids = await self.repo.save_years([data], actor, actor, now, action=action)
        await self.load()
        return self.get(ids[0])

    async def set_status(self, year_id: int, status: str, actor: str, now: datetime) -> None:
        await self.repo.set_status(year_id, status, actor, now)
        await self.load()

    async def remove(self, year_id: int, actor: str, now: datetime) -> None:
        await self.repo.remove_year(year_id, actor, now)
        await self.load()

    async def import_year(
        self, data: ClusterYear, source: str, actor: str, now: datetime
    ) -> tuple[YearRecord, bool]:
        year_id, created = await self.repo.save_year(data, source, actor, now)
        await self.load()
        return self.get(year_id), created

    async def hand_over(
        self, old: YearRecord, new: ClusterYear, flagged: tuple[int, ...], actor: str, now: datetime
    ) -> YearRecord:
        new_id = await self.repo.hand_over(old.id, new, flagged, actor, now)
        await self.load()
        return self.get(new_id)

    async def set_plan(self, year_id: int, plan: Plan, flagged: tuple[int, ...] = ()) -> None:
        await self.repo.set_plan(year_id, plan, flagged)
        await self.load()
