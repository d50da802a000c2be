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


async def test_a_chair_reads_what_concerns_the_cluster_an_admin_everything(
    services: Services,
) -> None:
    from bot.usecases.audit_log import audit_rows
    from tests.usecases.officers import actor

    chair = await actor(services, "c1", "TG", Role.CHAIR)
    admin = await actor(services, "a1", None, Role.ADMIN)
    made = await invitations.invite(services, "MA", Role.MEMBER, chair)
    assert isinstance(made, NewInvitation)
    await services.audit.record(services.clock.now(), "cli", "other.thing", "cluster:99")
    seen_by_chair = await audit_rows(services, chair)
    assert ("invitation.created", chair.name) in {(r.action, r.who) for r in seen_by_chair}
    assert "other.thing" not in {r.action for r in seen_by_chair}
    assert "other.thing" in {r.action for r in await audit_rows(services, admin)}
