"""One-time upload links: a 30 MB PDF on Telegram goes through the web page into the same
submission path; expired, reused and tampered links are refused; the Zalo webhook checks its
secret and handles a duplicate delivery once."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from tests.crafted_files import pdf_with_attachment
from tests.documents import pdf_bytes
from tests.harness import Harness
from tests.people import register

LINK = re.compile(r"http://127\.0\.0\.1:\d+/u/[\w-]+")


async def _link_after_too_big(bot: Harness, telegram: FakeTelegram) -> tuple[str, object, object]:
    chair = telegram.user(7000, "Trưởng Cụm")
    member = telegram.user(7001, "Cán bộ Mường Ảng")
    await register(bot.app, chair, "TG", Role.CHAIR)
    await register(bot.app, member, "MA", Role.MEMBER)
    await chair.next_message()
    menu = await member.ask("/nopbaocao")
    member.press(menu, "6 tháng")
    await member.next_message()
    big = pdf_with_attachment(30)
    member.send_document("bao-cao-30mb.pdf", big)
    answer = await member.next_message()
    [url] = LINK.findall(answer.text)
    return url, member, chair


async def test_a_30_mb_pdf_through_a_link_is_stored_and_receipted(
    bot: Harness, telegram: FakeTelegram
) -> None:
    url, member, chair = await _link_after_too_big(bot, telegram)
    big = pdf_with_attachment(30)
    async with httpx.AsyncClient(timeout=30) as client:
        page = await client.get(url)
        assert page.status_code == 200 and "Nộp báo cáo" in page.text
        assert 'type="file"' in page.text and "viewport" in page.text
        done = await client.post(
            url,
            files={"files": ("bao-cao-30mb.pdf", big, "application/pdf")},
            data={"note": "Bản đầy đủ"},
        )
        assert done.status_code == 200 and "BIÊN NHẬN" in done.text
        again = await client.post(url, files={"files": ("x.pdf", pdf_bytes(1), "application/pdf")})
        assert again.status_code == 410 and "đã được dùng" in again.text
    receipt = await member.next_message()
    assert receipt.text.startswith("BIÊN NHẬN") and "bao-cao-30mb.pdf — 30 MB" in receipt.text
    assert "📥 Huyện Mường Ảng (MA) đã nộp" in (await chair.next_message()).text
    rows = await bot.app.services.submissions.history("bc-6-thang", "MA")
    assert len(rows) == 1 and rows[0].note == "Bản đầy đủ" and rows[0].files[0].size == len(big)
    assert bot.app.services.files.read(rows[0].files[0].sha256) == big
    assert await bot.app.services.conversations.get("telegram", "7001") is None  # the draft is done


async def test_expired_tampered_and_bad_uploads_are_refused(
    bot: Harness, telegram: FakeTelegram
) -> None:
    url, _member, _chair = await _link_after_too_big(bot, telegram)
    async with httpx.AsyncClient(timeout=30) as client:
        tampered = await client.get(url[:-2] + ("AA" if not url.endswith("AA") else "BB"))
        assert tampered.status_code == 404 and "không hợp lệ" in tampered.text
        renamed = await client.post(
            url, files={"files": ("bao-cao.pdf", b"MZ\x90\x00" * 100, "application/pdf")}
        )
        assert renamed.status_code == 400 and "không phải loại tài liệu" in renamed.text
        bot.clock.advance(timedelta(hours=24, seconds=1))
        expired = await client.get(url)
        assert expired.status_code == 410 and "hết hạn" in expired.text
    assert await bot.app.services.submissions.history() == []


async def test_health_check(bot: Harness) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{bot.app.services.web_url}/healthz")
    assert answer.status_code == 200 and answer.json()["status"] == "ok"
