"""Invitations as a use case: the same door for the chair in chat and the command line."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access import Actor, Role, RoleMismatch
from bot.domain.invitations import Claimant, NewInvitation, Redemption
from bot.services.container import Services
from bot.usecases import invitations
from tests.clusters import join


async def _chair(services: Services) -> Actor:
    officer = await join(services, "telegram", "1", "TG", Role.CHAIR)
    actor = await services.officers.actor("telegram", "1", services.clock.now())
    assert actor is not None and actor.officer_id == officer
    return actor


async def test_a_chair_invites_a_member_officer_and_the_code_redeems(services: Services) -> None:
    chair = await _chair(services)
    made = await invitations.invite(services, "MA", Role.MEMBER, chair)
    assert isinstance(made, NewInvitation)
    assert made.role is Role.MEMBER and made.unit_code == "MA"
    valid = timedelta(days=services.settings.invite_valid_days)
    assert made.expires_at == services.clock.now() + valid
    assert [i.id for i in await invitations.open_invitations(services)] == [made.id]
    who = Claimant("telegram", "2", "2", "Lò Thị Hằng")
    joined = await services.invitations.redeem(made.code, who, services.clock.now())
    assert joined.outcome is Redemption.JOINED
    assert await invitations.open_invitations(services) == []


async def test_the_role_must_fit_the_unit_and_admins_come_from_the_command_line(
    services: Services,
) -> None:
    chair = await _chair(services)
    assert isinstance(await invitations.invite(services, "MA", Role.CHAIR, chair), RoleMismatch)
    refused = await invitations.invite(services, None, Role.ADMIN, chair)
    assert isinstance(refused, invitations.AdminOnCommandLine)
    assert await invitations.open_invitations(services) == []
    made = await invitations.invite(services, None, Role.ADMIN, None)
    assert isinstance(made, NewInvitation) and made.role is Role.ADMIN


async def test_a_province_invitation_names_the_cluster_province(services: Services) -> None:
    made = await invitations.invite(services, None, Role.PROVINCE, None)
    assert isinstance(made, NewInvitation) and made.role is Role.PROVINCE
    who = Claimant("zalo", "9", "9", "Cán bộ Ban Thi đua")
    joined = await services.invitations.redeem(made.code, who, services.clock.now())
    assert joined.role is Role.PROVINCE


async def test_a_withdrawn_invitation_no_longer_works_and_is_audited(services: Services) -> None:
    chair = await _chair(services)
    made = await invitations.invite(services, "DB", Role.MEMBER, chair)
    assert isinstance(made, NewInvitation)
    assert await invitations.revoke(services, made.id, chair)
    assert not await invitations.revoke(services, made.id, chair)
    who = Claimant("telegram", "3", "3", "Quàng Văn Bình")
    joined = await services.invitations.redeem(made.code, who, services.clock.now())
    assert joined.outcome is Redemption.REVOKED
    actions = [e.action for e in await services.audit.entries("invitation.")]
    assert "invitation.revoked" in actions


async def test_a_link_code_links_another_channel_to_the_same_officer(services: Services) -> None:
    chair = await _chair(services)
    made = await invitations.link_code(services, chair)
    who = Claimant("zalo", "z1", "z1", "Trưởng Cụm")
    joined = await services.invitations.redeem(made.code, who, services.clock.now())
    assert joined.outcome is Redemption.LINKED and joined.officer_id == chair.officer_id
