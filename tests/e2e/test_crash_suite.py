"""The crash suite: the bot runs as a subprocess and is SIGKILLed at random moments — during a
fan-out, between a file upload and its confirmation, during a score draft, during a plan import —
and inside the handling of an event, while it sends the result — a submission's receipt, a link
code's use, a plan's confirmation, a cast ballot — and restarted. Afterwards every message is
delivered (a kill that overlapped a send repeats at most the sends under way, one per chat), every
result reaches its user, every confirmed submission is stored once, every ballot is counted once
and its unit cannot vote again, and every conversation resumes where it was.

``CRASH_CYCLES`` (default 1 in ``make test``; ``make soak`` sets more) repeats the cycle."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import open_services
from bot.clock import SystemClock
from bot.config import Settings
from bot.delivery.sender import Pacing
from bot.domain.access import Role
from bot.domain.ballots import ElectionRule, Title
from bot.domain.invitations import Claimant
from bot.domain.messages import Reply
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser, Sent
from tests.documents import docx_bytes, plan_docx, seed_rows
from tests.e2e.kill_points import (
    SCENARIOS,
    CrashingBot,
    KillPoint,
    UploadLink,
    ZaloPhoto,
    kill_at_each,
    kill_points,
    make_template,
    platforms,
    statements,
    until,
)

CYCLES = int(os.environ.get("CRASH_CYCLES", "1"))
FAN_OUT = 120
UNITS = ("TG", "MA", "DB", "ML", "DBP")


OVERLAP_SECONDS = 1.0
"""A kill this soon after the bot began a send may have cut it between the platform's answer
and the bot's record of it: that message may come twice."""


class Bot:
    """The bot as a separate process against the test's fake server."""

    def __init__(self, telegram: FakeTelegram, data: Path) -> None:
        self.telegram, self.data = telegram, data
        self.process: asyncio.subprocess.Process | None = None
        self.kills = 0
        self.overlapping = 0
        """Kills that overlapped a send: each allows a duplicate of each send under way (at
        most ``Pacing.in_flight``, one per chat)."""

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
        self._count_kill(time.monotonic() - self.telegram.last_send_at < OVERLAP_SECONDS)
        await self.process.wait()
        await self.start()

    def _count_kill(self, overlapping: bool) -> None:
        self.kills += 1
        self.overlapping += overlapping

    async def kill_while_sending(self, chat: int, text: str, action: Callable[[], object]) -> None:
        """Do ``action``; kill the bot when it sends ``chat`` a message containing ``text``
        (before the platform takes it), then restart it."""
        killed = asyncio.Event()

        def trip(method: str, params: dict[str, Any]) -> None:
            if not method.startswith("send") or str(params.get("chat_id")) != str(chat):
                return
            if text not in str(params.get("text", "")) or killed.is_set():
                return
            assert self.process is not None
            self.process.send_signal(signal.SIGKILL)
            self._count_kill(True)
            killed.set()
            raise web.HTTPServiceUnavailable  # the bot died before this send was answered

        self.telegram.on_request = trip
        try:
            action()
            await asyncio.wait_for(killed.wait(), 30)
        finally:
            self.telegram.on_request = None
        assert self.process is not None
        await self.process.wait()
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


async def _open_ballot(data: Path) -> int:
    """A ballot opened beside the running bot (a second connection, as the chair's would be)."""
    services = await open_services(Settings(_env_file=None, data_dir=data), SystemClock())
    try:
        now = services.clock.now()
        return await services.ballots.open(
            Title.CHAIR,
            ("MA", "TG"),
            1,
            ElectionRule(),
            frozenset(UNITS),
            now + timedelta(days=1),
            1,
            now,
        )
    finally:
        await services.db.close()


async def _until(user: FakeTelegramUser, text: str) -> Sent:
    """The user's next message containing ``text`` (notices and offers may come first)."""
    while text not in (message := await user.next_message(30)).text:
        pass
    return message


