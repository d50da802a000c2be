"""A province sets itself up from its own decision (or its workbook): its clusters and blocs
become cluster-years, their members units with generated codes, the workbook's officers the
people invitations are made for. What would change is computed first
(``cluster_changes.compare``); nothing flagged is imported, a unit is never put in two clusters
of a year, and data already installed changes only when the operator confirms (``apply``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from bot.domain.cluster import Cluster, ClusterYear, Plan, Unit
from bot.domain.listed_officers import ListedOfficer
from bot.domain.province_decision import Decision, DecisionCluster, Flag
from bot.domain.province_workbook import Officer, ProvinceWorkbook
from bot.domain.unit_codes import new_unit
from bot.domain.unit_names import kind_of, unit_key
from bot.services.container import Services
from bot.usecases.cluster_years import Guarded, Invalid, guarded_save
from storage.clusters import ClusterRepository
from storage.database import Database
from storage.listed_officers import ListedOfficerRepository

__all__ = [
    "Flagged",
    "NeedsProvince",
    "ProvinceImport",
    "import_province",
    "listed_officers",
    "template",
]


@dataclass(frozen=True, slots=True)
class Flagged:
    """The document has problems: nothing is imported until they are put right."""

    flags: tuple[Flag, ...]


@dataclass(frozen=True, slots=True)
class NeedsProvince:
    """No ``--province`` given, and the installation has none or several."""

    known: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProvinceImport:
    outcome: Guarded
    officers: int
    """How many officers the workbook lists (stored when applied)."""


def _match(name: str) -> tuple[str, str]:
    return kind_of(name).value, unit_key(name)


def _units_of(
    decision: Decision, codes: Mapping[str, str], installed: Mapping[str, Unit]
) -> dict[tuple[str, str], Unit]:
    """Every member's unit, by its match key: an installed unit of that name keeps its code,
    a code the workbook gives is taken (a rename when it names another unit), any other unit
    gets a new code unique in the installation."""
    known = {_match(u.name): u for u in installed.values()}
    chosen: dict[tuple[str, str], Unit] = {}
    fresh: dict[tuple[str, str], str] = {}
    """Names of units new to the installation, by match key (kind kept: "Phường Sa Pa" and
    "Xã Sa Pa" are two units)."""
    for cluster in decision.clusters:
        for name in cluster.members:
            match = _match(name)
            if match in chosen or match in fresh:
                continue
            if name in codes:
                chosen[match] = Unit(code=codes[name], name=name, kind=kind_of(name))
            elif match in known:
                chosen[match] = known[match]
            else:
                fresh[match] = name
    taken = set(installed) | {u.code for u in chosen.values()}
    for match, name in fresh.items():
        chosen[match] = unit = new_unit(name, taken)
        taken.add(unit.code)
    return chosen


def _cluster_year(
    found: DecisionCluster,
    units: Mapping[tuple[str, str], Unit],
    province: str,
    year: int,
    installed: Mapping[tuple[str, int], ClusterYear],
) -> ClusterYear:
    members = tuple(dict.fromkeys(units[_match(name)] for name in found.members))
    roles = {
        "name": found.name,
        "kind": found.kind,
        "chair": units[_match(found.chair)].code if found.chair else None,
        "deputy": units[_match(found.deputy)].code if found.deputy else None,
        "chair_title": found.chair_word,
        "deputy_title": found.deputy_word,
        "units": members,
    }
    cluster = Cluster(province=province, year=year, **roles)
    before = installed.get((cluster.key, year))
    if before is None:
        title = f"Kế hoạch thi đua năm {year} của {found.name}"
        return ClusterYear(cluster=cluster, plan=Plan(title=title))
    kept = before.cluster.model_dump() | {**roles, "units": [u.model_dump() for u in members]}
    return ClusterYear.model_validate(before.model_dump() | {"cluster": kept})


def _listed(
    officers: Sequence[Officer],
    units: Mapping[tuple[str, str], Unit],
    incoming: Sequence[ClusterYear],
) -> dict[tuple[str, int], list[ListedOfficer]]:
    """The officers listed for each incoming cluster-year (none for some: theirs are cleared)."""
    holder = {u.code: d.cluster for d in incoming for u in d.cluster.units}
    by_year: dict[tuple[str, int], list[ListedOfficer]] = {
        (d.cluster.key, d.cluster.year): [] for d in incoming
    }
    for officer in officers:
        unit = units[_match(officer.unit)]
        cluster = holder[unit.code]
        by_year[cluster.key, cluster.year].append(
            ListedOfficer(
                name=officer.name,
                position=officer.position,
                unit_code=unit.code,
                unit_name=unit.name,
                phone=officer.phone,
                email=officer.email,
                telegram=officer.telegram,
                cluster_key=cluster.key,
                year=cluster.year,
            )
        )
    return by_year


async def import_province(
    db: Database,
    read: Decision | ProvinceWorkbook,
    year: int,
    province: str | None,
    now: datetime,
    dry_run: bool,
    apply: bool,
    source: str,
) -> Flagged | NeedsProvince | Invalid | ProvinceImport:
    """Import what a province's file holds as the cluster-years of ``year`` (see the module)."""
    decision = read.decision if isinstance(read, ProvinceWorkbook) else read
    if decision.flagged:
        return Flagged(decision.flagged)
    repo = ClusterRepository(db)
    records = await repo.years()
    if province is None:
        known = tuple(dict.fromkeys(r.data.cluster.province for r in records))
        if len(known) != 1:
            return NeedsProvince(known)
        province = known[0]
    installed = {(r.cluster_key, r.year): r.data for r in records}
    codes = read.codes if isinstance(read, ProvinceWorkbook) else {}
    units = _units_of(decision, codes, await repo.units())
    try:
        incoming = [_cluster_year(c, units, province, year, installed) for c in decision.clusters]
    except ValidationError as exc:
        return Invalid(str(exc.errors()[0]["msg"]))
    officers = read.officers if isinstance(read, ProvinceWorkbook) else ()
    listed = _listed(officers, units, incoming) if isinstance(read, ProvinceWorkbook) else None
    outcome = await guarded_save(repo, incoming, now, dry_run, apply, source, listed)
    return ProvinceImport(outcome, len(officers))


async def listed_officers(services: Services, cluster_key: str | None) -> list[ListedOfficer]:
    """The officers the province listed for the current year of ``cluster_key`` (every
    cluster when None), for their invitations. A listed officer is not registered: one is only
    once they redeem an invitation."""
    years = services.years
    chosen = [c for c in years.clusters() if cluster_key is None or c.key == cluster_key]
    ids = [record.id for c in chosen if (record := years.current(c.id)) is not None]
    return await ListedOfficerRepository(services.db).of_years(ids) if ids else []


def template() -> bytes:
    """The empty province workbook (``cumthidua province template``)."""
    from bot.outputs.province_template import province_template  # openpyxl only when asked

    return province_template()
