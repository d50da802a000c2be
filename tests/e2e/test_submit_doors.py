"""The two doors of a report, end to end: a file sent in the chat and the same file sent on an
upload link land as the same kind of submission, with the same receipt and the same notice to
the chair (only the version differs), and the link finishes the chat's draft."""

from __future__ import annotations

import re
from dataclasses import replace

import httpx

from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from tests.documents import pdf_bytes
from tests.harness import Harness
from tests.people import register

LINK = re.compile(r"http://127\.0\.0\.1:\d+/u/[\w-]+")
TOO_BIG_FOR_TELEGRAM = b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)


async def test_a_file_by_chat_and_by_link_make_the_same_submission_and_receipt(
    bot: Harness, telegram: FakeTelegram
) -> None:
    chair = telegram.user(7100, "Vũ Văn Đức")
    member = telegram.user(7101, "Lò Thị Hằng")
    await register(bot.app, chair, "TG", Role.CHAIR)
    await register(bot.app, member, "MA", Role.MEMBER)
    await chair.next_message()
    pdf = pdf_bytes(2)

    # the chat's door
    menu = await member.ask("/nopbaocao")
    member.press(menu, "6 tháng")
    await member.next_message()
    member.send_document("bao-cao.pdf", pdf)
    assert (await member.next_message()).text.startswith("Đã nhận bao-cao.pdf")
    summary = await member.ask("xong")
    member.press(summary, "Gửi Trưởng Cụm")
    by_chat = (await member.next_message()).text
    chat_notice = (await chair.next_message()).text

    # the upload link's door, offered when a file is too big for the chat app
    menu = await member.ask("/nopbaocao")
    member.press(menu, "6 tháng")
    await member.next_message()
    member.send_document("ban-lon.pdf", TOO_BIG_FOR_TELEGRAM)
    [url] = LINK.findall((await member.next_message()).text)
    async with httpx.AsyncClient(timeout=30) as client:
        page = await client.post(url, files={"files": ("bao-cao.pdf", pdf, "application/pdf")})
    assert page.status_code == 200 and "BIÊN NHẬN" in page.text
    by_link = (await member.next_message()).text
    link_notice = (await chair.next_message()).text

    assert "Lần nộp: 1" in by_chat and "Lần nộp: 2" in by_link
    assert by_link.replace("Lần nộp: 2", "Lần nộp: 1") == by_chat
    assert "(lần 1, 1 tệp)" in chat_notice
    assert link_notice.replace("(lần 2,", "(lần 1,") == chat_notice
    first, second = await bot.app.services.submissions.history("bc-6-thang", "MA")
    assert replace(second, id=first.id, version=1) == first
    assert await bot.app.services.conversations.get("telegram", "7101") is None
