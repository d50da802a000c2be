"""Registering people in tests the way real users do: an invitation, then the code in chat."""

from __future__ import annotations

from datetime import timedelta

from bot.app import BotApp
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegramUser, Sent


async def invite(app: BotApp, unit: str | None, role: Role, province: str | None = None) -> str:
    """``province`` makes it an invitation to that province's emulation board."""
    services = app.services
    assert services is not None
    _id, code = await services.invitations.create(
        unit,
        role,
        services.clock.now(),
        timedelta(days=7),
        created_by=None,
        actor="test",
        province=province,
    )
    return code


async def register(
    app: BotApp, user: FakeTelegramUser, unit: str | None, role: Role, province: str | None = None
) -> Sent:
    """Invite and join; returns the welcome message."""
    code = await invite(app, unit, role, province)
    welcome = await user.ask(f"/start {code}")
    assert "Chào mừng" in welcome.text, welcome.text
    return welcome
