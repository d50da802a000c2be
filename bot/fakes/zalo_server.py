"""A fake Zalo Bot API server (aiohttp, 127.0.0.1, free port), faithful to what the project
knows of the real one (``zalo-bot-api.md``): POST JSON to ``/bot<token>/<method>``, the
``ok``/``error_code`` envelope, getUpdates giving ONE update or 408 when idle, no offsets,
webhooks with ``X-Bot-Api-Secret-Token``, 2,000-character messages, photos by URL only (it
fetches the URL, as Zalo does), and no documents, edits or buttons. Plus a driver for tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import httpx
from aiohttp import web

from bot.fakes.base import FakeServer, Sent, error, ok

__all__ = ["FakeZalo", "FakeZaloUser"]

METHODS = {
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "sendPhoto",
    "sendSticker",
    "sendChatAction",
}


class FakeZalo(FakeServer):
    def __init__(self, token: str = "7001:ZALO-TEST-SECRET") -> None:
        super().__init__()
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_answers: list[int] = []
        self.webhook_set = asyncio.Event()
        self.on_media: Callable[[], None] | None = None
        """Called as a photo is fetched."""
        """Set when a bot registers its webhook (clear it before a restart to wait for it)."""
        self._updates: deque[dict[str, Any]] = deque()
        self._arrived = asyncio.Event()
        self._message_ids = itertools.count(1)
        self._media: dict[str, bytes] = {}

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/media/{name}", self._serve_media)

    async def __aenter__(self) -> FakeZalo:
        await self.start()
        return self

    @property
    def base_url(self) -> str:
        return f"{self.origin}/bot"

    def user(self, user_id: str, name: str = "Cán bộ") -> FakeZaloUser:
        return FakeZaloUser(self, user_id, name)

    async def push(self, update: dict[str, Any]) -> None:
        """Deliver an update: to the webhook when one is set, else to the next getUpdates."""
        if not self.webhook_url:
            self._updates.append(update)
            self._arrived.set()
            return
        headers = {"X-Bot-Api-Secret-Token": self.webhook_secret}
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(self.webhook_url, json=update, headers=headers)
        self.webhook_answers.append(response.status_code)

    def media_url(self, data: bytes) -> str:
        name = f"m{len(self._media) + 1}.jpg"
        self._media[name] = data
        return f"{self.origin}/media/{name}"

    async def _serve_media(self, request: web.Request) -> web.Response:
        if self.on_media is not None:
            self.on_media()  # may raise an HTTP error (the crash suite kills the bot here)
        data = self._media.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="image/jpeg")

    # HTTP ------------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return error(401, "Unauthorized")
        method = request.match_info["method"]
        if method not in METHODS:
            return error(404, "Not Found")
        try:
            body = await request.json() if request.can_read_body else {}
        except ValueError:
            return error(400, "Bad Request: body is not JSON")
        self.calls.append((method, dict(body)))
        fault = self.take_fault(method, body.get("chat_id"))
        if fault is not None and (answer := await self.answer_fault(request, fault)) is not None:
            return answer
        if method == "getUpdates":
            return await self._m_getUpdates(body, request)
        handler = getattr(self, f"_m_{method}", None)
        return ok(True) if handler is None else await handler(body)

    async def _m_getMe(self, _body: dict[str, Any]) -> web.Response:
        bot_id = self.token.split(":")[0]
        return ok(
            {
                "id": bot_id,
                "account_name": "bot.cumthidua",
                "account_type": "BASIC",
                "can_join_groups": False,
            }
        )

    async def _m_getUpdates(self, body: dict[str, Any], request: web.Request) -> web.Response:
        if self.webhook_url:
            return error(400, "Bad Request: webhook is active")
        timeout = float(body.get("timeout") or 30)
        if not self._updates:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout)
        gone = request.transport is None or request.transport.is_closing()
        if not self._updates or gone:  # a poller that hung up does not swallow an update
            return error(408, "Request timeout")
        return ok(self._updates.popleft())

    async def _m_setWebhook(self, body: dict[str, Any]) -> web.Response:
        secret = str(body.get("secret_token", ""))
        if not 8 <= len(secret) <= 256:
            return error(400, "Bad Request: secret_token must be 8-256 characters")
        self.webhook_url, self.webhook_secret = str(body.get("url", "")), secret
        self.webhook_set.set()
        return ok({"url": self.webhook_url, "updated_at": int(time.time() * 1000)})

    async def _m_deleteWebhook(self, _body: dict[str, Any]) -> web.Response:
        self.webhook_url = self.webhook_secret = ""
        return ok({"url": "", "updated_at": int(time.time() * 1000)})

    async def _m_getWebhookInfo(self, _body: dict[str, Any]) -> web.Response:
        return ok({"url": self.webhook_url, "updated_at": int(time.time() * 1000)})

    async def _m_sendMessage(self, body: dict[str, Any]) -> web.Response:
        text = str(body.get("text", ""))
        if "chat_id" not in body:
            return error(400, "Bad Request: chat_id is required")
        if not 1 <= len(text) <= 2000:
            return error(400, "Bad Request: text must be 1-2000 characters")
        return self._record("sendMessage", str(body["chat_id"]), text=text)

    async def _m_sendPhoto(self, body: dict[str, Any]) -> web.Response:
        url = str(body.get("photo", ""))
        if "chat_id" not in body or not url.startswith(("http://", "https://")):
            return error(400, "Bad Request: photo must be a URL")
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                response = await client.get(url)
        except httpx.HTTPError:
            return error(400, "Bad Request: photo URL cannot be fetched")
        if response.status_code != 200:
            return error(400, "Bad Request: photo URL cannot be fetched")
        caption = str(body.get("caption", ""))
        return self._record(
            "sendPhoto",
            str(body["chat_id"]),
            text=caption,
            file_name=url,
            file_data=response.content,
        )

    def _record(self, method: str, chat_id: str, **fields: Any) -> web.Response:
        sent = Sent(method, chat_id, next(self._message_ids), at=time.monotonic(), **fields)
        self.remember(sent)
        return ok({"message_id": f"bot-{sent.message_id}", "date": int(time.time() * 1000)})


class FakeZaloUser:
    """A person writing to the bot on Zalo."""

    def __init__(self, server: FakeZalo, user_id: str, name: str) -> None:
        self.server = server
        self.user_id = user_id
        self.chat_id = user_id
        self.name = name
        self._ids = itertools.count(1)

    def _update(self, event: str, **content: Any) -> dict[str, Any]:
        return {
            "event_name": event,
            "message": {
                "message_id": f"{self.user_id}-{next(self._ids)}",
                "date": int(time.time() * 1000),
                "from": {"id": self.user_id, "display_name": self.name, "is_bot": False},
                "chat": {"id": self.chat_id, "chat_type": "PRIVATE"},
                **content,
            },
        }

    async def send(self, text: str) -> dict[str, Any]:
        update = self.text_update(text)
        await self.server.push(update)
        return update

    def text_update(self, text: str) -> dict[str, Any]:
        """A text's update, not delivered yet."""
        return self._update("message.text.received", text=text)

    async def send_image(self, data: bytes, caption: str = "") -> None:
        await self.server.push(self.image_update(data, caption))

    def image_update(self, data: bytes, caption: str = "") -> dict[str, Any]:
        """A photo's update, not delivered yet (to deliver it, again if need be)."""
        url = self.server.media_url(data)
        return self._update("message.image.received", photo_url=url, caption=caption)

    async def send_sticker(self) -> None:
        await self.server.push(self._update("message.sticker.received", sticker="s1"))

    async def send_unsupported(self) -> None:
        await self.server.push(self._update("message.unsupported.received"))

    async def next_message(self, timeout: float = 10.0) -> Sent:
        return await asyncio.wait_for(self.server.queue(self.chat_id).get(), timeout)

    async def ask(self, text: str, timeout: float = 10.0) -> Sent:
        await self.send(text)
        return await self.next_message(timeout)

    async def press(self, message: Sent, label: str) -> None:
        """Zalo has no buttons: type the number the bot printed before the option's label."""
        for line in message.text.splitlines():
            number, _, text = line.partition(". ")
            if number.isdigit() and label in text:
                await self.send(number)
                return
        raise AssertionError(f"no option {label!r} in {message.text!r}")
