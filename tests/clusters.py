"""A second cluster for tests of many clusters in one installation: the highland cluster of the
same province, with its own units, chair and plan (the bundled plan and campaigns, renamed)."""

from __future__ import annotations

from datetime import timedelta

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.domain.access import Role
from bot.domain.cluster import ClusterKind, ClusterYear, Unit, UnitKind
from bot.domain.invitations import Claimant
from bot.services.container import Services

HIGHLAND_UNITS = (
    Unit(code="MN", name="Mường Nhé", kind=UnitKind.HUYEN),
    Unit(code="MC", name="Mường Chà", kind=UnitKind.HUYEN),
    Unit(code="NP", name="Nậm Pồ", kind=UnitKind.HUYEN),
    Unit(code="TC", name="Tủa Chùa", kind=UnitKind.HUYEN),
)


def highland_cluster(year: int = 2022) -> ClusterYear:
    bundled = load_cluster_year(BUNDLED_CLUSTER)
    cluster = bundled.cluster.model_copy(
        update={"name": "Cụm thi đua vùng cao", "chair": "MN", "units": HIGHLAND_UNITS}
    )
    highland = bundled.model_copy(update={"cluster": cluster}).model_dump_json()
    return ClusterYear.model_validate_json(highland.replace("vùng thấp", "vùng cao"))


BLOC_UNITS = (
    Unit(code="STC", name="Sở Tài chính", kind=UnitKind.SO),
    Unit(code="SNV", name="Sở Nội vụ", kind=UnitKind.SO),
    Unit(code="STP", name="Sở Tư pháp", kind=UnitKind.SO),
)


def bloc(year: ClusterYear, chair_title: str | None = None, **own: str) -> ClusterYear:
    """``year`` as a bloc (khối) of the same units, every "Cụm" of its data a "Khối", chaired
    by its chair with its second unit as deputy; ``chair_title`` (and ``deputy_title`` in
    ``own``) the province's own words."""
    cluster = year.cluster.model_copy(
        update={
            "kind": ClusterKind.KHOI,
            "deputy": next(u.code for u in year.cluster.units if u.code != year.cluster.chair),
            "chair_title": chair_title,
            **own,
        }
    )
    as_bloc = year.model_copy(update={"cluster": cluster}).model_dump_json()
    return ClusterYear.model_validate_json(as_bloc.replace("Cụm", "Khối"))


def departments_bloc(chair_title: str | None = None, **own: str) -> ClusterYear:
    """A bloc of three departments of the same province, chaired by Sở Tài chính (STC), Sở
    Nội vụ (SNV) its deputy."""
    bundled = load_cluster_year(BUNDLED_CLUSTER)
    cluster = bundled.cluster.model_copy(
        update={"name": "Cụm các cơ quan tổng hợp", "chair": "STC", "units": BLOC_UNITS}
    )
    return bloc(bundled.model_copy(update={"cluster": cluster}), chair_title, **own)


async def add_year(services: Services, data: ClusterYear) -> Services:
    """Import another cluster-year; returns the services bound to it."""
    record, _created = await services.years.import_year(data, "tests", "test", services.clock.now())
    return services.scoped(record.id)


async def add_highland(services: Services) -> Services:
    """Import the second cluster; returns the services bound to its year."""
    record, _created = await services.years.import_year(
        highland_cluster(), "tests", "test", services.clock.now()
    )
    return services.scoped(record.id)


async def join(
    services: Services, channel: str, user: str, unit: str | None, role: Role, name: str = ""
) -> int:
    """Register ``user`` as an officer of ``unit`` (of the cluster ``services`` are bound to)."""
    _id, code = await services.invitations.create(
        unit, role, services.clock.now(), timedelta(days=1), None, "test"
    )
    joined = await services.invitations.redeem(
        code, Claimant(channel, user, user, name or f"Cán bộ {unit}"), services.clock.now()
    )
    assert joined.officer_id is not None, joined
    return joined.officer_id
