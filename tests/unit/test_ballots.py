"""The vote's rules: the share, ties and short counts, the rounds, what decides after the last."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.ballots import (
    AfterLastRound,
    Ballot,
    ChoiceProblem,
    ElectionRule,
    OutcomeStatus,
    Title,
    VoterProblem,
    check_choice,
    check_voter,
    choice_bits,
    count,
    decide,
    default_candidates,
    read_choice,
    tally,
    vote_awards,
)
from bot.domain.scoring import FLAG, MERIT, UnitScore, rank
from bot.domain.scoring_table import ScoringTable

UNITS = frozenset({"TG", "MA", "DB", "ML", "DBP"})
RECORD = ("MA", "TG", "ML", "DB", "DBP")
EIGHTY = ElectionRule(share=0.8, strictly_more=False)


def _ballot(candidates: str, seats: int = 1, rule: ElectionRule = EIGHTY) -> Ballot:
    return Ballot(Title.FLAG, tuple(candidates.split()), seats, UNITS, rule)


def test_the_share_counts_the_clusters_units_not_the_ballots_cast() -> None:
    assert EIGHTY.meets(4, 5) and not EIGHTY.meets(3, 5)
    half = ElectionRule()  # more than half
    assert half.meets(3, 5) and not half.meets(2, 4) and half.meets(3, 4)
    assert ElectionRule(share=0.5, strictly_more=False).meets(2, 4)
    # Three units voted, all for MA: 3 of 5 units is short of 80 %.
    outcome = count(_ballot("MA TG"), [{"MA"}] * 3, RECORD)
    assert outcome.elected == () and outcome.status is OutcomeStatus.NEXT_ROUND


def test_elected_in_the_first_round() -> None:
    outcome = count(_ballot("MA TG"), [{"MA"}] * 4 + [{"TG"}], RECORD)
    assert outcome.status is OutcomeStatus.DONE and outcome.elected == ("MA",)
    assert outcome.tally.counts == {"MA": 4, "TG": 1} and outcome.tally.cast == 5


def test_a_tie_at_the_last_seat_goes_to_a_second_round_among_the_tied() -> None:
    ballot = _ballot("MA TG ML DB", seats=2, rule=ElectionRule(share=0.4, strictly_more=False))
    choices = [{"MA", "TG"}, {"MA", "ML"}, {"MA", "TG"}, {"ML", "DB"}, {"MA"}]
    first = count(ballot, choices, RECORD)
    assert first.status is OutcomeStatus.NEXT_ROUND and first.open_reason == "tie"
    assert first.elected == ("MA",) and first.contenders == ("TG", "ML") and first.seats_left == 1
    second = first.next_round
    assert second is not None and second.round == 2 and second.candidates == ("TG", "ML")
    final = count(second, [{"ML"}, {"ML"}, {"TG"}, {"ML"}, set()], RECORD)
    assert final.status is OutcomeStatus.DONE and final.elected == ("MA", "ML")


def test_a_short_count_goes_to_a_second_round_among_those_not_elected() -> None:
    first = count(_ballot("MA TG ML", seats=2), [{"MA", "TG"}] * 2 + [{"MA", "ML"}] * 2, RECORD)
    assert first.open_reason == "short" and first.elected == ("MA",)
    assert first.next_round is not None and first.next_round.candidates == ("TG", "ML")


@pytest.mark.parametrize(
    ("after", "status", "elected", "by_record"),
    [
        (AfterLastRound.RECORD, OutcomeStatus.DONE, ("TG",), ("TG",)),
        (AfterLastRound.CHAIR_AND_DEPUTY, OutcomeStatus.DECISION, (), ("TG",)),
        (AfterLastRound.NOBODY, OutcomeStatus.DONE, (), ()),
    ],
)
def test_after_the_last_round_the_rule_decides(
    after: AfterLastRound, status: OutcomeStatus, elected: tuple, by_record: tuple
) -> None:
    rule = ElectionRule(share=0.8, strictly_more=False, max_rounds=1, after_last_round=after)
    outcome = count(_ballot("ML TG", rule=rule), [{"ML"}, {"ML"}, {"TG"}, {"TG"}], RECORD)
    assert (outcome.status, outcome.elected, outcome.by_record) == (status, elected, by_record)
    assert outcome.contenders == ("ML", "TG") and outcome.next_round is None


def test_the_chair_and_deputy_decide_within_the_open_seats() -> None:
    rule = EIGHTY.model_copy(update={"max_rounds": 1})
    outcome = count(_ballot("ML TG", rule=rule), [{"ML"}, {"TG"}], RECORD)
    assert decide(outcome, ["ML"]) == ("ML",)
    with pytest.raises(ValueError):
        decide(outcome, ["MA"])
    with pytest.raises(ValueError):
        decide(outcome, ["ML", "TG"])


def test_one_unit_one_valid_ballot() -> None:
    ballot = _ballot("MA TG", seats=1)
    assert check_voter(ballot, "MA", voted={"TG"}) is None
    assert check_voter(ballot, "MA", voted={"MA"}) is VoterProblem.ALREADY_VOTED
    assert check_voter(ballot, "XX", voted=()) is VoterProblem.NOT_ENTITLED
    assert check_choice(ballot, {"MA", "TG"}) is ChoiceProblem.TOO_MANY
    assert check_choice(ballot, {"XX"}) is ChoiceProblem.UNKNOWN_CANDIDATE
    assert check_choice(ballot, set()) is None  # a blank ballot
    with pytest.raises(ValueError):
        tally(ballot, [{"MA"}] * 6)
    with pytest.raises(ValueError):
        tally(ballot, [{"MA", "TG"}])
    with pytest.raises(ValueError):
        Ballot(Title.MERIT, ("MA", "MA"), 1, UNITS)
    with pytest.raises(ValueError):
        Ballot(Title.MERIT, ("MA",), 2, UNITS)


def test_votes_name_the_awards_and_candidates_default_to_the_ranking() -> None:
    assert vote_awards({Title.LEADING: ("MA",), Title.MERIT: ("TG", "ML")}) == {
        FLAG: ("MA",),
        MERIT: ("TG", "ML"),
    }
    assert vote_awards({Title.FLAG: ("TG",), Title.LEADING: ("MA",)}) == {FLAG: ("TG",)}
    assert vote_awards({Title.CHAIR: ("ML",)}) == {}
    table = ScoringTable.model_validate(
        {
            "title": "t",
            "groups": [{"code": "I", "name": "I", "items": [_criterion()]}],
            "classifications": [
                {"name": "good", "min_total": 5, "award_eligible": True},
                {"name": "weak", "min_total": 0},
            ],
        }
    )
    ranked = rank(table, [UnitScore(c, {"c": p}) for c, p in (("A", 9), ("B", 2), ("C", 7))])
    assert default_candidates(Title.FLAG, ranked, ["A", "B", "C", "D"]) == ("A", "C")
    assert default_candidates(Title.CHAIR, ranked, ["A", "B", "C", "D"]) == ("A", "C", "B", "D")


def _criterion() -> dict[str, object]:
    return {"code": "c", "name": "c", "max": 10, "kind": "bonus_penalty"}


rules = st.builds(
    ElectionRule,
    share=st.sampled_from([0.5, 2 / 3, 0.8, 1.0, 0.3]),
    strictly_more=st.booleans(),
    max_rounds=st.integers(1, 3),
    after_last_round=st.sampled_from(list(AfterLastRound)),
)


@st.composite
def votes(draw: st.DrawFn) -> tuple[Ballot, list[list[set[str]]]]:
    electorate = [f"U{i}" for i in range(draw(st.integers(2, 12)))]
    candidates = draw(st.lists(st.sampled_from(electorate), min_size=1, unique=True))
    seats = draw(st.integers(1, len(candidates)))
    rule = draw(rules)
    ballot = Ballot(Title.MERIT, tuple(candidates), seats, frozenset(electorate), rule)
    voters = draw(st.integers(0, len(electorate)))
    rounds = [
        [set(draw(st.lists(st.sampled_from(candidates), max_size=seats))) for _ in range(voters)]
        for _round in range(rule.max_rounds)
    ]
    return ballot, rounds


@settings(max_examples=400, deadline=None)
@given(votes(), st.randoms())
def test_a_whole_vote_keeps_the_rule_over_every_round(
    vote: tuple[Ballot, list[list[set[str]]]], shuffle: random.Random
) -> None:
    ballot, rounds = vote
    record = sorted(ballot.electorate)
    current = ballot
    for choices in rounds:
        round_choices = [set(sorted(c & set(current.candidates))[: current.seats]) for c in choices]
        outcome = count(current, round_choices, record)
        shuffle.shuffle(round_choices)
        assert (
            count(current, round_choices, record) == outcome
        )  # the order of ballots is irrelevant
        counts = outcome.tally.counts
        assert sum(counts.values()) == sum(len(c) for c in round_choices)
        assert len(set(outcome.elected)) == len(outcome.elected) <= ballot.seats
        by_votes = outcome.elected[len(current.elected_before) :]
        by_votes = tuple(code for code in by_votes if code not in outcome.by_record)
        for code in by_votes:
            assert ballot.rule.meets(counts[code], len(ballot.electorate))
            assert all(counts[code] >= counts[other] for other in outcome.contenders)
        if outcome.status is OutcomeStatus.NEXT_ROUND:
            assert outcome.next_round is not None
            assert outcome.next_round.candidates == outcome.contenders
            assert outcome.next_round.seats == outcome.seats_left > 0
            current = outcome.next_round
            continue
        if outcome.status is OutcomeStatus.DECISION:
            assert len(decide(outcome, outcome.by_record)) == ballot.seats
        elif ballot.rule.after_last_round is not AfterLastRound.NOBODY:
            assert len(outcome.elected) == ballot.seats
        break
    else:
        pytest.fail("the vote went past the rule's last round")


def test_a_choice_is_bits_of_one_size_for_every_choice_of_the_round() -> None:
    ballot = _ballot("MA TG ML DB DBP TG2 TG3 TG4 TG5", seats=3)
    sizes = {len(choice_bits(ballot, c)) for c in ((), ("MA",), ("MA", "TG", "TG5"))}
    assert sizes == {2}
    assert read_choice(ballot, choice_bits(ballot, ("TG5", "MA"))) == ("MA", "TG5")
    assert read_choice(ballot, choice_bits(ballot, ())) == ()
    with pytest.raises(ValueError):
        read_choice(ballot, b"\x02\x00")  # a tick beyond the candidates
    with pytest.raises(ValueError):
        read_choice(ballot, b"\x01")  # not this round's size


def test_the_quorum_and_the_minimum_of_ballots() -> None:
    half = ElectionRule()  # more than half of 5: 3; at least 3 ballots
    assert [half.quorum_met(n, 5) for n in range(6)] == [False] * 3 + [True] * 3
    assert half.quorum_units(5) == 3
    assert ElectionRule(quorum=0.8, strictly_more=False).quorum_units(5) == 4
    assert ElectionRule(min_ballots=4).quorum_units(5) == 4  # the minimum binds first
    assert not ElectionRule().quorum_met(2, 2)  # every unit voted, but two can't stay secret
    assert ElectionRule().countable(3) and not ElectionRule().countable(2)
