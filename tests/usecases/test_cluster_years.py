"""Choosing, importing and listing cluster-years as the command line does."""

from __future__ import annotations

from bot.services.container import Services
from bot.usecases import cluster_years
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


async def test_importing_a_folder_adds_then_updates_and_lists(services: Services) -> None:
    folder, now = services.settings.data_dir, services.clock.now()
    first = await cluster_years.import_folder(services.db, highland_cluster(), folder, now)
    again = await cluster_years.import_folder(services.db, highland_cluster(), folder, now)
    await services.years.load()  # the command line imports beside the running registry
    assert first.created and not again.created and first.line.is_open
    listed = cluster_years.listing(services)
    assert [len(c.years) for c in listed] == [1, 1]
    assert listed[1].years[0].data.cluster.chair == "MN"
