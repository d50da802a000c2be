"""Which cluster-year a person may open on the web pages, as chat decides it: the province's
board and administrators may open every cluster, anybody else only the cluster their commands
act on (any of its years, as ``/tiendo 2022`` does); the role is the one of the year opened."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.access import Actor, Role
from bot.services.container import Services

__all__ = ["ClusterView", "open_cluster_year"]


@dataclass(frozen=True, slots=True)
class ClusterView:
    services: Services
    """Bound to the cluster-year opened."""
    actor: Actor
    """The person with the role they have in that year."""
    years: tuple[int, ...]
    """The cluster's years, oldest first, for links to the others."""


def open_cluster_year(
    services: Services, actor: Actor, own_year_id: int, cluster_id: int, year: int | None
) -> ClusterView | None:
    """The cluster-year ``year`` (its current one without) of cluster ``cluster_id``, if the
    actor may open it; ``own_year_id`` is the year the actor's commands act on."""
    years = services.years
    own = years.get(own_year_id)
    sees_all = actor.role in (Role.ADMIN, Role.PROVINCE)
    if not sees_all and cluster_id != own.cluster_id:
        return None
    if year is not None:
        record = years.find(cluster_id, year)
    elif cluster_id == own.cluster_id:
        record = own
    else:
        record = years.current(cluster_id)
    if record is None:
        return None
    scoped = services.scoped(record.id)
    known = tuple(y.year for y in years.of_cluster(cluster_id))
    return ClusterView(scoped, actor.in_year(scoped.cluster_year.cluster.chair), known)
