"""Importing the province's official scoring table (chat /nhapbangdiem or the command line):
read in the capped worker, previewed with its flagged rows and sums, made the cluster-year's
table. Before the first self-score it simply applies; after one, it becomes a new version only
when the chair confirms, and every unit is told through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.delivery.outbox_keys import scoring_changed_key
from bot.domain.access import Actor
from bot.domain.scoring_import import Flag, ImportedTable, TableNotConvertible, to_scoring_table
from bot.domain.scoring_table import ScoringTable
from bot.services.container import Services
from bot.services.file_checks import read_scoring_table_file
from bot.services.notices import notify_officers
from bot.texts.score_notices import scoring_changed_notice
from storage.scoring_tables import NotApplied

__all__ = ["Applied", "NotApplied", "NotConvertible", "Preview", "apply", "preview", "read"]


@dataclass(frozen=True, slots=True)
class Preview:
    imported: ImportedTable
    table: ScoringTable | None
    """The table as the cluster-year would hold it; None when it cannot (see ``reasons``)."""
    reasons: tuple[str, ...]
    scored: bool
    """A unit has sent its self-score: applying makes a new version the chair confirms."""

    @property
    def applicable(self) -> bool:
        """Nothing stands in the way but, after a self-score, the chair's confirmation."""
        return self.table is not None and not self.imported.mismatches()


@dataclass(frozen=True, slots=True)
class Applied:
    version: int
    told: int
    """How many messages to units' officers were queued (a table applied after scores)."""


@dataclass(frozen=True, slots=True)
class NotConvertible:
    """Rows the model cannot hold (``reasons``), or sums that disagree (``mismatches``)."""

    reasons: tuple[str, ...]
    mismatches: tuple[Flag, ...]


@cache
def _default_base() -> ScoringTable:
    """Classifications and award rules for a cluster-year that has no table yet: the bundled
    table's (the ranks of the national rules), scaled to the imported total."""
    table = load_cluster_year(BUNDLED_CLUSTER).scoring
    assert table is not None
    return table


async def read(services: Services, data: bytes) -> ImportedTable:
    """The table a document holds; raises UnsafeFile or UnreadableDocument."""
    return await read_scoring_table_file(services.settings, data)


async def preview(services: Services, imported: ImportedTable) -> Preview:
    base = services.cluster_year.scoring or _default_base()
    try:
        table: ScoringTable | None = to_scoring_table(imported, base)
        reasons: tuple[str, ...] = ()
    except TableNotConvertible as exc:
        table, reasons = None, tuple(exc.reasons)
    scored = bool(await services.scores.latest())
    return Preview(imported, table, reasons, scored)


async def apply(
    services: Services, imported: ImportedTable, by: Actor | None, source: str, confirmed: bool
) -> Applied | NotApplied | NotConvertible:
    """Make the table the cluster-year's (``by`` None: the command line). After a unit's
    self-score only when ``confirmed``; every unit's officers are then told."""
    seen = await preview(services, imported)
    if seen.table is None or not seen.applicable:
        return NotConvertible(seen.reasons, tuple(imported.mismatches()))
    officer_id, who = (None, "cli") if by is None else (by.officer_id, f"officer:{by.officer_id}")
    version = await services.scoring_tables.apply(
        seen.table, source, officer_id, who, confirmed, services.clock.now()
    )
    if isinstance(version, NotApplied):
        return version
    await services.years.load()
    services.cluster_year = services.years.get(services.year.id).data
    told = 0
    if await services.scores.latest():  # a sheet sent since the preview counts too
        units = {u.code for u in services.cluster_year.cluster.units}
        officers = [
            o
            for o in await services.officers.active()
            if o.unit_code in units and o.id != officer_id  # not the chair who confirmed
        ]
        key = services.year_key(scoring_changed_key(version))
        notice = scoring_changed_notice(seen.table.title, version)
        told = await notify_officers(services, officers, key, notice)
    return Applied(version, told)
