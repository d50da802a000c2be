"""What every channel adapter offers the core, and the neutral delivery errors it raises."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from enum import StrEnum
from typing import Protocol, runtime_checkable

from bot.domain.messages import Capabilities, Inbound, Reply

__all__ = [
    "Channel",
    "Deferrals",
    "DeliveryError",
    "DeliveryFailure",
    "Dispatch",
    "Editable",
    "answer",
]

log = logging.getLogger(__name__)

Dispatch = Callable[[Inbound], Awaitable[list[Reply]]]
"""The core's entry point: one event in, the (already tokenised) replies out."""


class Deferrals(Protocol):
    """The durable outbox as the channels see it."""

    async def defer(self, channel: str, chat_id: str, replies: list[Reply], is_group: bool) -> None:
        """Take direct replies that could not be sent now; they are retried at the platform's
        pace."""
        ...

    async def delivered(self, key: str) -> None:
        """A journaled reply (``Reply.journal``) was sent directly."""
        ...

    def answering(self, channel: str, chat_id: str) -> AbstractContextManager[None]:
        """While an event of this chat is answered, queued messages to it wait: what the
        event said comes before what it queued (a chair's "being sent to 5 chats" before the
        ranking itself)."""
        ...


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

    async def start(self, dispatch: Dispatch, deferrals: Deferrals) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, chat_id: str, reply: Reply) -> str:
        """Deliver one reply; returns the platform's id of the last message sent."""
        ...


@runtime_checkable
class Editable(Protocol):
    """A channel that can replace the text of a message it sent (Telegram; not Zalo)."""

    async def edit(self, chat_id: str, message_id: str, text: str) -> None: ...


async def answer(
    channel: Channel, inbound: Inbound, dispatch: Dispatch, deferrals: Deferrals
) -> None:
    """Handle one event and send its replies in order. A reply that fails for a reason that may
    pass (flood control, 5xx, network) is deferred with every reply after it, so a receipt is
    never lost to a passing fault; a refused or blocked one is logged."""
    with deferrals.answering(channel.name, inbound.chat_id):
        await _answer(channel, inbound, await dispatch(inbound), deferrals)


async def _answer(
    channel: Channel, inbound: Inbound, replies: list[Reply], deferrals: Deferrals
) -> None:
    for n, reply in enumerate(replies):
        try:
            await channel.send(reply.chat_id or inbound.chat_id, reply)
        except DeliveryError as exc:
            if exc.failure in (DeliveryFailure.BLOCKED, DeliveryFailure.PERMANENT):
                log.warning("a reply on %s was not delivered: %s", channel.name, exc.failure)
                continue
            log.info("replies on %s deferred to the outbox: %s", channel.name, exc.failure)
            for later in replies[n:]:  # each to its own chat (a flow may have moved to private)
                moved = later.chat_id not in (None, inbound.chat_id)
                chat_id = later.chat_id if moved else inbound.chat_id
                in_group = not moved and not inbound.is_private
                await deferrals.defer(channel.name, chat_id, [later], in_group)
            return
        if reply.journal is not None:
            await deferrals.delivered(reply.journal)
