"""Uploads under way are bounded per link and per installation: beyond, the page answers 429 or
503 with Retry-After, politely, in its language, and reads nothing; and a link has a budget of
attempts that junk files spend too, after which it is used up and the officer is told to ask
for a new one in the chat."""

from __future__ import annotations

import asyncio
import os

import httpx
import pytest

from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from bot.usecases.one_time_links import upload_url
from tests.documents import pdf_bytes
from tests.e2e.test_web_bounds import _part, _request, _spooled, _stored, _until
from tests.harness import Harness
from tests.people import register

EXE = b"MZ\x90\x00" * 100


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"uploads_per_link": 2, "uploads_at_once": 3})


async def _links(bot: Harness, telegram: FakeTelegram) -> tuple[str, str]:
    """Two upload links of one officer (two reports)."""
    await register(bot.app, telegram.user(8001, "Lò Thị Hằng"), "MA", Role.MEMBER)
    services = bot.app.services
    actor = await services.officers.actor("telegram", "8001", services.clock.now())
    assert actor is not None
    return (
        await upload_url(services, actor.officer_id, "bc-6-thang", "telegram", "8001"),
        await upload_url(services, actor.officer_id, "bc-nam", "telegram", "8001"),
    )


async def _begun(bot: Harness, url: str) -> asyncio.StreamWriter:
    """An upload whose first file has begun to arrive (and then waits)."""
    _reader, writer = await asyncio.open_connection("127.0.0.1", bot.app.web.port)
    begun = _part("files", pdf_bytes(1), "mot.pdf")[:-200]
    writer.write(_request(httpx.URL(url).path, 200_000) + begun)
    await writer.drain()
    return writer


async def test_uploads_beyond_the_bounds_are_asked_to_wait(
    bot: Harness, telegram: FakeTelegram
) -> None:
    first, second = await _links(bot, telegram)
    held = [await _begun(bot, first), await _begun(bot, first)]
    await _until(lambda: _spooled(bot) == 2)
    files = {"files": ("bao-cao.pdf", pdf_bytes(2), "application/pdf")}
    async with httpx.AsyncClient(timeout=10) as client:
        busy_link = await client.post(first, files=files)
        assert busy_link.status_code == 429 and busy_link.headers["Retry-After"] == "30"
        assert "Đường dẫn này đang có nhiều lượt gửi cùng lúc" in busy_link.text
        assert "chờ 30 giây rồi gửi lại" in busy_link.text

        held.append(await _begun(bot, second))
        await _until(lambda: _spooled(bot) == 3)
        busy = await client.post(second, files=files)
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "30"
        assert "Hệ thống đang nhận nhiều tệp cùng lúc" in busy.text
        assert _spooled(bot) == 3  # the uploads asked to wait wrote nothing

        for writer in held:
            writer.close()
            await writer.wait_closed()
        await _until(lambda: _spooled(bot) == 0)
        for url in (first, second):  # the waits cost no attempt: both links still work
            done = await client.post(url, files=files)
            assert done.status_code == 200 and "BIÊN NHẬN" in done.text
    assert await _stored(bot) == 1  # one content, kept once


async def test_junk_files_spend_the_links_attempts_until_it_is_used_up(
    bot: Harness, telegram: FakeTelegram
) -> None:
    url, _other = await _links(bot, telegram)
    attempts = 5  # the default budget
    async with httpx.AsyncClient(timeout=10) as client:
        for n in range(attempts):
            junk = {"files": (f"rac-{n}.pdf", EXE + os.urandom(100), "application/pdf")}
            answer = await client.post(url, files=junk)
            assert answer.status_code == 400 and "không phải loại tài liệu" in answer.text
        good = {"files": ("bao-cao.pdf", pdf_bytes(2), "application/pdf")}
        spent = await client.post(url, files=good)
        page = await client.get(url)
    for answer in (spent, page):
        assert answer.status_code == 410
        assert "đã được thử quá số lần cho phép" in answer.text
        assert "xin đường dẫn mới trong khung chat bằng lệnh /nopbaocao" in answer.text
    assert await _stored(bot) == 0
    assert await bot.app.services.submissions.history() == []
