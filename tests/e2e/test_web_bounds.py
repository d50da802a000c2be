"""The web server in the open, over real HTTP: idle and half-sent connections are closed within
the keep-alive time-out, a stalled upload within the read time-out; too many parts and too many
bytes are refused; nothing is stored for an invalid or spent link, for a refused upload or for
one cut off half-way, and the link stays usable until an upload is stored."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from bot.usecases.one_time_links import upload_url
from tests.documents import pdf_bytes
from tests.harness import Harness
from tests.people import register

BOUNDARY = "----cumthidua-test"
PDF = "application/pdf"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "web_keepalive_seconds": 0.5,
            "web_read_timeout_seconds": 0.5,
            "upload_max_parts": 4,
            "upload_max_mb": 1,
        }
    )


def _part(name: str, value: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n"


def _request(path: str, body_length: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {body_length}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n"
    ).encode()


async def _link(bot: Harness, telegram: FakeTelegram) -> str:
    member = telegram.user(8001, "Lò Thị Hằng")
    await register(bot.app, member, "MA", Role.MEMBER)
    services = bot.app.services
    actor = await services.officers.actor("telegram", "8001", services.clock.now())
    assert actor is not None
    return await upload_url(services, actor.officer_id, "bc-6-thang", "telegram", "8001")


async def _stored(bot: Harness) -> int:
    row = await bot.app.services.db.fetchone("SELECT COUNT(*) FROM stored_files")
    assert row is not None
    files = Path(bot.settings.files_dir)
    on_disk = [p for p in files.rglob("*") if p.is_file()] if files.exists() else []
    assert len(on_disk) == row[0]
    return row[0]


def _spooled(bot: Harness) -> int:
    """How many uploaded files are on their way in (``.incoming-*`` files of the store)."""
    return len(list(Path(bot.settings.files_dir).glob(".incoming-*")))


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(5):
        while not condition():
            await asyncio.sleep(0.01)


async def _closed_within(reader: asyncio.StreamReader, seconds: float) -> bytes:
    """Everything the server sent before it closed the connection, within ``seconds``."""
    async with asyncio.timeout(seconds):
        return await reader.read()


async def test_idle_and_half_sent_connections_are_closed(bot: Harness) -> None:
    port = bot.app.web.port
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    assert await _closed_within(reader, 3) == b""  # connected, never sent a byte
    writer.close()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # headers half-sent
    await writer.drain()
    assert await _closed_within(reader, 3) == b""
    writer.close()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # kept alive, then idle
    await writer.drain()
    answer = await _closed_within(reader, 3)
    assert answer.startswith(b"HTTP/1.1 200") and b'"status": "ok"' in answer
    writer.close()


async def test_a_stalled_upload_is_stopped_and_stores_nothing(
    bot: Harness, telegram: FakeTelegram
) -> None:
    url = await _link(bot, telegram)
    reader, writer = await asyncio.open_connection("127.0.0.1", bot.app.web.port)
    whole = _part("files", pdf_bytes(1), "mot.pdf")
    second = _part("files", pdf_bytes(2), "hai.pdf")
    writer.write(_request(httpx.URL(url).path, 200_000) + whole + second[:300])  # then nothing
    await writer.drain()
    answer = await _closed_within(reader, 5)
    assert answer.startswith(b"HTTP/1.1 408") and "bị ngừng giữa chừng".encode() in answer
    writer.close()
    await _until(lambda: _spooled(bot) == 0)
    assert await _stored(bot) == 0
    async with httpx.AsyncClient() as client:
        assert (await client.get(url)).status_code == 200  # the link is still usable


async def test_an_upload_cut_off_half_way_stores_nothing(
    bot: Harness, telegram: FakeTelegram
) -> None:
    url = await _link(bot, telegram)
    _reader, writer = await asyncio.open_connection("127.0.0.1", bot.app.web.port)
    whole = _part("files", pdf_bytes(1), "mot.pdf")
    begun = _part("files", os.urandom(150_000), "hai.jpg")[:-2]  # more of it was to come
    writer.write(_request(httpx.URL(url).path, 400_000) + whole + begun)
    await writer.drain()
    await _until(lambda: _spooled(bot) == 2)  # the first file received, the second begun
    writer.close()  # the officer's phone lost its signal
    await writer.wait_closed()
    await _until(lambda: _spooled(bot) == 0)  # what it wrote is gone with it
    assert await _stored(bot) == 0
    assert await bot.app.services.submissions.history() == []
    async with httpx.AsyncClient() as client:
        assert (await client.get(url)).status_code == 200


async def test_too_many_parts_and_bytes_are_refused_then_a_good_upload_is_stored(
    bot: Harness, telegram: FakeTelegram
) -> None:
    url = await _link(bot, telegram)
    async with httpx.AsyncClient(timeout=10) as client:
        many = [
            ("files", (f"bc-{i}.pdf", pdf_bytes(1, f"so {i}"), "application/pdf")) for i in range(5)
        ]
        answer = await client.post(url, files=many)
        assert answer.status_code == 413 and "tối đa 3 tệp" in answer.text
        large = [("files", (f"anh-{i}.jpg", os.urandom(600_000), "image/jpeg")) for i in range(2)]
        answer = await client.post(url, files=large)
        assert answer.status_code == 413 and "lớn hơn tổng cộng 1 MB" in answer.text

        async def streamed():  # no Content-Length: the total is counted as the bytes come
            yield _part("files", os.urandom(700_000), "a.jpg")
            yield _part("files", os.urandom(700_000), "b.jpg")
            yield f"--{BOUNDARY}--\r\n".encode()

        answer = await client.post(
            url,
            content=streamed(),
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
        assert answer.status_code == 413
        assert await _stored(bot) == 0

        good = await client.post(
            url, files={"files": ("bao-cao.pdf", pdf_bytes(2), "application/pdf")}
        )
        assert good.status_code == 200 and "BIÊN NHẬN" in good.text
        assert await _stored(bot) == 1
        again = await client.post(
            url, files={"files": ("khac.pdf", pdf_bytes(3), "application/pdf")}
        )
        assert again.status_code == 410  # spent: this upload is not stored
        tampered = await client.post(
            url[:-4] + "AAAA", files={"files": ("khac.pdf", pdf_bytes(3), "application/pdf")}
        )
        assert tampered.status_code == 404
    assert await _stored(bot) == 1
