"""Cross-inspection pairs (kiểm tra chéo): who inspects whom in a cluster's inspection round.

The rules: each unit inspects exactly one other and is inspected by exactly one other; nobody
inspects itself; with three or more units no two units inspect each other; pairs of earlier
rounds (last year's) are avoided as far as the cluster's size allows. The proposal is a
deterministic function of the units, the history and a seed; the chair may then swap the
inspected units of two inspectors, and a swap that would break a rule is refused.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Pair",
    "PairingProblem",
    "check_pairs",
    "propose_pairs",
    "repeats",
    "swap",
]

SEARCH_BUDGET = 200_000
"""Search steps before the best pairing found so far is returned (reached only by clusters
whose history leaves almost no fresh pair; see ``propose_pairs``)."""


@dataclass(frozen=True, slots=True, order=True)
class Pair:
    inspector: str
    inspected: str


class PairingProblem(StrEnum):
    """Why a set of pairs, or a swap, breaks the rules."""

    UNKNOWN_UNIT = "unknown_unit"
    SAME_UNIT = "same_unit"
    NOT_ONE_EACH = "not_one_each"
    SELF = "self"
    MUTUAL = "mutual"


def check_pairs(pairs: Sequence[Pair]) -> PairingProblem | None:
    """The first rule the pairs break, or None when they keep every rule."""
    inspectors = [p.inspector for p in pairs]
    inspected = [p.inspected for p in pairs]
    if len(set(inspectors)) != len(pairs) or set(inspected) != set(inspectors):
        return PairingProblem.NOT_ONE_EACH
    if any(p.inspector == p.inspected for p in pairs):
        return PairingProblem.SELF
    links = {(p.inspector, p.inspected) for p in pairs}
    if len(pairs) >= 3 and any((p.inspected, p.inspector) in links for p in pairs):
        return PairingProblem.MUTUAL
    return None


def repeats(pairs: Sequence[Pair], history: Collection[Pair]) -> tuple[Pair, ...]:
    """The pairs that were already used in an earlier round."""
    past = set(history)
    return tuple(p for p in pairs if p in past)


@dataclass
class _Search:
    """Depth-first search over inspectors (fewest choices first) with a bound on repeats."""

    codes: list[str]
    past: set[tuple[str, str]]
    preference: dict[str, list[str]]
    target: dict[str, str]
    taken: set[str]
    best: dict[str, str] | None = None
    best_cost: int = 0
    steps: int = 0

    def _choices(self, inspector: str) -> list[str]:
        mutual_banned = len(self.codes) >= 3
        return [
            code
            for code in self.preference[inspector]
            if code not in self.taken and not (mutual_banned and self.target.get(code) == inspector)
        ]

    def run(self, cost: int) -> None:
        self.steps += 1
        if self.best is not None and (self.best_cost == 0 or self.steps > SEARCH_BUDGET):
            return
        open_inspectors = [c for c in self.codes if c not in self.target]
        if not open_inspectors:
            if self.best is None or cost < self.best_cost:
                self.best, self.best_cost = dict(self.target), cost
            return
        choices = {c: self._choices(c) for c in open_inspectors}
        forced = sum(all((c, t) in self.past for t in options) for c, options in choices.items())
        if self.best is not None and cost + forced >= self.best_cost:
            return
        inspector = min(open_inspectors, key=lambda c: len(choices[c]))
        for inspected in choices[inspector]:
            self.target[inspector] = inspected
            self.taken.add(inspected)
            self.run(cost + ((inspector, inspected) in self.past))
            del self.target[inspector]
            self.taken.discard(inspected)


def propose_pairs(
    units: Collection[str], history: Collection[Pair] = (), seed: int | str = 0
) -> tuple[Pair, ...]:
    """Pairs for every unit, keeping the rules, with as few pairs of ``history`` as possible.

    The same units, history and seed always give the same pairs, whatever the order of
    ``units``. The search is exact for real clusters; only when a long history leaves almost no
    fresh pair in a large cluster does it stop after ``SEARCH_BUDGET`` steps with the best found.
    Fewer than two units give no pairs.
    """
    codes = sorted(set(units))
    if len(codes) < 2:
        return ()
    rng = random.Random(seed)
    order = list(codes)
    rng.shuffle(order)
    past = {(p.inspector, p.inspected) for p in history}
    preference = {}
    for code in order:
        others = [c for c in codes if c != code]
        rng.shuffle(others)
        preference[code] = sorted(others, key=lambda other, code=code: (code, other) in past)
    search = _Search(order, past, preference, {}, set())
    search.run(0)
    assert search.best is not None, "a pairing exists for two or more units"
    return tuple(Pair(code, search.best[code]) for code in codes)


def swap(pairs: Sequence[Pair], first: str, second: str) -> tuple[Pair, ...] | PairingProblem:
    """The pairs with the inspected units of two inspectors exchanged, or why that is refused."""
    by_inspector = {p.inspector: p.inspected for p in pairs}
    if first not in by_inspector or second not in by_inspector:
        return PairingProblem.UNKNOWN_UNIT
    if first == second:
        return PairingProblem.SAME_UNIT
    by_inspector[first], by_inspector[second] = by_inspector[second], by_inspector[first]
    swapped = tuple(Pair(p.inspector, by_inspector[p.inspector]) for p in pairs)
    return check_pairs(swapped) or swapped
