"""Signing in to the web pages in tests as people do: ``/web`` in chat, open the link, press
the button; and reading a page's CSRF token."""

from __future__ import annotations

import re

import httpx

from bot.fakes.telegram_server import FakeTelegramUser
from tests.harness import Harness

SIGNIN = re.compile(r"http://127\.0\.0\.1:\d+/web/signin/[\w-]+")
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


async def signin_url(user: FakeTelegramUser) -> str:
    answer = await user.ask("/web")
    while "/web/signin/" not in answer.text:  # notices that came before the answer
        answer = await user.next_message()
    assert "10 phút" in answer.text
    [url] = SIGNIN.findall(answer.text)
    return url


async def signed_in(client: httpx.AsyncClient, url: str) -> httpx.Response:
    page = await client.get(url)
    assert page.status_code == 200 and "Đăng nhập" in page.text
    return await client.post(url)


def base_url(bot: Harness) -> str:
    assert bot.app.services is not None
    return bot.app.services.web_url


def csrf_of(page: httpx.Response) -> str:
    [token] = set(CSRF.findall(page.text))
    return token
