"""The year-end vote (bình xét, suy tôn) as data and pure functions.

A ballot elects ``seats`` of its candidates for one title. Each unit of the electorate casts at
most one ballot, ticking at most ``seats`` candidates (none is a blank ballot). A candidate is
elected when enough of the cluster's units (not only of those who voted) ticked it, by the
cluster-year's ``ElectionRule``. When a tie at the last seat or a short count leaves seats open,
the next round is held among the tied (or the not yet elected) candidates; after the last round
the rule says who decides: the stronger record, the chair and deputy (the bot suggests by record),
or nobody. Counting takes the choices alone, never who made them: that is what lets storage keep
who voted apart from what was voted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.scoring import FLAG, MERIT, Ranked

__all__ = [
    "AfterLastRound",
    "Ballot",
    "ChoiceProblem",
    "ElectionRule",
    "OpenReason",
    "Outcome",
    "OutcomeStatus",
    "Tally",
    "Title",
    "VoterProblem",
    "check_choice",
    "check_voter",
    "choice_bits",
    "count",
    "decide",
    "default_candidates",
    "judge",
    "read_choice",
    "tally",
    "vote_awards",
]


class Title(StrEnum):
    FLAG = "flag"
    """Cờ thi đua."""
    MERIT = "merit"
    """Bằng khen."""
    LEADING = "leading"
    """Suy tôn đơn vị dẫn đầu Cụm: proposed for the Flag where no Flag ballot was held."""
    CHAIR = "chair"
    """Next year's chair unit (Trưởng Cụm)."""
    DEPUTY = "deputy"
    """Next year's deputy unit (Phó Trưởng Cụm)."""


AWARD_TITLES = (Title.FLAG, Title.MERIT, Title.LEADING)


class AfterLastRound(StrEnum):
    """Who fills the seats still open after the last round."""

    RECORD = "record"
    """The stronger record (the ranking) fills them."""
    CHAIR_AND_DEPUTY = "chair_and_deputy"
    """The chair and deputy decide; the bot suggests the stronger record."""
    NOBODY = "nobody"
    """They stay open."""


class ElectionRule(BaseModel):
    """How a candidate is elected; configurable per cluster-year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    share: float = Field(default=0.5, gt=0, le=1)
    """The share of the cluster's units that must tick a candidate (0.8 for "từ 80 % trở lên")."""
    strictly_more: bool = True
    """True: more than ``share`` ("quá bán"); False: at least ``share``."""
    max_rounds: int = Field(default=2, ge=1, le=5)
    after_last_round: AfterLastRound = AfterLastRound.CHAIR_AND_DEPUTY
    quorum: float | None = Field(default=None, gt=0, le=1)
    """The share of the units that must have voted before the chair may close a round early
    (with ``strictly_more`` as for the election); None: the election's ``share``."""
    min_ballots: int = Field(default=3, ge=1, le=50)
    """No count is published from fewer ballots: a round that closes with fewer is void (one
    ballot counted alone is that unit's choice, two tell each voter the other's)."""

    def meets(self, votes: int, electorate: int) -> bool:
        return self._reaches(self.share, votes, electorate)

    def _reaches(self, share: float, votes: int, electorate: int) -> bool:
        needed = Fraction(str(share)) * electorate
        return votes > needed if self.strictly_more else votes >= needed

    def countable(self, cast: int) -> bool:
        """Whether a round's ballots are enough to be counted and published."""
        return cast >= self.min_ballots

    def quorum_met(self, cast: int, electorate: int) -> bool:
        """Whether the chair may close a round early with ``cast`` ballots in: every unit has
        voted, or the quorum has and the count would be published."""
        if not self.countable(cast):
            return False
        share = self.share if self.quorum is None else self.quorum
        return cast >= electorate or self._reaches(share, cast, electorate)

    def quorum_units(self, electorate: int) -> int:
        """The fewest ballots with which the chair may close a round early."""
        return next(
            (n for n in range(electorate + 1) if self.quorum_met(n, electorate)), electorate
        )


