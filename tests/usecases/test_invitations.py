"""Invitations as a use case: the same door for the chair in chat and the command line."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access import Actor, Role, RoleMismatch
from bot.domain.invitations import Claimant, NewInvitation, OfficerToInvite, Redemption
from bot.domain.invite_codes import display
from bot.services.container import Services
from bot.usecases import invitations
from tests.clusters import add_highland, join


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


async def test_a_unit_is_found_in_its_own_cluster_by_its_code_or_name(services: Services) -> None:
    await add_highland(services)
    for typed in ("MN", "mn", "Mường Nhé", "Huyện Mường Nhé"):
        found = invitations.unit_year(services, typed)
        assert found is not None and found.cluster_year.cluster.name == "Cụm thi đua vùng cao"
    lowland = invitations.unit_year(services, "MA")
    assert lowland is not None and lowland.cluster_year.cluster.name == "Cụm thi đua vùng thấp"
    assert invitations.unit_year(services, "XX") is None


async def test_printed_invitations_go_to_every_unit_without_an_officer_and_redeem(
    services: Services,
) -> None:
    services.settings = services.settings.model_copy(update={"telegram_username": "@cum_bot"})
    highland = await add_highland(services)
    await join(services, "telegram", "7", "MA", Role.MEMBER)
    officers = [
        *await invitations.officers_to_invite(services),
        *await invitations.officers_to_invite(highland),
    ]
    assert [o.unit_code for o in officers] == ["TG", "DB", "ML", "DBP", "MN", "MC", "NP", "TC"]
    named = [*officers[:-1], OfficerToInvite("TC", "Lò Văn Sơn", "Chánh Văn phòng")]
    printed = await invitations.invitation_sheets(services, named)
    assert [p.cluster.name for p in printed] == ["Cụm thi đua vùng thấp"] * 4 + [
        "Cụm thi đua vùng cao"
    ] * 4
    assert [p.made.role for p in printed[:2]] == [Role.CHAIR, Role.MEMBER]  # fitted to the unit
    assert {p.made.bot_username for p in printed} == {"cum_bot"}
    assert printed[-1].officer.name == "Lò Văn Sơn"
    audited = await services.audit.entries("invitation.")
    created = [e for e in audited if e.action == "invitation.created" and e.actor == "cli"]
    assert len(created) == 8
    who = Claimant("zalo", "z9", "z9", "Lò Văn Sơn")
    joined = await services.invitations.redeem(printed[-1].made.code, who, services.clock.now())
    assert (joined.outcome, joined.unit_code) == (Redemption.JOINED, "TC")
    assert [o.unit_code for o in await invitations.officers_to_invite(highland)] == [
        "MN",
        "MC",
        "NP",
    ]


async def test_the_username_comes_from_the_setting_or_is_asked_once_and_kept(
    services: Services,
) -> None:
    asked: list[str] = []

    async def ask() -> str | None:
        asked.append("getMe")
        return "hoi_bot"

    assert await invitations.bot_username(services) is None
    assert await invitations.bot_username(services, ask) == "hoi_bot"
    assert await invitations.bot_username(services, ask) == "hoi_bot"
    assert asked == ["getMe"]
    services.settings = services.settings.model_copy(update={"telegram_username": "dat_bot"})
    assert await invitations.bot_username(services, ask) == "dat_bot"


async def test_the_command_line_lists_and_withdraws_invitations_by_code_or_number(
    services: Services,
) -> None:
    highland = await add_highland(services)
    first = await invitations.invite(services, "MA", None, None)
    second = await invitations.invite(highland, "MN", None, None)
    third = await invitations.invite(highland, "MC", None, None)
    assert isinstance(first, NewInvitation) and isinstance(second, NewInvitation)
    assert isinstance(third, NewInvitation)
    everything = await invitations.listed(services)
    assert [(line.invitation.id, line.cluster and line.cluster.name) for line in everything] == [
        (first.id, "Cụm thi đua vùng thấp"),
        (second.id, "Cụm thi đua vùng cao"),
        (third.id, "Cụm thi đua vùng cao"),
    ]
    highland_only = await invitations.listed(services, highland.year.cluster_id)
    assert [line.invitation.unit_code for line in highland_only] == ["MN", "MC"]
    typed = display(second.code).lower()  # as a person copies it from the sheet
    assert await invitations.revoke_anywhere(services, typed) == second.id
    assert await invitations.revoke_anywhere(services, str(third.id)) == third.id
    assert await invitations.revoke_anywhere(services, str(third.id)) is None
    assert await invitations.revoke_anywhere(services, "CTD-0000-0000-0000-0000-0000") is None
    assert await invitations.revoke_anywhere(services, "no such thing") is None
    assert [line.invitation.id for line in await invitations.listed(services)] == [first.id]
    who = Claimant("telegram", "8", "8", "Giàng A Páo")
    joined = await services.invitations.redeem(second.code, who, services.clock.now())
    assert joined.outcome is Redemption.REVOKED


async def test_the_provinces_listed_officers_each_get_an_invitation(services: Services) -> None:
    await join(services, "telegram", "7", "MA", Role.MEMBER, name="Lò Thị Hằng")
    listed = [
        OfficerToInvite("TG", "Vũ Văn Đức", "Chánh Văn phòng"),
        OfficerToInvite("TG", "Lường Văn Khánh", None),
        OfficerToInvite("MA", "Lò Thị Hằng", "Chuyên viên"),  # registered already: no page
        OfficerToInvite("MN", "Giàng A Páo", None),  # another cluster's unit
    ]
    officers = await invitations.officers_to_invite(services, listed)
    assert [(o.unit_code, o.name) for o in officers] == [
        ("TG", "Vũ Văn Đức"),
        ("TG", "Lường Văn Khánh"),
        ("DB", None),
        ("ML", None),
        ("DBP", None),
    ]
