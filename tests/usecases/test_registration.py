"""Joining as a use case: welcomed into the code's cluster-year, refused with a reason, and
locked out after too many wrong codes."""

from __future__ import annotations

from bot.domain.access import Role
from bot.domain.invitations import Claimant, Joined, NewInvitation, Redemption
from bot.services.container import Services
from bot.usecases import invitations, registration
from tests.clusters import add_highland


def _who(user: str) -> Claimant:
    return Claimant("telegram", user, user, f"Người {user}")


async def test_a_code_of_another_cluster_welcomes_into_that_cluster_year(
    services: Services,
) -> None:
    highland = await add_highland(services)
    made = await invitations.invite(highland, "MC", Role.MEMBER, None)
    assert isinstance(made, NewInvitation)
    found = await registration.join(services, _who("7"), made.code)
    assert isinstance(found, registration.Welcomed)
    assert found.joined.outcome is Redemption.JOINED
    assert found.services.year.id == highland.year.id
    actor = await services.officers.actor("telegram", "7", services.clock.now())
    assert actor is not None
    assert await registration.linked_channels(services, actor) == ("telegram",)


async def test_wrong_codes_lock_the_chat_out_and_nothing_is_registered(
    services: Services,
) -> None:
    for _ in range(services.settings.join_max_failures):
        refused = await registration.join(services, _who("8"), "ABCD-EFGH")
        assert isinstance(refused, Joined) and refused.outcome is Redemption.UNKNOWN
    made = await invitations.invite(services, "ML", Role.MEMBER, None)
    assert isinstance(made, NewInvitation)
    locked = await registration.join(services, _who("8"), made.code)
    assert isinstance(locked, registration.LockedOut)
    assert locked.until > services.clock.now()
    assert await services.officers.actor("telegram", "8", services.clock.now()) is None


async def test_an_officer_already_registered_is_told_so_without_counting_a_failure(
    services: Services,
) -> None:
    first = await invitations.invite(services, "DBP", Role.MEMBER, None)
    second = await invitations.invite(services, "DBP", Role.MEMBER, None)
    assert isinstance(first, NewInvitation) and isinstance(second, NewInvitation)
    assert isinstance(
        await registration.join(services, _who("5"), first.code), registration.Welcomed
    )
    for _ in range(services.settings.join_max_failures + 1):
        again = await registration.join(services, _who("5"), second.code)
        assert isinstance(again, Joined) and again.outcome is Redemption.ALREADY
