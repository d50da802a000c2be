"""The sender: drains one channel's outbox at the platform's pace, retrying what can be retried.

Pacing (Telegram's published limits by default): a global rate, a minimum interval per private
chat and a longer one per group. ``retry_after`` pauses the whole channel; network errors and
5xx are retried with exponential backoff and jitter up to ``max_attempts``; a recipient who
blocked the bot is marked unreachable. Delivery is at least once: a crash between a send and its
``sent`` mark repeats only that message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.channels.base import Channel, DeliveryError, DeliveryFailure
from bot.clock import Clock
from bot.domain.messages import Reply
from bot.services.outbox import Outbox, decode_reply
from storage.files import FileStore
from storage.outbox import OutboxRow

__all__ = ["Pacing", "Sender"]

log = logging.getLogger(__name__)

Tokenise = Callable[[str, str, list[Reply]], Awaitable[list[Reply]]]
OnBlocked = Callable[[OutboxRow], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Pacing:
    per_second: float = 30.0
    chat_interval: float = 1.0
    group_interval: float = 3.0
    max_attempts: int = 5
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    poll_interval: float = 1.0


class Sender:
    def __init__(
        self,
        channel: Channel,
        outbox: Outbox,
        files: FileStore,
        clock: Clock,
        tokenise: Tokenise,
        pacing: Pacing,
        on_blocked: OnBlocked,
    ) -> None:
        self._channel = channel
        self._outbox = outbox
        self._files = files
        self._clock = clock
        self._tokenise = tokenise
        self._pacing = pacing
        self._on_blocked = on_blocked
        self._chat_ready: dict[str, float] = {}
        self._retry_at: dict[int, float] = {}
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._stopping = False
        self.delivered = 0

    def stop(self) -> None:
        """Finish the message in flight, then leave :meth:`run` (a graceful stop repeats none)."""
        self._stopping = True
        self._outbox.wake_event(self._channel.name).set()

    async def run(self) -> None:
        wake = self._outbox.wake_event(self._channel.name)
        while not self._stopping:
            wake.clear()
            next_ready = await self.drain_once()
            delay = self._pacing.poll_interval
            if next_ready is not None:
                delay = min(delay, max(0.0, next_ready - time.monotonic()))
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), delay)

    async def drain_once(self) -> float | None:
        """Send every due row that may go now; returns when the earliest held-back one may."""
        rows = await self._outbox.repo.due(self._channel.name, self._clock.now())
        held: set[str] = set()
        earliest: float | None = None
        for row in rows:
            if self._stopping:
                return None
            if row.chat_id in held:
                continue
            ready = max(
                self._chat_ready.get(row.chat_id, 0.0),
                self._retry_at.get(row.id, 0.0),
                self._paused_until,
            )
            if ready > time.monotonic():
                held.add(row.chat_id)  # keep each chat's messages in order
                earliest = ready if earliest is None else min(earliest, ready)
                continue
            await self._wait_for_slot()
            if not await self._deliver(row):
                held.add(row.chat_id)
        return earliest

    async def _wait_for_slot(self) -> None:
        """Space the starts of sends by at least 1/rate, measured when each send really starts
        (a late wake-up never lets the next send catch up and bunch)."""
        now = time.monotonic()
        if self._next_slot > now:
            await asyncio.sleep(self._next_slot - now)
        self._next_slot = time.monotonic() + 1.0 / self._pacing.per_second

    async def _deliver(self, row: OutboxRow) -> bool:
        """One attempt at one row; True when it left (or will never leave)."""
        repo = self._outbox.repo
        interval = self._pacing.group_interval if row.is_group else self._pacing.chat_interval
        self._chat_ready[row.chat_id] = time.monotonic() + interval
        reply = decode_reply(row.payload, self._files)
        try:
            [reply] = await self._tokenise(row.channel, row.chat_id, [reply])
            message_id = await self._channel.send(row.chat_id, reply)
        except DeliveryError as exc:
            return await self._failed(row, exc)
        await repo.mark_sent(row.id, message_id, self._clock.now())
        self._retry_at.pop(row.id, None)
        self.delivered += 1
        return True

    async def _failed(self, row: OutboxRow, exc: DeliveryError) -> bool:
        repo = self._outbox.repo
        if exc.failure is DeliveryFailure.RETRY_AFTER:
            self._paused_until = time.monotonic() + exc.retry_after
            log.warning("%s asked to slow down for %.1fs", row.channel, exc.retry_after)
            return False
        if exc.failure is DeliveryFailure.BLOCKED:
            await repo.close(row.id, "unreachable", exc.detail)
            await self._on_blocked(row)
            return True
        if exc.failure is DeliveryFailure.PERMANENT:
            log.error("outbox %s refused by %s: %s", row.key, row.channel, exc.detail)
            await repo.close(row.id, "failed", exc.detail)
            return True
        attempts = await repo.mark_retry(row.id, exc.detail)
        if attempts >= self._pacing.max_attempts:
            log.error("outbox %s given up after %d attempts: %s", row.key, attempts, exc.detail)
            await repo.close(row.id, "failed", f"gave up after {attempts} attempts: {exc.detail}")
            return True
        backoff = min(self._pacing.backoff_cap, self._pacing.backoff_base * 2 ** (attempts - 1))
        self._retry_at[row.id] = time.monotonic() + backoff * random.uniform(0.5, 1.0)
        return False
