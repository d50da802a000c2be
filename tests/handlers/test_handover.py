"""The handover (bàn giao Trưởng Cụm): next year opens with its chair, the old year closes (read
only, reminders stopped), the chair's rights move, every registration stays."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.domain.access import Role
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from bot.services.reminders import ReminderTicker
from tests.clusters import add_highland, join
from tests.memory_channel import MemoryChat

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def _hand_over(dispatcher: Dispatcher, services: Services) -> dict[str, MemoryChat]:
    for user, unit in (("tg", "TG"), ("ma", "MA"), ("db", "DB")):
        await join(services, "memory", user, unit, Role.CHAIR if unit == "TG" else Role.MEMBER)
    people = {who: MemoryChat(dispatcher, who) for who in ("tg", "ma", "db")}
    tg = people["tg"]
    await tg.say("/bangiao")
    assert "2023" in tg.text
    await tg.choose("Mường Ảng")
    await tg.choose("Điện Biên (DB)")
    await tg.choose("Mang kế hoạch")
    assert "Trưởng Cụm: Huyện Mường Ảng (MA)" in tg.text
    assert "Phó Trưởng Cụm: Huyện Điện Biên (DB)" in tg.text
    # the year leaves its reports open: the preview lists them, going on takes a reason
    assert "⚠️ Năm 2022 còn việc chưa hoàn thành:" in tg.text
    assert "Báo cáo chưa nộp: 8" in tg.text
    await tg.choose("Xác nhận bàn giao")
    assert "anh/chị nhập lý do" in tg.text
    await tg.say("ok")
    assert "Anh/chị vui lòng viết vài từ." in tg.text
    await tg.say("Các đơn vị đã báo cáo trực tiếp tại hội nghị tổng kết")
    assert "Đã bàn giao" in tg.text
    [entry] = await services.audit.entries("handover.")
    assert entry.detail["reason"] == "Các đơn vị đã báo cáo trực tiếp tại hội nghị tổng kết"
    return people


async def test_the_handover_opens_the_next_year_and_moves_the_chair_rights(
    dispatcher: Dispatcher, services: Services
) -> None:
    people = await _hand_over(dispatcher, services)
    old, new = services.years.of_cluster(services.year.cluster_id)
    assert (old.year, old.status, new.year, new.status) == (2022, "closed", 2023, "open")
    assert (new.data.cluster.chair, new.data.cluster.deputy) == ("MA", "DB")
    assert new.flagged == tuple(t.number for t in new.data.plan.tasks)
    assert new.data.plan.deliverables[1].due.year == 2023
    # registrations stay: nobody is invited again; the rights follow the chair unit of the year
    ma, tg = people["ma"], people["tg"]
    await ma.say("/toi")
    assert "cán bộ đơn vị Trưởng Cụm" in ma.text
    await tg.say("/toi")
    assert "đơn vị thành viên" in tg.text
    await tg.say("/moi")
    assert "vai trò của anh/chị không được phép làm việc này" in tg.text
    await ma.say("/moi DB")
    assert "CTD-" in ma.text
    # everyone was told, the new chair of the rights
    rows = await services.db.fetchall("SELECT key, chat_id, payload FROM outbox")
    told = {r["chat_id"] for r in rows if r["key"].startswith(f"y{new.id}:handover:")}
    assert told == {"tg", "ma", "db"}
    rights = [r for r in rows if r["key"].startswith(f"y{new.id}:handover:chair:")]
    assert {r["chat_id"] for r in rights} == {"ma"}
    # the new chair confirms the carried plan
    await ma.say("/xacnhankehoach")
    assert "⚑ 9." in ma.text
    await ma.choose("Xác nhận tất cả")
    assert services.years.get(new.id).flagged == ()
    # the closed year stays readable
    await tg.say("/tiendo 2022")
    assert "năm 2022 (đã khép lại, chỉ xem)" in tg.text
    await tg.say("/tiendo 2019")
    assert "không có năm “2019”" in tg.text


async def test_the_closed_year_sends_no_more_reminders(
    dispatcher: Dispatcher, services: Services
) -> None:
    await _hand_over(dispatcher, services)
    old, new = services.years.of_cluster(services.year.cluster_id)
    clock = services.clock
    assert isinstance(clock, FixedClock)
    ticker = ReminderTicker(services, timedelta(hours=12))
    clock.set(datetime(2022, 6, 23, 9, 0, tzinfo=ZONE))  # a 2022 rung (and, a year on, 2023's)
    await ticker.tick()
    keys = [r["key"] for r in await services.db.fetchall("SELECT key FROM outbox")]
    assert not [k for k in keys if k.startswith(f"y{old.id}:remind:")]
    clock.set(datetime(2023, 6, 23, 9, 0, tzinfo=ZONE))
    await ticker.tick()
    keys = [r["key"] for r in await services.db.fetchall("SELECT key FROM outbox")]
    assert [k for k in keys if k.startswith(f"y{new.id}:remind:bc-6-thang:TG:before-7")]
    assert not [k for k in keys if k.startswith(f"y{old.id}:remind:")]


async def test_a_closed_year_is_read_only(dispatcher: Dispatcher, services: Services) -> None:
    highland = await add_highland(services)
    await join(highland, "memory", "mc", "MC", Role.MEMBER)
    await services.years.repo.set_status(highland.year.id, "closed", "test", services.clock.now())
    await services.years.load()
    mc = MemoryChat(dispatcher, "mc")
    await mc.say("/nopbaocao")
    assert "đã khép lại: chỉ xem được" in mc.text
    await mc.say("/tiendo")
    assert "Mường Chà" in mc.text


async def test_a_year_typed_in_other_digits_is_answered_politely(
    dispatcher: Dispatcher, services: Services
) -> None:
    await join(services, "memory", "ma", "MA", Role.MEMBER)
    ma = MemoryChat(dispatcher, "ma")
    for typed in ("¹", "٢٠٢٢", "abc"):
        await ma.say(f"/tiendo {typed}")
        assert "không có năm" in ma.text, typed
