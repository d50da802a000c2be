"""What an import would change in an installation: new clusters and units, cluster-years
updated (units added and removed, chair and deputy), units that move from one cluster to another,
units renamed, and units it would put in two clusters of one year (always refused). Computed
before anything is written, so that the operator sees it first (``--dry-run``) and confirms
what changes others' data (``--apply``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.domain.cluster import ClusterYear, Unit

__all__ = [
    "Changes",
    "Conflict",
    "InstalledYear",
    "Move",
    "Rename",
    "YearChange",
    "compare",
]


@dataclass(frozen=True, slots=True)
class InstalledYear:
    key: str
    year: int
    data: ClusterYear


@dataclass(frozen=True, slots=True)
class Rename:
    code: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Move:
    unit: Unit
    source: str
    """The cluster it leaves (its name)."""
    target: str


@dataclass(frozen=True, slots=True)
class Conflict:
    """A unit the import would put in a second cluster of the same year."""

    unit: Unit
    cluster: str
    other: str
    year: int


@dataclass(frozen=True, slots=True)
class YearChange:
    """An existing cluster-year the import changes."""

    cluster: str
    year: int
    added: tuple[Unit, ...]
    removed: tuple[Unit, ...]
    chair: tuple[str | None, str | None] | None
    """(before, after) when the chair changes."""
    deputy: tuple[str | None, str | None] | None
    titles: tuple[tuple[str | None, str | None], tuple[str | None, str | None]] | None
    """(before, after) of the words for chair and deputy, when either changes."""
    rest: bool
    """Anything else changes too (name, kind, plan, scoring, campaigns)."""


@dataclass(frozen=True, slots=True)
class Changes:
    new_years: tuple[ClusterYear, ...]
    new_units: tuple[Unit, ...]
    updated: tuple[YearChange, ...]
    moves: tuple[Move, ...]
    renames: tuple[Rename, ...]
    conflicts: tuple[Conflict, ...]
    unchanged: tuple[str, ...]
    """Clusters the import finds as they are."""

    @property
    def needs_apply(self) -> bool:
        """It changes data already installed: shown first, done only with ``--apply``."""
        return bool(self.updated or self.moves or self.renames)

    @property
    def empty(self) -> bool:
        return not (self.new_years or self.new_units or self.needs_apply)


def compare(
    installed: Sequence[InstalledYear], units: Mapping[str, Unit], incoming: Sequence[ClusterYear]
) -> Changes:
    """The changes ``incoming`` cluster-years make to the ``installed`` ones and ``units``
    (every unit of the installation, by code)."""
    incoming_keys = {(d.cluster.key, d.cluster.year) for d in incoming}
    by_key = {(y.key, y.year): y for y in installed}
    new_years: list[ClusterYear] = []
    updated: list[YearChange] = []
    unchanged: list[str] = []
    new_units: dict[str, Unit] = {}
    renames: dict[str, Rename] = {}
    moves: list[Move] = []
    conflicts: list[Conflict] = []
    holders: dict[tuple[str, int], str] = {}
    """(unit code, year) → the incoming cluster that has it."""
    for data in incoming:
        cluster = data.cluster
        for unit in cluster.units:
            known = units.get(unit.code)
            if known is None:
                new_units.setdefault(unit.code, unit)
            elif (known.name, known.kind) != (unit.name, unit.kind):
                renames[unit.code] = Rename(unit.code, known.name, unit.name)
            other = holders.setdefault((unit.code, cluster.year), cluster.name)
            if other != cluster.name:
                conflicts.append(Conflict(unit, cluster.name, other, cluster.year))
            for year in installed:
                if year.year != cluster.year or year.key == cluster.key:
                    continue
                if unit.code not in {u.code for u in year.data.cluster.units}:
                    continue
                if (year.key, year.year) in incoming_keys:
                    moves.append(Move(unit, year.data.cluster.name, cluster.name))
                else:
                    conflicts.append(
                        Conflict(unit, cluster.name, year.data.cluster.name, cluster.year)
                    )
        before = by_key.get((cluster.key, cluster.year))
        if before is None:
            new_years.append(data)
        elif _same(before.data, data):
            unchanged.append(cluster.name)
        else:
            updated.append(_year_change(before.data, data))
    return Changes(
        tuple(new_years),
        tuple(new_units.values()),
        tuple(updated),
        tuple(moves),
        tuple(renames.values()),
        tuple(conflicts),
        tuple(unchanged),
    )


def _same(one: ClusterYear, other: ClusterYear) -> bool:
    """Equal data (compared as dumped: a model's cached lookups are no part of it)."""
    return one.model_dump() == other.model_dump()


def _year_change(before: ClusterYear, after: ClusterYear) -> YearChange:
    old, new = before.cluster, after.cluster
    old_codes = {u.code for u in old.units}
    new_codes = {u.code for u in new.units}
    same = {
        "units": new.units,
        "chair": new.chair,
        "deputy": new.deputy,
        "chair_title": new.chair_title,
        "deputy_title": new.deputy_title,
    }
    titles = ((old.chair_title, new.chair_title), (old.deputy_title, new.deputy_title))
    rest = not _same(before.model_copy(update={"cluster": old.model_copy(update=same)}), after)
    return YearChange(
        cluster=new.name,
        year=new.year,
        added=tuple(u for u in new.units if u.code not in old_codes),
        removed=tuple(u for u in old.units if u.code not in new_codes),
        chair=(old.chair, new.chair) if old.chair != new.chair else None,
        deputy=(old.deputy, new.deputy) if old.deputy != new.deputy else None,
        titles=titles if any(before != after for before, after in titles) else None,
        rest=rest,
    )
