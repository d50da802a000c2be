"""Registering people in tests the way real users do: an invitation, then the code in chat."""

from __future__ import annotations

from datetime import timedelta

from bot.app import BotApp
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegramUser, Sent


async def invite(app: BotApp, unit: str | None, role: Role) -> str:
    services = app.services
    assert services is not None
    _id, code = await services.invitations.create(
        unit, role, services.clock.now(), timedelta(days=7), created_by=None, actor="test"
    )
    return code


async def register(app: BotApp, user: FakeTelegramUser, unit: str | None, role: Role) -> Sent:
    """Invite and join; returns the welcome message."""
    code = await invite(app, unit, role)
    welcome = await user.ask(f"/start {code}")
    assert "Chào mừng" in welcome.text, welcome.text
    return welcome
