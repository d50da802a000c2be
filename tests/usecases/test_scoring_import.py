"""The province's scoring table applied to a cluster-year: before the first self-score it simply
applies; after one only when confirmed, as a new version every unit is told of; a table whose
sums disagree or a locked year changes nothing; a version is kept per cluster-year."""

from __future__ import annotations

from bot.delivery.outbox_keys import KeyPrefix, scoring_changed_key
from bot.domain.score_sheet import SheetEntries
from bot.domain.scoring_import import read_scoring_table
from bot.i18n import translator
from bot.services.container import Services
from bot.texts.score_notices import scoring_changed_notice
from bot.usecases import score_lock, scoring_import, self_scoring
from bot.usecases.scoring_import import Applied, NotApplied, NotConvertible
from bot.usecases.self_scoring import Sent
from tests.scoring_corpus import COMMUNES_2026, DISTRICTS_2024, WRONG_SUMS
from tests.usecases.officers import unit_actors


def _full(services: Services) -> SheetEntries:
    table = services.cluster_year.scoring
    assert table is not None
    entries = SheetEntries()
    for criterion in table.criteria():
        entries = entries.scored(criterion.code, 0.0, 0.0)
    return entries


async def test_before_the_first_self_score_the_table_simply_applies(services: Services) -> None:
    imported = read_scoring_table(DISTRICTS_2024.data())
    seen = await scoring_import.preview(services, imported)
    assert seen.applicable and not seen.scored and seen.table is not None
    done = await scoring_import.apply(services, imported, None, "bang-diem.docx", confirmed=False)
    assert done == Applied(1, 0)
    table = services.cluster_year.scoring
    assert table is not None and table.title == DISTRICTS_2024.title
    assert services.years.get(services.year.id).data.scoring == table  # stored, not cached only
    assert await services.scoring_tables.latest_version() == 1
    [entry] = await services.audit.entries("scoring.")
    assert (entry.action, entry.actor) == ("scoring.applied", "cli")


async def test_after_a_self_score_only_a_confirmed_table_applies_and_units_are_told(
    services: Services,
) -> None:
    actors = await unit_actors(services)
    assert isinstance(await self_scoring.send(services, actors["MA"], _full(services)), Sent)
    before = services.cluster_year.scoring
    imported = read_scoring_table(COMMUNES_2026.data())
    assert (await scoring_import.preview(services, imported)).scored
    refused = await scoring_import.apply(services, imported, actors["TG"], "x.xlsx", False)
    assert refused is NotApplied.SCORED and services.cluster_year.scoring == before
    done = await scoring_import.apply(services, imported, actors["TG"], "x.xlsx", True)
    assert isinstance(done, Applied) and done.version == 1
    assert done.told == len(actors) - 1  # one officer of each unit, but the one who confirmed
    told = KeyPrefix(services.year_key(scoring_changed_key(1)))
    assert await services.outbox.repo.statuses(told) == {"pending": len(actors) - 1}
    text = scoring_changed_notice(COMMUNES_2026.title, 1)(translator("vi")).text
    assert "phiên bản mới (1)" in text and "/chamdiem" in text


async def test_sums_that_disagree_or_a_lock_change_nothing(services: Services) -> None:
    actors = await unit_actors(services)
    before = services.cluster_year.scoring
    wrong = read_scoring_table(WRONG_SUMS.data())
    found = await scoring_import.apply(services, wrong, None, "sai.docx", confirmed=True)
    assert isinstance(found, NotConvertible)
    assert [(f.code, f.rows) for f in found.mismatches] == [("1", (4, 5)), ("II", (8, 9))]
    assert await score_lock.lock(services, actors["TG"], "hội nghị tổ chức sớm") is True
    good = read_scoring_table(DISTRICTS_2024.data())
    assert await scoring_import.apply(services, good, None, "x.docx", True) is NotApplied.LOCKED
    assert services.cluster_year.scoring == before
    assert await services.scoring_tables.latest_version() == 0
