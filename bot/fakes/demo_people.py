"""One driver for people on both channels, for scenario tests and the offline demonstration.

Where the platforms differ the driver does what a person would: on Zalo options are typed by
number, and documents go through the one-time upload link the bot offers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

from bot.fakes.base import Sent
from bot.fakes.telegram_server import FakeTelegram, FakeTelegramUser
from bot.fakes.zalo_server import FakeZalo, FakeZaloUser

UPLOAD_LINK = re.compile(r"http://127\.0\.0\.1:\d+/u/[\w-]+")


@dataclass
class Person:
    platform: str
    raw: FakeTelegramUser | FakeZaloUser
    last: Sent | None = None

    @property
    def chat_id(self) -> str:
        return str(self.raw.chat_id)

    async def send(self, text: str) -> None:
        if isinstance(self.raw, FakeZaloUser):
            await self.raw.send(text)
        else:
            self.raw.send(text)

    async def next(self, timeout: float = 10) -> Sent:
        self.last = await self.raw.next_message(timeout)
        return self.last

    async def ask(self, text: str) -> Sent:
        await self.send(text)
        return await self.next()

    async def choose(self, message: Sent, label: str) -> Sent:
        if isinstance(self.raw, FakeZaloUser):
            await self.raw.press(message, label)
        else:
            self.raw.press(message, label)
        return await self.next()

    async def send_files(self, prompt: Sent, files: list[tuple[str, bytes]]) -> list[Sent]:
        """Send report files as this platform allows; returns the bot's answers in the chat."""
        if isinstance(self.raw, FakeTelegramUser):
            answers = []
            for name, data in files:
                self.raw.send_document(name, data)
                answers.append(await self.next())
            return answers
        [url] = UPLOAD_LINK.findall(prompt.text)
        payload = [("files", (name, data, "application/octet-stream")) for name, data in files]
        async with httpx.AsyncClient(timeout=30) as client:
            page = await client.post(url, files=payload)
        assert page.status_code == 200, page.text
        return [await self.next()]  # the receipt, in the chat


def person_on(server: FakeTelegram | FakeZalo, number: int, name: str) -> Person:
    if isinstance(server, FakeZalo):
        return Person("zalo", server.user(f"z{number}", name))
    return Person("telegram", server.user(number, name))


def platform_settings(server: FakeTelegram | FakeZalo) -> dict[str, Any]:
    if isinstance(server, FakeZalo):
        return {
            "zalo_token": server.token,
            "zalo_base_url": server.base_url,
            "zalo_poll_timeout": 1,
        }
    return {
        "telegram_token": server.token,
        "telegram_base_url": server.base_url,
        "telegram_file_url": server.file_url,
        "telegram_poll_timeout": 1,
    }