@dataclass(frozen=True, slots=True)
class Ballot:
    """One round of the vote for one title."""

    title: Title
    candidates: tuple[str, ...]
    """Unit codes, in the order shown on the ballot."""
    seats: int
    electorate: frozenset[str]
    """The units entitled to vote: the cluster's units."""
    rule: ElectionRule = field(default_factory=ElectionRule)
    round: int = 1
    elected_before: tuple[str, ...] = ()
    """Elected in the earlier rounds of the same vote."""

    def __post_init__(self) -> None:
        if not self.candidates or len(set(self.candidates)) != len(self.candidates):
            raise ValueError("a ballot needs distinct candidates")
        if not 1 <= self.seats <= len(self.candidates):
            raise ValueError("seats must be between 1 and the number of candidates")
        if not self.electorate:
            raise ValueError("a ballot needs an electorate")
        if not 1 <= self.round <= self.rule.max_rounds:
            raise ValueError("round beyond the rule's maximum")


def choice_bits(ballot: Ballot, choice: Collection[str]) -> bytes:
    """A choice as a bitmask over the ballot's candidates, one size for every choice of the
    round (a blank ballot and a full one are alike until opened)."""
    mask = sum(1 << n for n, code in enumerate(ballot.candidates) if code in set(choice))
    return mask.to_bytes((len(ballot.candidates) + 7) // 8, "big")


def read_choice(ballot: Ballot, bits: bytes) -> tuple[str, ...]:
    """The candidates a bitmask of ``choice_bits`` ticks; raises ValueError on a foreign one."""
    mask = int.from_bytes(bits, "big")
    if len(bits) != (len(ballot.candidates) + 7) // 8 or mask >> len(ballot.candidates):
        raise ValueError("the bits do not fit the ballot")
    return tuple(code for n, code in enumerate(ballot.candidates) if mask >> n & 1)


class ChoiceProblem(StrEnum):
    UNKNOWN_CANDIDATE = "unknown_candidate"
    TOO_MANY = "too_many"


class VoterProblem(StrEnum):
    NOT_ENTITLED = "not_entitled"
    ALREADY_VOTED = "already_voted"


def check_choice(ballot: Ballot, choice: Collection[str]) -> ChoiceProblem | None:
    """Why a filled-in ballot is not valid; an empty one is a valid blank ballot."""
    if any(code not in ballot.candidates for code in choice):
        return ChoiceProblem.UNKNOWN_CANDIDATE
    if len(set(choice)) > ballot.seats:
        return ChoiceProblem.TOO_MANY
    return None


def check_voter(ballot: Ballot, unit_code: str, voted: Collection[str]) -> VoterProblem | None:
    """Why a unit may not cast a ballot: one ballot per unit of the electorate, final once cast."""
    if unit_code not in ballot.electorate:
        return VoterProblem.NOT_ENTITLED
    if unit_code in voted:
        return VoterProblem.ALREADY_VOTED
    return None


@dataclass(frozen=True, slots=True)
class Tally:
    counts: dict[str, int]
    """Candidate → ballots that ticked it, in the ballot's order."""
    cast: int
    electorate: int


def tally(ballot: Ballot, choices: Iterable[Collection[str]]) -> Tally:
    """The counts of a round; raises ValueError on an invalid choice or more ballots than units."""
    counts = dict.fromkeys(ballot.candidates, 0)
    cast = 0
    for choice in choices:
        if check_choice(ballot, choice) is not None:
            raise ValueError("an invalid choice reached the count")
        cast += 1
        for code in set(choice):
            counts[code] += 1
    if cast > len(ballot.electorate):
        raise ValueError("more ballots than units entitled to vote")
    return Tally(counts, cast, len(ballot.electorate))


class OutcomeStatus(StrEnum):
    DONE = "done"
    """Every seat is filled, or the rule leaves the rest open."""
    NEXT_ROUND = "next_round"
    """A tie or a short count: ``next_round`` is the ballot to hold."""
    DECISION = "decision"
    """After the last round the chair and deputy decide among ``contenders``."""


class OpenReason(StrEnum):
    TIE = "tie"
    SHORT = "short"


@dataclass(frozen=True, slots=True)
class Outcome:
    ballot: Ballot
    tally: Tally
    status: OutcomeStatus
    elected: tuple[str, ...]
    """Every unit elected so far in this vote (earlier rounds first, then by votes)."""
    qualified: tuple[str, ...]
    """This round's candidates that met the rule, by votes."""
    open_reason: OpenReason | None = None
    contenders: tuple[str, ...] = ()
    """The candidates for the seats still open."""
    seats_left: int = 0
    by_record: tuple[str, ...] = ()
    """Filled by the record after the last round (RECORD), or suggested to the chair and deputy."""
    next_round: Ballot | None = None


def _by_votes(candidates: Sequence[str], counts: Mapping[str, int]) -> list[str]:
    return sorted(candidates, key=lambda code: -counts[code])  # stable: ballot order on ties


def _by_record(candidates: Sequence[str], record: Sequence[str]) -> list[str]:
    position = {code: index for index, code in enumerate(record)}
    return sorted(candidates, key=lambda code: (position.get(code, len(position)), code))


def count(ballot: Ballot, choices: Iterable[Collection[str]], record: Sequence[str]) -> Outcome:
    """Counts a round and applies the rule. ``record`` lists unit codes strongest first (the
    ranking); it decides after the last round where the rule says so."""
    return judge(ballot, tally(ballot, choices), record)


def judge(ballot: Ballot, result: Tally, record: Sequence[str]) -> Outcome:
    """Applies the rule to a round's counts (kept as per-candidate counters, see ``count``)."""
    if set(result.counts) != set(ballot.candidates) or result.cast > result.electorate:
        raise ValueError("the counts do not fit the ballot")
    if any(votes > result.cast for votes in result.counts.values()):
        raise ValueError("a candidate has more votes than ballots cast")
    counts, rule = result.counts, ballot.rule
    qualified = _by_votes(
        [c for c in ballot.candidates if rule.meets(counts[c], result.electorate)], counts
    )
    seats = ballot.seats
    reason: OpenReason | None = None
    if len(qualified) > seats and counts[qualified[seats]] == counts[qualified[seats - 1]]:
        boundary = counts[qualified[seats - 1]]
        now = [c for c in qualified if counts[c] > boundary]
        contenders = [c for c in qualified if counts[c] == boundary]
        reason = OpenReason.TIE
    elif len(qualified) >= seats:
        now, contenders = qualified[:seats], []
    else:
        now = qualified
        contenders = [c for c in ballot.candidates if c not in qualified]
        reason = OpenReason.SHORT
    elected = (*ballot.elected_before, *now)
    left = seats - len(now)
    base = Outcome(ballot, result, OutcomeStatus.DONE, elected, tuple(qualified))
    if left == 0:
        return base
    pending = {"open_reason": reason, "contenders": tuple(contenders), "seats_left": left}
    if ballot.round < rule.max_rounds:
        runoff = Ballot(
            ballot.title,
            tuple(contenders),
            left,
            ballot.electorate,
            rule,
            ballot.round + 1,
            elected,
        )
        return replace(base, status=OutcomeStatus.NEXT_ROUND, next_round=runoff, **pending)
    suggested = tuple(_by_record(contenders, record)[:left])
    if rule.after_last_round is AfterLastRound.RECORD:
        return replace(base, elected=(*elected, *suggested), by_record=suggested, **pending)
    if rule.after_last_round is AfterLastRound.CHAIR_AND_DEPUTY:
        return replace(base, status=OutcomeStatus.DECISION, by_record=suggested, **pending)
    return replace(base, **pending)


def decide(outcome: Outcome, chosen: Sequence[str]) -> tuple[str, ...]:
    """Everyone elected once the chair and deputy chose among the contenders after the last
    round; raises ValueError when the choice does not fit the open seats."""
    if outcome.status is not OutcomeStatus.DECISION:
        raise ValueError("this outcome needs no decision")
    if len(set(chosen)) != outcome.seats_left or not set(chosen) <= set(outcome.contenders):
        raise ValueError("choose exactly the open seats among the contenders")
    return (*outcome.elected, *chosen)


def default_candidates(
    title: Title, ranked: Sequence[Ranked], units: Sequence[str]
) -> tuple[str, ...]:
    """The ballot's candidates before the chair edits them: for an award the award-eligible
    units in ranking order; for next year's chair or deputy every unit, ranked ones first."""
    if title in AWARD_TITLES:
        return tuple(r.score.unit_code for r in ranked if r.classification.award_eligible)
    order = [r.score.unit_code for r in ranked]
    return (*order, *(code for code in units if code not in order))


def vote_awards(elected: Mapping[Title, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """The award proposals that votes decided: the Flag from the Flag ballot (else from the
    suy tôn of the leading unit), Certificates of Merit from theirs. Awards without a vote are
    absent, so the score decides them."""
    awards: dict[str, tuple[str, ...]] = {}
    flag = elected.get(Title.FLAG, elected.get(Title.LEADING))
    if flag is not None:
        awards[FLAG] = tuple(flag)
    if Title.MERIT in elected:
        awards[MERIT] = tuple(elected[Title.MERIT])
    return awards
