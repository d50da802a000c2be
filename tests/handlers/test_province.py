"""The provincial emulation board: an overview of every cluster, a look at one, announcements to
every chair, and no change to any cluster's data."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access import Role
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from tests.clusters import add_highland, join
from tests.memory_channel import MemoryChat


async def test_the_province_board_reads_every_cluster_and_writes_to_every_chair(
    dispatcher: Dispatcher, services: Services
) -> None:
    highland = await add_highland(services)
    await join(services, "memory", "tg", "TG", Role.CHAIR)
    await join(highland, "memory", "mn", "MN", Role.CHAIR)
    _id, code = await services.invitations.create(
        None,
        Role.PROVINCE,
        services.clock.now(),
        timedelta(days=1),
        None,
        "test",
        province="Điện Biên",
    )
    board = MemoryChat(dispatcher, "board", name="Ban Thi đua tỉnh")
    await board.say(f"/batdau {code}")
    assert "Hội đồng Thi đua - Khen thưởng tỉnh" in board.text
    await board.say("/tongquan")
    assert "Cụm thi đua vùng thấp — 2022 (đang mở), Trưởng Cụm Tuần Giáo" in board.text
    assert "Cụm thi đua vùng cao — 2022 (đang mở), Trưởng Cụm Mường Nhé" in board.text
    assert "Xếp hạng: chưa công bố" in board.text
    await board.choose("Xem Cụm thi đua vùng cao")
    await board.say("/tiendo")
    assert "Mường Chà" in board.text and "Mường Ảng" not in board.text
    await board.say("/chon")
    await board.choose("Cụm thi đua vùng thấp")
    await board.say("/tiendo")
    assert "Mường Ảng" in board.text and "Mường Chà" not in board.text
    # read only: nothing of a cluster's own work is open to the board
    for command in ("/nopbaocao", "/chamdiem", "/moi", "/bangiao", "/chotdiem"):
        await board.say(command)
        assert "không được phép" in board.text, command
    # but the chair unit's own self-score, in a year without a deputy, is the board's to review
    await board.say("/duyetdiem")
    assert "Chưa có đơn vị nào gửi" in board.text
    # an announcement to every chair
    await board.say("/thongbaotinh Hạn gửi hồ sơ khen thưởng là ngày 15/1/2023.")
    assert "Gửi Trưởng Cụm, Trưởng Khối của 2 cụm, khối" in board.text
    await board.choose("Gửi")
    assert "Đã gửi tới 2" in board.text
    rows = await services.db.fetchall("SELECT chat_id FROM outbox WHERE key LIKE 'province:%'")
    assert {r[0] for r in rows} == {"tg", "mn"}
    [entry] = await services.audit.entries("province.")
    assert entry.detail == {"recipients": 2}
