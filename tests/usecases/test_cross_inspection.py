"""The cross-inspection round's use cases on real storage: proposed pairs, the round set up
(minutes added to the plan, the inspecting units told), who may answer, the answer kept and the
chair told."""

from __future__ import annotations

from datetime import date

from bot.domain.access import Actor, Role
from bot.domain.pairing import check_pairs
from bot.services.container import Services
from bot.usecases.cross_inspection import (
    MINUTES,
    answerable_round,
    inspection_status,
    open_round,
    proposed_pairs,
    record_answer,
    repeats_earlier_years,
)
from tests.usecases.officers import unit_actors

DUE = date(2022, 11, 30)


async def _keys(services: Services, prefix: str) -> list[str]:
    rows = await services.db.fetchall("SELECT key FROM outbox ORDER BY key")
    return [r["key"] for r in rows if r["key"].startswith(services.year_key(prefix))]


async def test_the_round_is_set_up_and_the_inspecting_units_told(services: Services) -> None:
    people = await unit_actors(services)
    assert await inspection_status(services) is None
    pairs = await proposed_pairs(services)
    units = [u.code for u in services.cluster_year.cluster.units]
    assert check_pairs(pairs) is None
    assert sorted(p.inspector for p in pairs) == sorted(units)
    assert not await repeats_earlier_years(services, pairs)  # no earlier year
    round_id = await open_round(services, people["TG"], pairs, DUE)
    status = await inspection_status(services)
    assert status is not None and status.due == DUE
    assert [p.pair for p in status.pairs] == sorted(pairs, key=lambda p: p.inspector)
    assert not any(p.sent for p in status.pairs) and status.answers == ()
    plan = services.scoped(services.year.id).cluster_year.plan
    [minutes] = [d for d in plan.deliverables if d.code == MINUTES]
    assert (minutes.due, set(minutes.owed_by)) == (DUE, set(units))
    told = await _keys(services, f"inspection:{round_id}:")
    assert len(told) == len(people)  # one chat per inspecting unit's officer


async def test_the_inspected_unit_answers_and_the_chair_is_told(services: Services) -> None:
    people = await unit_actors(services)
    pairs = await proposed_pairs(services)
    round_id = await open_round(services, people["TG"], pairs, DUE)
    ma = people["MA"]
    assert await answerable_round(services, ma, round_id)
    assert not await answerable_round(services, ma, round_id + 1)
    observer = Actor(0, "Observer", None, Role.OBSERVER)
    assert not await answerable_round(services, observer, round_id)
    answer_id = await record_answer(services, ma, round_id, "Đã khắc phục.")
    status = await inspection_status(services)
    assert status is not None
    assert [(a.unit_code, a.text) for a in status.answers] == [("MA", "Đã khắc phục.")]
    told = await _keys(services, f"inspection-answer:{round_id}:{answer_id}:")
    assert told and all(":memory:tg" in key for key in told)  # the chair unit's officer
