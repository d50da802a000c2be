"""A person's own settings: today the language the bot speaks to them."""

from __future__ import annotations

from bot.services.container import Services

__all__ = ["set_language"]


async def set_language(services: Services, channel: str, user_id: str, language: str) -> None:
    await services.preferences.set_language(channel, user_id, language)
