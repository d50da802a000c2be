"""The nudges end to end, on Telegram and on Zalo: a reminder put off ("Nhắc lại sau") comes back
on the chosen day and not before, never past the deadline; a report sent on paper ("Đã gửi
bằng văn bản giấy") is confirmed or refused by the chair and, confirmed, counts in /tiendo;
the chair's "Nhắc các đơn vị chưa nộp" under /tiendo; each unit's weekly digest, which its
officer turns off; /huongdan with the answer to the message that opens a chat."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.delivery.outbox_keys import KeyPrefix, reminder_key
from bot.domain.access import Role
from bot.fakes.base import Sent
from bot.fakes.demo_people import Person
from tests.e2e.test_scenarios import join
from tests.platforms import Platform

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
HALF_YEAR = "Báo cáo kết quả thi đua, khen thưởng 6 tháng đầu năm 2022"


async def _at(platform: Platform, day: int, month: int = 6, hour: int = 8) -> None:
    """The reminder tick at ``hour``:30 of that day of 2022."""
    platform.harness.clock.set(datetime(2022, month, day, hour, 30, tzinfo=HANOI))
    reminders = platform.harness.app.reminders
    assert reminders is not None
    await reminders.tick()


async def _until(person: Person, fragment: str, most: int = 6) -> Sent:
    """The next message containing ``fragment`` (notices that come first are passed over)."""
    for _ in range(most):
        message = await person.next()
        if fragment in message.text:
            return message
    raise AssertionError(f"no message with {fragment!r}")


def _labels(message: Sent) -> str:
    """What a person can choose: the buttons (Telegram) or the numbered lines (Zalo)."""
    return message.text + "\n" + "\n".join(label for label, _data in message.buttons)


async def test_a_reminder_put_off_comes_back_on_the_chosen_day(platform: Platform) -> None:
    await _at(platform, 23)
    officer = platform.person(21, "Lò Thị Hằng")
    await join(platform, officer, "MA", Role.MEMBER)
    await _at(platform, 23)
    reminder = await _until(officer, "Nhắc hạn")
    assert "còn 7 ngày" in reminder.text and "Nhắc lại sau" in _labels(reminder)
    days = await officer.choose(reminder, "Nhắc lại sau")
    offered = _labels(days)
    assert "Ngày mai (24/6/2022)" in offered and "30/6/2022" in offered
    assert "1/7/2022" not in offered  # never past the deadline
    done = await officer.choose(days, "28/6/2022")
    assert done.text == (
        f"Đã rõ: tôi sẽ nhắc lại đơn vị anh/chị về {HALF_YEAR} vào ngày 28/6/2022."
    )
    await _at(platform, 27)  # the three-day rung is put off; Monday's digest still comes
    digest = await officer.next()
    assert digest.text.startswith("📋 Huyện Mường Ảng (MA): báo cáo từ 27/6/2022 đến 10/7/2022")
    await _at(platform, 28)
    back = await officer.next()
    assert "Nhắc hạn" in back.text and "còn 2 ngày" in back.text
    await _at(platform, 29)
    after = await officer.next()
    assert "còn 1 ngày" in after.text and "Nhắc lại sau" in _labels(after)
    await _at(platform, 30)
    due = await officer.next()
    assert "hôm nay" in due.text and "Nhắc lại sau" not in _labels(due)  # no later left
    services = platform.harness.app.services
    assert [e.action for e in await services.audit.entries("reminder.")] == ["reminder.snoozed"]


async def test_sent_on_paper_is_confirmed_or_refused_by_the_chair(platform: Platform) -> None:
    await _at(platform, 23)
    chair = platform.person(30, "Vũ Văn Đức")
    member = platform.person(31, "Lò Thị Hằng")
    other = platform.person(32, "Quàng Văn Bình")
    await join(platform, chair, "TG", Role.CHAIR)
    await join(platform, member, "MA", Role.MEMBER)
    await join(platform, other, "DB", Role.MEMBER)
    await _at(platform, 23)
    for officer in (member, other):
        reminder = await _until(officer, "Nhắc hạn")
        said = await officer.choose(reminder, "Đã gửi bằng văn bản giấy")
        assert said.text.startswith(f"Đã ghi nhận: {HALF_YEAR} đã được gửi bằng văn bản giấy.")
    asked = await _until(chair, "Huyện Mường Ảng (MA) báo đã gửi")
    confirmed = await chair.choose(asked, "Xác nhận đã nhận bản giấy")
    assert confirmed.text == (
        f"Đã xác nhận: {HALF_YEAR} của Huyện Mường Ảng được tính là đã nộp (bản giấy)."
    )
    told = await member.next()
    assert told.text.startswith("Trưởng Cụm đã xác nhận nhận được bản giấy")
    asked = await _until(chair, "Huyện Điện Biên (DB) báo đã gửi")
    refused = await chair.choose(asked, "Chưa nhận được")
    assert refused.text.startswith("Đã ghi nhận: chưa nhận được bản giấy")
    told = await other.next()
    assert told.text.startswith("Trưởng Cụm chưa nhận được bản giấy") and "Nộp báo cáo ngay" in (
        _labels(told)
    )
    status = await chair.ask("/tiendo")
    assert "MA Mường Ảng: (1)📄" in status.text and "DB Điện Biên: (1)⏳" in status.text
    assert "📄 đã nộp bản giấy" in status.text
    services = platform.harness.app.services
    actions = [e.action for e in await services.audit.entries("report.paper")]
    assert sorted(actions) == [
        "report.paper_claimed",
        "report.paper_claimed",
        "report.paper_confirmed",
        "report.paper_refused",
    ]


async def test_the_chair_reminds_the_units_from_tiendo(platform: Platform) -> None:
    await _at(platform, 20)
    chair = platform.person(40, "Vũ Văn Đức")
    member = platform.person(41, "Lò Thị Hằng")
    await join(platform, chair, "TG", Role.CHAIR)
    await join(platform, member, "MA", Role.MEMBER)
    await chair.send("/tiendo")
    status = await _until(chair, "Tiến độ nộp báo cáo")  # after the notice that MA joined
    assert "Nhắc các đơn vị chưa nộp" in _labels(status)
    preview = await chair.choose(status, "Nhắc các đơn vị chưa nộp")
    assert "Các đơn vị sau sẽ được nhắc" in preview.text
    assert f"Huyện Mường Ảng (MA): {HALF_YEAR} (hạn 30/6/2022)" in preview.text
    sent = await chair.choose(preview, "Gửi lời nhắc")
    assert sent.text == "Đã nhắc 4 báo cáo: 1 tin nhắn đang được gửi."  # only MA has an officer
    reminder = await member.next()
    assert reminder.text.startswith(f"⏰ Nhắc hạn: {HALF_YEAR} của Huyện Mường Ảng (MA)")
    denied = await member.ask("/tiendo")
    assert "Nhắc các đơn vị chưa nộp" not in _labels(denied)
    services = platform.harness.app.services
    assert [e.subject for e in await services.audit.entries("reports.reminded")] == ["all"]


async def test_a_unit_officer_turns_the_weekly_digest_off(platform: Platform) -> None:
    await _at(platform, 26)
    officer = platform.person(51, "Lò Thị Hằng")
    await join(platform, officer, "MA", Role.MEMBER)
    await _at(platform, 27)  # a Monday
    digest = await _until(officer, "📋")
    assert "Đến hạn trong hai tuần tới:" in digest.text
    assert f"- {HALF_YEAR} (hạn 30/6/2022)" in digest.text
    off = await officer.choose(digest, "Thôi nhận bản tin tuần")
    assert off.text == "Đã tắt bản tin hằng tuần. Nhập /bantin để bật lại."
    shown = await officer.ask("/bantin")
    assert shown.text.startswith("Bản tin hằng tuần của đơn vị đang tắt.")
    await _at(platform, 4, 7)  # next Monday: the chair's digest, none for this officer
    services = platform.harness.app.services
    unit_digest = KeyPrefix(services.year_key(reminder_key("digest-2022-W27:MA")))
    assert await services.outbox.repo.statuses(unit_digest) == {}
    again = await officer.choose(shown, "Nhận lại bản tin tuần")
    assert again.text == "Đã bật lại bản tin hằng tuần. Nhập /bantin để tắt."


async def test_the_help_comes_with_the_answer_that_opens_a_chat(platform: Platform) -> None:
    newcomer = platform.person(61, "Người mới")
    services = platform.harness.app.services
    _id, code = await services.invitations.create(
        "ML", Role.MEMBER, services.clock.now(), timedelta(days=7), created_by=None, actor="t"
    )
    welcome = await newcomer.ask(code)
    assert welcome.text.startswith("Chào mừng Người mới!")
    assert "Các lệnh anh/chị dùng được:" in welcome.text and "/nopbaocao" in welcome.text
    help_once = await newcomer.ask("/toi")
    assert "Các lệnh anh/chị dùng được:" not in help_once.text
