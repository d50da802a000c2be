"""The stored rounds counted under their rule, and what the finished votes decided; from the
counts written at each close (``storage.ballots``), never from who voted. A void round (closed
with too few ballots) has no outcome."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.ballots import Outcome, OutcomeStatus, Title, decide, judge
from bot.services.container import Services
from storage.ballots import StoredRound

__all__ = ["closed_outcomes", "counted", "elected"]


async def counted(services: Services, stored: StoredRound, record: Sequence[str]) -> Outcome:
    """A round's outcome; ``record`` lists unit codes strongest first (the ranking)."""
    return judge(stored.as_ballot, await services.ballots.tally(stored), record)


async def closed_outcomes(services: Services, record: Sequence[str]) -> list[Outcome]:
    """The outcome of every counted round, in the order held."""
    rounds = await services.ballots.rounds()
    return [await counted(services, r, record) for r in rounds if r.counted]


async def elected(services: Services, record: Sequence[str]) -> dict[Title, tuple[str, ...]]:
    """Who each finished vote elected (the last counted round of each ballot decides)."""
    last: dict[int, StoredRound] = {}
    for stored in await services.ballots.rounds():
        if stored.counted:
            last[stored.ballot.id] = stored
    found: dict[Title, tuple[str, ...]] = {}
    for stored in last.values():
        result = await counted(services, stored, record)
        if result.status is OutcomeStatus.DONE:
            found[stored.ballot.title] = result.elected
        elif result.status is OutcomeStatus.DECISION and stored.ballot.decided is not None:
            found[stored.ballot.title] = decide(result, stored.ballot.decided)
    return found
