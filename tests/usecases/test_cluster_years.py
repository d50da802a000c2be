"""Choosing, importing and listing cluster-years as the command line does."""

from __future__ import annotations

from bot.services.container import Services
from bot.domain.cluster import ClusterYear
from bot.usecases import cluster_years
from bot.usecases.cluster_years import Guarded, Verdict
from tests.clusters import highland_cluster


async def test_choosing_a_cluster_year_by_key_and_year(services: Services) -> None:
    default = cluster_years.choose(services, None, None)
    assert isinstance(default, Services) and default.year.id == services.year.id
    key = services.year.cluster_key
    assert isinstance(cluster_years.choose(services, key, 2022), Services)
    missing = cluster_years.choose(services, "khong-co", None)
    assert isinstance(missing, cluster_years.NoSuchCluster) and missing.known == (key,)
    no_year = cluster_years.choose(services, key, 2030)
    assert isinstance(no_year, cluster_years.NoSuchYear) and no_year.known == (2022,)


async def _import(services: Services, data: ClusterYear, apply: bool = False) -> Guarded:
    folder, now = services.settings.data_dir, services.clock.now()
    guarded = await cluster_years.import_folder(services.db, data, folder, now, False, apply)
    await services.years.load()
    return guarded


async def test_importing_a_folder_adds_then_updates_and_lists(services: Services) -> None:
    first = await _import(services, highland_cluster())
    again = await _import(services, highland_cluster())
    assert first.verdict is Verdict.APPLIED and first.changes.new_years
    assert again.verdict is Verdict.UNCHANGED
    listed = cluster_years.listing(services)
    assert [len(c.years) for c in listed] == [1, 1]
    assert listed[1].years[0].data.cluster.chair == "MN"
