"""Cross-inspection pairs (kiểm tra chéo): who inspects whom in a cluster's inspection round.

The rules: each unit inspects exactly one other and is inspected by exactly one other; nobody
inspects itself; with three or more units no two units inspect each other; pairs of earlier
rounds (last year's) are avoided as far as the cluster's size allows. The proposal is a
deterministic function of the units, the history and a seed; the chair may then swap the
inspected units of two inspectors, and a swap that would break a rule is refused.
"""

from __future__ import annotations

import heapq
import itertools
import math
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

SEARCH_BUDGET = 200
"""Assignments solved before the best pairing found so far is returned (reached only when a
long history leaves almost no fresh pair; see ``propose_pairs``)."""


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


FORBIDDEN = 1e9
"""The cost of an arc no pairing may use (a unit inspecting itself, a branch's excluded arc)."""


def _assignment(cost: list[list[float]]) -> list[int]:
    """The least-cost perfect assignment row → column (Hungarian method, O(n³))."""
    size = len(cost)
    row_price, column_price = [0.0] * (size + 1), [0.0] * (size + 1)
    owner, way = [0] * (size + 1), [0] * (size + 1)
    for row in range(1, size + 1):
        owner[0], column = row, 0
        slack, used = [math.inf] * (size + 1), [False] * (size + 1)
        while True:
            used[column] = True
            current, delta, next_column = owner[column], math.inf, 0
            for j in range(1, size + 1):
                if not used[j]:
                    reduced = cost[current - 1][j - 1] - row_price[current] - column_price[j]
                    if reduced < slack[j]:
                        slack[j], way[j] = reduced, column
                    if slack[j] < delta:
                        delta, next_column = slack[j], j
            for j in range(size + 1):
                if used[j]:
                    row_price[owner[j]] += delta
                    column_price[j] -= delta
                else:
                    slack[j] -= delta
            column = next_column
            if owner[column] == 0:
                break
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    target = [0] * size
    for j in range(1, size + 1):
        target[owner[j] - 1] = j - 1
    return target


def _total(cost: list[list[float]], target: list[int]) -> float:
    return sum(cost[i][j] for i, j in enumerate(target))


def _mutual(target: list[int]) -> tuple[int, int] | None:
    return next(((i, j) for i, j in enumerate(target) if i < j and target[j] == i), None)


def _merge_mutual(cost: list[list[float]], target: list[int]) -> list[int]:
    """Each pair of units inspecting each other (a ⇄ b) joined to another cycle at its cheapest
    arc c → d, giving a → b → d … c → a; this never makes a new mutual pair."""
    target = list(target)
    while (found := _mutual(target)) is not None:
        a, b = found
        c = min(
            (c for c in range(len(target)) if c not in (a, b)),
            key=lambda c: cost[b][target[c]] + cost[c][a] - cost[b][a] - cost[c][target[c]],
        )
        target[b], target[c] = target[c], a
    return target


def _least_repeats(cost: list[list[float]]) -> list[int]:
    """Branch and bound over assignments: an assignment's cost bounds every pairing below it; a
    mutual pair a ⇄ b branches into "a does not inspect b" and "b does not inspect a"."""
    best = _merge_mutual(cost, _assignment(cost))
    best_cost = _total(cost, best)
    frontier: list[tuple[float, int, frozenset[tuple[int, int]]]] = [(0.0, 0, frozenset())]
    for node in itertools.count():
        if not frontier or node >= SEARCH_BUDGET:
            break
        _bound, _order, excluded = heapq.heappop(frontier)
        trial = [list(row) for row in cost]
        for i, j in excluded:
            trial[i][j] = FORBIDDEN
        target = _assignment(trial)
        bound = _total(trial, target)
        if bound >= min(best_cost, FORBIDDEN):
            continue
        mutual = _mutual(target)
        candidate = _merge_mutual(cost, target) if mutual else target
        if _total(cost, candidate) < best_cost:
            best, best_cost = candidate, _total(cost, candidate)
        if mutual is not None:
            a, b = mutual
            for arc in ((a, b), (b, a)):
                heapq.heappush(frontier, (bound, len(frontier) + node, excluded | {arc}))
    return best


def propose_pairs(
    units: Collection[str], history: Collection[Pair] = (), seed: int | str = 0
) -> tuple[Pair, ...]:
    """Pairs for every unit, keeping the rules, with as few pairs of ``history`` as possible.

    The same units, history and seed always give the same pairs, whatever the order of
    ``units``: each pair costs 1 if it repeats history plus a small seeded amount that chooses
    among equally fresh pairings (all of them together below 1). The search is exact; only a
    history that leaves almost no fresh pair could make it stop after ``SEARCH_BUDGET``
    assignments with the best found. Fewer than two units give no pairs.
    """
    codes = sorted(set(units))
    size = len(codes)
    if size < 2:
        return ()
    if size == 2:
        return (Pair(codes[0], codes[1]), Pair(codes[1], codes[0]))
    rng = random.Random(seed)
    past = {(p.inspector, p.inspected) for p in history}
    cost = [
        [FORBIDDEN if a == b else float((a, b) in past) + rng.random() / (size + 1) for b in codes]
        for a in codes
    ]
    target = _least_repeats(cost)
    return tuple(Pair(code, codes[target[i]]) for i, code in enumerate(codes))


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
