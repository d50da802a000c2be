"""What the fake platform servers share: lifecycle on 127.0.0.1, the record of what the bot
sent, fault injection, and waiting on events (never on sleeps)."""

from __future__ import annotations

import asyncio
import random
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

__all__ = ["FakeServer", "Fault", "Sent", "error", "ok"]

ChatId = int | str


@dataclass
class Sent:
    """One thing the bot did in a chat: a message, photo, document, edit, pin..."""

    method: str
    chat_id: ChatId
    message_id: int
    text: str = ""
    buttons: list[tuple[str, str]] = field(default_factory=list)
    file_name: str = ""
    file_data: bytes = b""
    at: float = 0.0


@dataclass
class Fault:
    """Answer the next ``times`` matching calls with an error instead of doing them."""

    method: str
    status: int
    description: str
    retry_after: int | None = None
    chat_id: ChatId | None = None
    times: int = 1
    hang: float = 0.0
    """Seconds to wait before answering (to provoke client time-outs)."""
    drop: bool = False
    """Close the connection without an answer."""


def ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


CHAOS = (
    Fault("*", 429, "Too Many Requests: retry after 1", retry_after=1),
    Fault("*", 502, "Bad Gateway"),
    Fault("*", 500, "Internal Server Error"),
    Fault("*", 200, "", hang=1.0),
    Fault("*", 200, "", drop=True),
)


class FakeServer(ABC):
    """Subclasses add their routes in :meth:`routes`."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.faults: list[Fault] = []
        self.chaos_rate = 0.0
        """Share of sends answered with a random fault of :data:`CHAOS` (the fault suite)."""
        self.chaos = random.Random(0)
        self.latency = 0.0
        """Seconds each answer waits, as the network's round trip would (the benchmarks)."""
        self.port = 0
        self._queues: dict[ChatId, asyncio.Queue[Sent]] = {}
        self._sent_changed = asyncio.Event()
        self._runner: web.AppRunner | None = None

    @abstractmethod
    def routes(self, app: web.Application) -> None:
        """Add the platform's routes to the application."""

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024, middlewares=[self._delayed])
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @web.middleware
    async def _delayed(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        if self.latency:
            await asyncio.sleep(self.latency)
        return response

    async def __aenter__(self) -> FakeServer:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def queue(self, chat_id: ChatId) -> asyncio.Queue[Sent]:
        return self._queues.setdefault(chat_id, asyncio.Queue())

    def remember(self, sent: Sent) -> None:
        self.sent.append(sent)
        self._sent_changed.set()
        self.queue(sent.chat_id).put_nowait(sent)

    async def wait_sent(self, predicate: Callable[[list[Sent]], bool], timeout: float = 30) -> None:
        """Wait until the bot's messages so far satisfy ``predicate``."""

        async def watch() -> None:
            while not predicate(self.sent):
                self._sent_changed.clear()
                await self._sent_changed.wait()

        await asyncio.wait_for(watch(), timeout)

    def take_fault(self, method: str, chat: ChatId | None) -> Fault | None:
        if method.startswith("send") and self.chaos_rate and self.chaos.random() < self.chaos_rate:
            return self.chaos.choice(CHAOS)
        for fault in self.faults:
            if fault.method != method or fault.times <= 0:
                continue
            if fault.chat_id is not None and (chat is None or str(chat) != str(fault.chat_id)):
                continue
            fault.times -= 1
            return fault
        return None

    async def answer_fault(self, request: web.Request, fault: Fault) -> web.Response | None:
        """The error to answer, or None to go on with the call (a slow answer that succeeds)."""
        if fault.hang:
            await asyncio.sleep(fault.hang)
        if fault.drop and request.transport is not None:
            request.transport.close()
            raise web.HTTPServiceUnavailable
        if fault.status == 200:
            return None
        extra = {"retry_after": fault.retry_after} if fault.retry_after is not None else None
        return error(fault.status, fault.description, extra)
