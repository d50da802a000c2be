"""A second cluster for tests of many clusters in one installation: the highland cluster of the
same province, with its own units, chair and plan (the bundled plan and campaigns, renamed)."""

from __future__ import annotations

from datetime import timedelta

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.domain.access import Role
from bot.domain.cluster import ClusterYear, Unit, UnitKind
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
