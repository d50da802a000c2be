"""Roles fit units: the chair role belongs to the chair unit's officers (of that year), the member
role to the member units', observers to no unit; anything else is refused with a clear answer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.cli.access import create_invitation
from bot.config import Settings
from bot.domain.access import Role, RoleMismatch, role_for_unit
from bot.engine.dispatcher import Dispatcher
from bot.i18n import translator
from bot.services.container import Services
from tests.memory_channel import MemoryChat


async def _chair(dispatcher: Dispatcher, services: Services) -> MemoryChat:
    _id, code = await services.invitations.create(
        "TG", Role.CHAIR, services.clock.now(), timedelta(days=7), created_by=None, actor="test"
    )
    chair = MemoryChat(dispatcher, "chair", name="Trưởng Cụm")
    await chair.say(f"/batdau {code}")
    return chair


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/moi MA truongcum", "chỉ dành cho cán bộ của đơn vị Trưởng Cụm"),
        ("/moi TG thanhvien", "là đơn vị Trưởng Cụm năm nay"),
        ("/moi MA quansat", "Người theo dõi không thuộc đơn vị nào"),
    ],
)
async def test_a_role_that_does_not_fit_the_unit_is_refused(
    dispatcher: Dispatcher, services: Services, command: str, answer: str
) -> None:
    chair = await _chair(dispatcher, services)
    await chair.say(command)
    assert answer in chair.text
    assert "CTD-" not in chair.text
    assert await services.invitations.open(services.clock.now()) == []


async def test_roles_that_fit_are_given(dispatcher: Dispatcher, services: Services) -> None:
    chair = await _chair(dispatcher, services)
    await chair.say("/moi MA")
    await chair.say("/moi TG")
    await chair.say("/moi DB thanhvien")
    roles = {(i.unit_code, i.role) for i in await services.invitations.open(services.clock.now())}
    assert roles == {("MA", Role.MEMBER), ("TG", Role.CHAIR), ("DB", Role.MEMBER)}
    await chair.say("/moi")
    await chair.choose("Người theo dõi")
    assert "CTD-" in chair.text


def test_the_rule() -> None:
    assert role_for_unit(None, "MA", "TG") is Role.MEMBER
    assert role_for_unit(None, "TG", "TG") is Role.CHAIR
    assert role_for_unit(None, None, "TG") is Role.OBSERVER
    assert role_for_unit(Role.CHAIR, "MA", "TG") is RoleMismatch.CHAIR_NOT_CHAIR_UNIT
    assert role_for_unit(Role.CHAIR, None, "TG") is RoleMismatch.NEEDS_UNIT
    assert role_for_unit(Role.OBSERVER, "MA", "TG") is RoleMismatch.NO_UNIT_ROLE


async def test_the_command_line_refuses_the_same(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await create_invitation(settings, "MA", Role.CHAIR, translator("vi")) == 2
    assert "chỉ dành cho cán bộ của đơn vị Trưởng Cụm" in capsys.readouterr().out
