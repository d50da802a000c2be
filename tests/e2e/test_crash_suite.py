"""The crash suite: the bot runs as a subprocess and is SIGKILLed at random moments — during a
fan-out, between a file upload and its confirmation, during a score draft, during a plan import —
and restarted. Afterwards every message is delivered (at most one duplicate per kill), every
confirmed submission is stored, and every conversation resumes where it was.

``CRASH_CYCLES`` (default 1 in ``make test``; ``make soak`` sets more) repeats the cycle."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bot.app import open_services
from bot.clock import SystemClock
from bot.config import Settings
from bot.domain.access import Role
from bot.domain.messages import Reply
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser, Sent
from storage.invitations import Claimant
from tests.documents import docx_bytes, plan_docx, seed_rows

CYCLES = int(os.environ.get("CRASH_CYCLES", "1"))
FAN_OUT = 120


class Bot:
    """The bot as a separate process against the test's fake server."""

    def __init__(self, telegram: FakeTelegram, data: Path) -> None:
        self.telegram, self.data = telegram, data
        self.process: asyncio.subprocess.Process | None = None
        self.kills = 0

    async def start(self) -> None:
        env = os.environ | {
            "CUMTHIDUA_TELEGRAM_TOKEN": self.telegram.token,
            "CUMTHIDUA_TELEGRAM_BASE_URL": self.telegram.base_url,
            "CUMTHIDUA_TELEGRAM_FILE_URL": self.telegram.file_url,
            "CUMTHIDUA_TELEGRAM_POLL_TIMEOUT": "1",
            "CUMTHIDUA_DATA_DIR": str(self.data),
            "CUMTHIDUA_WEB_PORT": "0",
            "CUMTHIDUA_LOG_LEVEL": "WARNING",
            "CUMTHIDUA_SEND_PER_SECOND": "100",
            "CUMTHIDUA_SEND_CHAT_INTERVAL": "0.05",
        }
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, stdin=asyncio.subprocess.DEVNULL
        )

    async def kill_and_restart(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        self.kills += 1
        await self.start()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            await self.process.wait()


async def _prepare(data: Path) -> None:
    services = await open_services(Settings(_env_file=None, data_dir=data), SystemClock())
    for chat, unit, role in (("1", "TG", Role.CHAIR), ("2", "MA", Role.MEMBER)):
        _id, code = await services.invitations.create(
            unit, role, services.clock.now(), timedelta(days=1), None, "test"
        )
        await services.invitations.redeem(
            code, Claimant("telegram", chat, chat, f"Cán bộ {unit}"), services.clock.now()
        )
    for n in range(FAN_OUT):
        await services.outbox.enqueue(
            f"fan:{n}", "telegram", str(5000 + n % 40), Reply(f"fan-{n:03d}")
        )
    await services.db.close()


async def _resume(user: FakeTelegramUser) -> Sent:
    """After a restart the bot offers the unfinished draft; continue it."""
    while not (offer := await user.next_message(30)).text.startswith("Bot vừa khởi động lại"):
        pass  # notices that were waiting may come first
    user.press(offer, "Làm tiếp")
    return await user.next_message(30)


def _fan_texts(sent: list[Sent]) -> Counter[str]:
    return Counter(s.text for s in sent if s.text.startswith("fan-"))


async def test_sigkill_at_random_moments(telegram: FakeTelegram, tmp_path: Path) -> None:
    rng = random.Random(2022)
    data = tmp_path / "data"
    await _prepare(data)
    chair, member = telegram.user(1, "Cán bộ TG"), telegram.user(2, "Cán bộ MA")
    bot = Bot(telegram, data)
    await bot.start()
    try:
        # during a fan-out
        await telegram.wait_sent(
            lambda sent: len(_fan_texts(sent)) >= rng.randint(5, FAN_OUT // 2), 60
        )
        await bot.kill_and_restart()
        for cycle in range(CYCLES):
            # between a file upload and its confirmation
            menu = await member.ask("/nopbaocao", 30)
            member.press(menu, "6 tháng")
            await member.next_message(30)
            report = docx_bytes(f"Bản {cycle}")
            member.send_document(f"bao-cao-{cycle}.docx", report)
            assert (await member.next_message(30)).text.startswith(f"Đã nhận bao-cao-{cycle}.docx")
            await bot.kill_and_restart()
            resumed = await _resume(member)
            assert "đã nhận 1 tệp" in resumed.text
            summary = await member.ask("Xong", 30)
            member.press(summary, "Gửi Trưởng Cụm")
            receipt = await member.next_message(30)
            assert f"Lần nộp: {cycle + 1}" in receipt.text

            # during a score draft
            await member.ask("/chamdiem", 30)
            assert (await member.ask("6,4", 30)).text == "I.1: 8 điểm."
            await member.next_message(30)
            await bot.kill_and_restart()
            resumed = await _resume(member)
            assert resumed.text.startswith("I.2. ")
            review = await member.ask("Xem lại", 30)
            assert "   I.1: 8 / 10" in review.text
            assert (await member.ask("/huy", 30)).text.startswith("Đã hủy.")

            # during a plan import
            await chair.ask("/nhapkehoach", 30)
            chair.send_document("ke-hoach.docx", plan_docx(seed_rows()))
            preview = await chair.next_message(30)
            while not preview.text.startswith("Kế hoạch đọc được"):
                preview = await chair.next_message(30)  # receipts and notices of the member
            await bot.kill_and_restart()
            resumed = await _resume(chair)
            assert resumed.text.startswith("Kế hoạch đọc được từ văn bản")
            chair.press(resumed, "Xác nhận kế hoạch này")
            while not (done := await chair.next_message(30)).text.startswith(
                "Đã xác nhận kế hoạch"
            ):
                pass
            assert f"phiên bản {cycle + 1}" in done.text

        await telegram.wait_sent(lambda sent: len(_fan_texts(sent)) == FAN_OUT, 60)
    finally:
        await bot.stop()
    counts = _fan_texts(telegram.sent)
    assert set(counts) == {f"fan-{n:03d}" for n in range(FAN_OUT)}
    assert sum(count - 1 for count in counts.values()) <= bot.kills
    services = await open_services(Settings(_env_file=None, data_dir=data), SystemClock())
    try:
        versions = await services.submissions.history("bc-6-thang", "MA")
        assert [v.version for v in versions] == list(range(1, CYCLES + 1))
        assert await services.db.integrity_check() == "ok"
    finally:
        await services.db.close()
