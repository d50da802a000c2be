"""A Zalo client that reports every message it sent (Zalo's free plan counts them per month)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.channels.zalo_client import ZaloClient

__all__ = ["CountedZaloClient"]


class CountedZaloClient(ZaloClient):
    def __init__(
        self, token: str, base_url: str, timeout: float, on_sent: Callable[[], Awaitable[None]]
    ) -> None:
        super().__init__(token, base_url, timeout)
        self._on_sent = on_sent

    async def send_message(self, chat_id: str, text: str) -> str:
        message_id = await super().send_message(chat_id, text)
        await self._on_sent()
        return message_id

    async def send_photo(self, chat_id: str, url: str, caption: str = "") -> str:
        message_id = await super().send_photo(chat_id, url, caption)
        await self._on_sent()
        return message_id
