"""The sender: drains one channel's outbox at the platform's pace, retrying what can be retried.

Pacing (Telegram's published limits by default): a global rate, a minimum interval per private
chat and a longer one per group. Up to ``in_flight`` sends are under way at once, each to a chat
of its own (a platform's round trip, not the bot, would otherwise bound the rate: at 100 ms,
ten a second one after the other). ``retry_after`` pauses the whole channel; network errors and
5xx are retried with exponential backoff and jitter up to ``max_attempts``; a recipient who
blocked the bot is marked unreachable. Delivery is at least once: a crash between a send and its
``sent`` mark repeats only the messages under way, at most one per chat.

Nothing stops the sender but :meth:`Sender.stop`. A row whose own delivery breaks in any other
way (its stored file is missing, the disk is full, the database is locked) is retried with the
same backoff and, after its attempts, closed as failed with the reason; the other rows go on.
An error outside any row (reading the due rows) restarts the loop after a growing pause, logged;
:attr:`Sender.state` tells the health check which of these it is in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.channels.base import Channel, DeliveryError, DeliveryFailure
from bot.clock import Clock
from bot.delivery.outbox import Outbox, decode_reply
from bot.domain.messages import Reply
from storage.files import FileStore
from storage.outbox import OutboxRow

__all__ = ["Pacing", "Sender", "SenderState"]

log = logging.getLogger(__name__)

Tokenise = Callable[[str, str, list[Reply]], Awaitable[list[Reply]]]
OnBlocked = Callable[[OutboxRow], Awaitable[None]]

REASON_LIMIT = 300
"""Characters of an error kept as a row's reason (errors name files and SQL, never people)."""
WINDOW_MARGIN = 0.025
"""Seconds added to the rate's window: a send may reach the platform a little later than an
earlier one did, relative to when each started."""


