"""Reminders through the real scheduler and the fake Telegram server."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from tests.harness import Harness
from tests.people import register


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2022, 6, 23, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None, data_dir=tmp_path / "data", web_port=0, reminder_tick_seconds=0.05
    )


async def test_a_reminder_arrives_and_its_option_opens_the_submission(
    bot: Harness, telegram: FakeTelegram
) -> None:
    officer = telegram.user(6001, "Lò Thị Hằng")
    await register(bot.app, officer, "MA", Role.MEMBER)  # joins after the 08:00 rung was due
    reminder = await officer.next_message()
    assert reminder.text == (
        "⏰ Nhắc hạn: Báo cáo kết quả thi đua, khen thưởng 6 tháng đầu năm 2022 của Huyện Mường Ảng"
        " (MA) gửi chậm nhất ngày 30/6/2022 (còn 7 ngày)."
    )
    officer.press(reminder, "Nộp báo cáo ngay")
    prompt = await officer.next_message()
    assert prompt.text.startswith(
        "Báo cáo kết quả thi đua, khen thưởng 6 tháng đầu năm 2022 (hạn 30/6/2022)."
    )
    deadlines = await officer.ask("/hanchot")
    assert "⏳ MA: Báo cáo kết quả thi đua, khen thưởng 6 tháng đầu năm 2022" in deadlines.text
    assert "— hạn 30/6/2022 (còn 7 ngày)" in deadlines.text


async def test_the_chair_marks_a_task_done(bot: Harness, telegram: FakeTelegram) -> None:
    chair = telegram.user(6100, "Vũ Văn Đức")
    await register(bot.app, chair, "TG", Role.CHAIR)
    reminder = await chair.next_message()  # task 3 is due 30/6 too: its 7-day rung
    assert reminder.text.startswith("⏰ Nhiệm vụ 3 của Trưởng Cụm: Tổng hợp kết quả thi đua")
    chair.press(reminder, "Đánh dấu đã xong")
    done = await chair.next_message()
    assert done.text == "Đã đánh dấu nhiệm vụ 3 là đã xong; tôi sẽ thôi nhắc việc này."
    listing = await chair.ask("/hanchot")
    assert "Nhiệm vụ 3 của" not in listing.text and "Nhiệm vụ 4 của Trưởng Cụm" in listing.text
