"""Registration end to end through the fake Telegram server: invitations, joins, refusals,
lockout, access control and the audit log."""

from __future__ import annotations

from datetime import timedelta

import cv2
import numpy as np

from bot.clock import FixedClock
from bot.domain.access import Role
from bot.domain.invite_codes import display
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser
from tests.harness import Harness
from tests.people import invite, register


def _decode_qr(png: bytes) -> str:
    image = cv2.imdecode(np.frombuffer(png, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    # the Aruco-based detector reads every code; the classic one misses about 1 in 50
    text, _points, _straight = cv2.QRCodeDetectorAruco().detectAndDecode(image)
    return text


async def test_full_join_by_deep_link(bot: Harness, telegram: FakeTelegram) -> None:
    app = bot.app
    chair = telegram.user(2001, "Vũ Văn Đức")
    await register(app, chair, "TG", Role.CHAIR)

    menu = await chair.ask("/moi")
    assert "đơn vị nào" in menu.text
    chair.press(menu, "Mường Ảng")
    invitation = await chair.next_message()
    assert invitation.method == "sendPhoto"
    assert "Lời mời cho Huyện Mường Ảng (MA) (cán bộ đầu mối đơn vị thành viên)" in invitation.text
    link = _decode_qr(invitation.file_data)
    assert link.startswith(f"https://t.me/{telegram.username}?start=CTD")
    assert f"Đường dẫn Telegram: {link}" in invitation.text
    code = link.split("start=")[1]
    assert display(code) in invitation.text

    officer = telegram.user(2002, "Lò Thị Hằng")
    welcome = await officer.ask(f"/start {code}")  # what opening the deep link sends
    assert welcome.text.startswith(
        "Chào mừng Lò Thị Hằng! Anh/chị đã đăng ký là cán bộ đầu mối đơn vị thành viên"
        " của Huyện Mường Ảng (MA)."
    )
    notice = await chair.next_message()
    assert notice.text == (
        "Lò Thị Hằng đã tham gia với vai trò cán bộ đầu mối đơn vị thành viên"
        " của Huyện Mường Ảng (MA) (qua Telegram)."
    )
    who = await officer.ask("/toi")
    assert (
        "Anh/chị là Lò Thị Hằng, cán bộ đầu mối đơn vị thành viên của Huyện Mường Ảng (MA)."
        in who.text
    )
    assert "đầu mối chính" in who.text  # the first officer of a unit is its primary contact

    people = await chair.ask("/canbo")
    assert "★ Lò Thị Hằng — cán bộ đầu mối đơn vị thành viên — Telegram" in people.text
    assert "(chưa có cán bộ: mời bằng /moi DB)" in people.text


async def test_typed_code_in_nfd_and_lowercase_with_spaces_works(
    bot: Harness, telegram: FakeTelegram
) -> None:
    code = await invite(bot.app, "ML", Role.MEMBER)
    officer = telegram.user(2003, "Tòng Văn Sơn")
    typed = " ".join(display(code).lower().split("-"))
    welcome = await officer.ask(typed)
    assert "Thị xã Mường Lay (ML)" in welcome.text


async def test_invite_by_unit_name_typed_in_nfd(bot: Harness, telegram: FakeTelegram) -> None:
    import unicodedata

    chair = telegram.user(2004, "Chủ tịch")
    await register(bot.app, chair, "TG", Role.CHAIR)
    answer = await chair.ask("/moi " + unicodedata.normalize("NFD", "mường  ảng"))
    assert "Lời mời cho Huyện Mường Ảng (MA)" in answer.text
    unknown = await chair.ask("/moi Hà Nội")
    assert unknown.text.startswith("Tôi không tìm thấy đơn vị “Hà Nội”.")


async def test_bad_codes_get_distinct_answers(
    bot: Harness, telegram: FakeTelegram, clock: FixedClock
) -> None:
    app = bot.app
    services = app.services
    chair = telegram.user(2010, "Trưởng Cụm")
    await register(app, chair, "TG", Role.CHAIR)
    used = await invite(app, "DB", Role.MEMBER)
    await register_with(telegram.user(2011, "Người thứ nhất"), used)
    assert "Người thứ nhất đã tham gia" in (await chair.next_message()).text
    expired = await invite(app, "DB", Role.MEMBER)
    revoked = await invite(app, "DB", Role.MEMBER)

    menu = await chair.ask("/thuhoi")
    chair.press(menu, "Số 4")  # the fourth invitation of this test is `revoked`
    assert "Đã thu hồi lời mời số 4" in (await chair.next_message()).text

    newcomer = telegram.user(2012, "Người mới")
    clock.advance(timedelta(days=7, minutes=1))
    fresh = await invite(app, "DB", Role.MEMBER)
    answers = {
        "expired": (await newcomer.ask(expired)).text,
        "used": (await newcomer.ask(used)).text,
        "revoked": (await newcomer.ask(revoked)).text,
        "mistyped": (await newcomer.ask(fresh[:-1] + ("0" if fresh[-1] != "0" else "1"))).text,
    }
    assert answers["expired"].startswith("Lời mời này đã hết hạn.")
    assert answers["used"].startswith("Lời mời này đã được sử dụng.")
    assert answers["revoked"].startswith("Lời mời này đã bị Trưởng Cụm thu hồi.")
    assert answers["mistyped"].startswith("Mã này không đúng.")
    assert len(set(answers.values())) == 4
    assert await services.officers.actor("telegram", "2012", clock.now()) is None


async def register_with(user: FakeTelegramUser, code: str) -> None:
    assert "Chào mừng" in (await user.ask(code)).text


async def test_lockout_on_the_sixth_bad_try_and_lifts_after_its_time(
    bot: Harness, telegram: FakeTelegram, clock: FixedClock
) -> None:
    good = await invite(bot.app, "DBP", Role.MEMBER)
    guesser = telegram.user(2020, "Người đoán mã")
    for attempt in range(5):
        clock.advance(timedelta(minutes=1))
        answer = await guesser.ask(f"CTD-AAAA-BBBB-CCCC-DDDD-EEE{attempt}")
        assert answer.text.startswith("Mã này không đúng."), attempt
    locked = await guesser.ask(good)  # the sixth try is refused, even with a good code
    assert locked.text.startswith("Đã nhập sai mã quá nhiều lần.")
    assert "chờ đến 09:20 15/3/2022" in locked.text  # 15 minutes after the fifth failure
    clock.advance(timedelta(minutes=14))
    assert (await guesser.ask(good)).text.startswith("Đã nhập sai mã quá nhiều lần.")
    clock.advance(timedelta(minutes=1))
    welcome = await guesser.ask(good)
    assert "Thành phố Điện Biên Phủ (DBP)" in welcome.text


async def test_members_and_observers_cannot_manage(bot: Harness, telegram: FakeTelegram) -> None:
    app = bot.app
    chair = telegram.user(2030, "Trưởng Cụm")
    member = telegram.user(2031, "Thành viên")
    observer = telegram.user(2032, "Ban Thi đua tỉnh")
    await register(app, chair, "TG", Role.CHAIR)
    await register(app, member, "MA", Role.MEMBER)
    await chair.next_message()  # the chair is told the member joined
    await register(app, observer, None, Role.OBSERVER)

    for user in (member, observer):
        for command in ("/moi MA", "/thuhoi", "/canbo"):
            refused = await user.ask(command)
            assert refused.text == "Xin lỗi, vai trò của anh/chị không được phép làm việc này."

    people = await chair.ask("/canbo")
    chair.press(people, "Xóa một cán bộ")
    choose = await chair.next_message()
    remove_member = next(data for label, data in choose.buttons if "Thành viên" in label)
    member.press_data(choose, remove_member)  # a forged press of the chair's option
    refused = await member.next_message()
    assert refused.text.startswith("Lựa chọn này không còn hiệu lực.")
    assert await app.services.officers.actor("telegram", "2031", app.clock.now()) is not None

    unregistered = telegram.user(2033, "Người lạ")
    answer = await unregistered.ask("/canbo")
    assert answer.text.startswith("Anh/chị chưa đăng ký.")
    answer = await unregistered.ask("xin chào")
    assert answer.text.startswith("Anh/chị chưa đăng ký.")


async def test_chair_removes_an_officer_and_history_stays(
    bot: Harness, telegram: FakeTelegram
) -> None:
    app = bot.app
    chair = telegram.user(2040, "Trưởng Cụm")
    member = telegram.user(2041, "Cán bộ Điện Biên")
    await register(app, chair, "TG", Role.CHAIR)
    await register(app, member, "DB", Role.MEMBER)
    await chair.next_message()
    people = await chair.ask("/canbo")
    chair.press(people, "Xóa một cán bộ")
    choose = await chair.next_message()
    chair.press(choose, "Cán bộ Điện Biên")
    confirm = await chair.next_message()
    assert confirm.text.startswith("Xóa Cán bộ Điện Biên (Huyện Điện Biên (DB))?")
    chair.press(confirm, "Đồng ý xóa")
    assert (await chair.next_message()).text == "Đã xóa Cán bộ Điện Biên."
    assert (await member.ask("/toi")).text.startswith("Anh/chị chưa đăng ký.")
    row = await app.services.db.fetchone(
        "SELECT name, removed_at FROM officers WHERE name = ?", ("Cán bộ Điện Biên",)
    )
    assert row["removed_at"] is not None


async def test_officer_leaves_and_links_a_second_channel(
    bot: Harness, telegram: FakeTelegram
) -> None:
    app = bot.app
    chair = telegram.user(2050, "Trưởng Cụm")
    member = telegram.user(2051, "Cán bộ Mường Lay")
    await register(app, chair, "TG", Role.CHAIR)
    await register(app, member, "ML", Role.MEMBER)
    await chair.next_message()

    who = await member.ask("/toi")
    member.press(who, "Liên kết thêm kênh")
    link = await member.next_message()
    code = link.text.split("Mã liên kết của anh/chị: ")[1].split("\n")[0]
    second = telegram.user(2052, "Cán bộ Mường Lay (máy 2)")  # stands in for the Zalo identity
    linked = await second.ask(code)
    assert linked.text.startswith(
        "Cuộc trò chuyện này đã được liên kết với đăng ký của anh/chị (Thị xã Mường Lay (ML))."
    )
    assert "Các lệnh anh/chị dùng được:" in linked.text  # its first contact: the help too
    record = await app.services.officers.get(
        (await app.services.officers.actor("telegram", "2052", app.clock.now())).officer_id
    )
    assert len(record.identities) == 2
    assert "liên kết thêm kênh" in (await chair.next_message()).text

    ask = await member.ask("/roikhoi")
    member.press(ask, "Đồng ý rời khỏi")
    assert (await member.next_message()).text.startswith("Anh/chị đã rời khỏi.")
    assert (
        await chair.next_message()
    ).text == "Cán bộ Mường Lay (Thị xã Mường Lay (ML)) đã rời khỏi bot."


async def test_audit_log_holds_every_event(
    bot: Harness, telegram: FakeTelegram, clock: FixedClock
) -> None:
    app = bot.app
    chair = telegram.user(2060, "Trưởng Cụm")
    await register(app, chair, "TG", Role.CHAIR)
    answer = await chair.ask("/moi DB")
    code = answer.text.split("start=")[1].split()[0]
    member = telegram.user(2061, "Cán bộ")
    await member.ask(code)
    await chair.next_message()
    menu = await chair.ask("/moi ML")
    menu = await chair.ask("/thuhoi")
    chair.press(menu, "Thị xã Mường Lay")
    await chair.next_message()
    people = await chair.ask("/canbo")
    chair.press(people, "Đổi đầu mối chính")
    choose = await chair.next_message()
    assert choose.text == "Không có ai để chọn."  # each unit has only its primary contact

    actions = [e.action for e in await app.services.audit.entries()]
    assert actions == [
        "cluster_year.imported",  # the bundled folder, on the first start
        "invitation.created",  # the chair's own invitation
        "officer.joined",
        "invitation.created",  # /moi DB
        "officer.joined",
        "invitation.created",  # /moi ML
        "invitation.revoked",
    ]
    joined = [e for e in await app.services.audit.entries("officer.joined")]
    assert joined[1].detail["unit"] == "DB" and joined[1].actor == "telegram:2061"
