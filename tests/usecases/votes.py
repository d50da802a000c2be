"""Ballots cast as the chat door casts them: the cast's writes committed as its event's."""

from __future__ import annotations

from bot.domain.access import Actor
from bot.services.container import Services
from bot.usecases.voting import CastBallot, Person, VoteRefusal, cast_ballot
from storage.database import Writes


async def cast(
    services: Services, voter: Actor, round_id: int, picked: tuple[str, ...]
) -> CastBallot | VoteRefusal:
    """Cast ``voter``'s unit's ballot and commit it, as the event that carries it would."""
    writes, user = Writes(), str(voter.officer_id)
    person = Person("memory", user, user)
    found = await cast_ballot(services, voter, round_id, picked, person, writes)
    await services.db.commit(writes)
    return found
