"""Choosing, importing and listing cluster-years as the command line does."""

from __future__ import annotations

from bot.domain.access import Role
from bot.domain.cluster import ClusterYear, Unit, UnitKind
from bot.services.container import Services
from bot.usecases import cluster_years
from bot.usecases.cluster_years import Guarded, Verdict
from tests.clusters import HIGHLAND_UNITS, add_highland, highland_cluster, join


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


def _with_units(data: ClusterYear, units: tuple[Unit, ...], chair: str) -> ClusterYear:
    cluster = data.cluster.model_copy(update={"units": units, "chair": chair, "deputy": None})
    return data.model_copy(update={"cluster": cluster})


async def test_a_folder_named_as_an_installed_cluster_does_not_overwrite_it(
    services: Services,
) -> None:
    installed = services.year.data
    smaller = _with_units(installed, installed.cluster.units[:3], installed.cluster.chair or "")
    refused = await _import(services, smaller)
    assert refused.verdict is Verdict.UNCONFIRMED
    [change] = refused.changes.updated
    assert [u.code for u in change.removed] == [u.code for u in installed.cluster.units[3:]]
    assert services.years.get(services.year.id).data.cluster.units == installed.cluster.units
    applied = await _import(services, smaller, apply=True)
    assert applied.verdict is Verdict.APPLIED
    assert len(services.years.get(services.year.id).data.cluster.units) == 3


async def test_a_reused_unit_code_never_renames_another_clusters_unit(services: Services) -> None:
    taken = Unit(code="TG", name="Bát Xát", kind=UnitKind.HUYEN)
    same_year = _with_units(highland_cluster(), (*HIGHLAND_UNITS[:2], taken), "MN")
    refused = await _import(services, same_year, apply=True)
    assert refused.verdict is Verdict.CONFLICT
    [conflict] = refused.changes.conflicts
    assert (conflict.unit.code, conflict.cluster, conflict.other) == (
        "TG",
        "Cụm thi đua vùng cao",
        "Cụm thi đua vùng thấp",
    )
    later = same_year.model_copy(
        update={"cluster": same_year.cluster.model_copy(update={"year": 2023})}
    )
    unconfirmed = await _import(services, later)
    assert unconfirmed.verdict is Verdict.UNCONFIRMED
    assert [(r.code, r.old, r.new) for r in unconfirmed.changes.renames] == [
        ("TG", "Tuần Giáo", "Bát Xát")
    ]
    assert services.year.data.cluster.unit("TG") is not None
    units = await services.years.repo.units()
    assert units["TG"].name == "Tuần Giáo"


async def test_close_keeps_a_year_and_remove_takes_only_one_without_work(
    services: Services,
) -> None:
    highland = await add_highland(services)
    key = highland.year.cluster_key
    assert await cluster_years.remove_year(services, key, 2022) == cluster_years.YearLine(
        2022, True, highland_cluster()
    )
    assert [c.key for c in services.years.clusters()] == [services.year.cluster_key]
    lowland = services.year.cluster_key
    officer = await join(services, "memory", "ma", "MA", Role.MEMBER)
    deliverable = services.year.data.plan.deliverables[0]
    await services.submissions.create(
        "k1", deliverable.code, "MA", officer, "memory", services.clock.now(),
        deliverable.due, 0, "", [],
    )  # fmt: skip
    refused = await cluster_years.remove_year(services, lowland, 2022)
    assert isinstance(refused, cluster_years.RemovalRefused) and refused.holds == ("submissions",)
    closed = await cluster_years.close_year(services, lowland, 2022)
    assert isinstance(closed, cluster_years.YearLine) and not closed.is_open
    assert not services.years.get(services.year.id).is_open
    missing = await cluster_years.close_year(services, lowland, 2031)
    assert isinstance(missing, cluster_years.NoSuchYear)


async def test_choosing_a_chair_refuses_a_unit_of_another_cluster(services: Services) -> None:
    key = services.year.cluster_key
    assert isinstance(
        await cluster_years.choose_chair(services, key, 2022, "ZZ"), cluster_years.ChairRefused
    )
    chosen = await cluster_years.choose_chair(services, key, 2022, "ma")
    assert isinstance(chosen, cluster_years.YearLine) and chosen.data.cluster.chair == "MA"
    assert services.years.get(services.year.id).data.cluster.chair == "MA"