class SenderState(StrEnum):
    RUNNING = "running"
    RESTARTING = "restarting"
    """The loop failed outside any row and waits before it starts again."""
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class Pacing:
    per_second: float = 30.0
    chat_interval: float = 1.0
    group_interval: float = 3.0
    max_attempts: int = 5
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    in_flight: int = 8
    """Sends under way at once (never two to one chat)."""
    poll_interval: float = 1.0
    restart_floor: float = 0.1
    """The shortest pause before a failed loop starts again (it doubles up to the cap)."""


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
        per_window = max(1, int(pacing.per_second))
        self._starts: deque[float] = deque(maxlen=per_window)
        """When the latest sends started: as many as may start in one window."""
        self._window = per_window / pacing.per_second + WINDOW_MARGIN
        self._paused_until = 0.0
        self._places = asyncio.Semaphore(pacing.in_flight)
        self._under_way: dict[str, asyncio.Task[None]] = {}
        """The sends under way, by chat."""
        self._unrecorded: dict[int, int] = {}
        """Attempts the database could not record (it refused the write), per row."""
        self._sent_unmarked: dict[int, str] = {}
        """Rows that left but whose "sent" mark is not stored yet: their message ids."""
        self._stopping = False
        self._failures = 0
        self._stopped = asyncio.Event()
        self.state = SenderState.STOPPED
        self.delivered = 0
        self.failed_attempts = 0
        self.restarts = 0
        self.last_error = ""

    @property
    def channel(self) -> str:
        return self._channel.name

    def stop(self) -> None:
        """Finish the messages under way, then leave :meth:`run` (a graceful stop repeats none)."""
        self._stopping = True
        self._stopped.set()
        self._outbox.wake_event(self._channel.name).set()

    async def run(self) -> None:
        """Drain until stopped, restarting the loop (after a growing pause) when it fails."""
        self.state = SenderState.RUNNING
        try:
            while not self._stopping:
                try:
                    await self._drain_forever()
                except Exception as exc:
                    self._failures += 1
                    self.restarts += 1
                    self.last_error = _reason(exc)
                    self.state = SenderState.RESTARTING
                    pause = min(
                        self._pacing.backoff_cap,
                        max(self._pacing.restart_floor, self._pacing.backoff_base)
                        * 2 ** (self._failures - 1),
                    )
                    log.exception("%s sender failed; restarting in %.1fs", self.channel, pause)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopped.wait(), pause)
                    self.state = SenderState.RUNNING
        finally:
            self.state = SenderState.STOPPED

    async def _drain_forever(self) -> None:
        wake = self._outbox.wake_event(self._channel.name)
        try:
            await self._drain_until_stopped(wake)
        except asyncio.CancelledError:
            for sending in self._under_way.values():
                sending.cancel()
            raise
        finally:  # the sends under way finish (a stop, a failed loop), or end cancelled
            await asyncio.gather(*self._under_way.values(), return_exceptions=True)

    async def _drain_until_stopped(self, wake: asyncio.Event) -> None:
        while not self._stopping:
            wake.clear()
            next_ready = await self.drain_once()
            self._failures = 0
            delay = self._pacing.poll_interval
            if next_ready is not None:
                delay = min(delay, max(0.0, next_ready - time.monotonic()))
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), delay)

    async def drain_once(self) -> float | None:
        """Start sending every due row that may go now, one per chat; returns when the
        earliest held-back one may go. The chats that may not be sent to yet (paced, their
        answer still going out, or a row of theirs under way) are left out of the query: on a
        busy day their queued rows would be read again at every wake."""
        now = time.monotonic()
        self._chat_ready = {c: t for c, t in self._chat_ready.items() if t > now}
        waiting = {
            *self._chat_ready,
            *self._under_way,
            *self._outbox.chats_answered(self._channel.name),
        }
        rows = await self._outbox.repo.due(self._channel.name, self._clock.now(), waiting)
        held: set[str] = set()
        earliest = min(self._chat_ready.values(), default=None)
        for row in rows:
            if self._stopping:
                return None
            if row.chat_id in held or row.chat_id in self._under_way:
                continue  # keep each chat's messages in order
            held.add(row.chat_id)
            if self._outbox.is_answering(row.channel, row.chat_id):
                continue  # woken again when the event's answer is out
            ready = max(
                self._chat_ready.get(row.chat_id, 0.0),
                self._retry_at.get(row.id, 0.0),
                self._paused_until,
            )
            if ready > time.monotonic():
                earliest = ready if earliest is None else min(earliest, ready)
                continue
            await self._places.acquire()
            if self._stopping:  # asked while every place was taken
                self._places.release()
                return None
            await self._wait_for_slot()
            sending = asyncio.create_task(self._send(row), name=f"send-{self.channel}")
            self._under_way[row.chat_id] = sending
        return earliest

    async def _send(self, row: OutboxRow) -> None:
        """One row's attempt, beside the others under way; its chat may be sent to again once
        it is over (the sender is woken to look)."""
        try:
            await self._deliver(row)
        except Exception as exc:  # this row's own trouble: the other rows go on
            log.warning("outbox %s could not be sent: %s", row.key, _reason(exc))
            await self._retry_later(row, _reason(exc))
        finally:
            del self._under_way[row.chat_id]
            self._places.release()
            self._outbox.wake_event(self._channel.name).set()

    async def _wait_for_slot(self) -> None:
        """At most ``per_second`` sends start in any one second (Telegram counts them so), with
        a margin for the network's jitter, measured when each send really starts. A send that
        started late does not delay every later one (as a fixed spacing after each send did:
        a few percent of a long fan-out), and never lets more than the limit into a second."""
        while len(self._starts) == self._starts.maxlen:
            wait = self._starts[0] + self._window - time.monotonic()
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        self._starts.append(time.monotonic())

    async def _deliver(self, row: OutboxRow) -> None:
        """One attempt at one row (and, for a gathered notice, at the others of its chat)."""
        repo = self._outbox.repo
        interval = self._pacing.group_interval if row.is_group else self._pacing.chat_interval
        self._chat_ready[row.chat_id] = time.monotonic() + interval
        message_id = self._sent_unmarked.get(row.id)
        rows = [row]
        if message_id is None:
            if row.gathered:
                rows += await repo.gathered_with(row, self._sent_unmarked)
            reply, rows = self._one_message(rows)
            try:
                [reply] = await self._tokenise(row.channel, row.chat_id, [reply])
                message_id = await self._channel.send(row.chat_id, reply)
            except DeliveryError as exc:
                await self._failed(row, exc)
                return
            for sent in rows:  # until the mark below is stored
                self._sent_unmarked[sent.id] = message_id
            self.delivered += 1
        await repo.mark_sent([sent.id for sent in rows], message_id, self._clock.now())
        for sent in rows:
            self._sent_unmarked.pop(sent.id, None)
            self._retry_at.pop(sent.id, None)
            self._unrecorded.pop(sent.id, None)

    def _one_message(self, rows: list[OutboxRow]) -> tuple[Reply, list[OutboxRow]]:
        """The first row's message, with the lines of the gathered rows after it that fit in
        one message of the channel; and the rows it carries."""
        reply = decode_reply(rows[0].payload, self._files)
        lines, room = [reply.text], self._channel.capabilities.max_text - len(reply.text)
        for taken, other in enumerate(rows[1:], start=1):
            line = decode_reply(other.payload, self._files).text
            room -= len(line) + 1
            if room < 0:
                return replace(reply, text="\n".join(lines)), rows[:taken]
            lines.append(line)
        return replace(reply, text="\n".join(lines)), rows

    async def _failed(self, row: OutboxRow, exc: DeliveryError) -> None:
        repo = self._outbox.repo
        if exc.failure is DeliveryFailure.RETRY_AFTER:
            self._paused_until = time.monotonic() + exc.retry_after
            log.warning("%s asked to slow down for %.1fs", row.channel, exc.retry_after)
        elif exc.failure is DeliveryFailure.BLOCKED:
            await repo.close(row.id, "unreachable", exc.detail)
            await self._on_blocked(row)
        elif exc.failure is DeliveryFailure.PERMANENT:
            log.error("outbox %s refused by %s: %s", row.key, row.channel, exc.detail)
            await repo.close(row.id, "failed", exc.detail)
        else:
            await self._retry_later(row, exc.detail)

    async def _retry_later(self, row: OutboxRow, reason: str) -> None:
        """Count a failed attempt and hold the row back, or close it as failed after the last.
        The count is kept in memory while the database refuses it."""
        self.failed_attempts += 1
        if row.id in self._sent_unmarked:  # it left: only its mark is retried, never the send
            attempts = self._unrecorded.get(row.id, 0) + 1
            self._unrecorded[row.id] = attempts
            self._hold_back(row, attempts)
            return
        repo = self._outbox.repo
        try:
            attempts = await repo.mark_retry(row.id, reason)
        except Exception as exc:
            log.warning("outbox %s: attempt not recorded: %s", row.key, _reason(exc))
            attempts = self._unrecorded.get(row.id, row.attempts) + 1
            self._unrecorded[row.id] = attempts
        if attempts >= self._pacing.max_attempts:
            log.error("outbox %s given up after %d attempts: %s", row.key, attempts, reason)
            try:
                await repo.close(row.id, "failed", f"gave up after {attempts} attempts: {reason}")
            except Exception as exc:
                log.warning("outbox %s: could not be closed yet: %s", row.key, _reason(exc))
            else:
                self._retry_at.pop(row.id, None)
                self._unrecorded.pop(row.id, None)
                return
        self._hold_back(row, attempts)

    def _hold_back(self, row: OutboxRow, attempts: int) -> None:
        """Exponential backoff with jitter before the row's next attempt."""
        backoff = min(self._pacing.backoff_cap, self._pacing.backoff_base * 2 ** (attempts - 1))
        self._retry_at[row.id] = time.monotonic() + backoff * random.uniform(0.5, 1.0)


def _reason(exc: BaseException) -> str:
    """An error as a short reason for a row and the logs."""
    return f"{type(exc).__name__}: {exc}"[:REASON_LIMIT]
