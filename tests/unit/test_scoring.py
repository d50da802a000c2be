"""Scoring rules: each criterion kind, classification, and properties of totals and ranking."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cluster_files import load_cluster_year
from bot.config import BUNDLED_CLUSTER
from bot.domain.scoring import (
    FLAG,
    MERIT,
    UnitScore,
    ValueProblem,
    classify,
    parse_value,
    points_for,
    rank,
)
from bot.domain.scoring_table import AwardRules, Criterion, CriterionKind, ScoringTable

TABLE = load_cluster_year(BUNDLED_CLUSTER).scoring
assert TABLE is not None
QUANT = Criterion(code="q", name="q", max=10, kind=CriterionKind.QUANTITATIVE, target=8)
AT_TARGET = QUANT.model_copy(update={"formula": "full_at_target"})
QUAL = Criterion(code="m", name="m", max=10, kind=CriterionKind.QUALITATIVE)
COUNT = Criterion(code="c", name="c", max=10, kind=CriterionKind.PER_OCCURRENCE, points_each=2.5)
BONUS = Criterion(code="b", name="b", max=5, kind=CriterionKind.BONUS_PENALTY, min=-5)


def test_each_kind() -> None:
    assert points_for(QUANT, 4) == 5 and points_for(QUANT, 12) == 10
    assert points_for(AT_TARGET, 7.9) == 0 and points_for(AT_TARGET, 8) == 10
    assert points_for(QUAL, 1) == 10 and points_for(QUAL, 0) == 0
    assert points_for(COUNT, 3) == 7.5 and points_for(COUNT, 9) == 10
    assert points_for(BONUS, -2.5) == -2.5


def test_typed_values_accept_a_comma_and_refuse_out_of_range() -> None:
    assert parse_value(QUANT, "8,5") == 8.5 == parse_value(QUANT, "8.5")
    assert parse_value(BONUS, "7") == ValueProblem("range", -5, 5)
    assert parse_value(BONUS, "-5") == -5
    assert parse_value(COUNT, "2,5") == ValueProblem("count")
    assert parse_value(QUANT, "tám") == ValueProblem("number")
    assert parse_value(QUANT, "-1").reason == "range"


def _score(code: str, points: dict[str, float], bonus: bool = False) -> UnitScore:
    return UnitScore(code, points, {"B.1": bonus})


FULL = {c.code: c.max for c in TABLE.criteria()} | {"III.3": 0.0}


def test_classification_needs_the_total_and_every_share() -> None:
    assert classify(TABLE, _score("A", FULL)).name == "Hoàn thành xuất sắc nhiệm vụ"
    weak = FULL | {"I.1": 8.0}  # 80 % of its maximum, below 85 %
    assert classify(TABLE, _score("A", weak)).name == "Hoàn thành tốt nhiệm vụ"
    assert classify(TABLE, _score("A", {})).name == "Không hoàn thành nhiệm vụ"


criterion_points = st.fixed_dictionaries(
    {
        c.code: st.floats(min_value=c.min, max_value=c.max, allow_nan=False).map(
            lambda v: round(v, 2)
        )
        for c in TABLE.criteria()
    }
)


@settings(max_examples=200, deadline=None)
@given(criterion_points, st.booleans())
def test_total_is_the_sum_of_its_parts_within_bounds(points: dict[str, float], bonus: bool) -> None:
    score = _score("A", points, bonus)
    total = score.total(TABLE)
    assert abs(total - (sum(points.values()) + (10 if bonus else 0))) < 1e-6
    assert (
        abs(total - sum(score.subtotal(TABLE, g.code) for g in TABLE.groups) - (10 if bonus else 0))
        < 1e-6
    )
    low = sum(c.min for c in TABLE.criteria())
    assert low <= total <= TABLE.max_total


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(criterion_points, st.booleans()), min_size=2, max_size=8), st.randoms())
def test_ranking_does_not_depend_on_input_order(units: list, shuffle: random.Random) -> None:
    scores = [_score(f"U{i}", points, bonus) for i, (points, bonus) in enumerate(units)]
    first = [(r.score.unit_code, r.proposal) for r in rank(TABLE, scores)]
    shuffle.shuffle(scores)
    assert [(r.score.unit_code, r.proposal) for r in rank(TABLE, scores)] == first
    assert sum(p == FLAG for _c, p in first) <= 1 and sum(p == MERIT for _c, p in first) <= 1


def test_ties_are_broken_by_the_configured_groups_then_the_code() -> None:
    a = _score("B", FULL | {"I.1": 5.0, "II.3": 10.0, "III.3": 5.0})  # group I lower
    b = _score("A", FULL | {"I.1": 10.0, "II.3": 5.0, "III.3": 5.0})  # group I higher
    c = _score("C", FULL | {"I.1": 10.0, "II.3": 5.0, "III.3": 5.0})  # identical to A
    ranked = rank(TABLE, [a, c, b])
    assert [r.score.unit_code for r in ranked] == ["A", "C", "B"]
    assert [r.tie_broken_by for r in ranked] == ["code", "I", None]


def _ranked_awards(table: ScoringTable, votes: dict | None = None) -> list[tuple]:
    scores = [_score(f"U{i}", FULL | {"III.3": float(i)}) for i in range(6)]  # U5 leads
    return [(r.score.unit_code, r.proposal, r.named_rank) for r in rank(table, scores, votes)]


def test_award_rules_are_data_flags_certificates_and_named_ranks() -> None:
    assert TABLE.awards == AwardRules()  # one Flag, one Certificate: the behaviour so far
    assert [p for _c, p, _n in _ranked_awards(TABLE)] == [FLAG, MERIT, None, None, None, None]
    rules = AwardRules(flags=2, merit_certificates=3, named_ranks=("Nhất", "Nhì", "Ba"))
    two_flags = TABLE.model_copy(update={"awards": rules})
    assert _ranked_awards(two_flags) == [
        ("U5", FLAG, "Nhất"),
        ("U4", FLAG, "Nhì"),
        ("U3", MERIT, "Ba"),
        ("U2", MERIT, None),
        ("U1", MERIT, None),
        ("U0", None, None),
    ]
    none = TABLE.model_copy(update={"awards": AwardRules(flags=0, merit_certificates=0)})
    assert {p for _c, p, _n in _ranked_awards(none)} == {None}


def test_the_proposal_follows_the_vote_where_one_was_held() -> None:
    rules = AwardRules(flags=1, merit_certificates=2, named_ranks=("Nhất", "Nhì"))
    table = TABLE.model_copy(update={"awards": rules})
    voted = _ranked_awards(table, {FLAG: ["U3"]})  # the Certificates still follow the score
    assert voted[:4] == [
        ("U5", MERIT, "Nhì"),
        ("U4", MERIT, None),
        ("U3", FLAG, "Nhất"),
        ("U2", None, None),
    ]
    both = _ranked_awards(table, {FLAG: ["U0"], MERIT: ["U0", "U1"]})
    assert [(c, p) for c, p, _n in both if p] == [("U1", MERIT), ("U0", FLAG)]


def test_tables_written_before_the_award_rules_still_load() -> None:
    data = TABLE.model_dump(exclude={"awards"}) | {"merit_certificates": 3}
    assert ScoringTable.model_validate(data).awards == AwardRules(merit_certificates=3)
    data["awards"] = {"flags": 2}
    assert ScoringTable.model_validate(data).awards == AwardRules(flags=2, merit_certificates=3)


def test_the_named_rank_is_shown_with_the_award() -> None:
    from bot.i18n import translator
    from bot.outputs.ranking_text import proposal_label

    table = TABLE.model_copy(update={"awards": AwardRules(named_ranks=("Nhất", "Nhì", "Ba"))})
    scores = [_score(f"U{i}", FULL | {"III.3": float(i)}) for i in range(4)]
    labels = [proposal_label(r, translator("vi")) for r in rank(table, scores)]
    assert labels == ["hạng Nhất — Cờ thi đua", "hạng Nhì — Bằng khen", "hạng Ba", ""]
