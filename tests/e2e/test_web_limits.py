"""The web server's limits over real HTTP: a cap on open connections (503 beyond it, logged
once), a time bound on reading any request body (a webhook's and an upload's, even one that
trickles a byte at a time), JSON nesting bounded on the Zalo webhook (400, not a traceback),
and upload limits that mean the files, not the multipart envelope around them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import time

import httpx
import pytest

from bot.config import Settings
from bot.fakes.telegram_server import FakeTelegram
from bot.fakes.zalo_server import FakeZalo
from bot.web.server import LINGERING_SECONDS
from tests.e2e.test_web_bounds import _link, _stored
from tests.e2e.test_zalo import SECRET, zalo_webhook  # noqa: F401 (a fixture)
from tests.harness import Harness

CAP = 5
READ_SECONDS = 0.5


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "web_max_connections": CAP,
            "web_keepalive_seconds": 5,
            "web_read_timeout_seconds": READ_SECONDS,
            "upload_timeout_seconds": 60,
            "upload_max_mb": 1,
            "max_file_mb": 0.5,
            "upload_max_parts": 4,
        }
    )


async def _answer(port: int, request: bytes = b"", seconds: float = 3) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        async with asyncio.timeout(seconds):
            return await reader.read()
    finally:
        writer.close()


async def _trickle(port: int, head: bytes, seconds: float) -> tuple[bytes, float]:
    """Send ``head``, then one byte every 50 ms; what the server answered and when."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()

    async def drip() -> None:
        writer.write(head)
        while True:
            writer.write(b"x")
            await writer.drain()
            await asyncio.sleep(0.05)

    dripping = asyncio.create_task(drip())
    try:
        async with asyncio.timeout(seconds):
            answer = await reader.read()
        return answer, time.monotonic() - started
    finally:
        dripping.cancel()
        writer.close()


async def _healthy(port: int) -> None:
    """Wait until ``/healthz`` answers 200 (a closed connection is counted out soon after)."""
    async with asyncio.timeout(5), httpx.AsyncClient() as client:
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.02)


async def test_connections_beyond_the_cap_are_answered_503_and_logged_once(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "bot.web.server")
    port = bot.app.web.port
    held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(CAP)]  # half-open
    for _ in range(20):
        answer = await _answer(port)
        assert answer.startswith(b"HTTP/1.1 503") and b"Retry-After: 10" in answer
    warnings = [r for r in caplog.records if "connection cap" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    _reader, writer = held.pop()
    writer.close()
    await _healthy(port)  # room again: the health check is answered
    [again] = [
        r.getMessage() for r in caplog.records if "under its connection cap" in r.getMessage()
    ]
    assert int(re.search(r"\((\d+) refused\)", again)[1]) >= 20  # type: ignore[index]
    for _reader, writer in held:
        writer.close()


async def test_a_webhook_body_sent_a_byte_at_a_time_is_cut_off(
    zalo_webhook: tuple[Harness, FakeZalo],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    harness, _server = zalo_webhook
    monkeypatch.setattr(harness.settings, "web_read_timeout_seconds", READ_SECONDS)
    head = (
        f"POST /zalo/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bot-Api-Secret-Token: {SECRET}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    ).encode()
    answer, took = await _trickle(harness.app.web.port, head, seconds=5)
    assert answer.startswith(b"HTTP/1.1 408")
    assert took < READ_SECONDS + LINGERING_SECONDS + 1  # answered, then closed after lingering


async def test_deeply_nested_json_on_the_webhook_is_refused_with_400(
    zalo_webhook: tuple[Harness, FakeZalo],  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    _harness, server = zalo_webhook
    headers = {"X-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    async with httpx.AsyncClient() as client:
        for body in (
            b"[" * 100_000 + b"]" * 100_000,  # RecursionError inside json: a 500 before
            b'{"a":' * 40 + b"1" + b"}" * 40,
            b'["[[[[", 1]',  # valid, but not an object
        ):
            answer = await client.post(server.webhook_url, content=body, headers=headers)
            assert answer.status_code == 400, body[:20]
        shallow = b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"]]"}'
        answer = await client.post(server.webhook_url, content=shallow, headers=headers)
        assert answer.status_code == 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    user = server.user("z7", "Người lạ")
    await user.send("/batdau")  # the webhook still works
    assert (await user.next_message()).text.startswith("Xin chào!")


async def test_an_upload_sent_a_byte_at_a_time_is_stopped_within_the_read_bound(
    bot: Harness, telegram: FakeTelegram
) -> None:
    """Every chunk comes within the read time-out (a one-letter boundary makes each byte a
    chunk), yet the body is stopped: the upload must keep a minimum average rate."""
    url = await _link(bot, telegram)
    head = (
        f"POST {httpx.URL(url).path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500000\r\n"
        "Content-Type: multipart/form-data; boundary=q\r\n\r\n--q\r\n"
        'Content-Disposition: form-data; name="files"; filename="mot.pdf"\r\n\r\n'
    ).encode()
    answer, took = await _trickle(bot.app.web.port, head, seconds=10)
    assert answer.startswith(b"HTTP/1.1 408") and "bị ngừng giữa chừng".encode() in answer
    assert took < 4 * READ_SECONDS + 2  # not the 60 s the whole upload may take
    assert await _stored(bot) == 0


async def test_two_files_of_the_largest_size_fit_the_upload_limit(
    bot: Harness, telegram: FakeTelegram
) -> None:
    """upload_max_mb is the files' bytes: two files of max_file_mb each fill it exactly, and
    the multipart headers and boundaries around them do not count."""
    url = await _link(bot, telegram)
    size = int(0.5 * 2**20)
    photos = [
        ("files", (f"anh-{i}.jpg", b"\xff\xd8\xff\xe0" + os.urandom(size - 4), "image/jpeg"))
        for i in range(2)
    ]
    async with httpx.AsyncClient(timeout=20) as client:
        answer = await client.post(url, files=photos, data={"note": "Ảnh chụp biên bản"})
    assert answer.status_code == 200, answer.text[-300:]
    assert await _stored(bot) == 2
