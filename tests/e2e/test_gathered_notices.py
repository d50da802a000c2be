"""The chair's notices of submissions are gathered: the first after a quiet spell goes at once,
those that follow within the gathering interval go together in one message when it has passed,
and nothing else to that chat waits for them."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.messages import Reply
from bot.fakes.telegram_server import FakeTelegram
from tests.documents import docx_bytes
from tests.e2e.test_reports import _people, _submit
from tests.harness import Harness

CHAIR = 8100


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        web_port=0,
        notice_gather_seconds=60,
        send_chat_interval=0,
    )


def _texts(telegram: FakeTelegram) -> list[str]:
    return [s.text for s in telegram.sent if s.method == "sendMessage" and s.chat_id == CHAIR]


async def _rows(bot: Harness) -> dict[str, tuple[str, str | None]]:
    assert bot.app is not None and bot.app.services is not None
    rows = await bot.app.services.db.fetchall("SELECT key, status, message_id FROM outbox")
    return {r["key"]: (r["status"], r["message_id"]) for r in rows}


async def _marked(bot: Harness, *keys: str) -> dict[str, tuple[str, str | None]]:
    """The rows once those of ``keys`` are marked sent (checked every 10 ms, for 10 s)."""
    async with asyncio.timeout(10):
        while True:
            rows = await _rows(bot)
            if all(rows[key][0] == "sent" for key in keys):
                return rows
            await asyncio.sleep(0.01)


async def _notice(bot: Harness, key: str, text: str, gathered: bool = True) -> None:
    assert bot.app is not None and bot.app.services is not None
    await bot.app.services.outbox.enqueue(
        key, "telegram", str(CHAIR), Reply(text, gathered=gathered)
    )


async def _first(bot: Harness, telegram: FakeTelegram, key: str, text: str) -> None:
    """A notice after a quiet spell: it goes at once, on its own."""
    await _notice(bot, key, text)
    await telegram.wait_sent(lambda sent: _texts(telegram) == [text])


async def _after_the_interval(bot: Harness) -> None:
    assert bot.app is not None and bot.app.services is not None
    bot.clock.advance(timedelta(seconds=60))
    bot.app.services.outbox.wake_event("telegram").set()


async def test_notices_within_the_interval_go_as_one_message(
    bot: Harness, telegram: FakeTelegram
) -> None:
    await _first(bot, telegram, "n:a", "📥 Xã A đã nộp")
    await _notice(bot, "n:b", "📥 Xã B đã nộp")
    await _notice(bot, "n:c", "📊 Xã C đã gửi bảng điểm")
    await _notice(bot, "other", "Tin khác", gathered=False)
    await telegram.wait_sent(lambda sent: "Tin khác" in _texts(telegram))  # not held back
    rows = await _rows(bot)
    assert rows["n:b"][0] == rows["n:c"][0] == "pending"

    await _after_the_interval(bot)
    together = "📥 Xã B đã nộp\n📊 Xã C đã gửi bảng điểm"
    await telegram.wait_sent(lambda sent: together in _texts(telegram))
    assert _texts(telegram) == ["📥 Xã A đã nộp", "Tin khác", together]
    rows = await _marked(bot, "n:b", "n:c")
    assert rows["n:b"] == rows["n:c"]  # one message, both marked with it

    await _notice(bot, "n:d", "📥 Xã D đã nộp")  # within the interval after that message
    await _notice(bot, "other-2", "Tin khác nữa", gathered=False)
    await telegram.wait_sent(lambda sent: "Tin khác nữa" in _texts(telegram))
    assert "📥 Xã D đã nộp" not in _texts(telegram)
    await _after_the_interval(bot)
    await telegram.wait_sent(lambda sent: _texts(telegram)[-1] == "📥 Xã D đã nộp")


async def test_what_does_not_fit_in_one_message_goes_in_the_next(
    bot: Harness, telegram: FakeTelegram
) -> None:
    await _first(bot, telegram, "n:0", "📥 đầu tiên")
    lines = [f"📥 {n} " + "x" * 1500 for n in range(3)]
    for n, line in enumerate(lines):
        await _notice(bot, f"n:{n + 1}", line)

    await _after_the_interval(bot)
    await telegram.wait_sent(lambda sent: len(_texts(telegram)) == 3)
    assert _texts(telegram)[1:] == ["\n".join(lines[:2]), lines[2]]  # 4,096 characters at most
    rows = await _marked(bot, "n:1", "n:2", "n:3")
    assert rows["n:1"] == rows["n:2"] != rows["n:3"]


async def test_gathered_notices_wait_in_the_database_across_a_restart(
    bot: Harness, telegram: FakeTelegram
) -> None:
    await _first(bot, telegram, "n:a", "📥 Xã A đã nộp")
    await _notice(bot, "n:b", "📥 Xã B đã nộp")
    await bot.restart()
    await _notice(bot, "n:c", "📥 Xã C đã nộp")  # joins the one still waiting
    await _after_the_interval(bot)

    await telegram.wait_sent(lambda sent: len(_texts(telegram)) == 2)
    assert _texts(telegram)[1] == "📥 Xã B đã nộp\n📥 Xã C đã nộp"


async def test_a_units_submissions_reach_the_chair_gathered(
    bot: Harness, telegram: FakeTelegram
) -> None:
    """The real notice of a submission is a gathered one: the second version within the minute
    waits for it, while the member's own receipts do not."""
    chair, member = await _people(bot, telegram)
    assert (await _submit(member, [("bao-cao.docx", docx_bytes())])).startswith("BIÊN NHẬN")
    first = await chair.next_message()
    assert first.text.startswith("📥 Huyện Mường Ảng (MA) đã nộp") and "lần 1" in first.text
    second = await _submit(member, [("bao-cao-sua.docx", docx_bytes("Bản sửa"))])
    assert second.startswith("BIÊN NHẬN") and "Lần nộp: 2" in second
    assert bot.app is not None and bot.app.services is not None
    rows = await bot.app.services.db.fetchall(
        "SELECT status, gathered FROM outbox WHERE key LIKE '%:submitted:%' ORDER BY id"
    )
    assert [(r["status"], r["gathered"]) for r in rows] == [("sent", 1), ("pending", 1)]

    await _after_the_interval(bot)
    later = await chair.next_message()
    assert later.text.startswith("📥 Huyện Mường Ảng (MA) đã nộp") and "lần 2" in later.text
