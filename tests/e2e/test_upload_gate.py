"""Uploads under way are bounded per link and per installation. Past the installation's bound
an upload waits its turn, its body unread, and is let in as soon as a place ends; past the
queue's length it is answered 503 with Retry-After, politely, in its language, and one more on a
busy link 429 at once; a waiter that leaves gives its place up. And a link has a budget of
attempts that junk files spend too, after which it is used up and the officer is told to ask
for a new one in the chat."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from typing import BinaryIO

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
AT_ONCE = 3
WAITING = 4


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"uploads_per_link": 2, "uploads_at_once": AT_ONCE, "uploads_waiting": WAITING}
    )


async def _links(bot: Harness, telegram: FakeTelegram, count: int = 2) -> list[str]:
    """Upload links of one officer, for two reports in turn."""
    await register(bot.app, telegram.user(8001, "Lò Thị Hằng"), "MA", Role.MEMBER)
    services = bot.app.services
    actor = await services.officers.actor("telegram", "8001", services.clock.now())
    assert actor is not None
    reports = ("bc-6-thang", "bc-nam")
    return [
        await upload_url(services, actor.officer_id, reports[n % 2], "telegram", "8001")
        for n in range(count)
    ]


async def _begun(bot: Harness, url: str) -> asyncio.StreamWriter:
    """An upload whose first file has begun to be sent (and then waits)."""
    _reader, writer = await asyncio.open_connection("127.0.0.1", bot.app.web.port)
    begun = _part("files", pdf_bytes(1), "mot.pdf")[:-200]
    writer.write(_request(httpx.URL(url).path, 200_000) + begun)
    await writer.drain()
    return writer


async def _close(writers: list[asyncio.StreamWriter]) -> None:
    for writer in writers:
        writer.close()
        await writer.wait_closed()


def _waiting(bot: Harness) -> int:
    return bot.app.web.uploads.waiting


def _file(pages: int) -> dict[str, tuple[str, bytes, str]]:
    return {"files": (f"bao-cao-{pages}.pdf", pdf_bytes(pages), "application/pdf")}


class _Receiving:
    """Counts the uploads being received, checked and stored at each moment (the incoming files
    of the store that are open: one for each upload of one file) and keeps the most."""

    def __init__(self, bot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
        files = bot.app.services.files
        self.now = self.most = 0
        incoming = files.incoming

        @contextlib.contextmanager
        def counted() -> Iterator[BinaryIO]:
            with incoming() as sink:
                self.now += 1
                self.most = max(self.most, self.now)
                try:
                    yield sink
                finally:
                    self.now -= 1

        monkeypatch.setattr(files, "incoming", counted)


async def test_uploads_past_at_once_wait_their_turn_and_all_arrive(
    bot: Harness, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiving = _Receiving(bot, monkeypatch)
    links = await _links(bot, telegram, AT_ONCE + WAITING)
    held = [await _begun(bot, url) for url in links[:AT_ONCE]]
    await _until(lambda: _spooled(bot) == AT_ONCE)
    async with httpx.AsyncClient(timeout=30) as client:
        posts = [
            asyncio.create_task(client.post(url, files=_file(pages)))
            for pages, url in enumerate(links[AT_ONCE:], start=2)
        ]
        await _until(lambda: _waiting(bot) == WAITING)
        assert _spooled(bot) == AT_ONCE  # the waiting uploads' bodies are not read
        await _close(held)  # the places end: the waiters go in, at most AT_ONCE at a time
        answers = await asyncio.gather(*posts)
    assert [a.status_code for a in answers] == [200] * WAITING
    assert all("BIÊN NHẬN" in a.text for a in answers)
    assert receiving.most == AT_ONCE and receiving.now == 0
    assert (bot.app.web.uploads.under_way, _waiting(bot)) == (0, 0)
    assert await _stored(bot) == WAITING


async def test_past_the_queue_uploads_are_asked_to_wait_and_a_waiter_that_leaves_frees_its_place(
    bot: Harness, telegram: FakeTelegram
) -> None:
    links = await _links(bot, telegram, AT_ONCE + WAITING + 1)
    held = [await _begun(bot, url) for url in links[:AT_ONCE]]
    await _until(lambda: _spooled(bot) == AT_ONCE)
    waiters = [await _begun(bot, url) for url in links[AT_ONCE:-1]]
    await _until(lambda: _waiting(bot) == WAITING)
    async with httpx.AsyncClient(timeout=10) as client:
        busy = await client.post(links[-1], files=_file(2))
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "30"
        assert "Hệ thống đang nhận nhiều tệp cùng lúc" in busy.text
        assert "chờ 30 giây rồi gửi lại" in busy.text
        assert _spooled(bot) == AT_ONCE  # the uploads asked to wait wrote nothing

        await _close(waiters[:1])  # a waiter's client goes away: it leaves the queue
        await _until(lambda: _waiting(bot) == WAITING - 1)
        late = asyncio.create_task(client.post(links[-1], files=_file(2)))  # now it fits
        await _until(lambda: _waiting(bot) == WAITING)
        await _close(held + waiters[1:])
        done = await late
    assert done.status_code == 200 and "BIÊN NHẬN" in done.text  # the wait cost no attempt
    await _until(lambda: _spooled(bot) == 0)
    assert (bot.app.web.uploads.under_way, _waiting(bot)) == (0, 0)
    assert await _stored(bot) == 1


async def test_one_more_upload_on_a_busy_link_is_asked_to_wait_at_once(
    bot: Harness, telegram: FakeTelegram
) -> None:
    first, second = await _links(bot, telegram)
    held = [await _begun(bot, first), await _begun(bot, first)]
    await _until(lambda: _spooled(bot) == 2)
    files = _file(2)  # one content (a PDF made later may carry a later date)
    async with httpx.AsyncClient(timeout=10) as client:
        busy_link = await client.post(first, files=files)
        assert busy_link.status_code == 429 and busy_link.headers["Retry-After"] == "30"
        assert "Đường dẫn này đang có nhiều lượt gửi cùng lúc" in busy_link.text
        assert "chờ 30 giây rồi gửi lại" in busy_link.text
        assert _spooled(bot) == 2 and _waiting(bot) == 0

        await _close(held)
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
