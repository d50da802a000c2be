"""Announcements end to end, on Telegram and on Zalo: linking a group, announcing to it and to
every officer with progress and read receipts, pinning only with the right, scheduling across a
restart, and refusing members."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser, Sent
from tests.e2e.test_scenarios import join
from tests.harness import Harness
from tests.people import register
from tests.platforms import Person, Platform


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None, data_dir=tmp_path / "data", web_port=0, progress_tick_seconds=0.05
    )


async def _cluster(platform: Platform) -> tuple[Person, dict[str, Person]]:
    chair = platform.person(1, "Vũ Văn Đức")
    await join(platform, chair, "TG", Role.CHAIR)
    members = {
        code: platform.person(n, f"Cán bộ {code}")
        for n, code in enumerate(("MA", "DB", "ML"), start=2)
    }
    for code, person in members.items():
        await join(platform, person, code, Role.MEMBER)
        await chair.next()
    return chair, members


async def _compose(chair: Person, text: str, audience: str, when: str = "now") -> Person:
    await chair.ask("/thongbao")
    who = await chair.ask(text)
    timing = await chair.choose(who, audience)
    if when == "now":
        header = await chair.choose(timing, "Gửi ngay")
    else:
        header = await chair.ask(when)
    assert header.text == "Xem trước, đúng như người nhận sẽ thấy:"
    preview = await chair.next()
    assert preview.text.startswith(text)  # on Zalo the "Đã nhận" option follows as a list
    return await chair.next()


async def test_announce_to_every_officer_with_progress_and_receipts(platform: Platform) -> None:
    chair, members = await _cluster(platform)
    question = await _compose(
        chair, "Họp Cụm lúc 8 giờ ngày 20/3/2022 tại UBND huyện Tuần Giáo.", "Tất cả cán bộ"
    )
    assert question.text.startswith("Gửi tới: tất cả cán bộ (nhắn riêng).")
    progress = await chair.choose(question, "Gửi")
    assert progress.method == "sendMessage"
    for person in members.values():
        got = await person.next()
        assert got.text.startswith("Họp Cụm lúc 8 giờ ngày 20/3/2022 tại UBND huyện Tuần Giáo.")
    if platform.name == "telegram":  # progress is one message, edited in place
        edit = await chair.next()
        assert edit.method == "editMessageText" and edit.message_id == progress.message_id
        assert edit.text == "📣 Thông báo số 1: đã gửi 3/3"
    summary = await chair.next()
    assert summary.text == "📣 Thông báo số 1 đã gửi xong: 3/3 người nhận."
    sent = [s for s in platform.server.sent if s.text.startswith("Họp Cụm")]
    assert len(sent) == 4  # each officer once, and the chair's preview

    for code in ("MA", "DB"):
        person = members[code]
        thanks = await person.choose(person.last, "Đã nhận")
        assert thanks.text == "Cảm ơn, đã ghi nhận anh/chị đã nhận thông báo."
    listing = await chair.ask("/thongbao")
    assert "Số 1 (09:00 15/3/2022): 2 đơn vị đã nhận: DB, MA" in listing.text

    refused = await members["MA"].ask("/thongbao")
    assert refused.text == "Xin lỗi, vai trò của anh/chị không được phép làm việc này."


async def test_a_scheduled_announcement_survives_a_restart(platform: Platform) -> None:
    chair, members = await _cluster(platform)
    question = await _compose(
        chair, "Nhắc: nộp báo cáo 6 tháng trước 30/6.", "Tất cả cán bộ", "15/3/2022 10:30"
    )
    scheduled = await chair.choose(question, "Gửi")
    assert scheduled.text == "Thông báo số 1 được hẹn gửi lúc 10:30 15/3/2022 (3 người nhận)."
    listing = await chair.ask("/lichthongbao")
    assert "1. 10:30 15/3/2022 — Nhắc: nộp báo cáo" in listing.text

    await platform.harness.restart()
    platform.harness.clock.advance(timedelta(hours=1, minutes=31))
    for person in members.values():
        assert (await person.next()).text.startswith("Nhắc: nộp báo cáo 6 tháng trước 30/6.")
    while not (await chair.next()).text.startswith("📣 Thông báo số 1 đã gửi xong: 3/3"):
        pass  # the progress, then the summary
    await platform.harness.restart()  # a second restart sends nothing again
    assert (await chair.ask("/lichthongbao")).text == "Không có thông báo nào đang hẹn giờ."
    chats = [str(s.chat_id) for s in platform.server.sent if s.text.startswith("Nhắc: nộp")]
    assert sorted(chats) == sorted([chair.chat_id, *(p.chat_id for p in members.values())]), chats


async def test_campaign_launch_prefills_the_announcement(platform: Platform) -> None:
    chair, _members = await _cluster(platform)
    listing = await chair.ask("/phongtrao")
    assert "3. Cả nước chung sức xây dựng nông thôn mới" in listing.text
    draft = await chair.choose(listing, "Phát động: Cả nước chung sức xây dựng nông")
    assert "Hưởng ứng phong trào thi đua “Cả nước chung sức xây dựng nông thôn mới”" in draft.text
    audience = await chair.choose(draft, "Dùng nội dung này")
    assert audience.text.startswith("Gửi cho ai?")


async def test_group_link_pin_and_removal_on_telegram(bot: Harness, telegram: FakeTelegram) -> None:

    chair = telegram.user(1, "Vũ Văn Đức")
    await register(bot.app, chair, "TG", Role.CHAIR)
    member = telegram.user(2, "Cán bộ MA")
    await register(bot.app, member, "MA", Role.MEMBER)
    await chair.next_message()
    in_group = telegram.user(1, "Vũ Văn Đức", chat_id=-1001)
    linked = await in_group.ask("/lienket")
    assert linked.text.startswith("Nhóm này đã là nhóm nhận thông báo của Cụm.")
    assert "chế độ riêng tư" in linked.text
    assert (
        await member.ask("/lienket")
    ).text == "Xin lỗi, vai trò của anh/chị không được phép làm việc này."

    for pin_right in (False, True):
        if pin_right:
            telegram.pin_rights.add(-1001)
        if (await chair.ask("/thongbao")).text.startswith("Các thông báo gần đây"):
            await chair.next_message()  # the recent list comes before the question
        audience = await chair.ask(f"Thông báo nhóm {int(pin_right)}")
        when = await _press(chair, audience, "Các nhóm của Cụm")
        await _press(chair, when, "Gửi ngay")  # the preview's header
        await chair.next_message()
        question = await chair.next_message()
        chair.press(question, "Gửi")
        posted = await in_group.next_message()
        assert posted.text == f"Thông báo nhóm {int(pin_right)}" and posted.buttons == []
        done = f"📣 Thông báo số {int(pin_right) + 1} đã gửi xong"
        while not (await chair.next_message()).text.startswith(done):
            pass  # the progress message and its edit come first
        pins = [s for s in telegram.sent if s.method == "pinChatMessage"]
        assert len(pins) == (1 if pin_right else 0)
        assert member.server.queue(member.chat_id).empty()  # Telegram officers read it in the group

    telegram.push_update(
        {
            "my_chat_member": {
                "chat": {"id": -1001, "type": "group", "title": "Nhóm Cụm"},
                "from": {"id": 1, "is_bot": False, "first_name": "Vũ Văn Đức"},
                "date": 0,
                "old_chat_member": {
                    "status": "member",
                    "user": {"id": telegram.bot_id, "is_bot": True, "first_name": "b"},
                },
                "new_chat_member": {
                    "status": "left",
                    "user": {"id": telegram.bot_id, "is_bot": True, "first_name": "b"},
                },
            }
        }
    )
    told = await chair.next_message()
    assert told.text.startswith("Tôi đã bị xóa khỏi một nhóm đã liên kết (Telegram)")
    assert await bot.app.services.announcements.groups() == []


async def _press(user: FakeTelegramUser, message: Sent, label: str) -> Sent:
    user.press(message, label)
    return await user.next_message()


async def test_a_bad_or_past_time_is_refused(platform: Platform) -> None:
    chair, _members = await _cluster(platform)
    await chair.ask("/thongbao")
    who = await chair.ask("Thông báo thử")
    await chair.choose(who, "Tất cả cán bộ")
    unreadable = await chair.ask("sáng mai")
    assert (
        unreadable.text
        == "Tôi chưa đọc được thời gian này. Anh/chị viết theo dạng 20/3/2022 08:00."
    )
    past = await chair.ask("1/1/2020 08:00")
    assert past.text == "Thời điểm này đã qua. Anh/chị chọn một thời điểm sắp tới."
    assert (await chair.ask("/huy")).text == "Đã hủy. Bản nháp đó không được lưu."
    assert await platform.harness.app.services.announcements.recent() == []