async def _menu(user: FakeTelegramUser, label: str) -> Sent:
    """The user's next message with a button labelled ``label``."""
    while True:
        message = await user.next_message(30)
        if any(label in text for text, _data in message.buttons):
            return message


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
    rounds: list[int] = []
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
            member.send("/nopbaocao")
            menu = await _menu(member, "6 tháng")  # a late answer of the last cycle may come first
            member.press(menu, "6 tháng")
            await member.next_message(30)
            report = docx_bytes(f"Bản {cycle}")
            member.send_document(f"bao-cao-{cycle}.docx", report)
            assert (await member.next_message(30)).text.startswith(f"Đã nhận bao-cao-{cycle}.docx")
            await bot.kill_and_restart()
            resumed = await _resume(member)
            assert "đã nhận 1 tệp" in resumed.text
            summary = await member.ask("Xong", 30)
            # inside the submission: stored, and killed while its receipt is being sent
            await bot.kill_while_sending(
                member.chat_id, "Lần nộp", partial(member.press, summary, "Gửi Trưởng Cụm")
            )
            receipt = await _until(member, "Lần nộp")
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

            # inside a link code's use: linked, and killed while the confirmation is sent
            member.press(await member.ask("/toi", 30), "Liên kết")
            code = (await _until(member, "Mã liên kết")).text.split(": ", 1)[1].split("\n")[0]
            phone = telegram.user(300 + cycle, "Cán bộ MA")
            await bot.kill_while_sending(
                phone.chat_id, "đã được liên kết", partial(phone.send, code)
            )
            await _until(phone, "đã được liên kết với đăng ký của anh/chị")
            phone.send("/toi")
            assert (await _until(phone, "Anh/chị là")).text.startswith("Anh/chị là Cán bộ MA")

            # during a plan import
            await chair.ask("/nhapkehoach", 30)
            chair.send_document("ke-hoach.docx", plan_docx(seed_rows()))
            preview = await chair.next_message(30)
            while not preview.text.startswith("Kế hoạch đọc được"):
                preview = await chair.next_message(30)  # receipts and notices of the member
            await bot.kill_and_restart()
            resumed = await _resume(chair)
            assert resumed.text.startswith("Kế hoạch đọc được từ văn bản")
            # inside the confirmation: stored, and killed while the chair is being told
            await bot.kill_while_sending(
                chair.chat_id,
                "Đã xác nhận kế hoạch",
                partial(chair.press, resumed, "Xác nhận kế hoạch này"),
            )
            done = await _until(chair, "Đã xác nhận kế hoạch")
            assert f"phiên bản {cycle + 1}" in done.text

            # inside a vote: cast, and killed while the receipt is being sent
            rounds.append(await _open_ballot(data))
            member.send("/bophieu")
            offer = await _until(member, "đang mở cho đơn vị")
            member.press(offer, "Bỏ phiếu")
            member.press(await _until(member, "Chọn tối đa"), "(MA)")
            member.press(await _until(member, "Chọn tối đa"), "Xem lại và bỏ phiếu")
            preview = await _until(member, "Phiếu đã bỏ thì không thể thay đổi")
            await bot.kill_while_sending(
                member.chat_id, "hòm phiếu", partial(member.press, preview, "Bỏ lá phiếu")
            )
            await _until(member, "đã được bỏ vào hòm phiếu")
            member.send("/bophieu")  # the unit cannot vote again
            await _until(member, "Đơn vị anh/chị đã bỏ phiếu vòng 1")
            member.press(preview, "Bỏ lá phiếu")  # nor by the old button
            await _until(member, "không còn hiệu lực")

        await telegram.wait_sent(lambda sent: len(_fan_texts(sent)) == FAN_OUT, 60)
    finally:
        await bot.stop()
    counts = _fan_texts(telegram.sent)
    assert set(counts) == {f"fan-{n:03d}" for n in range(FAN_OUT)}
    duplicates = sum(count - 1 for count in counts.values())
    assert duplicates <= bot.overlapping * Pacing().in_flight and bot.overlapping <= bot.kills
    assert all(count <= 1 + bot.overlapping for count in counts.values())
    results = Counter(s.text for s in telegram.sent if "Lần nộp" in s.text or "phiên bản" in s.text)
    assert all(count <= 2 for count in results.values()), results  # each result at most twice
    services = await open_services(Settings(_env_file=None, data_dir=data), SystemClock())
    try:
        versions = await services.submissions.history("bc-6-thang", "MA")
        assert [v.version for v in versions] == list(range(1, CYCLES + 1))
        for cycle in range(CYCLES):  # each link was used once, by its own chat
            actor = await services.officers.actor(
                "telegram", str(300 + cycle), services.clock.now()
            )
            assert actor is not None and actor.unit_code == "MA"
        for round_id in rounds:  # each ballot counted once (opened here with one ballot)
            stored = await services.ballots.round(round_id)
            assert stored is not None
            assert await services.ballots.voters(round_id) == {"MA"}
            await services.ballots.close(stored, None, services.clock.now(), minimum=1)
            tally = await services.ballots.tally(stored)
            assert (tally.cast, tally.counts) == (1, {"MA": 1, "TG": 0})
        plans = await services.db.fetchone("SELECT COUNT(*) FROM plan_versions")
        assert plans is not None and plans[0] == CYCLES
        assert await services.db.integrity_check() == "ok"
    finally:
        await services.db.close()


