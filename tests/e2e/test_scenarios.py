"""The main scenarios, each run on Telegram and on Zalo through the same driver."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from bot.domain.access import Role
from tests.documents import docx_bytes, pdf_bytes
from tests.platforms import Person, Platform

CODE = re.compile(r"CTD(?:-[0-9A-Z]{4}){5}")


async def join(platform: Platform, person: Person, unit: str | None, role: Role) -> None:
    services = platform.harness.app.services
    _id, code = await services.invitations.create(
        unit, role, services.clock.now(), timedelta(days=7), created_by=None, actor="test"
    )
    welcome = await person.ask(code)
    assert welcome.text.startswith("Chào mừng"), welcome.text


async def test_join_by_invitation(platform: Platform) -> None:
    chair = platform.person(1, "Vũ Văn Đức")
    await join(platform, chair, "TG", Role.CHAIR)
    menu = await chair.ask("/moi")
    invitation = await chair.choose(menu, "Điện Biên Phủ")
    assert "Lời mời cho Thành phố Điện Biên Phủ (DBP)" in invitation.text
    [code] = CODE.findall(invitation.text)
    if platform.name == "telegram":
        assert invitation.method == "sendPhoto" and "https://t.me/" in invitation.text
    else:
        assert invitation.method == "sendMessage" and "Trên Zalo, gửi mã này" not in invitation.text

    officer = platform.person(2, "Nguyễn Thị Lan")
    welcome = await officer.ask(code.lower())
    assert "Thành phố Điện Biên Phủ (DBP)" in welcome.text
    notice = await chair.next()
    assert notice.text.startswith("Nguyễn Thị Lan đã tham gia")
    assert (await officer.ask(code)).text.startswith("Anh/chị đã đăng ký rồi.")
    refused = await officer.ask("/canbo")
    assert refused.text == "Xin lỗi, vai trò của anh/chị không được phép làm việc này."


async def test_report_submission_with_receipt(platform: Platform) -> None:
    chair = platform.person(1, "Vũ Văn Đức")
    member = platform.person(2, "Lò Thị Hằng")
    await join(platform, chair, "TG", Role.CHAIR)
    await join(platform, member, "MA", Role.MEMBER)
    await chair.next()

    menu = await member.ask("/nopbaocao")
    prompt = await member.choose(menu, "6 tháng")
    docx, pdf = docx_bytes(), pdf_bytes(3)
    answers = await member.send_files(prompt, [("bao-cao.docx", docx), ("phu-luc.pdf", pdf)])
    if platform.name == "telegram":
        assert [a.text.split(" (")[0] for a in answers] == [
            "Đã nhận bao-cao.docx",
            "Đã nhận phu-luc.pdf",
        ]
        summary = await member.ask("Xong")
        receipt = await member.choose(summary, "Gửi Trưởng Cụm")
    else:
        [receipt] = answers
    assert receipt.text.startswith("BIÊN NHẬN")
    assert hashlib.sha256(docx).hexdigest()[:8] in receipt.text
    assert hashlib.sha256(pdf).hexdigest()[:8] in receipt.text
    assert "Tình trạng: đúng hạn (hạn 30/6/2022)" in receipt.text
    assert (await chair.next()).text.startswith("📥 Huyện Mường Ảng (MA) đã nộp")
    status = await chair.ask("/tiendo")
    assert "MA Mường Ảng: (1)✅ (2)⏳" in status.text


async def test_bad_input_gets_a_polite_answer(platform: Platform) -> None:
    person = platform.person(3, "Người lạ")
    assert (await person.ask("/khongco")).text.startswith("Tôi không biết lệnh này.")
    assert (await person.ask("xin chào")).text.startswith("Anh/chị chưa đăng ký.")
    assert (await person.ask("CTD-0000-0000-0000-0000-0000")).text.startswith("Mã này không đúng.")
    menu = await person.ask("/ngonngu")
    answer = await person.choose(menu, "English")
    assert answer.text == "From now on I will write to you in English."
