"""The audit log as read through its use case."""

from __future__ import annotations

from bot.domain.access import Role
from bot.domain.invitations import NewInvitation
from bot.services.container import Services
from bot.usecases import audit_log, invitations


async def test_entries_come_oldest_first_with_who_did_it(services: Services) -> None:
    made = await invitations.invite(services, "MA", Role.MEMBER, None)
    assert isinstance(made, NewInvitation)
    await invitations.revoke(services, made.id, None)
    entries = await audit_log.entries(services)
    assert [(e.actor, e.action) for e in entries[-2:]] == [
        ("cli", "invitation.created"),
        ("cli", "invitation.revoked"),
    ]
