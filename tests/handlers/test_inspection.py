"""The cross-inspection round in chat: proposed pairs, a swap (a bad one refused), the due date;
every inspecting unit told; the minutes through the report intake (receipt, versions) and in
/tiendo; the inspected unit told and answering; the chair sees it all."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.export import write_inspection_list
from bot.clock import FixedClock
from bot.delivery.outbox import decode_reply
from bot.domain.access import Role
from bot.domain.messages import InboundFile
from bot.domain.pairing import check_pairs
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from bot.usecases.cross_inspection import MINUTES
from tests.clusters import join
from tests.documents import docx_bytes
from tests.memory_channel import MemoryChat

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
UNITS = ("TG", "MA", "DB", "ML", "DBP")


async def test_the_round_from_pairs_to_minutes_and_answers(
    dispatcher: Dispatcher, services: Services, tmp_path: Path
) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2022, 10, 3, 9, 0, tzinfo=ZONE))
    for unit in UNITS:
        await join(
            services, "memory", unit.lower(), unit, Role.CHAIR if unit == "TG" else Role.MEMBER
        )
    chats = {unit: MemoryChat(dispatcher, unit.lower()) for unit in UNITS}
    chair = chats["TG"]
    await chats["MA"].say("/kiemtra")
    assert "chưa tổ chức đợt kiểm tra chéo" in chats["MA"].text
    await chair.say("/kiemtra")
    assert "Các cặp kiểm tra đề xuất" in chair.text
    await chair.say("MA MA")
    assert "hai đơn vị khác nhau" in chair.text
    await chair.say("MA DB")  # a legal swap (or a refusal naming the rule), never a broken set
    assert "Các cặp kiểm tra đề xuất" in chair.text or "Đổi như vậy" in chair.text
    await chair.choose("Giữ các cặp này")
    await chair.say("31/13/2022")
    assert "ngày/tháng/năm" in chair.text
    await chair.say("30/11/2022")
    await chair.choose("Tổ chức đợt kiểm tra")
    assert "mọi đơn vị kiểm tra đã được thông báo" in chair.text
    current = await services.inspections.current()
    assert current is not None and check_pairs(current.pairs) is None
    assert len(current.pairs) == 5
    rows = await services.db.fetchall(
        "SELECT chat_id, payload FROM outbox WHERE key LIKE '%inspection:%'"
    )
    assert sorted(r[0] for r in rows) == sorted(u.lower() for u in UNITS)
    # the minutes go through the report intake: receipt, version, the inspected unit told
    inspected = current.inspected_by("MA")
    assert inspected is not None
    ma = chats["MA"]
    await ma.say("/nopbaocao")
    await ma.choose("Biên bản kiểm tra chéo")
    await ma._send(files=(InboundFile("bien-ban-kiem-tra.docx", docx_bytes("Biên bản")),))
    await ma.choose("Xong")
    await ma.choose("Gửi Trưởng Cụm")
    assert "BIÊN NHẬN" in ma.text
    history = await services.submissions.history(MINUTES, "MA")
    assert [s.version for s in history] == [1]
    row = await services.db.fetchone(
        "SELECT payload FROM outbox WHERE key LIKE '%inspected:%' AND chat_id = ?",
        (inspected.lower(),),
    )
    assert row is not None
    told = decode_reply(row[0], services.files)
    assert "đã gửi biên bản kiểm tra đơn vị anh/chị" in told.text
    # the inspected unit answers from that message
    other = chats[inspected]
    [issued] = await dispatcher.tokenise("memory", inspected.lower(), [told])
    other.last = [issued]
    await other.choose("Giải trình")
    await other.say("Đơn vị đã bổ sung hồ sơ khen thưởng còn thiếu.")
    assert "đã được ghi nhận" in other.text
    # the chair sees the round, the minutes received and the answer; /tiendo has the column
    await chair.say("/kiemtra")
    assert "✅ Huyện Mường Ảng (MA) kiểm tra" in chair.text
    assert "giải trình: Đơn vị đã bổ sung hồ sơ" in chair.text
    await chair.say("/tiendo")
    assert "Biên bản kiểm tra chéo" in chair.text or "kiem-tra-cheo" in chair.text
    # and the year's export lists the pairs, the minutes and the answer
    await write_inspection_list(services, tmp_path)
    with (tmp_path / "inspection.csv").open(encoding="utf-8-sig") as handle:
        listed = {r["inspector"]: r for r in csv.DictReader(handle)}
    assert listed["MA"]["inspected"] == inspected and listed["MA"]["minutes_version"] == "1"
    assert listed["MA"]["answers"].startswith("Đơn vị đã bổ sung")
