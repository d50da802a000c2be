"""Floods: 10,000 messages from one chat neither delay another officer's answer noticeably nor
write more than a bounded number of rows; the flooder is told once to slow down."""

from __future__ import annotations

import time

from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser
from tests.harness import Harness
from tests.people import register

FLOOD = 10_000
SLOW_DOWN = "Anh/chị đang gửi tin nhắn nhanh hơn"


async def _answer_time(user: FakeTelegramUser) -> float:
    started = time.monotonic()
    answer = await user.ask("/toi", timeout=120)
    assert answer.text.startswith("Anh/chị là Cán bộ"), answer.text
    return time.monotonic() - started


async def _option_rows(bot: Harness) -> int:
    row = await bot.app.services.db.fetchone("SELECT COUNT(*) FROM option_tokens")
    assert row is not None
    return int(row[0])


async def test_a_flood_from_one_chat_does_not_hold_up_another_officer(
    bot: Harness, telegram: FakeTelegram
) -> None:
    flooder, officer = telegram.user(4200, "Cán bộ MA"), telegram.user(4201, "Cán bộ DB")
    await register(bot.app, flooder, "MA", Role.MEMBER)
    await register(bot.app, officer, "DB", Role.MEMBER)
    quiet = min([await _answer_time(officer) for _ in range(3)])
    rows_before = await _option_rows(bot)
    for _ in range(FLOOD):
        flooder.send("/toi")  # each one answered would issue a button (an option row)
    asked = officer.send("/toi")
    answer = await officer.next_message(timeout=120)
    assert answer.text.startswith("Anh/chị là Cán bộ"), answer.text
    during = time.monotonic() - telegram.fetched_at[asked]
    print(
        f"answer time: quiet {quiet * 1000:.0f} ms, once read behind {FLOOD} updates {during:.2f} s"
    )
    # once the bot has read the officer's message it is not held up by the flood's (the time to
    # read 10,000 updates first is python-telegram-bot's polling: 6 to 10 s, as the machine goes)
    assert during < 2.0
    assert bot.app.flood is not None
    await telegram.wait_sent(lambda _sent: bot.app.flood.refused >= FLOOD - 40, timeout=60)
    answers = [s.text for s in telegram.sent if s.chat_id == flooder.chat_id]
    assert sum(SLOW_DOWN in text for text in answers) == 1
    written = (await _option_rows(bot)) - rows_before
    print(f"option rows written for {FLOOD} flood messages: {written}")
    assert written <= bot.app.settings.flood_burst
