"""Flood control in front of the dispatcher: a token bucket per sender and a bound on the events
in work per chat. An event over either limit is not handled (nothing is read, written or
issued) and its sender is held until their bucket is full again: told once to slow down, then
silence.

Without it, one chat's flood queued on that chat's lock holds every slot the channel handles
updates in, and another officer waits behind it. Unregistered senders have a smaller bucket
each and one shared budget besides, so that many strangers together cannot queue their answers
ahead of an officer's at the platform's rate."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.domain.access import Actor
from bot.domain.bounded import BoundedMap
from bot.domain.messages import Inbound, Reply
from bot.domain.token_bucket import TokenBucket
from bot.i18n import translator
from bot.services.container import Services

__all__ = ["FloodGuard", "FloodLimits"]

Handle = Callable[[Inbound], Awaitable[list[Reply]]]
Identify = Callable[[Inbound], Awaitable[Actor | None]]


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
    stranger_burst: int = 10
    """Events an unregistered sender may send at once."""
    stranger_per_minute: float = 20
    strangers_per_minute: float = 120
    """Events of all unregistered senders together a minute: what strangers may cost, however
    many they are; past it their events are not read and get no answer."""
    strangers_burst: int = 20
    """Events of all strangers together at once: less than the platform sends in a second, so
    their answers never hold up an officer's."""


class FloodGuard:
    def __init__(
        self,
        handle: Handle,
        services: Services,
        limits: FloodLimits,
        identify: Identify,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._handle = handle
        self._identify = identify
        self._services = services
        self._limits = limits
        self._monotonic = monotonic
        self._buckets: BoundedMap[tuple[str, str, bool], TokenBucket] = BoundedMap(limits.senders)
        self._pending: dict[tuple[str, str], int] = {}
        per_second = limits.strangers_per_minute / 60
        self._strangers = TokenBucket(limits.strangers_burst, per_second, monotonic(), False)
        self.refused = 0
        self.strangers_dropped = 0
        """Events of unregistered senders past the shared budget (not read, not answered)."""

    async def __call__(self, inbound: Inbound) -> list[Reply]:
        if inbound.membership is not None:  # the platform's own notice, not the sender's
            return await self._handle(inbound)
        stranger = await self._identify(inbound) is None
        now = self._monotonic()
        bucket = self._bucket(inbound, stranger)
        chat = (inbound.channel, inbound.chat_id)
        pending = self._pending.get(chat, 0)
        if pending >= self._limits.chat_pending:
            bucket.hold(now)
        if not bucket.take(now):
            return await self._refuse(inbound, bucket, stranger, now)
        if stranger and not self._strangers.take(now):
            self.strangers_dropped += 1
            return []
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

    def _bucket(self, inbound: Inbound, stranger: bool) -> TokenBucket:
        """The sender's bucket: a stranger's is smaller; one who registers gets an officer's."""
        sender = (inbound.channel, inbound.user_id, stranger)
        bucket = self._buckets.get(sender)
        if bucket is None:
            limits = self._limits
            burst, per_minute = (
                (limits.stranger_burst, limits.stranger_per_minute)
                if stranger
                else (limits.burst, limits.per_minute)
            )
            bucket = TokenBucket(burst, per_minute / 60, self._monotonic())
            self._buckets[sender] = bucket
        return bucket

    async def _refuse(
        self, inbound: Inbound, bucket: TokenBucket, stranger: bool, now: float
    ) -> list[Reply]:
        """Told once to slow down (a stranger only while the strangers' budget lasts), then
        silence."""
        self.refused += 1
        if bucket.warned or (stranger and not self._strangers.take(now)):
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
