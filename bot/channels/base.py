"""What every channel adapter offers the core — events in, replies out in its platform's wire
format — and the neutral delivery errors it raises. Whether to retry, defer or mark a reply
delivered is decided on the delivery road (``bot.delivery``), never here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Protocol, runtime_checkable

from bot.domain.messages import Capabilities, Inbound, Reply

__all__ = ["Channel", "DeliveryError", "DeliveryFailure", "Editable", "EventSink"]

EventSink = Callable[[Inbound], Awaitable[None]]
"""Where a channel hands each event it translated: the core answers it and sends the replies
back through ``Channel.send`` (``bot.delivery.answers``)."""


class DeliveryFailure(StrEnum):
    RETRY_AFTER = "retry_after"
    """The platform asked us to slow down; retry after ``retry_after`` seconds."""
    TRANSIENT = "transient"
    """Network error, time-out or 5xx: retry with backoff."""
    BLOCKED = "blocked"
    """The recipient blocked the bot or left: mark unreachable, do not retry."""
    PERMANENT = "permanent"
    """The request itself is wrong (400): retrying will not help."""


class DeliveryError(Exception):
    def __init__(self, failure: DeliveryFailure, detail: str, retry_after: float = 0) -> None:
        super().__init__(f"{failure}: {detail}")
        self.failure = failure
        self.detail = detail
        self.retry_after = retry_after


class Channel(Protocol):
    name: str
    capabilities: Capabilities

    async def start(self, on_event: EventSink) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, chat_id: str, reply: Reply) -> str:
        """Deliver one reply; returns the platform's id of the last message sent."""
        ...


@runtime_checkable
class Editable(Protocol):
    """A channel that can replace the text of a message it sent (Telegram; not Zalo)."""

    async def edit(self, chat_id: str, message_id: str, text: str) -> None: ...