# Kills inside one event (tests/e2e/kill_points.py) -------------------------------------------

EVERY_STATEMENT = CYCLES > 1
"""``make soak``: kill before every write statement of each event; ``make test``: inside the
commit of what the event stores, and right after it."""


def _report(failed: dict[KillPoint, str]) -> str:
    return "\n".join(f"killed before {point.before!r}: {why}" for point, why in failed.items())


@pytest.mark.parametrize("name", ["report-by-chat", "upload-link", "zalo-webhook", "pact", "vote"])
async def test_a_kill_inside_an_event_loses_nothing_and_doubles_nothing(
    name: str, tmp_path: Path
) -> None:
    scenario = SCENARIOS[name]()
    template = tmp_path / "template"
    await make_template(template, scenario)
    log = await statements(template, tmp_path / "no-kill", scenario)
    points = kill_points(log, scenario.critical, EVERY_STATEMENT)
    assert points, log  # the event stored what it should, in a logged transaction
    failed = await kill_at_each(template, tmp_path, scenario, points)
    assert not failed, _report(failed)


async def test_the_suite_catches_an_upload_split_in_two_transactions(tmp_path: Path) -> None:
    """The mutation test: the same harness, run on a bot that spends the link in one
    transaction and stores the submission in the next, finds the lost submission."""
    scenario, split = UploadLink(), "tests.e2e.split_upload"
    template = tmp_path / "template"
    await make_template(template, scenario)
    log = await statements(template, tmp_path / "no-kill", scenario, split)
    failed = await kill_at_each(
        template, tmp_path, scenario, kill_points(log, scenario.critical, False), split
    )
    assert any("the link is spent and there is no submission" in why for why in failed.values())


async def test_a_zalo_photo_cut_while_it_is_fetched_is_answered_after_the_restart(
    tmp_path: Path,
) -> None:
    """Issue 29: the webhook marked the delivery seen before handling it, so a kill while the
    photo was fetched lost the message, and Zalo's delivery of it again was dropped."""
    scenario = ZaloPhoto()
    await make_template(tmp_path / "data", scenario)
    async with platforms() as found:
        bot = CrashingBot(found, tmp_path / "data")
        await bot.start()
        try:
            await scenario.before(bot)

            def kill() -> None:
                assert bot.process is not None
                found.zalo.on_media = None
                bot.process.send_signal(signal.SIGKILL)
                raise web.HTTPServiceUnavailable  # died before the photo came

            found.zalo.on_media = kill
            await scenario.event(bot)
            await bot.died()
            await bot.restart()
            update = scenario.update
            await bot.post_quietly(lambda: found.zalo.push(update))  # Zalo delivers it again
            await until(found.zalo_member.next_message, "Đã nhận anh-")
            await scenario.check(bot)
        finally:
            await bot.stop()
