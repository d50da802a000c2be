"""Flood control in front of the dispatcher: a token bucket per sender and a bound on the events
in work per chat. An event over either limit is not handled (nothing is read, written or
issued) and its sender is held until their bucket is full again: told once to slow down, then
silence.

Without it, one chat's flood queued on that chat's lock holds every slot the channel handles
updates in, and another officer waits behind it."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.domain.bounded import BoundedMap
from bot.domain.messages import Inbound, Reply
from bot.domain.token_bucket import TokenBucket
from bot.i18n import translator
from bot.services.container import Services

__all__ = ["FloodGuard", "FloodLimits"]

Handle = Callable[[Inbound], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class FloodLimits:
    burst: int = 20
    """Events a sender may send at once."""
    per_minute: float = 60
    """Events a sender may send a minute, on average, after the burst."""
    chat_pending: int = 8
    """Events of one chat in work or waiting for its turn."""
    senders: int = 10_000
    """Senders whose buckets are remembered (the least recent are forgotten: a full bucket)."""


class FloodGuard:
    def __init__(
        self,
        handle: Handle,
        services: Services,
        limits: FloodLimits,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._handle = handle
        self._services = services
        self._limits = limits
        self._monotonic = monotonic
        self._buckets: BoundedMap[tuple[str, str], TokenBucket] = BoundedMap(limits.senders)
        self._pending: dict[tuple[str, str], int] = {}
        self.refused = 0

    async def __call__(self, inbound: Inbound) -> list[Reply]:
        if inbound.membership is not None:  # the platform's own notice, not the sender's
            return await self._handle(inbound)
        bucket = self._bucket(inbound)
        chat = (inbound.channel, inbound.chat_id)
        pending, now = self._pending.get(chat, 0), self._monotonic()
        if pending >= self._limits.chat_pending:
            bucket.hold(now)
        if not bucket.take(now):
            return await self._refuse(inbound, bucket)
        bucket.warned = False
        self._pending[chat] = pending + 1
        try:
            return await self._handle(inbound)
        finally:
            left = self._pending[chat] - 1
            if left:
                self._pending[chat] = left
            else:
                del self._pending[chat]

    def _bucket(self, inbound: Inbound) -> TokenBucket:
        sender = (inbound.channel, inbound.user_id)
        bucket = self._buckets.get(sender)
        if bucket is None:
            limits = self._limits
            bucket = TokenBucket(limits.burst, limits.per_minute / 60, self._monotonic())
            self._buckets[sender] = bucket
        return bucket

    async def _refuse(self, inbound: Inbound, bucket: TokenBucket) -> list[Reply]:
        self.refused += 1
        if bucket.warned:
            return []
        bucket.warned = True
        services = self._services
        language = (
            await services.preferences.language(inbound.channel, inbound.user_id)
            or services.settings.default_language
        )
        _ = translator(language)
        return [
            Reply(
                _(
                    "You are sending messages faster than I can read them. Please wait a minute "
                    "before writing again; what you send meanwhile is not read."
                )
            )
        ]
