"""The sender against a misbehaving Telegram: 429 with retry_after, 502, time-outs, dropped
connections and 403 for a blocked user. Every deliverable message arrives; the blocked officer
is marked and the chair told once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.access import Role
from bot.domain.messages import Reply
from bot.fakes.telegram_server import FakeTelegram, Fault
from tests.harness import Harness
from tests.people import register


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        web_port=0,
        telegram_timeout=0.5,
        send_per_second=500,
        send_chat_interval=0,
        send_backoff_seconds=0.01,
    )


async def test_every_message_arrives_through_faults(bot: Harness, telegram: FakeTelegram) -> None:
    app = bot.app
    chair = telegram.user(4000, "Trưởng Cụm")
    await register(app, chair, "TG", Role.CHAIR)
    members = [
        telegram.user(4001 + i, f"Cán bộ {code}") for i, code in enumerate(("MA", "DB", "ML"))
    ]
    for user, code in zip(members, ("MA", "DB", "ML"), strict=True):
        await register(app, user, code, Role.MEMBER)
        await chair.next_message()
    blocked = members[2]
    telegram.blocked.add(blocked.chat_id)
    telegram.faults += [
        Fault("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1),
        Fault("sendMessage", 502, "Bad Gateway", times=2),
        Fault("sendMessage", 500, "Internal Server Error", chat_id=members[0].chat_id),
        Fault("sendMessage", 200, "", hang=1.0),  # answered after the client gave up
        Fault("sendMessage", 200, "", drop=True),
    ]
    services = app.services
    for n in range(10):
        for user in members:
            await services.outbox.enqueue(
                f"test:{n}:{user.chat_id}", "telegram", str(user.chat_id), Reply(f"Tin {n}")
            )

    expected = {f"Tin {n}" for n in range(10)}
    for user in members[:2]:
        received: list[str] = []
        while set(received) != expected:
            received.append((await user.next_message()).text)
        assert len(received) <= 11  # a send answered after the client's time-out arrives twice
    told = await chair.next_message()
    assert told.text == (
        "Cán bộ ML (Thị xã Mường Lay (ML)) không nhận được tin trên Telegram:"
        " người này đã chặn bot."
    )
    statuses = await services.outbox.repo.statuses("test:")
    assert statuses == {"sent": 20, "unreachable": 10}
    people = await chair.ask("/canbo")
    while people.text == told.text:  # at least once: a timed-out send may arrive twice
        people = await chair.next_message()
    assert "Cán bộ ML — cán bộ đầu mối đơn vị thành viên — Telegram ⚠️" in people.text
    assert all(f.times == 0 for f in telegram.faults if not f.chat_id)


async def test_blocking_and_unblocking_updates_the_mark(
    bot: Harness, telegram: FakeTelegram
) -> None:
    app = bot.app
    chair = telegram.user(4100, "Trưởng Cụm")
    member = telegram.user(4101, "Cán bộ Điện Biên")
    await register(app, chair, "TG", Role.CHAIR)
    await register(app, member, "DB", Role.MEMBER)
    await chair.next_message()
    member.block()
    told = await chair.next_message()
    assert told.text.startswith("Cán bộ Điện Biên (Huyện Điện Biên (DB)) không nhận được tin")
    member.unblock()
    await member.ask("/toi")  # handled after the unblock: one chat's updates keep their order
    people = await chair.ask("/canbo")
    assert "Cán bộ Điện Biên — cán bộ đầu mối đơn vị thành viên — Telegram —" in people.text
    bot.clock.advance(timedelta(days=1))
    member.block()
    assert "không nhận được tin" in (await chair.next_message()).text  # a new block, told again
