"""Whole plans of other clusters and years (``tests/plan_corpus.py``): every reader gives each
document's rows, chair and members."""

from __future__ import annotations

import pytest

from bot.domain.plan_documents import read_plan_document
from bot.domain.plan_import import extract_plan
from tests.plan_corpus import CASES, PlanCase


def test_the_corpus_covers_the_shapes_of_real_plans() -> None:
    assert len(CASES) >= 8
    assert {c.data()[:4] for c in CASES} >= {b"%PDF", b"PK\x03\x04"}
    assert any(c.year < 2025 for c in CASES) and any(c.year >= 2025 for c in CASES)
    assert any(c.chair[0] == "sở" for c in CASES) and any(not c.rows for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_document_gives_its_rows_chair_and_members(case: PlanCase) -> None:
    plan = extract_plan(read_plan_document(case.data()))
    assert plan.year == case.year
    rows = [(t.number, t.start, t.end, "flag" if t.flagged else t.recurrence) for t in plan.tasks]
    assert rows == case.expected
    assert plan.chair == case.chair
    assert plan.members == case.members
    assert all(t.title and t.frame for t in plan.tasks)
    written = [r for r in case.rows if not isinstance(r, str)]
    if written:  # a table: each cell where it belongs, joined where it was broken or merged
        cells = [(t.title, t.responsible, t.coordinating, t.frame, t.notes) for t in plan.tasks]
        assert cells == [tuple(" ".join(c.split()) for c in r[1:]) for r in written]
