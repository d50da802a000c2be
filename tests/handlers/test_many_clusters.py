"""Two clusters in one installation: every command acts on the officer's cluster and its open
year, and nothing of one cluster is visible or changeable from the other."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FixedClock
from bot.domain.access import Role
from bot.domain.messages import InboundFile
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from bot.services.reminders import ReminderTicker
from tests.clusters import add_highland, join
from tests.documents import pdf_bytes
from tests.memory_channel import MemoryChat

LOWLAND = ("Tuần Giáo", "Mường Ảng", "Điện Biên Phủ", "Mường Lay")
PDF = pdf_bytes(pages=1)
HIGHLAND = ("Mường Nhé", "Mường Chà", "Nậm Pồ", "Tủa Chùa")


async def _people(dispatcher: Dispatcher, services: Services) -> dict[str, MemoryChat]:
    highland = await add_highland(services)
    await join(services, "memory", "tg", "TG", Role.CHAIR)
    await join(services, "memory", "ma", "MA", Role.MEMBER)
    await join(highland, "memory", "mn", "MN", Role.CHAIR)
    await join(highland, "memory", "mc", "MC", Role.MEMBER)
    await join(highland, "memory", "obs2", None, Role.OBSERVER)
    return {who: MemoryChat(dispatcher, who) for who in ("tg", "ma", "mn", "mc", "obs2")}


def _none_of(text: str, names: tuple[str, ...]) -> None:
    assert not [n for n in names if n in text], text


async def test_each_chair_sees_and_manages_only_their_cluster(
    dispatcher: Dispatcher, services: Services
) -> None:
    people = await _people(dispatcher, services)
    mn, tg = people["mn"], people["tg"]
    for command in ("/canbo", "/tiendo", "/xem", "/moi", "/hanchot", "/batdau"):
        await mn.say(command)
        _none_of(mn.text + str([r.options for r in mn.last]), LOWLAND)
        await tg.say(command)
        _none_of(tg.text + str([r.options for r in tg.last]), HIGHLAND)
    await mn.say("/canbo")
    assert "Mường Chà" in mn.text and "vùng cao" in mn.text
    await mn.say("/moi MA")
    assert "Tôi không tìm thấy đơn vị “MA”" in mn.text
    await people["obs2"].say("/tiendo")
    assert "Mường Chà" in people["obs2"].text
    _none_of(people["obs2"].text, LOWLAND)
    await people["mc"].say("/toi")
    assert "Mường Chà" in people["mc"].text


async def test_notices_and_reminders_stay_in_their_cluster(
    dispatcher: Dispatcher, services: Services
) -> None:
    people = await _people(dispatcher, services)
    mc = people["mc"]
    await mc.say("/nopbaocao")
    await mc.choose("6 tháng")
    await mc._send(files=(InboundFile("bc.pdf", PDF),))
    await mc.choose("Xong")
    await mc.choose("Gửi Trưởng Cụm")
    assert "BIÊN NHẬN" in mc.text
    rows = await services.db.fetchall("SELECT key, chat_id FROM outbox")
    told = {r["chat_id"] for r in rows if ":submitted:" in r["key"]}
    assert told == {"mn"}  # the highland chair, not the lowland one
    # the lowland status does not move; the highland one does
    await people["tg"].say("/tiendo")
    assert "Đã hoàn thành: 0/8" in people["tg"].text
    await people["mn"].say("/tiendo")
    assert "Đã hoàn thành: 1/6" in people["mn"].text

    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(clock.now().replace(month=6, day=23, hour=9))
    ticker = ReminderTicker(services, timedelta(hours=12))
    await ticker.tick()
    rows = await services.db.fetchall("SELECT key, chat_id FROM outbox WHERE key LIKE '%remind:%'")
    by_chat: dict[str, set[str]] = {}
    for r in rows:
        by_chat.setdefault(r["chat_id"], set()).add(r["key"].split(":", 1)[0])
    [highland] = [y for y in services.years.all() if y.id != services.year.id]
    lowland = f"y{services.year.id}"
    # Mường Ảng is reminded of the lowland deadline; Mường Chà, who sent it, is not; each
    # chair hears only of their own cluster's units
    assert by_chat == {"ma": {lowland}, "tg": {lowland}, "mn": {f"y{highland.id}"}}
