"""The upload attack of issue 29 against the real bot process: 12 uploads of 49 MiB of junk at once
on one link. With the default bounds two at a time are received (and refused as junk), the
others asked to wait (429), and the link is used up after five (410); with every upload let in
(the per-link, per-installation and attempt bounds raised to 12) the streaming alone is
measured; with the per-installation bound at two, ten wait their turn in the queue. Files
stream to disk and the file checkers read them from there, and a waiting upload's body stays in
its socket, so the bot's peak resident memory (VmHWM) stays under a limit every way."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.app import open_services
from bot.clock import SystemClock
from bot.config import Settings
from bot.domain.access import Role
from bot.fakes.telegram_server import FakeTelegram
from bot.usecases.one_time_links import upload_url
from tests.clusters import join

UPLOADS = 12
FILE_BYTES = 49 << 20
PEAK_LIMIT = 250 << 20
"""The bot's peak resident memory allowed under the attack (docs/security.md gives the figure)."""
BOUNDARY = "----cumthidua-attack"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


LET_IN = {
    "CUMTHIDUA_UPLOADS_PER_LINK": str(UPLOADS),
    "CUMTHIDUA_UPLOADS_AT_ONCE": str(UPLOADS),
    "CUMTHIDUA_UPLOAD_LINK_ATTEMPTS": str(UPLOADS),
}


async def _spawn(
    telegram: FakeTelegram, data: Path, port: int, bounds: dict[str, str]
) -> asyncio.subprocess.Process:
    env = (
        os.environ
        | {
            "CUMTHIDUA_TELEGRAM_TOKEN": telegram.token,
            "CUMTHIDUA_TELEGRAM_BASE_URL": telegram.base_url,
            "CUMTHIDUA_TELEGRAM_FILE_URL": telegram.file_url,
            "CUMTHIDUA_TELEGRAM_POLL_TIMEOUT": "1",
            "CUMTHIDUA_DATA_DIR": str(data),
            "CUMTHIDUA_LOG_LEVEL": "WARNING",
            "CUMTHIDUA_WEB_PORT": str(port),
        }
        | bounds
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, stdin=asyncio.subprocess.DEVNULL
    )


def _peak_bytes(pid: int) -> int:
    """The process's peak resident set (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


async def _post(port: int, path: str, body: memoryview) -> bytes:
    """POST ``body`` as one file; the answer's status line. The answer is read while the body is
    sent, and sending stops once it has come (an upload asked to wait is answered at once)."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="rac.pdf"'
        "\r\nContent-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Length: {len(head) + len(body) + len(tail)}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\r\n"
    ).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    status = asyncio.create_task(reader.readline())
    with contextlib.suppress(ConnectionError):
        writer.write(request + head)
        for start in range(0, len(body), 1 << 20):
            if status.done():
                break
            writer.write(body[start : start + (1 << 20)])
            await writer.drain()
        else:
            writer.write(tail)
            await writer.drain()
    async with asyncio.timeout(120):
        line = await status
    writer.close()
    return line


async def _until_listening(port: int, bot: asyncio.subprocess.Process) -> None:
    async with asyncio.timeout(30):
        while True:
            assert bot.returncode is None, "the bot ended"
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.1)  # the bot process is still starting
                continue
            writer.close()
            return


QUEUED = LET_IN | {"CUMTHIDUA_UPLOADS_AT_ONCE": "2"}
"""Every upload taken on the link, two at a time: ten wait their turn, their bodies unread."""


@pytest.mark.parametrize(
    ("bounds", "received"),
    [
        ({}, range(2, 6)),
        (LET_IN, range(UPLOADS, UPLOADS + 1)),
        (QUEUED, range(UPLOADS, UPLOADS + 1)),
    ],
    ids=["default-bounds", "all-let-in", "queued"],
)
async def test_twelve_parallel_49_mib_uploads_keep_the_bot_under_its_memory_limit(
    telegram: FakeTelegram, tmp_path: Path, bounds: dict[str, str], received: range
) -> None:
    data = tmp_path / "data"
    services = await open_services(Settings(_env_file=None, data_dir=data), SystemClock())
    officer = await join(services, "telegram", "8001", "MA", Role.MEMBER)
    url = await upload_url(services, officer, "bc-6-thang", "telegram", "8001")
    await services.db.close()
    path = "/u/" + url.rsplit("/", 1)[1]
    junk = memoryview(b"%PDF-1.4\n" + os.urandom(FILE_BYTES - 9))  # passes the magic check

    (data / "files").mkdir(exist_ok=True)
    (data / "files" / ".incoming-killed").write_bytes(b"what a killed bot was receiving")
    port = _free_port()
    bot = await _spawn(telegram, data, port, bounds)
    try:
        await _until_listening(port, bot)
        before = _peak_bytes(bot.pid)
        statuses = await asyncio.gather(*(_post(port, path, junk) for _ in range(UPLOADS)))
        peak = _peak_bytes(bot.pid)
    finally:
        bot.send_signal(signal.SIGTERM)
        await bot.wait()
    print(f"bot peak RSS: {before / 2**20:.0f} MiB before, {peak / 2**20:.0f} MiB after")
    answers = Counter(s.split()[1] for s in statuses)
    assert set(answers) <= {b"400", b"429", b"410"}, statuses  # refused as junk, wait, used up
    assert answers[b"400"] in received, statuses  # two at a time, five attempts in all
    assert peak < PEAK_LIMIT, f"peak RSS {peak / 2**20:.0f} MiB"
    assert not list((data / "files").glob(".incoming-*")), "a partial file was left (or not swept)"
