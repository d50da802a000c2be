"""A small async client of Zalo's Bot API (no maintained Python SDK exists).

Every call is a POST of JSON to ``<base>/bot<token>/<method>``; answers are
``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": N, "description": …}``. The token
sits in the URL, so nothing here logs URLs, and errors carry the method name only.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ZaloApiError", "ZaloChat", "ZaloClient", "ZaloMessage", "ZaloUpdate", "ZaloUser"]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class ZaloUser(_Shape):
    id: str
    display_name: str = ""
    is_bot: bool = False


class ZaloChat(_Shape):
    id: str
    chat_type: str = "PRIVATE"


class ZaloMessage(_Shape):
    message_id: str
    date: int
    """Milliseconds since the epoch."""
    sender: ZaloUser = Field(alias="from")
    chat: ZaloChat
    text: str | None = None
    photo_url: str | None = None
    photo: str | None = None
    caption: str | None = None
    sticker: str | None = None


class ZaloUpdate(_Shape):
    event_name: str
    message: ZaloMessage


class ZaloApiError(Exception):
    def __init__(self, method: str, code: int, description: str) -> None:
        super().__init__(f"Zalo {method}: {code} {description}")
        self.method = method
        self.code = code
        self.description = description


CONNECTIONS = 10
"""HTTP connections to the Bot API at once: the long poll, a few downloads, sending."""


class ZaloClient:
    """Made inside the running event loop (its aiohttp session belongs to it)."""

    def __init__(self, token: str, base_url: str, timeout: float = 10) -> None:
        self._prefix = f"{base_url.rstrip('/')}{token}/"
        self._timeout = timeout
        self._http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONNECTIONS))

    async def close(self) -> None:
        await self._http.close()

    async def call(
        self, method: str, body: dict[str, Any] | None = None, timeout: float | None = None
    ) -> Any:
        bound = aiohttp.ClientTimeout(total=timeout or self._timeout)
        try:
            async with self._http.post(
                self._prefix + method, json=body or {}, timeout=bound
            ) as response:
                status, raw = response.status, await response.read()
        except TimeoutError as exc:
            raise ZaloApiError(method, 504, "timed out") from exc
        except aiohttp.ClientError as exc:
            raise ZaloApiError(method, 503, type(exc).__name__) from exc
        try:
            envelope = json.loads(raw)
        except ValueError as exc:
            raise ZaloApiError(method, status, "not JSON") from exc
        if not isinstance(envelope, dict) or not envelope.get("ok"):
            found = envelope if isinstance(envelope, dict) else {}
            code = int(found.get("error_code") or status)
            raise ZaloApiError(method, code, str(found.get("description", "")))
        return envelope.get("result")

    async def get_me(self) -> dict[str, Any]:
        return await self.call("getMe")

    async def get_update(self, timeout: int) -> ZaloUpdate | None:
        """One update, or None when the long poll ended idle (408)."""
        try:
            result = await self.call("getUpdates", {"timeout": str(timeout)}, timeout + 10)
        except ZaloApiError as exc:
            if exc.code == 408:
                return None
            raise
        return ZaloUpdate.model_validate(result) if result else None

    async def send_message(self, chat_id: str, text: str) -> str:
        result = await self.call("sendMessage", {"chat_id": chat_id, "text": text})
        return str(result.get("message_id", ""))

    async def send_photo(self, chat_id: str, url: str, caption: str = "") -> str:
        body = {"chat_id": chat_id, "photo": url} | ({"caption": caption} if caption else {})
        result = await self.call("sendPhoto", body)
        return str(result.get("message_id", ""))

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.call("setWebhook", {"url": url, "secret_token": secret})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook")

    async def download(self, url: str, limit: int) -> bytes | None:
        """The file at ``url``, or None when it is larger than ``limit`` bytes (read no further)."""
        async with self._http.get(url, timeout=aiohttp.ClientTimeout(total=self._timeout * 3)) as r:
            r.raise_for_status()
            data = bytearray()
            async for chunk in r.content.iter_chunked(64 * 1024):
                data += chunk
                if len(data) > limit:
                    return None
            return bytes(data)
