"""Many strangers at once — each within their own allowance — cannot starve a registered
officer: all strangers together have one budget, so their answers never queue ahead of the
officer's at Telegram's 30 messages a second (before: 100 × 20 `/batdau` held an officer's
`/toi` for 65.8 s; 500 × 20 for more than 300 s)."""

from __future__ import annotations

import time

from pydantic import SecretStr

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram, FloodLimits
from tests.harness import Harness
from tests.people import register

STRANGERS = 100
EACH = 20


async def test_an_officer_is_answered_at_once_while_strangers_flood(
    settings: Settings, clock: FixedClock
) -> None:
    async with FakeTelegram(limits=FloodLimits()) as telegram:
        connected = settings.model_copy(
            update={
                "telegram_token": SecretStr(telegram.token),
                "telegram_base_url": telegram.base_url,
                "telegram_file_url": telegram.file_url,
                "telegram_poll_timeout": 1,
            }
        )
        harness = Harness(connected, clock)
        await harness.start()
        try:
            officer = telegram.user(9000, "Cán bộ MA")
            await register(harness.app, officer, "MA", Role.MEMBER)
            strangers = [telegram.user(10_000 + n, f"Người lạ {n}") for n in range(STRANGERS)]
            for _ in range(EACH):
                for stranger in strangers:
                    stranger.send("/batdau")

            def strangers_answered(_sent: object) -> bool:
                return (
                    sum(int(s.chat_id) >= 10_000 for s in telegram.sent) >= 15
                )  # the budget's burst

            await telegram.wait_sent(strangers_answered, timeout=30)  # the flood is on
            started = time.monotonic()
            asked = officer.send("/toi")
            answer = await officer.next_message(timeout=30)
            answered_at = time.monotonic()
            waited, once_read = answered_at - started, answered_at - telegram.fetched_at[asked]
            print(
                f"officer's /toi behind {STRANGERS} × {EACH} strangers: {waited:.2f} s"
                f" ({once_read:.2f} s once the bot had read it)"
            )
            assert answer.text.startswith("Anh/chị là Cán bộ"), answer.text
            assert once_read < 1.0  # reading the strangers' updates first is PTB's polling
            assert harness.app.flood is not None and harness.app.flood.strangers_dropped > 0
            answered = [s for s in telegram.sent if int(s.chat_id) >= 10_000]
            assert len(answered) <= connected.flood_strangers_burst + 2 * waited + 2
        finally:
            await harness.stop()
