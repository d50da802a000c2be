"""PTB's requests over aiohttp: time-outs and network errors become PTB's own errors, and a
longer read time PTB passes for one call is honoured (forms, uploads with UTF-8 names and
downloads go through it in every end-to-end test on Telegram)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram.error import NetworkError, TimedOut

from bot.channels.telegram_http import AiohttpRequest


@pytest.fixture
async def server() -> AsyncIterator[str]:
    """A local server whose /slow answers after 0.3 s."""

    async def slow(_request: web.Request) -> web.Response:
        await asyncio.sleep(0.3)
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/slow", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def test_time_outs_and_network_errors_are_ptbs_own(server: str) -> None:
    request = AiohttpRequest(2, timeout=0.05, upload_timeout=0.05)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(f"{server}/slow", "POST")
        status, _body = await request.do_request(f"{server}/slow", "POST", read_timeout=5.0)
        assert status == 200  # the longer read time given for this call
        with pytest.raises(NetworkError):
            await request.do_request("http://127.0.0.1:1/nothing", "POST")
    finally:
        await request.shutdown()
