"""The pact (ký kết giao ước thi đua): the chair sends it, each member unit confirms, the chair
sees who signed, the unsigned are reminded, every confirmation is audited and exported."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.export import write_pact_list
from bot.clock import FixedClock
from bot.delivery.outbox import decode_reply
from bot.domain.access import Role
from bot.domain.messages import Reply
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from bot.services.reminders import ReminderTicker
from tests.clusters import join
from tests.memory_channel import MemoryChat

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def _delivered(services: Services, dispatcher: Dispatcher, chat: str) -> Reply:
    """The newest outbox message to a chat, with its buttons as the sender would issue them."""
    row = await services.db.fetchone(
        "SELECT payload FROM outbox WHERE chat_id = ? ORDER BY id DESC LIMIT 1", (chat,)
    )
    assert row is not None
    [reply] = await dispatcher.tokenise("memory", chat, [decode_reply(row[0], services.files)])
    return reply


async def test_the_pact_is_sent_signed_reminded_audited_and_exported(
    dispatcher: Dispatcher, services: Services, tmp_path: Path
) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2022, 3, 15, 9, 0, tzinfo=ZONE))
    for user, unit in (("tg", "TG"), ("ma", "MA"), ("db", "DB"), ("ml", "ML")):
        await join(services, "memory", user, unit, Role.CHAIR if unit == "TG" else Role.MEMBER)
    tg, ma, db = (MemoryChat(dispatcher, u) for u in ("tg", "ma", "db"))
    await ma.say("/giaouoc")
    assert "chưa được gửi" in ma.text
    await tg.say("/giaouoc")
    await tg.say("Các đơn vị thành viên cam kết thi đua hoàn thành thắng lợi nhiệm vụ năm 2022.")
    assert "ký chậm nhất ngày 25/3/2022" in tg.text
    await tg.choose("Gửi giao ước")
    assert "đang được gửi tới 3" in tg.text
    # Mường Ảng signs from the message it received, Điện Biên with /giaouoc
    received = [await _delivered(services, dispatcher, "ma")]
    ma.last = received
    assert "cam kết thi đua" in ma.text
    await ma.choose("Đồng ý ký kết")
    assert "Đã ghi nhận: Huyện Mường Ảng (MA) đồng ý ký kết" in ma.text
    ma.last = received  # pressed again
    await ma.choose("Đồng ý ký kết")
    assert "đã ký giao ước" in ma.text
    await db.say("/giaouoc")
    await db.choose("Đồng ý ký kết")
    # the chair sees who signed and who has not
    await tg.say("/giaouoc")
    assert "2/4 đơn vị thành viên đã ký" in tg.text
    assert "✅ Huyện Mường Ảng (MA)" in tg.text and "⏳ Thị xã Mường Lay (ML)" in tg.text
    # the chair may not sign, nor may a unit sign twice; every confirmation is audited
    entries = [e for e in await services.audit.entries() if e.action == "pact.signed"]
    assert [e.detail["unit"] for e in entries] == ["MA", "DB"]
    # the unsigned get the reminder ladder: Mường Lay only
    clock.set(datetime(2022, 3, 18, 9, 0, tzinfo=ZONE))
    await ReminderTicker(services, timedelta(hours=12)).tick()
    rows = await services.db.fetchall("SELECT chat_id FROM outbox WHERE key LIKE '%remind:pact-%'")
    assert {r[0] for r in rows} == {"ml"}
    # and the list is part of the year's export
    await write_pact_list(services, tmp_path)
    with (tmp_path / "pact.csv").open(encoding="utf-8-sig") as handle:
        signed = {r["unit"]: r["signed"] for r in csv.DictReader(handle)}
    assert signed == {"MA": "yes", "DB": "yes", "ML": "no", "DBP": "no"}
