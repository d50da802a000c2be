"""A person's language, as a use case."""

from __future__ import annotations

from bot.services.container import Services
from bot.usecases import preferences


async def test_the_language_is_kept_per_person(services: Services) -> None:
    await preferences.set_language(services, "zalo", "42", "en")
    assert await services.preferences.language("zalo", "42") == "en"
    assert await services.preferences.language("zalo", "43") is None
