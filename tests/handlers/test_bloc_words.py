"""A bloc (khối) is called a bloc in chat: its chair "Trưởng Khối", its deputy "Phó Trưởng
Khối" — or the province's own words ("Khối trưởng", "Khối phó") — and in English "bloc chair"
and "bloc deputy"."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access import Role
from bot.engine.dispatcher import Dispatcher
from bot.services.container import Services
from tests.clusters import add_year, departments_bloc, join
from tests.memory_channel import MemoryChat


async def _bloc_people(
    dispatcher: Dispatcher, services: Services, **titles: str
) -> dict[str, MemoryChat]:
    bloc = await add_year(services, departments_bloc(**titles))
    await join(bloc, "memory", "stc", "STC", Role.CHAIR)
    await join(bloc, "memory", "stp", "STP", Role.MEMBER)
    return {who: MemoryChat(dispatcher, who) for who in ("stc", "stp")}


async def test_a_bloc_has_a_truong_khoi_and_a_pho_truong_khoi(
    dispatcher: Dispatcher, services: Services
) -> None:
    people = await _bloc_people(dispatcher, services)
    chair, member = people["stc"], people["stp"]
    await chair.say("/canbo")
    assert "Sở Tài chính (STC) — Trưởng Khối" in chair.text
    assert "Sở Nội vụ (SNV) — Phó Trưởng Khối" in chair.text
    await chair.say("/moi STP truongkhoi")
    assert chair.text.startswith(
        "Vai trò Trưởng Khối chỉ dành cho cán bộ của đơn vị Trưởng Khối (Sở Tài chính (STC))."
    )
    assert "(thanhvien)" in chair.text
    await chair.say("/moi STC thanhvien")
    assert "vai trò truongkhoi" in chair.text
    await member.say("/toi")
    assert "cán bộ đầu mối đơn vị thành viên của Sở Tư pháp (STP)" in member.text
    assert "gửi báo cáo cho Trưởng Khối qua tôi" in member.text
    await chair.say("/toi")
    assert "cán bộ đơn vị Trưởng Khối" in chair.text
    await chair.say("/hanchot")
    assert "Nhiệm vụ 1 của Trưởng Khối:" in chair.text
    for text in (chair.text, member.text):
        assert "Cụm" not in text
    await member.say("/ngonngu")
    await member.choose("English")
    await member.say("/toi")
    assert "send reports to the bloc chair through me" in member.text


async def test_the_provinces_own_words_are_used_in_vietnamese_only(
    dispatcher: Dispatcher, services: Services
) -> None:
    people = await _bloc_people(
        dispatcher, services, chair_title="Khối trưởng", deputy_title="Khối phó"
    )
    chair = people["stc"]
    await chair.say("/canbo")
    assert "Sở Tài chính (STC) — Khối trưởng" in chair.text
    assert "Sở Nội vụ (SNV) — Khối phó" in chair.text
    await chair.say("/ngonngu")
    await chair.choose("English")
    await chair.say("/canbo")
    assert "Sở Tài chính (STC) — bloc chair" in chair.text
    assert "Sở Nội vụ (SNV) — bloc deputy" in chair.text


async def test_a_cluster_keeps_its_truong_cum_and_pho_truong_cum(
    dispatcher: Dispatcher, services: Services
) -> None:
    await join(services, "memory", "tg", "TG", Role.CHAIR)
    chair = MemoryChat(dispatcher, "tg")
    await chair.say("/canbo")
    assert "Huyện Tuần Giáo (TG) — Trưởng Cụm" in chair.text
    await chair.say("/moi MA truongcum")
    assert "Vai trò Trưởng Cụm chỉ dành cho cán bộ của đơn vị Trưởng Cụm" in chair.text


async def test_the_province_board_sees_clusters_and_blocs_each_by_its_own_words(
    dispatcher: Dispatcher, services: Services
) -> None:
    await add_year(services, departments_bloc())
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
    await board.say("/tongquan")
    assert "Cụm thi đua vùng thấp — 2022 (đang mở), Trưởng Cụm Tuần Giáo" in board.text
    assert "Khối các cơ quan tổng hợp — 2022 (đang mở), Trưởng Khối Sở Tài chính" in board.text
